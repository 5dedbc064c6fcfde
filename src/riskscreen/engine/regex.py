"""Regular expressions in rules run on a linear-time engine (RE2).

Record text is hostile: with Python's backtracking ``re``, a pattern such as ``(a+)+$``
can take exponential time on a crafted description. Every regex operator in a rule
(``=~``, ``=~~``, ``!~``, ``!~~``) is therefore recompiled with RE2 when the pack loads,
and rule-engine evaluates with the RE2 pattern. A pattern RE2 cannot run (back-references,
look-around) is a load error, as is a pattern that is not a literal string: a pattern
read from the record itself would let the record choose the pattern.

RE2 differs from ``re`` in small ways rule authors may meet: ``\\d`` and ``\\w`` match ASCII
only, and there are no back-references or look-around.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import re2
from rule_engine import ast as re_ast

from . import internals
from .analysis import iter_nodes

__all__ = ["UnsafeRegexError", "use_linear_time_regexes"]

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # errors are reported as load problems, not on stderr


class UnsafeRegexError(Exception):
    """A regex operator that cannot be honoured in linear time."""


def _regex_nodes(statement: Any) -> Iterator[Any]:
    for node in iter_nodes(statement):
        if isinstance(node, re_ast.FuzzyComparisonExpression):
            yield node


def use_linear_time_regexes(statement: Any) -> None:
    """Swap every regex in ``statement`` for its RE2 form; raise :class:`UnsafeRegexError` otherwise."""
    for node in _regex_nodes(statement):
        if not isinstance(node.right, re_ast.StringExpression):
            raise UnsafeRegexError(
                "a regular expression must be a literal string, not a value from the record"
            )
        pattern = node.right.value
        try:
            internals.set_compiled_regex(node, re2.compile(pattern, options=_OPTIONS))
        except re2.error as exc:
            reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
            raise UnsafeRegexError(
                f"regular expression {pattern!r} cannot run in linear time ({reason}); "
                "rewrite it without back-references or look-around"
            ) from None
