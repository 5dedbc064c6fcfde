"""The core plugin: the ``derived.*`` time fields every observation gets.

It is a plugin like any other so that the derived fields a rule may read all come
through one mechanism; it has no configuration of its own (the night window and the
local timezone are screener settings).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..enrich import CORE_DERIVED
from ..hookspecs import hookimpl

__all__ = ["riskscreen_derived"]


@hookimpl
def riskscreen_derived() -> Mapping[str, str]:
    """The core fields and their types."""
    return {name: spec[0].name for name, spec in CORE_DERIVED.items()}
