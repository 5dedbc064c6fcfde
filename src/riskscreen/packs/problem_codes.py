"""The codes of the problems a rule set's load reports, by name.

The catalogue with severities and descriptions is :mod:`riskscreen.lint.codes` (a test
checks that every name here is in it); these constants are what the loader emits, so
that the code next to each ``Problem(...)`` says what it means.
"""

from __future__ import annotations

__all__ = [
    "ATTRIBUTE_TYPE_CONFLICT",
    "DUPLICATE_KEY",
    "DUPLICATE_PACK_ID",
    "DUPLICATE_RULE_ID",
    "EMPTY_APPLIES_TO",
    "EXPRESSION_ERROR",
    "FILE_TOO_LARGE",
    "FILE_UNREADABLE",
    "MACRO_CYCLE",
    "MESSAGE_TEMPLATE",
    "NAME_CLASH",
    "NOT_A_PACK",
    "NOT_TRUE_OR_FALSE",
    "PLUGIN_PROBLEM",
    "SLOW_REGEX",
    "SYNTAX_ERROR",
    "TOO_MANY_NODES",
    "UNKNOWN_ATTRIBUTE",
    "UNKNOWN_CATEGORY",
    "UNKNOWN_OVERRIDE",
    "UNKNOWN_SYMBOL",
    "YAML_SYNTAX",
]

# -- RS1xx: files and format -------------------------------------------------------------
YAML_SYNTAX = "RS101"
TOO_MANY_NODES = "RS102"
DUPLICATE_KEY = "RS103"
FILE_UNREADABLE = "RS104"
FILE_TOO_LARGE = "RS105"
NOT_A_PACK = "RS106"

# -- RS2xx: expressions -------------------------------------------------------------------
SYNTAX_ERROR = "RS201"
UNKNOWN_SYMBOL = "RS202"
UNKNOWN_ATTRIBUTE = "RS203"
NOT_TRUE_OR_FALSE = "RS204"
EXPRESSION_ERROR = "RS205"
SLOW_REGEX = "RS206"
MESSAGE_TEMPLATE = "RS207"

# -- RS3xx: the rule set as a whole -------------------------------------------------------
ATTRIBUTE_TYPE_CONFLICT = "RS301"
DUPLICATE_PACK_ID = "RS302"
DUPLICATE_RULE_ID = "RS303"
EMPTY_APPLIES_TO = "RS304"
UNKNOWN_CATEGORY = "RS305"
NAME_CLASH = "RS306"
MACRO_CYCLE = "RS307"
UNKNOWN_OVERRIDE = "RS308"

# -- RS4xx: plugins -----------------------------------------------------------------------
PLUGIN_PROBLEM = "RS401"
