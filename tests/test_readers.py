"""Reading observations from JSON, JSONL and CSV files and from standard input."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from riskscreen.readers import detect_format, read_records
from riskscreen.screener import UnreadableRecord

DATA = Path(__file__).parent / "data" / "cli"

OBS_A = {
    "id": "a",
    "category": "quarry",
    "reported_at": "2026-07-01T09:00:00+08:00",
    "location": {"village": "东村"},
    "attrs": {"has_permit": False, "depth_m": 80},
}
OBS_B = {"id": "b", "category": "quarry", "reported_at": "2026-07-01T10:00:00+08:00", "attrs": {}}


def read(path: Path | str, fmt: str | None = None) -> list[Any]:
    return list(read_records(str(path), fmt))


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def set_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(data)))


def read_stdin(data: bytes, fmt: str | None = None) -> list[Any]:
    """Records read from ``-`` with ``data`` on standard input (for hypothesis tests, no fixtures)."""
    original = sys.stdin
    sys.stdin = SimpleNamespace(buffer=io.BytesIO(data))
    try:
        return list(read_records("-", fmt))
    finally:
        sys.stdin = original


# -- JSON ---------------------------------------------------------------------------------


def test_json_array_gives_one_record_per_element(tmp_path: Path) -> None:
    path = write(tmp_path, "obs.json", json.dumps([OBS_A, OBS_B], ensure_ascii=False, indent=2))
    assert read(path) == [OBS_A, OBS_B]


def test_json_object_with_observations_list(tmp_path: Path) -> None:
    document = {"source": "巡查系统", "observations": [OBS_A, OBS_B]}
    path = write(tmp_path, "batch.json", json.dumps(document, ensure_ascii=False, indent=2))
    assert read(path) == [OBS_A, OBS_B]


def test_single_json_object_is_one_record(tmp_path: Path) -> None:
    path = write(tmp_path, "one.json", json.dumps(OBS_A, ensure_ascii=False, indent=2))
    assert read(path) == [OBS_A]


def test_json_array_element_that_is_not_an_object_is_invalid_in_place(tmp_path: Path) -> None:
    path = write(tmp_path, "obs.json", json.dumps([OBS_A, 42, OBS_B], ensure_ascii=False))
    records = read(path)
    assert len(records) == 3
    assert records[0] == OBS_A
    assert isinstance(records[1], UnreadableRecord)
    assert records[2] == OBS_B


def test_broken_json_file_is_one_invalid_record_naming_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "obs.json", '[\n  {"id": "a",\n  "category": }\n]\n')
    records = read(path)
    assert len(records) == 1
    assert isinstance(records[0], UnreadableRecord)
    assert "line 3" in records[0].message


# -- JSONL --------------------------------------------------------------------------------


def test_jsonl_fixture_skips_blank_lines_and_reports_bad_lines_in_place() -> None:
    records = read(DATA / "observations.jsonl")
    assert len(records) == 4  # five lines, one of them blank
    assert isinstance(records[0], dict)
    assert records[0]["id"] == "j-1"
    assert records[0]["attrs"] == {"has_permit": False}
    assert isinstance(records[1], UnreadableRecord)
    assert "line 3" in records[1].message  # numbered as lines of the file, blank ones included
    assert isinstance(records[2], UnreadableRecord)
    assert "line 4" in records[2].message
    assert "object" in records[2].message
    assert isinstance(records[3], dict)
    assert records[3]["id"] == "j-2"
    assert records[3]["attrs"] == {"has_permit": True, "zone": "禁采区", "volume_m3": 2000}


@pytest.mark.parametrize("line", ["42", '"text"', "null", "[1, 2]", "true"])
def test_jsonl_line_that_is_not_an_object_is_invalid(tmp_path: Path, line: str) -> None:
    path = write(tmp_path, "obs.jsonl", json.dumps(OBS_A, ensure_ascii=False) + "\n" + line + "\n")
    records = read(path)
    assert records[0] == OBS_A
    assert len(records) == 2
    assert isinstance(records[1], UnreadableRecord)
    assert "line 2" in records[1].message


def test_jsonl_whitespace_only_lines_and_crlf_are_accepted(tmp_path: Path) -> None:
    text = "\r\n".join(["", json.dumps(OBS_A, ensure_ascii=False), "   ", "\t", json.dumps(OBS_B), ""])
    path = write(tmp_path, "obs.ndjson", text)
    assert read(path) == [OBS_A, OBS_B]


@given(st.lists(st.dictionaries(st.text(max_size=5), st.text(max_size=8) | st.integers(), max_size=4)))
def test_jsonl_round_trips_any_objects(objects: list[dict[str, Any]]) -> None:
    data = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects).encode()
    assert read_stdin(data, "jsonl") == objects


# -- CSV ----------------------------------------------------------------------------------


def test_csv_fixture_nests_dotted_columns_and_leaves_empty_cells_out() -> None:
    records = read(DATA / "observations.csv")
    assert records == [
        {
            "id": "c-1",
            "kind": "patrol",
            "category": "quarry",
            "reported_at": "2026-07-01T09:00:00+08:00",
            "location": {"district": "北管区", "village": "东村"},
            "attrs": {"has_permit": "false", "equipment": ["挖掘机", "铲车"]},
            "description": "发现无证开采",
        },
        {
            "id": "c-2",
            "kind": "inspection",
            "category": "quarry",
            "reported_at": "2026-07-01T10:00:00+08:00",
            "location": {"district": "北管区", "village": "西村"},
            "attrs": {"has_permit": "true", "zone": "禁采区", "volume_m3": "2000"},
            "description": "[待核实]",  # bracketed text that is not JSON stays text
        },
        {
            "id": "c-3",
            "kind": "patrol",
            "category": "quarry",
            "reported_at": "2026-07-01T11:00:00+08:00",
            "location": {"district": "南管区"},
            "attrs": {"has_permit": "true"},  # cell " true " is trimmed
        },
    ]


def test_csv_with_utf8_bom_has_a_clean_first_column(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffid,category\nx-1,flood\n".encode())
    assert read(path) == [{"id": "x-1", "category": "flood"}]


def test_csv_json_array_cells_become_lists(tmp_path: Path) -> None:
    path = tmp_path / "lists.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "attrs.equipment", "attrs.depths"])
        writer.writerow(["a", json.dumps(["挖掘机", "铲车"], ensure_ascii=False), "[10, 20.5]"])
        writer.writerow(["b", "[]", ""])
    assert read(path) == [
        {"id": "a", "attrs": {"equipment": ["挖掘机", "铲车"], "depths": [10, 20.5]}},
        {"id": "b", "attrs": {"equipment": []}},
    ]


def test_csv_row_with_too_many_cells_is_invalid_and_later_rows_still_read(tmp_path: Path) -> None:
    path = write(tmp_path, "obs.csv", "id,category\na,flood\nb,flood,extra\nc,fire_safety\n")
    records = read(path)
    assert len(records) == 3
    assert records[0] == {"id": "a", "category": "flood"}
    assert isinstance(records[1], UnreadableRecord)
    assert "line 3" in records[1].message
    assert records[2] == {"id": "c", "category": "fire_safety"}


def test_csv_short_row_leaves_missing_columns_out(tmp_path: Path) -> None:
    path = write(tmp_path, "obs.csv", "id,category,location.village\na,flood\n")
    assert read(path) == [{"id": "a", "category": "flood"}]


def test_csv_blank_rows_are_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "obs.csv", "id,category\n\na,flood\n,\nb,flood\n")
    assert read(path) == [{"id": "a", "category": "flood"}, {"id": "b", "category": "flood"}]


def test_csv_quoted_cell_with_comma_and_newline(tmp_path: Path) -> None:
    path = write(tmp_path, "obs.csv", 'id,description\na,"河道旁堆土，\n约三米高"\n')
    assert read(path) == [{"id": "a", "description": "河道旁堆土，\n约三米高"}]


_words = st.text(alphabet="abcxyz_", min_size=1, max_size=6)
_cells = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12
).filter(lambda s: s.strip() and not (s.strip().startswith("[") and s.strip().endswith("]")))


@given(
    st.dictionaries(
        st.tuples(st.sampled_from(["", "location.", "attrs.", "history."]), _words).map("".join),
        _cells,
        min_size=1,
        max_size=6,
    )
)
def test_csv_dotted_columns_round_trip(flat: dict[str, str]) -> None:
    tops = {name for name in flat if "." not in name}
    nested_roots = {name.split(".")[0] for name in flat if "." in name}
    assume(not tops & nested_roots)  # a column and a group of the same name cannot both exist
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(list(flat))
    writer.writerow(list(flat.values()))
    expected: dict[str, Any] = {}
    for name, value in flat.items():
        *parents, leaf = name.split(".")
        target = expected
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = value.strip()
    assert read_stdin(buffer.getvalue().encode(), "csv") == [expected]


# -- format detection ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("obs.json", "json"),
        ("OBS.JSON", "json"),
        ("obs.jsonl", "jsonl"),
        ("obs.ndjson", "jsonl"),
        ("obs.csv", "csv"),
        ("dir.json/obs.CSV", "csv"),
    ],
)
def test_format_from_file_name_wins_over_content(name: str, expected: str) -> None:
    for head in ("[{", '{"id": "a"}', "{", "id,category"):
        assert detect_format(name, head) == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("[", "json"),
        ('  [{"id": "a"},', "json"),
        ("{\n", "json"),
        ('{"id": "a", "category": "flood"}\n', "jsonl"),
        ("id,category,reported_at\n", "csv"),
    ],
)
def test_format_from_content(head: str, expected: str) -> None:
    assert detect_format("-", head) == expected
    assert detect_format("observations.txt", head) == expected


def test_reading_a_file_without_known_suffix_detects_each_format(tmp_path: Path) -> None:
    array = write(tmp_path, "array.txt", json.dumps([OBS_A, OBS_B], ensure_ascii=False, indent=2))
    pretty = write(tmp_path, "object.txt", json.dumps(OBS_A, ensure_ascii=False, indent=2))
    lines = write(
        tmp_path, "lines.txt", json.dumps(OBS_A, ensure_ascii=False) + "\n" + json.dumps(OBS_B) + "\n"
    )
    table = write(tmp_path, "table.txt", "id,category,location.village\na,flood,东村\n")
    assert read(array) == [OBS_A, OBS_B]
    assert read(pretty) == [OBS_A]
    assert read(lines) == [OBS_A, OBS_B]
    assert read(table) == [{"id": "a", "category": "flood", "location": {"village": "东村"}}]


def test_one_line_object_with_observations_is_detected_as_a_batch(tmp_path: Path) -> None:
    # what `json.dumps(...)` or `jq -c` produce: the whole document on one line
    document = json.dumps({"observations": [OBS_A, OBS_B]}, ensure_ascii=False)
    path = write(tmp_path, "batch.txt", document + "\n")
    assert read(path) == [OBS_A, OBS_B]


def test_explicit_format_overrides_the_file_name(tmp_path: Path) -> None:
    path = write(tmp_path, "obs.json", json.dumps(OBS_A, ensure_ascii=False) + "\n" + json.dumps(OBS_B))
    assert read(path, "jsonl") == [OBS_A, OBS_B]


# -- standard input -----------------------------------------------------------------------


def test_stdin_json_array(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, json.dumps([OBS_A, OBS_B], ensure_ascii=False).encode())
    assert read("-") == [OBS_A, OBS_B]


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (json.dumps(OBS_A, ensure_ascii=False) + "\n\n" + json.dumps(OBS_B) + "\n").encode()
    set_stdin(monkeypatch, data)
    assert read("-") == [OBS_A, OBS_B]


def test_stdin_csv_with_bom(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, (DATA / "observations.csv").read_bytes())
    assert read("-") == read(DATA / "observations.csv")
    set_stdin(monkeypatch, (DATA / "observations.csv").read_bytes())
    assert [r["id"] for r in read("-")] == ["c-1", "c-2", "c-3"]


def test_stdin_with_explicit_format(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, b"id,category\na,flood\n")
    assert read("-", "csv") == [{"id": "a", "category": "flood"}]


@pytest.mark.parametrize(
    "text",
    [
        "\n" + json.dumps(OBS_A, ensure_ascii=False) + "\n" + json.dumps(OBS_B) + "\n",
        "\n" + json.dumps([OBS_A, OBS_B], ensure_ascii=False, indent=2) + "\n",
    ],
    ids=["jsonl", "json-array"],
)
def test_stdin_detection_looks_past_leading_blank_lines(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    set_stdin(monkeypatch, text.encode())
    assert read("-") == [OBS_A, OBS_B]


# -- decoding: pydantic-core's parser, json's values and errors ----------------------------

_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**18, max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


def _outcome(decode: Any, text: str) -> tuple[str, str]:
    """What decoding gives, comparable across decoders: the value's repr or json's error."""
    try:
        return "value", repr(decode(text))
    except ValueError as exc:  # json.JSONDecodeError is one
        return type(exc).__name__, str(exc)
    except RecursionError:
        return "RecursionError", ""


@st.composite
def _json_texts(draw: st.DrawFn) -> str:
    """JSON as writers produce it, and some of it broken by one character."""
    text = json.dumps(
        draw(_JSON_VALUES),
        ensure_ascii=draw(st.booleans()),
        separators=draw(st.sampled_from([(",", ":"), (", ", ": ")])),
    )
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        inserted = draw(st.sampled_from(["", "x", ",", "}", '"', "\\", "\t", "\x01", "\\ud800", "0", "."]))
        text = text[:at] + inserted + text[at + draw(st.integers(0, 1)) :]
    return text + draw(st.sampled_from(["", "\n", "\r\n", " "]))


@given(_json_texts())
def test_decoding_gives_jsons_values_and_errors(text: str) -> None:
    from riskscreen.jsonline import loads as _loads

    assert _outcome(_loads, text) == _outcome(json.loads, text)


def test_a_line_with_a_lone_surrogate_reads_as_json_reads_it() -> None:
    from riskscreen.readers import jsonl_records

    # text decoded elsewhere (an archive member read with surrogateescape) can hold one
    line = '{"id": "a", "note": "x\udc80y"}'
    assert [repr(r) for r in jsonl_records(line, 1)] == [repr(json.loads(line))]


@pytest.mark.parametrize(
    "line",
    [
        '{"id": "a", "note": "\\ud800"}',  # a lone surrogate json reads (pydantic-core does not)
        "[" * 300 + "]" * 300,  # deeper than pydantic-core reads, within json's reach
        '{"id": "a", "note": "tab\there"}',  # a raw control character: json's error wording
        '{"id": "a"} trailing',
        '{"id": 1' + "0" * 5000 + "}",  # more digits than Python converts
        '{"id": "a", "n": NaN, "m": -Infinity}',
    ],
)
def test_lines_the_fast_decoder_refuses_read_as_json_reads_them(tmp_path: Path, line: str) -> None:
    from riskscreen.i18n import text
    from riskscreen.jsonline import json_reason as _reason

    path = write(tmp_path, "obs.jsonl", line + "\n")
    (record,) = read(path)
    try:
        expected: Any = json.loads(line)
    except json.JSONDecodeError as exc:  # json's column and reason, as before
        message = text("input.invalid_json", line=1, column=exc.colno, reason=_reason(exc))
        assert isinstance(record, UnreadableRecord) and record.message == message
    except ValueError as exc:
        message = text("input.bad_value", line=1, reason=exc)
        assert isinstance(record, UnreadableRecord) and record.message == message
    else:
        if isinstance(expected, dict):
            assert repr(record) == repr(expected)
        else:
            assert isinstance(record, UnreadableRecord) and "object" in record.message


@pytest.mark.parametrize("name", ["obs.jsonl.gz", "obs.json.gz", "obs.csv.gz"])
def test_a_gzipped_file_reads_as_the_file_it_holds(tmp_path: Path, name: str) -> None:
    import gzip

    plain_name = name.removesuffix(".gz")
    if plain_name.endswith(".jsonl"):
        text = json.dumps(OBS_A, ensure_ascii=False) + "\n" + json.dumps(OBS_B) + "\n"
    elif plain_name.endswith(".json"):
        text = json.dumps([OBS_A, OBS_B], ensure_ascii=False)
    else:
        text = "id,category,reported_at,attrs.has_permit\na,quarry,2026-07-01T09:00:00+08:00,false\n"
    plain = write(tmp_path, plain_name, text)
    packed = tmp_path / name
    packed.write_bytes(gzip.compress(text.encode("utf-8")))
    assert repr(read(packed)) == repr(read(plain))


def test_a_cut_off_gzip_file_keeps_what_was_read_and_names_the_damage(tmp_path: Path) -> None:
    import gzip

    lines = "".join(json.dumps({**OBS_B, "id": f"r{i}"}) + "\n" for i in range(2000))
    whole = gzip.compress(lines.encode("utf-8"))
    packed = tmp_path / "obs.jsonl.gz"
    packed.write_bytes(whole[: len(whole) // 2])
    records = read(packed)
    *read_ok, last = records
    assert read_ok and all(isinstance(r, dict) for r in read_ok)
    assert [r["id"] for r in read_ok] == [f"r{i}" for i in range(len(read_ok))]
    assert isinstance(last, UnreadableRecord)
    assert last.message.startswith(f"{packed}: the gzip file is damaged or cut off")


# -- JSON lines kept as text (lines=True), for a screener to validate in one pass ----------


def _as_read(item: Any) -> Any:
    """What a JsonLine stands for, as the reader without ``lines`` gives it."""
    from riskscreen.jsonline import JsonLine, LineError

    if not isinstance(item, JsonLine):
        return ("item", repr(item) if not isinstance(item, UnreadableRecord) else item.message)
    try:
        return ("item", repr(item.record()))
    except LineError as exc:
        return ("item", str(exc))


_LINES = st.one_of(
    _json_texts(),
    st.sampled_from(
        [
            '{"observations": [{"id": "a"}, 3]}',  # a whole document on one line
            '{"\\u006fbservations": [{"id": "a"}]}',  # the same, its key spelt with an escape
            '{"obs\\u0065rvations": [], "id": "x"}',  # an id: one record after all
            '{"id": "b", "note": "\\u4e1c\\u6751"}',  # escapes that cannot spell a key
            '{"id": "c", "name": "\\u963f\\u00b7\\u70ed"}',  # a middle dot: no letter either
            '{"\\u006Fbservations": [{"id": "d"}]}',  # a document's key, upper-case hex
            "   ",
            "",
        ]
    ),
)


@given(st.lists(_LINES.map(lambda t: t.replace("\n", "").replace("\r", "")), max_size=6))
def test_lines_kept_as_text_stand_for_the_records_read_without(texts: list[str]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "obs.jsonl"
        path.write_text("\n".join(texts) + "\n", encoding="utf-8")
        plain = read(path)
        kept = list(read_records(str(path), lines=True))
    # a document's records come one by one either way: a kept line is never one
    assert [_as_read(item) for item in kept] == [_as_read(item) for item in plain]


def test_only_a_line_that_may_be_a_document_is_decoded_by_the_reader(tmp_path: Path) -> None:
    from riskscreen.jsonline import JsonLine

    lines = [
        '{"id": "a", "name": "\\u963f\\u00b7\\u70ed", "note": "caf\\u00e9"}',
        '{"id": "b", "observations": "none"}',
        '{"obs\\u0065rvations": [{"id": "c"}]}',
    ]
    path = write(tmp_path, "obs.jsonl", "\n".join(lines) + "\n")
    kept = list(read_records(str(path), lines=True))
    assert [type(item) for item in kept] == [JsonLine, dict, dict]


def test_a_kept_line_names_its_file_when_several_are_read(tmp_path: Path) -> None:
    from riskscreen.jsonline import JsonLine, LineError
    from riskscreen.readers import read_files

    first = write(tmp_path, "a.jsonl", json.dumps(OBS_A) + "\n")
    second = write(tmp_path, "b.jsonl", '{"id": "b", oops}\n[1]\n')
    plain = list(read_files([str(first), str(second)]))
    kept = list(read_files([str(first), str(second)], lines=True))
    assert all(isinstance(item, JsonLine) for item in kept)
    assert kept[0].record() == plain[0] == OBS_A
    for line, unreadable in zip(kept[1:], plain[1:], strict=True):
        with pytest.raises(LineError) as raised:
            line.record()
        assert str(raised.value) == unreadable.message and unreadable.message.startswith(str(second))
