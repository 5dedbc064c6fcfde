"""Messages people read are Chinese by default, English with ``--lang en`` or ``RISKSCREEN_LANG``.

Only prose changes: JSON field names and error ``field`` paths are the same in every language.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, Field, ValidationError

from riskscreen import Screener
from riskscreen.cli.main import main
from riskscreen.i18n import MESSAGES, language
from riskscreen.pydantic_text import pydantic_message

BAD = {
    "id": "x-1",
    "kind": "patrl",
    "category": "flood",
    "reported_at": "2026-07-01T09:00:00+08:00",
    "location": {"lat": 95},
}


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default: no RISKSCREEN_LANG at all."""
    monkeypatch.delenv("RISKSCREEN_LANG", raising=False)


@pytest.fixture
def screener(shipped: Screener) -> Screener:
    return shipped


def test_chinese_is_the_default(chinese: None, screener: Screener) -> None:
    assert language() == "zh"
    error = screener.screen(BAD).error
    assert error is not None
    assert error.field == "kind"
    assert "应为 'patrol'" in error.message and "location.lat：应小于或等于 90，实际为 95" in error.message


def test_english_on_request(monkeypatch: pytest.MonkeyPatch, screener: Screener) -> None:
    monkeypatch.setenv("RISKSCREEN_LANG", "en_US.UTF-8")
    error = screener.screen(BAD).error
    assert error is not None and error.field == "kind"
    assert "location.lat: should be at most 90, got 95" in error.message


class _Sample(BaseModel):
    level: float = Field(le=90)
    name: str = Field(max_length=3)
    flag: bool
    kind: Any = None


@given(st.one_of(st.floats(allow_nan=False), st.text(max_size=8), st.none(), st.lists(st.integers())))
def test_every_pydantic_error_type_is_worded_in_both_languages(value: Any) -> None:
    """Errors are mapped by type with their context, never left as pydantic's English in Chinese."""
    try:
        _Sample.model_validate({"level": value, "name": value, "flag": value})
    except ValidationError as exc:
        errors = exc.errors()
    else:
        return
    for error in errors:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("RISKSCREEN_LANG", "zh")
            zh = pydantic_message(error)
            patch.setenv("RISKSCREEN_LANG", "en")
            en = pydantic_message(error)
        assert zh != en and zh.strip() and en.strip()
        assert "Input should" not in zh


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    import string

    for key, (zh, en) in MESSAGES.items():
        names = {f for _, f, _, _ in string.Formatter().parse(zh) if f}
        assert names == {f for _, f, _, _ in string.Formatter().parse(en) if f}, key


def test_cli_lang_option_and_json_field_names(
    chinese: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps(BAD, ensure_ascii=False) + "\n", encoding="utf-8")
    outputs = {}
    for lang in ("zh", "en"):
        assert main(["screen", str(source), "--format", "json", "--lang", lang]) == 1
        outputs[lang] = json.loads(capsys.readouterr().out)
    zh, en = outputs["zh"], outputs["en"]
    assert zh.keys() == en.keys() and zh["errors"][0].keys() == en["errors"][0].keys()
    assert zh["errors"][0]["field"] == en["errors"][0]["field"] == "kind"
    assert zh["errors"][0]["message"] != en["errors"][0]["message"]


def test_errors_on_standard_error_are_summarised_after_20(
    chinese: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every error stays in JSON; standard error shows 20, numbered from 1, then a count."""
    source = tmp_path / "many.jsonl"
    rows = [dict(BAD, id=f"x-{i}") for i in range(45)]
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    assert main(["screen", str(source), "--format", "jsonl"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("第 1 条（x-0）：kind：应为 'patrol'")
    assert sum(1 for line in err if line.startswith("第 ")) == 20
    assert "另有 25 条错误和警告未显示（共 45 条" in err[20]
    assert main(["screen", str(source), "--format", "json"]) == 1
    assert len(json.loads(capsys.readouterr().out)["errors"]) == 45


def test_a_usage_error_in_chinese_and_in_english(chinese: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--no-builtin"]) == 2
    assert "需要用 --rules PATH" in capsys.readouterr().err
    assert main(["rules", "--no-builtin", "--lang", "en"]) == 2
    assert "needs --rules PATH" in capsys.readouterr().err


def test_explain_speaks_chinese_by_default(chinese: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "examples/observations.jsonl", "--id", "obs-000001"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("上报 obs-000001 · 类别 sand_digging")
    assert "触发，因为" in out and "Fired because" not in out
    assert main(["explain", "examples/observations.jsonl", "--id", "obs-000001", "--lang", "en"]) == 0
    assert "Fired because" in capsys.readouterr().out
