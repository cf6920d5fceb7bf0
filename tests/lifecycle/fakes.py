"""Stand-ins for ``trivy`` and ``cosign`` (neither can be installed on the test machines).

They are tiny Python scripts put first on PATH. They record the argv they were called with (and whether
``COSIGN_PASSWORD`` was in their environment -- never its value) to a JSON-lines log, and print what the real
tool prints in the documented format. What they test is dockgen's side: the command line it builds, how it
passes secrets, how it reads the output and handles exit codes. They say nothing about the real tools' scanning
or cryptography.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

_TRIVY = r"""
import json, os, sys
with open(os.environ["FAKE_LOG"], "a") as log:
    log.write(json.dumps({"argv": sys.argv[1:]}) + "\n")
if os.environ.get("FAKE_EXIT", "0") != "0":
    sys.stderr.write("FATAL image scan error: unable to find the specified image\n")
    sys.exit(int(os.environ["FAKE_EXIT"]))
sys.stdout.write(open(os.environ["FAKE_TRIVY_REPORT"]).read())
"""

_COSIGN = r"""
import json, os, sys
args = sys.argv[1:]
with open(os.environ["FAKE_LOG"], "a") as log:
    log.write(json.dumps({"argv": args, "password_in_env": "COSIGN_PASSWORD" in os.environ}) + "\n")
ref = args[-1]
if os.environ.get("FAKE_EXIT", "0") != "0":
    # a misbehaving tool echoing its secret: dockgen must scrub it before showing anything
    sys.stderr.write("Error: signing %s: decrypt key with password %s failed\n" % (ref, os.environ.get("COSIGN_PASSWORD", "")))
    sys.exit(int(os.environ["FAKE_EXIT"]))
if args[0] == "verify":
    digest = os.environ.get("FAKE_VERIFY_DIGEST") or ref.split("@", 1)[1]
    payload = [{"critical": {"identity": {"docker-reference": ref.split("@", 1)[0]},
                             "image": {"docker-manifest-digest": digest},
                             "type": "cosign container image signature"},
                "optional": {"team": "platform"}}]
    sys.stderr.write("Verification for %s --\nThe following checks were performed...\n" % ref)
    sys.stdout.write(json.dumps(payload) + "\n")
else:
    sys.stderr.write("Pushing signature to: %s\n" % ref.split("@", 1)[0])
"""


def install(bin_dir: Path, name: str) -> Path:
    """Write the fake ``name`` (trivy | cosign) into ``bin_dir`` and return its path."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    path = bin_dir / name
    body = {"trivy": _TRIVY, "cosign": _COSIGN}[name]
    path.write_text(f"#!{sys.executable}\n{body}")
    path.chmod(0o755)
    return path


def calls(log: Path) -> list[dict[str, object]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]
