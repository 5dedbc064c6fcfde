"""Hostile records and packs from tests/hostile/: each gets its documented behaviour.

Records come from citizens and field devices; packs from many offices. Whatever they
hold, screening returns an alert, a no-alert or an error record for every record, and a
bad pack fails to load with a clear problem, never a crash or a half-loaded rule set.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskscreen import RuleLoadError, Screener
from riskscreen.readers import read_records
from tests.helpers import shipped_screener

HOSTILE = Path(__file__).resolve().parent / "hostile"
RECORD_CASES: list[dict[str, Any]] = yaml.safe_load((HOSTILE / "records.yaml").read_text(encoding="utf-8"))
PACKS = sorted((HOSTILE / "packs").glob("*.yaml"))

screener = shipped_screener


def expand(case: dict[str, Any]) -> str:
    line: str = case["line"]
    for marker, size in case.get("expand", {}).items():
        if marker == "NEST":
            line = line.replace(marker, "[" * size + "]" * size)
        elif marker == "HUGE":
            line = line.replace(marker, "火" * size)
        else:
            line = line.replace(marker, "9" * size)
    return line


@pytest.mark.parametrize("case", RECORD_CASES, ids=[c["name"] for c in RECORD_CASES])
def test_hostile_record(case: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "hostile.jsonl"
    path.write_text(expand(case) + "\n", encoding="utf-8")
    batch = screener().screen_many(read_records(str(path)))
    assert batch.summary.records == 1
    expect = case["expect"]
    status = "alert" if batch.alerts else "error" if batch.errors else "no_alert"
    assert status == expect["status"], batch.errors
    if status == "error":
        error = batch.errors[0]
        assert error.field.startswith(expect.get("field", "")), error
        assert expect.get("message", "") in error.message, error
    if "message_contains" in expect:
        messages = [f.message for f in batch.alerts[0].findings]
        assert any(expect["message_contains"] in m for m in messages), messages


def test_the_whole_corpus_as_one_batch_adds_up(tmp_path: Path) -> None:
    path = tmp_path / "all.jsonl"
    path.write_text("\n".join(expand(c) for c in RECORD_CASES) + "\n", encoding="utf-8")
    batch = screener().screen_many(read_records(str(path)))
    summary = batch.summary
    assert summary.records == len(RECORD_CASES)
    assert summary.alerts + summary.no_alert + summary.errors == summary.records


@pytest.mark.parametrize("pack", PACKS, ids=[p.stem for p in PACKS])
def test_hostile_pack_fails_to_load_with_a_clear_problem(pack: Path) -> None:
    expected = pack.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    code, _, words = expected.partition(" ")
    with pytest.raises(RuleLoadError) as caught:
        Screener([pack], builtin=False)
    problems = caught.value.problems
    assert any(p.code == code and words in p.message for p in problems), [str(p) for p in problems]
    assert all(str(p).startswith(pack.as_posix()) for p in problems)


def test_a_good_pack_beside_a_hostile_one_is_not_loaded_either(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(
        "pack: good\nrules:\n  - {id: G-1, title: t, when: 'kind == \"patrol\"'}\n", encoding="utf-8"
    )
    with pytest.raises(RuleLoadError):
        Screener([good, HOSTILE / "packs" / "python_tag.yaml"], builtin=False)


def test_oversized_pack_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("pack: big\n# " + "x" * (6 * 1024 * 1024) + "\n", encoding="utf-8")
    with pytest.raises(RuleLoadError) as caught:
        Screener([big], builtin=False)
    assert [p.code for p in caught.value.problems] == ["RS105"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "id",
                "kind",
                "category",
                "reported_at",
                "occurred_at",
                "location",
                "reporter",
                "description",
                "status",
                "attrs",
                "history",
                "x",
            ]
        ),
        json_values,
        max_size=11,
    )
)
def test_fuzzed_records_never_raise(record: dict[str, Any]) -> None:
    result = screener().screen(record)
    assert result.status in ("alert", "no_alert", "error")
    json.dumps(result.model_dump(mode="json"), allow_nan=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_fuzzed_rule_texts_load_or_report_a_problem(text: str) -> None:
    pack = {"pack": "fuzz", "rules": [{"id": "F-1", "title": "t", "when": text}]}
    document = yaml.safe_dump(pack, allow_unicode=True)
    path = Path(_fuzz_dir()) / "fuzz.yaml"
    path.write_text(document, encoding="utf-8")
    try:
        Screener([path], builtin=False)
    except RuleLoadError as exc:
        assert exc.problems and all(p.location.line >= 1 for p in exc.problems)


_DIR: list[str] = []


def _fuzz_dir() -> str:
    if not _DIR:
        import tempfile

        _DIR.append(tempfile.mkdtemp(prefix="riskscreen-fuzz-"))
    return _DIR[0]


def test_regexes_run_in_linear_time_on_hostile_text(tmp_path: Path) -> None:
    pack = tmp_path / "regex.yaml"
    pack.write_text(
        "pack: regex\nrules:\n  - id: RX-1\n    title: t\n    when: 'description =~ \"(a+)+$\"'\n",
        encoding="utf-8",
    )
    screener = Screener([pack], builtin=False)
    # with a backtracking engine this description takes minutes; RE2 answers at once
    hostile = {"id": "r", "category": "other", "reported_at": "2026-07-01T09:00:00+08:00"}
    assert screener.screen({**hostile, "description": "a" * 40 + "!"}).status == "no_alert"
    assert screener.screen({**hostile, "description": "a" * 40}).status == "alert"


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ('description =~ "(a)\\\\1"', "cannot run in linear time"),
        ('description =~~ "(?<!无)伤亡"', "cannot run in linear time"),
        ("description =~ location.village", "must be a literal string"),
    ],
)
def test_regexes_that_cannot_be_honoured_are_load_errors(tmp_path: Path, expression: str, words: str) -> None:
    pack = tmp_path / "regex.yaml"
    pack.write_text(yaml.safe_dump({"pack": "rx", "rules": [{"id": "RX", "title": "t", "when": expression}]}))
    with pytest.raises(RuleLoadError) as caught:
        Screener([pack], builtin=False)
    (problem,) = caught.value.problems
    assert problem.code == "RS206" and words in problem.message
