"""DG056: the final image is built FROM a full official image that has a -slim variant."""

from __future__ import annotations

from collections.abc import Iterator

from dockgen import _record
from dockgen._lazyre import lazy_compile
from dockgen.ir import IRInstruction
from dockgen.lint.rule import Finding, Fix, FixAvailability, LintContext, Replace, Rule, Severity
from dockgen.stages import lineage

#: Official images with a -slim variant, and how their tags look.
_DEBIAN = lazy_compile(
    r"^(?P<v>(?:bookworm|bullseye|buster|trixie|forky|sid|stable|oldstable|testing|unstable|\d+(?:\.\d+)?))$"
)
_VERSIONED = lazy_compile(r"^(?P<v>\d+(?:\.\d+){0,2})(?:-(?P<suite>bookworm|bullseye|buster|trixie))?$")
_IMAGES = frozenset({"python", "node", "ruby", "perl", "php", "openjdk", "rust"})


def slim_tag(repository: str, tag: str) -> str | None:
    """The official slim variant of ``repository:tag`` (``debian:bookworm`` -> ``bookworm-slim``), or None."""
    name = repository.rsplit("/", 1)[-1].lower()
    if repository.count("/") > 1 or (repository.count("/") == 1 and not repository.startswith("library/")):
        return None  # not a Docker Hub official image
    if name == "debian":
        m = _DEBIAN.match(tag)
        return f"{tag}-slim" if m else None
    if name in _IMAGES:
        m = _VERSIONED.match(tag)
        if m is None:
            return None
        if name == "node":
            return f"{tag}-slim"  # node:20-slim, node:20-bookworm-slim
        suite = m.group("suite")
        return f"{m.group('v')}-slim-{suite}" if suite else f"{tag}-slim"  # python:3.12-slim-bookworm
    return None


class BaseImageHasSlimVariant(Rule):
    """
    ## What it does
    Flags a stage that ships (the final stage and the stages it is built `FROM`) whose base is a full
    official image with a `-slim` variant: `debian:bookworm` (`bookworm-slim`), `python:3.12`
    (`3.12-slim`), `python:3.12-bookworm` (`3.12-slim-bookworm`), `node:20` (`20-slim`), `ruby`, `perl`,
    `php`, `openjdk`, `rust`. Opt-in (`--extend-select DG056`; `dockgen import --optimize` applies it).

    The fix switches to the slim tag. It is **unsafe**: the slim images leave out documentation, manual
    pages and locales (debian) or compilers and many `-dev` libraries (python, node); a program that uses them
    breaks. A base pinned by digest gets no fix (the digest belongs to the full image).

    ## Why is this bad?
    The full images carry what a build needs (`debian:bookworm` has docs and man pages; `python:3.12` and
    `node:20` are built on `buildpack-deps` with gcc, make, headers and version control), which a runtime
    image does not: `python:3.12` is about 1 GB, `python:3.12-slim` about 130 MB.

    ## Example
    ```dockerfile
    FROM python:3.12
    COPY app.py /app/app.py
    CMD ["python", "/app/app.py"]
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    COPY app.py /app/app.py
    CMD ["python", "/app/app.py"]
    ```

    ## References
    - no equivalent in hadolint, BuildKit, Trivy or Checkov
    - https://hub.docker.com/_/debian ("slim" variants), https://hub.docker.com/_/python
    """

    code = "DG056"
    name = "base-image-has-slim-variant"
    severity = Severity.INFO
    enabled_by_default = False
    message = "the final image is built FROM a full image that has a smaller -slim variant"
    fix_availability = FixAvailability.SOMETIMES

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        df = ctx.dockerfile
        final = ctx.final_stage
        if final is None:
            return
        for index in sorted(lineage(df, final.index)):
            stage = df.stages[index]
            info = stage.info
            if df.stage_by_ref(stage.base) is not None or "$" in info.image:
                continue
            tag = info.tag
            if tag is None:
                continue
            slim = slim_tag(info.repository, tag)
            if slim is None:
                continue
            image = info.image.split("@", 1)[0]
            new_image = image[: len(image) - len(tag)] + slim
            fix = None
            if info.digest is None:
                args = (new_image, *stage.from_.args[1:])
                new: IRInstruction = _record.replace(stage.from_, args=args)
                fix = Fix(
                    f"use {new_image}", (Replace(targets=(stage.from_,), replacement=(new,)),), safe=False
                )
            yield self.finding(
                stage.from_,
                f"{image} has a smaller official variant {new_image}: use it unless the program needs what "
                "only the full image has",
                fix=fix,
            )
