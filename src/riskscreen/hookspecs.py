"""The hooks a riskscreen plugin may implement.

Every hook is prefixed ``riskscreen_`` and marked with :data:`hookspec`; plugins mark their
implementations with :data:`hookimpl` (also exported as ``riskscreen.hookimpl``).
Set-up hooks run once when a :class:`~riskscreen.Screener` is built; record hooks run once
per observation (never once per rule). A record hook that raises is isolated: the error is
recorded on the result and every other plugin and rule still runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from os import PathLike
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .engine.record import Record
    from .models import Finding, Observation
    from .plugin_api import CheckFinding, CheckInfo, CheckUndecided, DerivedField

__all__ = ["PROJECT", "hookimpl", "hookspec"]

#: The pluggy project name, and the entry-point group plugins register under.
PROJECT = "riskscreen"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# -- set-up hooks: called once per Screener -----------------------------------------------


@hookspec
def riskscreen_rule_packs() -> list[str | PathLike[str]]:
    """Paths of the YAML rule packs (files or folders) the plugin ships.

    Called once when a Screener is built with ``builtin=True``. Return a list of paths;
    they are loaded together with the shipped packs and any ``--rules`` packs.
    """


@hookspec
def riskscreen_categories() -> Mapping[str, type[BaseModel]]:
    """Category name -> pydantic model of that category's ``attrs``.

    Called once per Screener. The model validates incoming records (extra keys are kept)
    and its field annotations type rule expressions: ``float``, ``int``, ``str``, ``bool``,
    ``datetime``, ``Literal[...]`` of strings and ``list[...]`` of those, optionally
    ``| None``. An attribute another source declares with a different type is a load error.
    Each field's ``description`` (Chinese) and ``json_schema_extra={"unit": "m"}`` are
    published by ``riskscreen categories`` and the observation's JSON Schema.
    """


@hookspec
def riskscreen_derived() -> Mapping[str, str | DerivedField]:
    """The ``derived.*`` fields the plugin computes: name -> type name or :class:`~riskscreen.DerivedField`.

    Called once per Screener. A plain type name (``"bool"``, ``"float"`` ...) declares the
    type alone; a ``DerivedField(type="bool", inputs=["attrs.value_cny"])`` also names the
    observation fields the value is computed from, so that a rule or check lacking the
    value reports those fields as missing instead of the derived name. Names must be
    unique across plugins (the core owns ``local_hour``, ``is_night``, ``weekday``,
    ``month``, ``day_of_year``, ``local_date`` and ``hours_since_occurred``).
    """


@hookspec
def riskscreen_functions() -> Mapping[str, Callable[..., Any]]:
    """Functions rule expressions may call: name -> Python function.

    Called once per Screener. Argument and return annotations type the calls at load time
    (``def corridor_m(kv: float) -> float``); numbers are passed as ``float``/``int``.
    """


@hookspec
def riskscreen_config_model() -> type[BaseModel] | None:
    """The pydantic model of the plugin's configuration, whose defaults are the documented ones.

    Called once per Screener. The Screener validates ``Settings.plugins[<plugin name>]``
    with it (a bad value is a load error) and passes the result as ``config`` to the
    record hooks of this plugin.
    """


@hookspec
def riskscreen_checks() -> list[CheckInfo]:
    """Declare the Python checks the plugin runs: id, title, severity, references.

    Called once per Screener; lets ``riskscreen rules`` list them and regression cases
    name them.
    """


# -- record hooks: called once per observation --------------------------------------------


@hookspec
def riskscreen_enrich(
    observation: Observation, derived: Mapping[str, Any], config: Any
) -> Mapping[str, Any] | None:
    """Compute this plugin's ``derived.*`` fields for one observation.

    ``derived`` holds the fields computed so far (the core's first); return a mapping of
    the plugin's own fields (a field left out, or ``None``, is absent: rules reading it are
    insufficient). ``config`` is the plugin's validated configuration, or ``None``.
    """


@hookspec
def riskscreen_check(
    observation: Observation, record: Record, config: Any, findings: tuple[Finding, ...]
) -> list[CheckFinding | CheckUndecided] | None:
    """Run the plugin's Python checks on one observation and return what they found.

    ``record`` gives every value rules see, by dotted path (``record.lookup("derived.is_night")``);
    ``findings`` are the (immutable) findings of the YAML rules, for checks that build on
    them. Return :class:`~riskscreen.CheckFinding` objects (or nothing); each becomes a
    finding whose ``pack`` and ``source`` name the plugin. A check that cannot decide
    because a value it needs is absent returns a :class:`~riskscreen.CheckUndecided`
    naming the missing fields instead: it is listed as *insufficient evidence*, exactly
    like a YAML rule that lacks a value. An absent value never counts as "no".
    """
