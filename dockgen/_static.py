"""``TYPE_CHECKING`` without importing :mod:`typing`.

Importing :mod:`typing` costs about 4 ms, a tenth of what ``dockgen lint FILE`` may take, and the lint path
needs nothing from it at run time: its annotations are never evaluated (``from __future__ import
annotations``). Modules on that path import their typing names inside ``if TYPE_CHECKING:`` with this
constant, which type checkers treat as true by its name, like :data:`typing.TYPE_CHECKING`.
``tests/lint/test_lint_path.py`` pins that a lint run does not import :mod:`typing`.
"""

TYPE_CHECKING = False
