"""JSON Schemas for editors and other services, derived from the pydantic models.

``riskscreen schema rules|tests|observation`` prints them. The models stay the single
definition of each format; this module only adjusts what a JSON Schema cannot learn
from a model (fields read leniently before validation, such as ``valid_from: 06-01`` or
``version: 1.0``), closes the case observation to catch misspelt keys, and adds
bilingual descriptions so an editor's hover explains each key to a rule author.
"""

from __future__ import annotations

import copy
from typing import Any, Literal

from .attributes import CategoryInfo, attrs_schema, category_reference
from .laws.models import CatalogueSpec
from .models import Observation
from .packs.attrtypes import SCALAR_TYPES
from .packs.schema import PackSpec
from .testing.cases import CaseFileSpec

__all__ = ["SCHEMA_KINDS", "json_schema"]

SchemaKind = Literal["rules", "tests", "observation", "laws"]
#: What ``riskscreen schema`` can print.
SCHEMA_KINDS: tuple[SchemaKind, ...] = ("rules", "tests", "observation", "laws")

_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_DURATION = r"^\s*(\d+(\.\d+)?\s*[smhdwSMHDW]\s*)+$"
# a real calendar day, as the loader reads it: YYYY-MM-DD (29 February only in leap years)
# or a yearly MM-DD (where 02-29 is allowed)
_MONTH_DAY = r"((0[13578]|1[02])-(0[1-9]|[12]\d|3[01])|(0[469]|11)-(0[1-9]|[12]\d|30)|02-(0[1-9]|1\d|2[0-8]))"
_LEAP_YEAR = r"(\d{2}(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00)"
_DATE = rf"^(\d{{4}}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29|{_MONTH_DAY}|02-29)$"

#: Hover text for keys, in Chinese and English, where the models give none.
_DESCRIPTIONS: dict[str, str] = {
    "pack": "规则包编号，全局唯一 / unique pack id (letters, digits, _)",
    "version": "规则包版本 / pack version, e.g. 1.0.0",
    "title": "标题 / title",
    "applies_to": "适用的事件类别，省略则适用于所有类别 / categories the rules see; omit for all",
    "categories": "声明类别及其属性类型 / declare categories and the types of their attrs",
    "lists": "命名列表，可在表达式中用 in 引用 / named lists, usable with `in` in expressions",
    "macros": "命名的布尔表达式，可作为符号使用 / named true-or-false expressions, usable as symbols",
    "rules": "规则 / the rules",
    "overrides": "按编号调整其他规则包中的规则 / local tuning of rules from other packs, by id",
    "id": "规则编号，所有规则包中唯一 / rule id, unique across all loaded packs",
    "when": "触发条件（rule-engine 表达式）/ when the rule fires (a rule-engine expression)",
    "unless": "例外条件：成立时不触发 / exception: the rule does not fire when this holds",
    "severity": "严重程度 / severity: info, low, medium, high, critical",
    "score": "风险分 0-100；省略则按严重程度取默认值 / score 0-100; default by severity",
    "message": "预警消息，可用 {location.village} 等占位符 / alert message; placeholders like {attrs.x}",
    "action": "处置措施 / what to do",
    "escalate_to": "上报层级 / escalation tier: village, district, department, subdistrict",
    "respond_within": "响应时限，如 30m、2h、15d / response deadline, e.g. 30m, 2h, 1h30m, 15d",
    "tags": "标签 / tags",
    "references": "法规依据 / the regulations the rule cites",
    "enabled": "是否启用 / whether the rule is evaluated",
    "valid_from": "生效日期 YYYY-MM-DD 或每年 MM-DD（含）/ first day, YYYY-MM-DD or yearly MM-DD, inclusive",
    "valid_until": "失效日期 YYYY-MM-DD 或每年 MM-DD（含）/ last day, YYYY-MM-DD or yearly MM-DD, inclusive",
    "jurisdiction": "适用辖区：层级 -> 名称列表 / where the rule applies: level -> names",
    "description": "说明 / description",
    "builtin": "是否加载内置规则包和插件（默认是）/ screen with the shipped packs and plugins (default true)",
    "tests": "回归用例 / the regression cases",
    "name": "用例名称 / case name",
    "observation": "上报记录；省略的字段取默认值 / the observation; omitted fields get defaults",
    "expect": "期望结果 / what must happen",
}


def _walk(node: Any, visit: Any) -> None:
    if isinstance(node, dict):
        visit(node)
        for value in node.values():
            _walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk(value, visit)


_OBSERVATION_PARTS = frozenset({"Observation", "Location", "Reporter", "History"})


def _describe(schema: dict[str, Any]) -> None:
    """Add hover text to the keys of packs and case files (observations keep their own)."""

    def visit(node: dict[str, Any]) -> None:
        title = node.get("title")
        if isinstance(title, str) and title in _OBSERVATION_PARTS:
            return
        for key, prop in (node.get("properties") or {}).items():
            if isinstance(prop, dict) and "description" not in prop and key in _DESCRIPTIONS:
                prop["description"] = _DESCRIPTIONS[key]

    _walk(schema, visit)


