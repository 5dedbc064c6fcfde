"""Pack files that are byte-for-byte copies of another loaded pack (``RS507``).

A rules repository often starts as a copy of the shipped ``rules/`` folder. A copy whose
content equals a pack already loaded is the same pack: it is loaded once, and the linter
says so here, once per copy, instead of checking its rules a second time. A copy that was
edited is a different pack with the same ids, which loading refuses (``RS302``/``RS303``).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Problem, SourceLocation
from .base import Check, LintContext

__all__ = ["PackCopy"]


class PackCopy(Check):
    """A linted pack file with the same content as another loaded pack."""

    code = "RS507"
    name = "pack-copy"
    description = "a pack file is a byte-for-byte copy of another loaded pack (loaded once)"

    def run(self, context: LintContext) -> Iterator[Problem]:
        """One warning per copy, at the top of the file."""
        if context.screener is None:
            return
        for copy, original in context.screener.ruleset.copies:
            if copy in context.copies:
                yield self.problem(
                    SourceLocation(copy, 1, 1),
                    f"same content as {original}: the same pack, loaded once; "
                    "edit a copy only after giving it its own pack and rule ids",
                )
