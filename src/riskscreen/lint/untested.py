"""Rules no regression case exercises (``RS501``).

Every rule should have a case that makes it fire (listed under ``fires``) and one that
holds it silent (``not_fires``). The cases read are the ``*.test.yaml`` files under the
linted paths and beside the linted packs.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Problem
from .base import Check, LintContext

__all__ = ["UntestedRule"]


class UntestedRule(Check):
    """A rule that no case makes fire, or that no case holds silent."""

    code = "RS501"
    name = "untested-rule"
    description = "a rule without a regression case that makes it fire, or one that holds it silent"

    def run(self, context: LintContext) -> Iterator[Problem]:
        """One warning per rule missing either kind of case."""
        fired: set[str] = set()
        silenced: set[str] = set()
        # a case file that cannot be read is reported itself (RS110); what its cases would
        # cover is unknown, so the packs beside it get no misleading "no case" warning
        unread = {d.path.parent.resolve() for d in context.cases if d.case_file is None}
        for document in context.cases:
            for case in document.case_file.cases if document.case_file else ():
                fired.update(case.expect.fires)
                silenced.update(case.expect.not_fires)
        for rule in context.rules():
            if not rule.id or rule.pack.path.parent.resolve() in unread:
                continue
            lacking = [
                what
                for what, seen in (
                    ("makes it fire (fires)", fired),
                    ("holds it silent (not_fires)", silenced),
                )
                if rule.id not in seen
            ]
            if len(lacking) == 2:
                message = (
                    f"rule {rule.id} has no regression case: add cases to a *.test.yaml beside "
                    f"{rule.pack.path.name} that list it under fires and under not_fires"
                )
            elif lacking:
                message = f"rule {rule.id} has no regression case that {lacking[0]}"
            else:
                continue
            yield self.problem(rule.location("id"), message)
