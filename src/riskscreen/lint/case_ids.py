"""Regression cases that name rules nobody loads (``RS505``), and repeated case names (``RS506``).

A case that expects ``GAS-010`` to fire when the pack calls it ``GAS-01`` fails at test
time; the linter says so beforehand, at the id, with the closest loaded id. Each case
file is checked against the rule set it screens with (the shipped packs, its folder's
packs and its ``rules:``), exactly as ``riskscreen test`` builds it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..errors import Problem, RuleLoadError
from ..testing.cases import screener_for
from .base import CaseDocument, Check, LintContext

__all__ = ["DuplicateCaseName", "UnknownCaseRule"]


class UnknownCaseRule(Check):
    """A case lists a rule id under fires, not_fires or insufficient that no loaded rule has."""

    code = "RS505"
    name = "unknown-case-rule"
    description = "a regression case names a rule id that is not loaded"

    def run(self, context: LintContext) -> Iterator[Problem]:
        """One error per unknown id, at the id."""
        for document in context.cases:
            if document.case_file is None or document.source is None:
                continue
            try:
                known = sorted(screener_for(document.case_file).rule_ids)
            except RuleLoadError:
                continue  # the load problems are reported for the packs themselves
            yield from self._unknown(document, known)

    def _unknown(self, document: CaseDocument, known: list[str]) -> Iterator[Problem]:
        assert document.case_file is not None and document.source is not None
        for i, case in enumerate(document.case_file.cases):
            for key in ("fires", "not_fires", "insufficient"):
                for j, rule_id in enumerate(getattr(case.expect, key)):
                    if rule_id in known:
                        continue
                    close = difflib.get_close_matches(rule_id, known, n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    location = document.source.location(("tests", i, "expect", key, j))
                    yield self.problem(
                        location,
                        f"case {case.name!r} names {rule_id} under {key}, but no rule has that id{hint}",
                    )


class DuplicateCaseName(Check):
    """Two cases in one file share a name, so reports and pytest ids cannot tell them apart."""

    code = "RS506"
    name = "duplicate-case-name"
    description = "two regression cases in one file share a name"

    def run(self, context: LintContext) -> Iterator[Problem]:
        """One warning per repeated name, at the repeat."""
        for document in context.cases:
            if document.case_file is None or document.source is None:
                continue
            first: dict[str, int] = {}
            for i, case in enumerate(document.case_file.cases):
                if case.name in first:
                    line = document.case_file.lines[first[case.name]]
                    where = document.source.location(("tests", i, "name"))
                    yield self.problem(
                        where,
                        f"case name {case.name!r} is already used at line {line}; name each case differently",
                    )
                else:
                    first[case.name] = i
