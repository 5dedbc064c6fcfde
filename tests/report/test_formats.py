"""Every format carries the same numbers as the report's JSON, laid out for its readers."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from riskscreen.report import WeeklyReport, weekly
from riskscreen.report.formats import render, render_bytes
from riskscreen.report.tables import format_cell, report_tables

from .histories import W48, random_cases
from .tables_of import html_tables, markdown_tables, plain, xlsx_sheets

NOW = W48 + timedelta(days=8, hours=9)
TITLES = {"WELL-001": "未取得取水许可擅自打井", "HOUSE-001": "未批先建"}


@pytest.fixture(scope="module")
def report() -> WeeklyReport:
    return weekly(random_cases(11, 250), "2026-W48", now=NOW, titles=TITLES)


@pytest.fixture(scope="module")
def empty() -> WeeklyReport:
    return weekly([], "2026-W48", now=NOW)


def expected_rows(report: WeeklyReport) -> dict[str, list[list[str]]]:
    """Each table as the text people read: header, rows and the total row."""
    tables = {}
    for table in report_tables(report):
        rows = [list(table.columns)]
        body = table.rows + ([table.total] if table.total is not None and table.rows else [])
        rows += [[format_cell(c, k) for c, k in zip(cells, table.kinds, strict=True)] for cells in body]
        tables[table.id] = rows
    return tables


def test_json_has_the_documented_fields_and_round_trips(report: WeeklyReport) -> None:
    document = json.loads(render_bytes(report, "json"))
    assert set(document) >= {"period", "start", "end", "totals", "previous", "change", "by_district"}
    assert document["period"] == "2026-W48" and document["start"] == "2026-11-23T00:00:00+08:00"
    assert set(document["totals"]) == {
        "open_at_start", "new", "merged", "reopened", "resolved", "in_progress", "overdue", "by_priority",
    }  # fmt: skip
    assert WeeklyReport.model_validate(document) == report


def test_html_tables_show_the_same_numbers(report: WeeklyReport) -> None:
    shown = html_tables(render_bytes(report, "html").decode())
    for table_id, rows in expected_rows(report).items():
        assert shown[table_id] == rows, table_id


def test_markdown_tables_show_the_same_numbers(report: WeeklyReport) -> None:
    shown = markdown_tables(render_bytes(report, "md").decode())
    for table in report_tables(report):
        assert shown[table.title] == expected_rows(report)[table.id], table.id


def test_markdown_shows_names_as_written_never_as_markup() -> None:
    from .histories import build_case

    village = "<img src=x onerror=alert(1)>东|村_*1*_"
    cases = [build_case(1, W48 + timedelta(hours=2), [], village=village, category="site_hazard")]
    named = weekly(cases, "2026-W48", now=NOW)
    text = render_bytes(named, "md").decode()
    assert not re.search(r"(?<!\\)[<*_]", text)  # each one escaped
    shown = markdown_tables(text)
    for table in report_tables(named):
        assert shown[table.title] == expected_rows(named)[table.id], table.id
    assert any(village in row for row in shown["按村"])


def test_xlsx_shows_a_name_that_looks_like_a_formula_as_text() -> None:
    import io
    import zipfile

    from openpyxl import load_workbook

    from .histories import build_case

    link = '=HYPERLINK("http://example.invalid","点我")'
    cases = [build_case(1, W48 + timedelta(hours=2), [], village=link, district="=1+1")]
    data = render_bytes(weekly(cases, "2026-W48", now=NOW), "xlsx")
    villages = load_workbook(io.BytesIO(data))["按村"]
    assert [(c.value, c.data_type) for c in villages[2][:2]] == [("=1+1", "s"), (link, "s")]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)  # no formula anywhere


def test_a_village_name_with_dollar_signs_is_drawn_as_written() -> None:
    import html

    from .histories import build_case

    names = [r"$\frac{$", "村$x^2$"]  # matplotlib read these as TeX: the first one raised
    cases = [build_case(n, W48 + timedelta(hours=n), [], village=v) for n, v in enumerate(names, start=1)]
    page = html.unescape(render_bytes(weekly(cases, "2026-W48", now=NOW), "html").decode())
    for name in names:
        assert f">{name}</text>" in page


def test_xlsx_has_a_sheet_per_table_with_numbers_as_numbers(report: WeeklyReport) -> None:
    import io

    from openpyxl import load_workbook

    data = render_bytes(report, "xlsx")
    sheets = xlsx_sheets(data)
    for table in report_tables(report):
        rows = sheets[table.title]
        assert rows[0] == table.columns  # Chinese column names
        body = table.rows + ([table.total] if table.total is not None and table.rows else [])
        assert plain(rows[1:]) == plain([[None if c == "" else c for c in cells] for cells in body]), table.id
    district = sheets["按管区"]
    total = district[-1]
    assert total[0] == "合计" and total[1:8] == [
        report.totals.open_at_start, report.totals.new, report.totals.merged, report.totals.reopened,
        report.totals.resolved, report.totals.in_progress, report.totals.overdue,
    ]  # fmt: skip
    assert all(isinstance(v, int) for v in total[1:])
    # the totals equal the sum of the sheet's own rows, as a spreadsheet user would check
    assert [sum(r[i] for r in district[1:-1]) for i in range(1, len(total))] == total[1:]
    workbook = load_workbook(io.BytesIO(data))
    assert all(s.freeze_panes == "A2" for s in workbook.worksheets)


def test_html_is_self_contained_with_text_charts_and_a4_print(report: WeeklyReport) -> None:
    page = render_bytes(report, "html").decode()
    assert page.count("<svg") == 3
    assert "@page { size: A4 portrait" in page
    # nothing fetched from elsewhere: no scripts, no linked files, no web fonts
    assert not re.search(
        r"<script|<link|<img|@import|url\((?!#)|https?://(?!www\.w3\.org|purl\.org|creativecommons)", page
    )
    # the charts' Chinese labels are text, not paths
    assert re.search(r"<text[^>]*>[^<]*新增案件", page)
    for label in ("P1 重大", "整改销号", "期末在办", "房屋建设"):
        assert re.search(rf"<text[^>]*>[^<]*{label}", page), label


def test_the_same_data_renders_byte_for_byte_the_same(report: WeeklyReport, tmp_path) -> None:  # type: ignore[no-untyped-def]
    again = weekly(random_cases(11, 250), "2026-W48", now=NOW, titles=TITLES)
    assert render_bytes(again, "html") == render_bytes(report, "html")
    first, second = render(report, "xlsx", tmp_path / "a.xlsx"), render(again, "xlsx", tmp_path / "b.xlsx")
    assert xlsx_sheets(first.read_bytes()) == xlsx_sheets(second.read_bytes())


def test_an_empty_week_says_so_in_every_format(empty: WeeklyReport) -> None:
    assert empty.empty and empty.totals.new == 0
    assert "没有案件活动" in render_bytes(empty, "html").decode()
    assert "没有案件活动" in render_bytes(empty, "md").decode()
    assert json.loads(render_bytes(empty, "json"))["empty"] is True
    about = xlsx_sheets(render_bytes(empty, "xlsx"))["说明"]
    assert ["本期有无案件活动", "无"] in about
    assert "本期无新增案件" in render_bytes(empty, "html").decode()  # the chart says it too
