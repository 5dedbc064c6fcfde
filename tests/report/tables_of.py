"""Read the tables back out of each rendered format, to check they agree."""

from __future__ import annotations

import io
import re
from datetime import datetime
from html.parser import HTMLParser

Rows = list[list[str]]


class _TableReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, Rows] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table = dict(attrs).get("id") or ""
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_tables(text: str) -> dict[str, Rows]:
    """Table id -> rows of cell texts (the header row first)."""
    reader = _TableReader()
    reader.feed(text)
    return reader.tables


def markdown_tables(text: str) -> dict[str, Rows]:
    """Section title -> rows of cell texts (the header row first, the --- row left out)."""
    tables: dict[str, Rows] = {}
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        title, _, body = section.partition("\n")
        rows = []
        for line in body.splitlines():
            if line.startswith("|") and not re.fullmatch(r"\|[-:|]+\|", line):
                cells = re.split(r"(?<!\\)\|", line.strip()[1:-1])
                rows.append([re.sub(r"\\(.)", r"\1", c.strip()) for c in cells])
        tables[title.strip()] = rows
    return tables


def xlsx_sheets(data: bytes) -> dict[str, list[list[object]]]:
    """Sheet title -> rows of cell values (the header row first, trailing notes left out)."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    sheets = {}
    for sheet in workbook.worksheets:
        rows = []
        for row in sheet.iter_rows(values_only=True):
            if all(v is None for v in row):
                break  # a blank row, then the sheet's note
            rows.append(list(row))
        sheets[sheet.title] = rows
    return sheets


def plain(rows: list[list[object]]) -> list[list[object]]:
    """Rows as compared: fractions rounded (a spreadsheet keeps 15 digits), dates read back as dates."""
    return [[_plain(v) for v in row] for row in rows]


def _plain(value: object) -> object:
    if isinstance(value, float):
        return round(value, 9)
    return value.date() if isinstance(value, datetime) else value
