"""Checking what plugins contribute: categories, derived fields, functions, checks, findings.

Each function takes the answers of one set-up hook as (plugin, answer) pairs, keeps what
is well-formed and reports the rest through ``report(plugin, message)``, which the host
turns into load problems. Nothing here calls a hook.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from ..packs.attrtypes import AttrType, attr_type_from_annotation, parse_attr_type
from ..packs.categories import Declaration, model_declarations
from ..plugin_api import CheckFinding, CheckInfo, CheckUndecided, DerivedField

__all__ = [
    "Report",
    "attribute_types",
    "categories",
    "check_result",
    "checks",
    "derived",
    "functions",
]

#: Called with (plugin, message) for every contribution that is not well-formed.
Report = Callable[[str, str], None]


def categories(answers: Iterable[tuple[str, Any]], report: Report) -> list[tuple[str, str, type[BaseModel]]]:
    """(plugin, category, attrs model) for every category a plugin registers."""
    found = []
    for plugin, mapping in answers:
        for category, model in dict(mapping).items():
            if not (isinstance(model, type) and issubclass(model, BaseModel)):
                report(plugin, f"category {category!r}: expected a pydantic model, got {model!r}")
                continue
            found.append((plugin, category, model))
    return found


def attribute_types(
    model: type[BaseModel], plugin: str, category: str, report: Report
) -> dict[str, Declaration]:
    """The attributes a category model declares: type, description and unit."""
    types: dict[str, Declaration] = {}
    for name in model.model_fields:
        try:
            types.update(model_declarations(model, f"plugin {plugin}", only=name))
        except ValueError as exc:
            report(plugin, f"category {category!r} {exc}")
    return types


def derived(
    answers: Iterable[tuple[str, Any]], reserved: Mapping[str, str], report: Report
) -> tuple[dict[str, tuple[AttrType, str]], dict[str, tuple[str, ...]]]:
    """``derived.*`` name -> (type, plugin), and name -> the observation fields it is computed from.

    A name two plugins declare is reported naming both.
    """
    found: dict[str, tuple[AttrType, str]] = {}
    inputs: dict[str, tuple[str, ...]] = {}
    for plugin, mapping in answers:
        for name, declared in dict(mapping).items():
            owner = found.get(name, (None, reserved.get(name)))[1]
            if owner is not None:
                report(plugin, f"derived field {name!r} is already provided by plugin {owner}")
                continue
            try:
                spec = declared if isinstance(declared, str) else DerivedField.model_validate(declared)
                found[name] = (parse_attr_type(spec if isinstance(spec, str) else spec.type), plugin)
            except (ValueError, ValidationError) as exc:
                report(plugin, f"derived field {name!r}: {exc}")
                continue
            if isinstance(spec, DerivedField):
                inputs[name] = tuple(spec.inputs)
    return found, inputs


def functions(
    answers: Iterable[tuple[str, Any]], configs: Mapping[str, Any], report: Report
) -> dict[str, tuple[Callable[..., Any], Any, str]]:
    """Function name -> (wrapped callable, rule-engine type, plugin)."""
    from rule_engine import DataType

    found: dict[str, tuple[Callable[..., Any], Any, str]] = {}
    for plugin, mapping in answers:
        for name, function in dict(mapping).items():
            if name in found:
                report(plugin, f"function {name!r} is already provided by plugin {found[name][2]}")
                continue
            try:
                signature = inspect.signature(function)
                hints = typing.get_type_hints(function)
                names = [p for p in signature.parameters if p != "config"]
                arguments = [attr_type_from_annotation(hints[p]) for p in names]
                result = attr_type_from_annotation(hints["return"])
            except (KeyError, ValueError, TypeError) as exc:
                report(plugin, f"function {name!r} needs annotated arguments and result: {exc}")
                continue
            data_type = DataType.FUNCTION(
                name, return_type=result.rule_type, argument_types=tuple(a.rule_type for a in arguments)
            )
            if "config" in signature.parameters:
                # a keyword-only ``config`` receives the plugin's validated configuration
                function = functools.partial(function, config=configs.get(plugin))
            found[name] = (_plain_numbers(function, arguments), data_type, plugin)
    return found


def checks(answers: Iterable[tuple[str, Any]], report: Report) -> list[tuple[str, CheckInfo]]:
    """(plugin, declaration) for every check the plugins declare."""
    found = []
    for plugin, infos in answers:
        for info in infos:
            try:
                found.append((plugin, CheckInfo.model_validate(info)))
            except ValidationError as exc:
                report(plugin, f"check declaration {info!r}: {exc.errors()[0]['msg']}")
    return found


def check_result(result: Any) -> CheckFinding | CheckUndecided:
    """A check's result as a finding or an undecided check (dicts are read by their keys)."""
    if isinstance(result, (CheckFinding, CheckUndecided)):
        return result
    if isinstance(result, Mapping) and "check_id" in result:
        return CheckUndecided.model_validate(result)
    return CheckFinding.model_validate(result)


def _plain_numbers(function: Callable[..., Any], arguments: list[AttrType]) -> Callable[..., Any]:
    """Call ``function`` with ``float``/``int`` where rule-engine passes ``Decimal``."""
    kinds = [a.name for a in arguments]

    def call(*args: Any) -> Any:
        converted = [
            (int(v) if kind == "int" else float(v)) if isinstance(v, Decimal) else v
            for v, kind in zip(args, kinds, strict=False)
        ]
        return function(*converted)

    call.__name__ = getattr(function, "__name__", "function")
    return call
