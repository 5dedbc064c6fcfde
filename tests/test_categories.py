"""The attribute reference: descriptions and units everywhere, the command, the schema, the page."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from riskscreen import RuleLoadError, Screener
from riskscreen.attributes import CategoryInfo, category_reference
from riskscreen.cli.main import main
from riskscreen.schemas import json_schema
from tests.helpers import shipped_screener

REPO = Path(__file__).parents[1]
PAGE = REPO / "docs" / "categories.md"
#: Name endings that say an attribute is a measure, which must then carry its unit.
_MEASURES = ("_m", "_kv", "_m2", "_m3", "_mu", "_cny", "_db", "_percent", "_days", "_m3_day")
_CJK = re.compile(r"[\u4e00-\u9fff]")


screener = shipped_screener


@cache
def reference() -> list[CategoryInfo]:
    return category_reference(screener().ruleset.registry)


def test_every_attribute_of_every_category_is_described_in_chinese() -> None:
    attributes = [(c.name, a) for c in reference() for a in c.attributes]
    assert len(attributes) > 100
    undescribed = [
        f"{c}.{a.name}" for c, a in attributes if not a.description or not _CJK.search(a.description)
    ]
    assert undescribed == []


def test_every_measure_carries_its_unit() -> None:
    unitless = [
        f"{c.name}.{a.name}"
        for c in reference()
        for a in c.attributes
        if a.name.endswith(_MEASURES) and not a.unit
    ]
    assert unitless == []


def test_units_come_from_packs_and_plugins() -> None:
    by_name = {c.name: {a.name: a for a in c.attributes} for c in reference()}
    assert by_name["machinery"]["power_line_distance_m"].unit == "m"
    assert by_name["gas_safety"]["lel_percent"].unit == "%LEL"
    assert by_name["well_drilling"]["purpose"].values[:2] == ("household", "livestock")
    assert re.search(r"rules/fire_safety\.yaml:\d+:\d+$", by_name["fire_safety"]["people_trapped"].source)
    assert by_name["machinery"]["power_line_kv"].source == "plugin machinery"


def test_the_reference_page_is_in_step_with_the_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["categories", "--format", "md"]) == 0
    assert PAGE.read_text(encoding="utf-8") == capsys.readouterr().out, (
        "run: riskscreen categories --format md > docs/categories.md"
    )


def _page_example(category: str) -> dict[str, Any]:
    text = PAGE.read_text(encoding="utf-8")
    section = text.split(f"## `{category}`", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```json\n(.*?)```", section, flags=re.S)
    assert block is not None
    example: dict[str, Any] = json.loads(block.group(1))
    return example


def _page_attributes(category: str) -> dict[str, Any]:
    """Attribute -> a value written as the page says: its first listed value, else one of its type."""
    text = PAGE.read_text(encoding="utf-8")
    section = text.split(f"## `{category}`", 1)[1].split("\n## ", 1)[0]
    found: dict[str, Any] = {}
    for row in re.findall(r"^\| `\w+` \|.*$", section, flags=re.M):
        cells = [c.strip() for c in row.strip("|").split("|")]
        name, kind = cells[0].strip("`"), cells[1]
        values = re.findall(r"`([^`]+)`", cells[4]) if len(cells) > 4 else []
        value = _value(kind) if not values else values[0]
        found[name] = [value] if values and kind.endswith("列表") else value
    return found


@pytest.mark.parametrize("category", ["gas_safety", "fire_safety", "machinery", "sand_digging"])
def test_a_report_written_from_the_page_alone_is_screened_cleanly(category: str) -> None:
    report = _page_example(category)
    result = screener().screen(report)
    assert result.status != "error", result.error
    # every attribute the page lists is one the category declares, typed as the page says
    declared = {c.name: c for c in reference()}[category]
    listed = _page_attributes(category)
    assert set(listed) == {a.name for a in declared.attributes}
    full = dict(report, attrs=listed)
    assert screener().screen(full).status != "error"


def _value(type_text: str) -> Any:
    return {"是否": True, "整数": 2, "数字": 2.5, "文字": "x", "文字列表": ["x"]}.get(
        type_text.strip(), "2026-07-01T08:00:00+08:00"
    )


def test_categories_command_table_json_and_unknown_name(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["categories", "gas_safety", "--format", "json"]) == 0
    (gas,) = json.loads(capsys.readouterr().out)
    lel = next(a for a in gas["attributes"] if a["name"] == "lel_percent")
    assert (gas["title"], lel["type"], lel["unit"]) == ("燃气安全", "float", "%LEL")
    assert main(["categories", "machinery"]) == 0
    table = capsys.readouterr().out
    assert "power_line_distance_m" in table and "距架空电力线路边线的水平距离" in table
    assert main(["categories", "gas_safty"]) == 2
    assert "did you mean 'gas_safety'?" in capsys.readouterr().err


def test_the_observation_schema_describes_each_categorys_attributes() -> None:
    schema = json_schema("observation", categories=reference())
    distance = schema["$defs"]["attrs_machinery"]["properties"]["power_line_distance_m"]["anyOf"][0]
    assert distance["x-unit"] == "m" and "距架空电力线路边线" in distance["description"]
    validator = jsonschema.Draft202012Validator(schema)
    good = _page_example("gas_safety")
    assert list(validator.iter_errors(good)) == []
    bad = dict(good, attrs={"lel_percent": "很高"})
    assert [list(e.absolute_path) for e in validator.iter_errors(bad)] == [["attrs", "lel_percent"]]


def test_a_pack_declares_attributes_with_a_description_and_unit_or_by_type_alone(tmp_path: Path) -> None:
    (tmp_path / "q.yaml").write_text(
        "pack: q\napplies_to: [quarry]\ncategories:\n  quarry:\n    description: 采石场\n    attrs:\n"
        "      depth_m: {type: float, description: 采坑深度, unit: m}\n"
        "      permit: bool\n"
        "rules:\n  - id: Q-1\n    title: 深坑\n    when: attrs.depth_m > 10 and not attrs.permit\n",
        encoding="utf-8",
    )
    loaded = Screener([tmp_path], builtin=False)
    (quarry,) = category_reference(loaded.ruleset.registry, ["quarry"])
    assert quarry.title == "采石场"
    assert [(a.name, a.type, a.description, a.unit) for a in quarry.attributes] == [
        ("depth_m", "float", "采坑深度", "m"),
        ("permit", "bool", None, None),
    ]
    result = loaded.screen(
        {
            "id": "q",
            "category": "quarry",
            "reported_at": "2026-07-01T09:00:00+08:00",
            "attrs": {"depth_m": 12, "permit": False},
        }
    )
    assert result.alert is not None


def test_a_misspelt_declaration_key_is_a_load_error_at_its_place(tmp_path: Path) -> None:
    (tmp_path / "q.yaml").write_text(
        "pack: q\ncategories:\n  quarry:\n    attrs:\n      depth_m: {type: float, units: m}\nrules: []\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleLoadError) as raised:
        Screener([tmp_path], builtin=False)
    (problem,) = raised.value.problems
    assert problem.location.line == 5 and "units" in problem.message
