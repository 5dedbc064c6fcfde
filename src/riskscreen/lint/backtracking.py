"""Regular expressions prone to catastrophic backtracking (``RS502``).

riskscreen runs rule regexes on a linear-time engine, but a pattern such as ``(\\w+\\s?)*``
still says "the same text can be split in many ways": it is slow on every backtracking
engine the pattern may be copied to, and usually not what the author meant. The warning
points at the pattern inside the expression and names the repeated part.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rule_engine import ast as re_ast

from ..engine.analysis import iter_nodes
from ..errors import Problem
from ..packs.yamlsrc import Path as YPath
from .base import Check, LintContext, PackDocument
from .regex_shape import backtracking_risk

__all__ = ["BacktrackingRegex", "expressions_of"]


def expressions_of(pack: PackDocument) -> Iterator[tuple[YPath, str]]:
    """Every expression written in a pack: macros, then each rule's ``when`` and ``unless``."""
    for name, text in pack.mapping("macros").items():
        if isinstance(text, str):
            yield ("macros", name), text
    rules = pack.section("rules")
    for i, rule in enumerate(rules if isinstance(rules, list) else ()):
        for key in ("when", "unless"):
            text = rule.get(key) if isinstance(rule, dict) else None
            if isinstance(text, str):
                yield ("rules", i, key), text


def _offset(text: str, pattern: str, start: int) -> int:
    """Where the pattern's literal starts in the expression text (its first character)."""
    for written in (pattern, pattern.replace("\\", "\\\\")):
        found = text.find(written, start)
        if found >= 0:
            return found
    return start


class BacktrackingRegex(Check):
    """A regex whose repeated part can match the same text in many ways."""

    code = "RS502"
    name = "backtracking-regex"
    description = "a regular expression with nested or overlapping repetition, e.g. (a+)+ or (a|ab)*"

    def run(self, context: LintContext) -> Iterator[Problem]:
        """One warning per risky pattern, at the pattern."""
        for pack in context.packs:
            for where, text in expressions_of(pack):
                tree: Any = context.expression(text)
                if tree is None:
                    continue
                searched = 0
                for node in iter_nodes(tree):
                    if not isinstance(node, re_ast.FuzzyComparisonExpression):
                        continue
                    if not isinstance(node.right, re_ast.StringExpression):
                        continue
                    pattern = str(node.right.value)
                    offset = _offset(text, pattern, searched)
                    searched = offset + 1
                    risk = backtracking_risk(pattern)
                    if risk is not None:
                        message = (
                            f"regular expression {risk}; backtracking engines can take exponential time "
                            "on such text: make each part match in only one way"
                        )
                        yield self.problem(pack.source.offset_location(where, offset), message)
