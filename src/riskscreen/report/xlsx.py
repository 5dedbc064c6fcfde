"""The report as an Excel workbook: one sheet per table, frozen header, numbers as numbers."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from .model import WeeklyReport
from .tables import report_tables

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = ["render_xlsx"]

_WIDTHS = {"text": 14, "int": 10, "change": 10, "percent": 12, "date": 12}
#: Excel number formats by column kind (counts keep the default).
_FORMATS = {"percent": "0.0%", "change": "+0;-0;0", "date": "yyyy-mm-dd"}


def render_xlsx(report: WeeklyReport) -> bytes:
    """The workbook's bytes: a sheet 说明 (the period), then a sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    about = workbook.active
    assert about is not None
    about.title = "说明"
    about.append(["项目", "内容"])
    for row in (
        ["统计期间", report.period],
        ["起始（含）", report.start.isoformat()],
        ["截止（不含）", report.end.isoformat()],
        ["时区", report.timezone],
        ["生成时间", report.generated_at.isoformat()],
        ["案件库案件数", report.cases],
        ["本期有无案件活动", "无" if report.empty else "有"],
    ):
        about.append(row)
    about.freeze_panes = "A2"
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 32
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="EEEEEE")
    for table in report_tables(report):
        sheet = workbook.create_sheet(table.title)
        sheet.append(table.columns)
        for cells in table.rows:
            sheet.append(cells)
        if table.total is not None and table.rows:
            sheet.append(table.total)
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        for cell in sheet[1]:
            cell.font = bold
            cell.fill = header_fill
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        sheet.freeze_panes = "A2"
        for index, kind in enumerate(table.kinds, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = (
                _WIDTHS[kind] if table.columns[index - 1] != "名称" else 36
            )
            form = _FORMATS.get(kind)
            if form is not None:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = form
        if table.note:
            sheet.append([])
            sheet.append([table.note])
    _no_formulas(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _no_formulas(workbook: Workbook) -> None:
    """Every text cell as text: openpyxl reads a string starting with ``=`` as a formula.

    Village and district names come from reports; ``=HYPERLINK(…)`` in one must show as
    what was written, not run when the workbook is opened. The report writes no formulas.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
