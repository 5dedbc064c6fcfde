"""The fixed tables of the code generator: operators, builtin attributes, class names, type families.

Kept apart from :mod:`riskscreen.engine.codegen` so that module holds only the translation.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from rule_engine.types import DataType

__all__ = [
    "ARITHMETIC",
    "BUILTIN_ATTRIBUTES",
    "CLASS_NAMES",
    "FAMILY_CLASSES",
    "ORDERED",
    "REGEX",
    "UntranslatableError",
    "family",
]

ORDERED = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}
ARITHMETIC = {"mul": "multiply", "tdiv": "divide", "fdiv": "divide_int", "mod": "remainder", "pow": "power"}
REGEX = {"eq_fzm": ("match", True), "eq_fzs": ("search", True), "ne_fzm": ("match", False)}
REGEX["ne_fzs"] = ("search", False)

# attributes rule-engine gives values of a type: (type, name) -> template over {v}
BUILTIN_ATTRIBUTES: dict[tuple[str, str], str] = {
    ("STRING", "length"): "_DEC(len({v}))",
    ("STRING", "is_empty"): "(len({v}) == 0)",
    ("STRING", "as_lower"): "{v}.lower()",
    ("STRING", "as_upper"): "{v}.upper()",
    ("STRING", "to_str"): "{v}",
    ("ARRAY", "length"): "_DEC(len({v}))",
    ("ARRAY", "is_empty"): "(len({v}) == 0)",
    ("DATETIME", "date"): "{v}.replace(hour=0, minute=0, second=0, microsecond=0)",
    ("DATETIME", "weekday"): "{v}.strftime('%A')",
    ("DATETIME", "to_epoch"): "_f2d({v}.timestamp())",
    ("TIMEDELTA", "total_seconds"): "_f2d({v}.total_seconds())",
}
for _name in ("year", "month", "day", "hour", "minute", "second", "microsecond"):
    BUILTIN_ATTRIBUTES[("DATETIME", _name)] = "_DEC({v}." + _name + ")"
for _name in ("days", "seconds", "microseconds"):
    BUILTIN_ATTRIBUTES[("TIMEDELTA", _name)] = "_DEC({v}." + _name + ")"

FAMILY_CLASSES: dict[str, type] = {
    "STRING": str,
    "ARRAY": tuple,
    "DATETIME": datetime,
    "TIMEDELTA": timedelta,
}


CLASS_NAMES: dict[type, str] = {
    str: "str",
    bool: "bool",
    tuple: "tuple",
    Decimal: "_DEC",
    datetime: "_datetime",
    timedelta: "_timedelta",
}


class UntranslatableError(Exception):
    """A node the code generator has no translation for; rule-engine evaluates it instead."""


def family(data_type: Any) -> str:
    """The type's family name (``ARRAY`` for any array), or ``""`` when unknown or nullable."""
    if data_type == DataType.UNDEFINED or DataType.is_type(data_type, DataType.NULLABLE):
        return ""
    if DataType.is_type(data_type, DataType.ARRAY):
        return "ARRAY"
    return str(data_type.name) if data_type.is_scalar else ""
