"""References: the plain text and the mapping mean the same citation, with one display form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from riskscreen.laws import Reference, reference_text
from riskscreen.laws.numerals import from_chinese, to_chinese


@pytest.mark.parametrize(
    ("text", "fields", "shown"),
    [
        ("地下水管理条例 第三十五条", {"law": "地下水管理条例", "article": 35}, None),
        ("土地管理法第六十二条", {"law": "土地管理法", "article": 62}, "土地管理法 第六十二条"),
        (
            "取水许可和水资源费征收管理条例 第二十条第（五）项",
            {"law": "取水许可和水资源费征收管理条例", "article": 20, "item": 5},
            None,
        ),
        (
            "法释〔2016〕25号 第三条第一款第三项",
            {"law": "法释〔2016〕25号", "article": 3, "clause": 1, "item": 3},
            "法释〔2016〕25号 第三条第一款第（三）项",
        ),
        (
            "突发事件应对法（2024年修订） 第六十条",
            {"law": "突发事件应对法", "version": "2024", "article": 60},
            "突发事件应对法（2024） 第六十条",
        ),
        ("长江保护法 第九十一条（长江流域）", {"law": "长江保护法", "article": 91, "note": "长江流域"}, None),
        (
            "GB 12523-2025 建筑施工场界环境噪声排放标准（限值以配置为准）",
            {"law": "GB 12523-2025 建筑施工场界环境噪声排放标准", "note": "限值以配置为准"},
            None,
        ),
        ("建办质〔2018〕31号 附件一", {"law": "建办质〔2018〕31号", "part": "附件一"}, None),
        ("地方规定（群体性矛盾纠纷：涉及5人以上）", {"law": "地方规定（群体性矛盾纠纷：涉及5人以上）"}, None),
        ("刑法 第三百四十二条", {"law": "刑法", "article": 342}, None),
        ("消防法 （2021年修正文本）", {"law": "消防法", "note": "2021年修正文本"}, None),
    ],
)
def test_plain_text_and_mapping_are_one_reference(
    text: str, fields: dict[str, object], shown: str | None
) -> None:
    from_text = Reference.parse(text)
    assert from_text == Reference.model_validate(fields)
    assert from_text.text == (shown or text)
    assert reference_text(text) == from_text.text


def test_a_year_written_as_a_yaml_number_is_the_version() -> None:
    reference = Reference.model_validate({"law": "突发事件应对法", "version": 2024, "article": 60})
    assert reference.text == "突发事件应对法（2024） 第六十条"


@pytest.mark.parametrize(
    ("fields", "complaint"),
    [
        ({"law": ""}, "at least 1 character"),
        ({"law": "消防法", "article": 0}, "greater than or equal to 1"),
        ({"law": "消防法", "clause": 2}, "needs an article"),
        ({"law": "消防法", "item": 2}, "needs an article"),
        ({"law": "消防法", "artcle": 28}, "Extra inputs are not permitted"),
        ({"law": "消防法", "version": "24"}, "should match pattern"),
        ({"law": "GB 12523", "version": "2025"}, "year in its code"),
        ({"law": "GB 12523-2025", "article": 4}, "goes in part"),
    ],
)
def test_malformed_references_are_refused_with_the_reason(fields: dict[str, object], complaint: str) -> None:
    with pytest.raises(ValidationError, match=complaint):
        Reference.model_validate(fields)


def test_text_that_is_not_a_reference_is_shown_as_written() -> None:
    assert reference_text("   ") == "   "


def test_standards_keep_their_code_and_edition() -> None:
    reference = Reference.parse("GB/T 50493-2019 可燃气体和有毒气体检测报警设计标准")
    assert reference.standard == ("GB/T 50493", "2019")
    assert Reference.parse("GB 35181 重大火灾隐患判定方法").standard == ("GB 35181", None)
    assert Reference.parse("消防法 第二十八条").standard is None


_LAWS = st.sampled_from(
    [
        "消防法",
        "法释〔2016〕25号",
        "危险性较大的分部分项工程安全管理规定（住建部令第37号）",
        "GB 12523-2025 建筑施工场界环境噪声排放标准",
        "GB/T 50493",
    ]
)
_WORDS = st.text(alphabet="长江流域限值以配置为准附件一二表", min_size=1, max_size=8)
_STANDARD_PARTS = st.sampled_from(["4.1", "4.1.2", "第4.2条", "表1", "附录A"])


@st.composite
def references(draw: st.DrawFn) -> Reference:
    law = draw(_LAWS)
    standard = law.startswith("GB")
    article = None if standard else draw(st.none() | st.integers(1, 9999))
    return Reference(
        law=law,
        article=article,
        clause=draw(st.none() | st.integers(1, 99)) if article else None,
        item=draw(st.none() | st.integers(1, 99)) if article else None,
        version=None if standard else draw(st.none() | st.integers(1950, 2100).map(str)),
        # a standard's part starts as its clauses do (4.1, 表1, 附录A); anything else reads as its title
        part=draw(st.none() | (_STANDARD_PARTS if standard else _WORDS)) if article or standard else None,
        note=draw(st.none() | _WORDS),
    )


@given(references())
def test_the_display_form_reads_back_as_the_same_reference(reference: Reference) -> None:
    assert Reference.parse(reference.text) == reference


@given(st.integers(1, 9999))
def test_chinese_numerals_read_back(number: int) -> None:
    assert from_chinese(to_chinese(number)) == number


@pytest.mark.parametrize(
    ("number", "written"),
    [(10, "十"), (15, "十五"), (101, "一百零一"), (110, "一百一十"), (342, "三百四十二")],
)
def test_chinese_numerals_are_written_as_laws_write_them(number: int, written: str) -> None:
    assert to_chinese(number) == written
    assert from_chinese(written) == number


def test_arabic_and_two_forms_of_ten_are_read() -> None:
    assert from_chinese("342") == 342
    assert from_chinese("一十五") == 15
    with pytest.raises(ValueError):
        from_chinese("十十")
