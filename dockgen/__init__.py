"""dockgen: Dockerfile-as-code for Python teams.

``from dockgen import ...`` is the only import path users need.
"""

from __future__ import annotations

__version__ = "0.1.0"

from dockgen.cli import main
from dockgen.errors import DockgenError

__all__ = ["DockgenError", "__version__", "main"]
