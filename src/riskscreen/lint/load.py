"""The loader's own problems (``RS1xx``-``RS4xx``): lint reports exactly what loading would refuse.

Nothing here parses anything: the packs are loaded the way the screener loads them, and
every problem the loader collected (file, schema, expression and rule-set problems, each
at ``path:line:col``) is passed on, together with the problems of the case files.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Problem
from .base import Check, LintContext

__all__ = ["LoadProblems"]


class LoadProblems(Check):
    """Everything that stops the rule set (or a case file) from loading."""

    code = "RS100"
    name = "load"
    description = "problems that stop the packs or case files from loading (RS1xx-RS4xx)"

    def run(self, context: LintContext) -> Iterator[Problem]:
        """The problems gathered while loading."""
        yield from context.load_problems
