"""The editors' JSON Schema and the loader agree on every rule-pack value, both ways.

The pydantic models are the one definition of the format; the JSON Schema is derived from
them. Here each field of a rule (and of a pack) is given values of every JSON type,
including the near misses people write (``score: "80"``, ``enabled: "yes"``,
``severity: High``), and each pack must be accepted by both or rejected by both.
"""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from riskscreen.packs.schema import PackSpec
from riskscreen.schemas import json_schema

SCHEMA = jsonschema.Draft202012Validator(json_schema("rules"))  # type: ignore[arg-type]

BASE: dict[str, Any] = {
    "pack": "p",
    "version": "1.0.0",
    "applies_to": ["quarry"],
    "categories": {"quarry": {"attrs": {"depth": "float"}}},
    "rules": [{"id": "Q-1", "title": "采石", "when": "attrs.depth > 3"}],
}

#: Values of every JSON type, and the near misses people write in YAML.
VALUES = [
    None, True, False, 0, 1, 80, -1, 101, 1.5, 80.0, "80", "", "x", "High", "high", "critical",
    "2h", "2 hours", "30", "06-01", "13-45", "2026-09-30", "2026-02-30", "June 1", "district",
    "yes", [], ["x"], [1], ["a", 2], {}, {"village": ["东村"]}, {"town": ["x"]}, {"village": "东村"},
]  # fmt: skip

RULE_FIELDS = [
    "id", "title", "when", "unless", "severity", "score", "message", "action", "escalate_to",
    "respond_within", "tags", "references", "enabled", "valid_from", "valid_until",
    "jurisdiction", "description",
]  # fmt: skip
PACK_FIELDS = ["pack", "version", "title", "description", "applies_to", "lists", "macros", "overrides"]


def loader_accepts(pack: dict[str, Any]) -> bool:
    try:
        PackSpec.model_validate(pack)
    except (ValidationError, ValueError):
        return False
    return True


def schema_accepts(pack: dict[str, Any]) -> bool:
    return SCHEMA.is_valid(pack)


def agree(pack: dict[str, Any]) -> None:
    loader, schema = loader_accepts(pack), schema_accepts(pack)
    assert loader == schema, f"loader {'accepts' if loader else 'rejects'}, schema differs: {pack}"


def test_the_base_pack_is_valid_both_ways() -> None:
    assert loader_accepts(BASE) and schema_accepts(BASE)


@pytest.mark.parametrize(
    ("field", "value", "valid"),
    [
        ("score", "80", False),
        ("score", 80, True),
        ("score", 80.5, True),
        ("score", 101, False),
        ("severity", "High", False),
        ("enabled", "yes", False),
        ("enabled", 1, False),
        ("tags", ["a", 2], False),
        ("title", 5, False),
        ("respond_within", "2h", True),
        ("respond_within", 2, True),
        ("valid_from", "06-01", True),
        ("valid_from", "June 1", False),
    ],
)
def test_known_values(field: str, value: Any, valid: bool) -> None:
    pack = copy.deepcopy(BASE)
    pack["rules"][0][field] = value
    assert loader_accepts(pack) is valid
    assert schema_accepts(pack) is valid


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(RULE_FIELDS), st.sampled_from(VALUES))
def test_every_rule_field_value_is_judged_alike(field: str, value: Any) -> None:
    pack = copy.deepcopy(BASE)
    pack["rules"][0][field] = copy.deepcopy(value)
    agree(pack)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PACK_FIELDS), st.sampled_from(VALUES))
def test_every_pack_field_value_is_judged_alike(field: str, value: Any) -> None:
    pack = copy.deepcopy(BASE)
    pack[field] = copy.deepcopy(value)
    agree(pack)


@pytest.mark.parametrize("written", ["yes", "no", "on", "off", "Yes"])
def test_yaml_words_editors_read_as_text_are_text_to_the_loader(written: str) -> None:
    """``enabled: yes`` is text in YAML 1.2 (what editors read): both refuse it as a bool."""
    from riskscreen.packs.yamlsrc import load_yaml

    text = f"pack: p\nrules:\n  - id: Q-1\n    title: t\n    when: category == 'x'\n    enabled: {written}\n"
    document, problems = load_yaml(text, "p.yaml")
    assert document is not None and not problems
    assert document.data["rules"][0]["enabled"] == written
    agree(document.data)
    assert not loader_accepts(document.data)
