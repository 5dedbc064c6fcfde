"""The body rows of a rich table whose cells are one line each, laid out a column at a time.

rich lays a table out cell by cell: each cell is padded, rendered and cut into lines on
its own, which costs a few hundred microseconds a row. The alerts table has thousands of
rows whose cells never wrap, one line each; :class:`RowLayout` renders each column of a
chunk of rows in one go (the cells joined by line breaks: rich renders each line of a
text on its own, with the same width, padding, justification and overflow), renders
cells that carry a style of their own once per distinct cell, and puts the rows together
with the table's borders as rich does. Whatever is not one line per cell is left to rich
(:meth:`RowLayout.rows` gives ``None``), and :func:`~.chunkedtable.print_table` compares
the first chunk with rich's own layout before it uses this for the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

__all__ = ["RowLayout"]

Line = list[Segment]
#: Distinct styled cells kept rendered, per column.
_KEPT = 4096


class RowLayout:
    """Body rows of ``table``'s layout (its columns and widths, as rich works them out)."""

    def __init__(self, console: Console, options: ConsoleOptions, table: Table) -> None:
        # rich's own widths for this table (it holds the widest row: every chunk's widths),
        # and the options its rows are rendered with, worked out as rich works them out
        room = table.width if table.width is not None else options.max_width
        widths: list[int] = table._calculate_column_widths(
            console, options.update_width(room - table._extra_width)
        )
        options = options.update(
            width=sum(widths) + table._extra_width, highlight=table.highlight, height=None
        )
        safe = table.safe_box if table.safe_box is not None else console.safe_box
        if table.box is None:
            raise ValueError("a table without borders")
        box = table.box.substitute(options, safe=safe)
        border = console.get_style(table.style or "") + console.get_style(table.border_style or "")
        self._mid = (
            Segment(box.mid_left, border),
            Segment(box.mid_right, border),
            Segment(box.mid_vertical, border),
        )
        self._foot = (
            Segment(box.foot_left, border),
            Segment(box.foot_right, border),
            Segment(box.foot_vertical, border),
        )
        self._edge = table.show_edge
        self._bottom = [Segment(box.get_bottom(widths), border)]
        if not (box.mid_vertical.strip() and box.foot_vertical.strip()):
            raise ValueError("whitespace dividers take the row's background: not laid out here")
        last = len(table.columns) - 1
        self._columns: list[tuple[ConsoleOptions, tuple[int, int, int, int], Style]] = []
        top, right, bottom, left = table.padding
        if top or bottom or table.collapse_padding:
            raise ValueError("padding above or below rows: not laid out here")
        for index, (width, column) in enumerate(zip(widths, table.columns, strict=True)):
            # a body cell's padding, as rich works it out; without pad_edge, none at the edges
            pad = (
                0,
                0 if index == last and not table.pad_edge else right,
                0,
                0 if index == 0 and not table.pad_edge else left,
            )
            column_options = options.update(
                width=width,
                justify=column.justify,
                no_wrap=column.no_wrap,
                overflow=column.overflow,
                height=None,
                highlight=column.highlight,
            )
            self._columns.append((column_options, pad, console.get_style(column.style or "")))
        self._kept: list[dict[Any, Line]] = [{} for _ in self._columns]

    def rows(
        self, console: Console, rows: Sequence[Sequence[RenderableType]], *, last: bool
    ) -> list[Line] | None:
        """The lines of ``rows`` (and the bottom border when ``last``); ``None`` if a cell is not one line."""
        if not rows:
            return [self._bottom] if last and self._edge else []
        columns: list[list[Line]] = []
        for index in range(len(self._columns)):
            lines = self._column(console, index, [row[index] for row in rows])
            if lines is None:
                return None
            columns.append(lines)
        out: list[Line] = []
        final = len(rows) - 1
        for number in range(len(rows)):
            left, right, divider = self._foot if last and number == final else self._mid
            line: Line = [left] if self._edge else []
            for index, lines in enumerate(columns):
                if index:
                    line.append(divider)
                line.extend(lines[number])
            if self._edge:
                line.append(right)
            out.append(line)
        if last and self._edge:
            out.append(self._bottom)
        return out

    def _column(self, console: Console, index: int, cells: list[RenderableType]) -> list[Line] | None:
        """One line per cell of column ``index``, or ``None``."""
        options, pad, style = self._columns[index]
        texts: list[Text] = []
        for cell in cells:
            if isinstance(cell, str):
                # what rich makes of a string cell (markup read, highlighting as the column says)
                cell = console.render_str(cell, highlight=options.highlight, markup=options.markup)
            if not isinstance(cell, Text) or not _joinable(cell):
                return self._each(console, index, cells)
            texts.append(cell)
        lines = console.render_lines(Padding(Text("\n").join(texts), pad), options, style=style)
        return lines if len(lines) == len(cells) else None

    def _each(self, console: Console, index: int, cells: list[RenderableType]) -> list[Line] | None:
        """Cells rendered one by one, each distinct one once (a column of a few styled values)."""
        options, pad, style = self._columns[index]
        kept = self._kept[index]
        out: list[Line] = []
        for cell in cells:
            key = _key(cell)
            line = kept.get(key) if key is not None else None
            if line is None:
                lines = console.render_lines(Padding(cell, pad), options, style=style)
                if len(lines) != 1:
                    return None
                line = lines[0]
                if key is not None and len(kept) < _KEPT:
                    kept[key] = line
            out.append(line)
        return out


def _joinable(cell: Text) -> bool:
    """Whether ``cell`` renders as one line of a text joined with others (no style of its own)."""
    return (
        not cell.style
        and cell.justify is None
        and cell.overflow is None
        and cell.no_wrap is None
        and "\n" not in cell.plain
    )


def _key(cell: Any) -> Any:
    """What decides how ``cell`` renders, for one kept copy per distinct cell; ``None``: not kept."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, Text):
        return (
            cell.plain,
            str(cell.style),
            tuple(cell.spans),
            cell.justify,
            cell.overflow,
            cell.no_wrap,
            cell.end,
        )
    return None
