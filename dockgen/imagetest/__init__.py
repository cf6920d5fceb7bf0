"""Running image checks (:mod:`dockgen.models.checks`) on the Docker engine, and reporting them.

``run_checks(reference, checks)`` runs every check against one image (a local tag, or ``repo@sha256:...``
which the engine pulls) and returns one :class:`CheckResult` per check: passed or not, and on failure what
was expected and what was seen. :func:`junit_xml` turns results into a JUnit report for CI.

Everything goes through the ``docker`` CLI: ``image inspect`` for metadata, ``create`` + ``cp`` for files
(read from the image's filesystem as a tar stream, so no shell or ``stat`` is needed in the image),
``run`` for commands and ports.
"""

from __future__ import annotations

from dockgen.imagetest.engine import CheckResult, ImageUnderTest, run_checks
from dockgen.imagetest.report import junit_xml, text_report

__all__ = ["CheckResult", "ImageUnderTest", "junit_xml", "run_checks", "text_report"]
