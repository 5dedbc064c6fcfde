"""The core plugin: the ``derived.*`` time fields and the text functions every rule may use.

It is a plugin like any other so that everything a rule may read or call comes through
one mechanism. It has no configuration of its own (the night window and the local
timezone are screener settings, and the values are computed by the screener itself).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..enrich import CORE_DERIVED
from ..hookspecs import hookimpl
from ..plugin_api import DerivedField

__all__ = ["mentions", "riskscreen_derived", "riskscreen_functions"]


#: The event time comes from ``occurred_at`` when given, else ``reported_at``.
_EVENT_TIME = ["occurred_at", "reported_at"]


@hookimpl
def riskscreen_derived() -> Mapping[str, str | DerivedField]:
    """The core fields, their types and the observation fields they are computed from."""
    return {
        name: DerivedField(
            type=spec[0].name,
            inputs=["occurred_at"] if name == "hours_since_occurred" else _EVENT_TIME,
            description=spec[1],
        )
        for name, spec in CORE_DERIVED.items()
    }


def mentions(text: str, words: list[str], not_after: list[str], not_before: list[str]) -> bool:
    """Whether ``text`` mentions one of ``words`` other than in a negated or hedged phrase.

    An occurrence directly preceded by one of ``not_after`` (无, 未, 没有 ...) or directly
    followed by one of ``not_before`` (隐患, 风险 ...) does not count. This says in a rule
    what look-around regexes would, and runs in linear time on hostile text.
    """
    for word in words:
        if not word:
            continue
        start = text.find(word)
        while start >= 0:
            before, after = text[:start], text[start + len(word) :]
            if not any(before.endswith(n) for n in not_after if n) and not any(
                after.startswith(n) for n in not_before if n
            ):
                return True
            start = text.find(word, start + 1)
    return False


@hookimpl
def riskscreen_functions() -> Mapping[str, Callable[..., Any]]:
    """Functions every rule may call."""
    return {"mentions": mentions}