def _rules_schema() -> dict[str, Any]:
    schema = PackSpec.model_json_schema()
    defs = schema["$defs"]
    defs["ValidityDate"] = {
        "type": "string",
        "pattern": _DATE,
        "description": "YYYY-MM-DD, or MM-DD for a window that recurs every year",
    }
    type_names = [*SCALAR_TYPES, *(f"list[{t}]" for t in SCALAR_TYPES)]
    attrs = defs["CategorySpec"]["properties"]["attrs"]
    for value in attrs.get("patternProperties", {}).values():
        value.clear()
        # `name: float`, or `name: {type: float, description: 与线路边线距离, unit: m}`
        value.update({"anyOf": [{"enum": type_names}, {"$ref": "#/$defs/AttrSpec"}]})
    defs["AttrSpec"]["properties"]["type"] = {
        "enum": type_names,
        "description": "属性类型 / type: string, int, float, bool, datetime or list[...] of those",
    }
    schema["properties"]["version"] = {
        "anyOf": [{"type": "string"}, {"type": "number"}],
        "default": "0.0.0",
        "title": "Version",
    }

    def durations(node: dict[str, Any]) -> None:
        prop = (node.get("properties") or {}).get("respond_within")
        if isinstance(prop, dict):
            prop["anyOf"] = [
                {"type": "string", "pattern": _DURATION},
                {"type": "number", "exclusiveMinimum": 0},
                {"type": "null"},
            ]

    _walk(schema, durations)

    def references(node: dict[str, Any]) -> None:
        prop = (node.get("properties") or {}).get("references")
        if isinstance(prop, dict):  # the plain text form is read by Reference too
            for branch in prop.get("anyOf", []):
                if branch.get("type") == "array":
                    branch["items"] = {"anyOf": [{"type": "string", "minLength": 1}, branch["items"]]}

    _walk(schema, references)
    version = defs["Reference"]["properties"]["version"]
    version["anyOf"] = [
        {"type": "string", "pattern": r"^\d{4}(-\d{2}-\d{2})?$"},
        {"type": "integer"},
        {"type": "null"},
    ]
    return schema


def _tests_schema() -> dict[str, Any]:
    schema = CaseFileSpec.model_json_schema()
    observation = Observation.model_json_schema()
    schema["$defs"].update(observation.pop("$defs", {}))
    observation.pop("required", None)  # a case gives only what it needs; the rest get defaults
    observation["additionalProperties"] = False  # a misspelt key would be ignored silently
    observation["description"] = _DESCRIPTIONS["observation"]
    schema["$defs"]["CaseObservation"] = observation
    case = schema["$defs"]["TestCase"]["properties"]
    case["observation"] = {"$ref": "#/$defs/CaseObservation"}
    expectation = schema["$defs"]["Expectation"]["properties"]["respond_within"]
    expectation["anyOf"] = [{"type": "string", "pattern": _DURATION}, {"type": "null"}]
    return schema


def _observation_schema(categories: list[CategoryInfo] | None) -> dict[str, Any]:
    """The observation, with each category's ``attrs`` typed and described (units included)."""
    if categories is None:
        from .screener import Screener  # the shipped packs and installed plugins

        categories = category_reference(Screener().ruleset.registry)
    schema = copy.deepcopy(Observation.model_json_schema())
    defs = schema.setdefault("$defs", {})
    branches = []
    for category in categories:
        if not category.attributes:
            continue
        key = f"attrs_{category.name}"
        defs[key] = attrs_schema(category)
        branches.append(
            {
                "if": {"properties": {"category": {"const": category.name}}, "required": ["category"]},
                "then": {"properties": {"attrs": {"$ref": f"#/$defs/{key}"}}},
            }
        )
    if branches:
        schema["allOf"] = branches
    known = "; ".join(f"{c.name} {c.title}" if c.title else c.name for c in categories)
    schema["properties"]["category"]["description"] = f"事件类别 / category: {known}"
    schema["properties"]["category"]["examples"] = [c.name for c in categories]
    return schema


def json_schema(kind: SchemaKind, *, categories: list[CategoryInfo] | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a pack, a ``*.test.yaml`` file, an observation or laws.yaml.

    The observation's ``attrs`` are described per category: those of ``categories``, by
    default every category the shipped packs and the installed plugins declare.
    """
    if kind == "rules":
        schema, title = _rules_schema(), "riskscreen rule pack"
    elif kind == "tests":
        schema, title = _tests_schema(), "riskscreen rule regression cases (*.test.yaml)"
    elif kind == "observation":
        schema, title = _observation_schema(categories), "riskscreen observation"
    elif kind == "laws":
        schema, title = CatalogueSpec.model_json_schema(), "riskscreen law catalogue (laws.yaml)"
    else:
        raise ValueError(f"unknown schema {kind!r}; choose one of {', '.join(SCHEMA_KINDS)}")
    if kind in ("rules", "tests"):
        _describe(schema)
    return {"$schema": _DIALECT, "title": title, **{k: v for k, v in schema.items() if k != "title"}}
