"""Message templates: clear words for missing values, number formats, fields checked at load."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskscreen import RuleLoadError, Screener
from riskscreen.templates import render, template_problems

PACK = """\
pack: p
applies_to: [quarry]
categories:
  quarry:
    attrs:
      trucks: int
      area_mu: float
rules:
  - id: Q-1
    title: 渣土车
    when: attrs.area_mu > 1
    message: "{location.village}：{attrs.trucks}辆渣土车，占地{attrs.area_mu:.1f}亩（地址：{location.address}）"
"""  # noqa: E501


def screened(tmp_path: Path, location: dict[str, str], attrs: dict[str, Any]) -> str:
    (tmp_path / "p.yaml").write_text(PACK, encoding="utf-8")
    result = Screener([tmp_path], builtin=False).screen(
        {
            "id": "q-1",
            "category": "quarry",
            "reported_at": "2026-07-01T09:00:00+08:00",
            "location": location,
            "attrs": attrs,
        }
    )
    assert result.alert is not None
    return result.alert.findings[0].message


def test_an_unreported_count_reads_as_not_reported_without_its_unit(tmp_path: Path) -> None:
    message = screened(tmp_path, {"district": "北管区", "village": "东村"}, {"area_mu": 1.25})
    assert message == "东村：未报渣土车，占地1.2亩（地址：北管区东村）"
    assert "未知" not in message


def test_a_known_village_stands_in_for_an_unknown_address(tmp_path: Path) -> None:
    message = screened(tmp_path, {"village": "东村"}, {"area_mu": 2, "trucks": 3})
    assert message == "东村：3辆渣土车，占地2.0亩（地址：东村）"


def test_the_district_stands_in_for_an_unknown_village_and_nothing_known_says_so(tmp_path: Path) -> None:
    assert screened(tmp_path, {"district": "北管区"}, {"area_mu": 2}).startswith("北管区：")
    assert screened(tmp_path, {}, {"area_mu": 2}).startswith("地点未知：")


@pytest.mark.parametrize(
    ("message", "where", "text"),
    [
        (
            "{attrs.truks}辆",
            13,
            "no attribute 'truks' is declared for the rule's categories; did you mean 'trucks'?",
        ),
        ("{location.vilage}", 13, "location has no field 'vilage'; did you mean 'village'?"),
        ("{derived.is_nigth}", 13, "there is no derived field 'is_nigth'; did you mean 'is_night'?"),
        ("{reportd_at}", 13, "observations have no field 'reportd_at'; did you mean 'reported_at'?"),
    ],
)
def test_an_unknown_template_field_is_a_load_error_at_its_position(
    tmp_path: Path, message: str, where: int, text: str
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(PACK.replace(PACK.splitlines()[-1], f'    message: "{message}"'), encoding="utf-8")
    with pytest.raises(RuleLoadError) as raised:
        Screener([tmp_path], builtin=False)
    (problem,) = raised.value.problems
    # the column points at the field's name, just inside the brace
    assert (problem.code, problem.location.line, problem.location.column) == ("RS207", 12, where + 3)
    assert str(problem.location.path).endswith("p.yaml")
    assert problem.message.endswith(text)


def test_an_attribute_named_for_a_category_that_declares_none_is_a_load_error(tmp_path: Path) -> None:
    pack = (
        "pack: p\nversion: 1.0.0\napplies_to: [other]\nrules:\n  - id: P-1\n    title: t\n"
        '    when: kind == "patrol"\n    severity: low\n    message: "{attrs.bar}"\n'
    )
    (tmp_path / "p.yaml").write_text(pack, encoding="utf-8")
    with pytest.raises(RuleLoadError) as raised:
        Screener([tmp_path], builtin=False)
    (problem,) = raised.value.problems
    assert (problem.code, problem.location.line, problem.location.column) == ("RS207", 9, 16)
    assert "no attribute 'bar' is declared" in problem.message


def test_a_format_spec_that_is_not_a_number_format_is_a_load_error(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(PACK.replace(":.1f}", ":q}"), encoding="utf-8")
    with pytest.raises(RuleLoadError) as raised:
        Screener([tmp_path], builtin=False)
    (problem,) = raised.value.problems
    assert problem.code == "RS207" and "'q'" in problem.message


def test_every_shipped_message_names_known_fields() -> None:
    # loading checks them: a shipped pack with a misspelt placeholder would not load
    assert Screener().ruleset.rules


def test_template_problems_accept_integer_and_decimal_formats() -> None:
    assert template_problems("{attrs.n:03d} {attrs.n:.2f} {attrs.n:,}", ["n"], []) == []


_MEASURES = ["attrs.a", "attrs.b", "history.reports_7d"]
_PATHS = [*_MEASURES, "location.village", "location.address", "derived.x"]


@given(
    template=st.lists(
        st.one_of(
            st.tuples(st.sampled_from(_MEASURES), st.sampled_from(["辆", "米", "人", "次", ""])).map(
                lambda t: f"{{{t[0]}}}{t[1]}"
            ),
            st.sampled_from(["{location.village}：", "（地址：{location.address}）", "{derived.x}"]),
            st.sampled_from(["：", "，", "起火"]),
        ),
        max_size=8,
    ).map("".join),
    values=st.dictionaries(
        st.sampled_from(_PATHS), st.one_of(st.integers(0, 9), st.sampled_from(["东村", "北管区"])), max_size=6
    ),
)
def test_a_missing_value_never_reads_as_an_unknown_quantity(template: str, values: dict[str, Any]) -> None:
    text = render(template, values.get)
    for unit in ("辆", "米", "人", "次"):
        assert f"未知{unit}" not in text and f"未报{unit}" not in text
    assert "地址：未知" not in text
