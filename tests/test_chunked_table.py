"""A table printed a chunk of rows at a time is byte for byte the table printed whole.

The reference is rich printing one :class:`~rich.table.Table` holding every row; the
chunked printer must give the same bytes for any cells (wide, empty, several lines,
markup, styles), any column settings, any console width (narrow ones crop and fold)
and any chunk size, and must write the first chunks before it reads the last rows.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console, RenderableType
from rich.segment import Segment, Segments
from rich.table import Table
from rich.text import Text

from riskscreen.cli.chunkedtable import Replay, print_table
from riskscreen.cli.fastrows import RowLayout

_WORDS = [
    "",
    "a",
    "P1 重大",
    "obs-000341",
    "[bold]markup[/bold]",
    "非法采砂价值达到“情节特别严重”标准",
    "attrs.pipeline_crossing_distance_m",
    "x y z",
    "第一行\nsecond line",
    "很长的中文标题很长的中文标题很长的中文标题很长的中文标题很长的中文标题",
]

_column = st.fixed_dictionaries(
    {
        "no_wrap": st.booleans(),
        "overflow": st.sampled_from(["fold", "ellipsis", "crop"]),
        "min_width": st.sampled_from([None, 4, 10]),
        "max_width": st.sampled_from([None, 6, 16]),
        "justify": st.sampled_from(["left", "right"]),
    }
)
_cell = st.one_of(
    st.sampled_from(_WORDS),
    st.builds(Text, st.sampled_from(_WORDS), style=st.sampled_from(["", "bold red", "dim"])),
    st.text(alphabet="ab 中文\n…", max_size=12),
)


def _maker(columns: Sequence[dict[str, object]]) -> Callable[[], Table]:
    def make() -> Table:
        table = Table(title="标题 (a title)", pad_edge=False)
        for number, options in enumerate(columns):
            table.add_column(f"列{number}", **options)  # type: ignore[arg-type]
        return table

    return make


def _console(out: io.StringIO, width: int, color: bool) -> Console:
    return Console(
        file=out,
        width=width,
        color_system="truecolor" if color else None,
        force_terminal=color,
        highlight=False,
    )


@settings(max_examples=150, deadline=None)
@given(
    columns=st.lists(_column, min_size=1, max_size=6),
    cells=st.lists(st.lists(_cell, min_size=6, max_size=6), min_size=1, max_size=30),
    width=st.sampled_from([20, 40, 80, 120]),
    color=st.booleans(),
    chunk=st.integers(1, 8),
)
def test_chunks_print_what_the_whole_table_prints(
    columns: list[dict[str, object]],
    cells: list[list[RenderableType]],
    width: int,
    color: bool,
    chunk: int,
) -> None:
    make = _maker(columns)
    rows = [row[: len(columns)] for row in cells]
    whole = io.StringIO()
    table = make()
    for row in rows:
        table.add_row(*row)
    _console(whole, width, color).print(table)
    chunked = io.StringIO()
    print_table(_console(chunked, width, color), make, rows, lambda row: row, chunk=chunk)
    assert chunked.getvalue() == whole.getvalue()


def test_no_rows_print_nothing() -> None:
    out = io.StringIO()
    print_table(_console(out, 80, False), _maker([{}]), [], lambda row: [row])
    assert out.getvalue() == ""


class _Watched:
    """Rows that, read the second time, record how much had been written by then."""

    def __init__(self, count: int, out: io.StringIO) -> None:
        self.count, self.out, self.reads = count, out, 0
        self.written_at_last_row = 0

    def __iter__(self) -> Iterator[int]:
        self.reads += 1
        for number in range(self.count):
            if self.reads == 2 and number == self.count - 1:
                self.written_at_last_row = len(self.out.getvalue())
            yield number


def test_the_first_chunks_are_written_before_the_last_rows_are_read() -> None:
    out = io.StringIO()
    rows = _Watched(1000, out)
    print_table(_console(out, 80, False), _maker([{}]), rows, lambda n: [f"row {n}"], chunk=10)
    lines = out.getvalue().splitlines()
    assert rows.reads == 2 and len([line for line in lines if "row" in line]) == 1000
    # everything but the last chunk (and the bottom border) was out when the last row was read
    assert rows.written_at_last_row >= len("".join(line + "\n" for line in lines[:-11]))


@given(st.lists(st.tuples(st.integers(), st.text(max_size=5)), max_size=300))
def test_a_replay_reads_back_in_order_as_often_as_asked(items: list[tuple[int, str]]) -> None:
    with Replay(items[: len(items) // 2]) as replay:
        assert list(replay) == items[: len(items) // 2]
        for item in items[len(items) // 2 :]:
            replay.append(item)  # appending after a reading goes on at the end
        assert list(replay) == items and list(replay) == items
        assert len(replay) == len(items)


_one_line_column = st.fixed_dictionaries(
    {
        "no_wrap": st.just(True),
        "overflow": st.sampled_from(["ellipsis", "crop", "fold"]),
        "min_width": st.sampled_from([None, 4, 10]),
        "max_width": st.sampled_from([None, 6, 16]),
        "justify": st.sampled_from(["left", "right", "center"]),
    }
)
_ONE_LINE = [w for w in _WORDS if "\n" not in w] + [":warning: 逾期", "[red]红[/red] [dim]淡[/dim]"]
_one_line_cell = st.one_of(
    st.sampled_from(_ONE_LINE),
    st.builds(Text, st.sampled_from(_ONE_LINE), style=st.sampled_from(["", "bold white on red", "dim"])),
    st.builds(
        lambda plain, more, style: Text(plain).append(more, style=style),
        st.sampled_from(_ONE_LINE),
        st.sampled_from(["", " 等3项", " 逾期"]),
        st.sampled_from(["dim", "bold red"]),
    ),
)


@settings(max_examples=150, deadline=None)
@given(
    columns=st.lists(_one_line_column, min_size=1, max_size=6),
    cells=st.lists(st.lists(_one_line_cell, min_size=6, max_size=6), min_size=2, max_size=30),
    width=st.sampled_from([30, 60, 120]),
    color=st.booleans(),
)
def test_rows_laid_out_a_column_at_a_time_are_richs_rows(
    columns: list[dict[str, object]], cells: list[list[RenderableType]], width: int, color: bool
) -> None:
    # one line per cell: each column of the rows is rendered in one go (styled cells one by
    # one), and the rows put together with the borders must be the lines rich lays out
    rows = [row[: len(columns)] for row in cells]
    console = _console(io.StringIO(), width, color)
    options = console.options
    table = _maker(columns)()
    for row in rows:
        table.add_row(*row)
    theirs = list(Segment.split_lines(console.render(table, options)))
    empty = _maker(columns)()
    for row in rows:
        empty.add_row(*row)
    mine = RowLayout(console, options, empty).rows(console, rows, last=True)
    if mine is None:  # allowed to leave a table to rich (a column narrower than a character)
        return
    body = theirs[len(theirs) - len(mine) :]
    assert _printed(console, mine) == _printed(console, body)


def _printed(console: Console, lines: list[list[Segment]]) -> str:
    with console.capture() as captured:
        for line in lines:
            console.print(Segments(line))
    return captured.get()


def test_a_cell_of_two_lines_is_left_to_rich() -> None:
    console = _console(io.StringIO(), 80, False)
    table = _maker([{}])()
    table.add_row("一行")
    layout = RowLayout(console, console.options, table)
    assert layout.rows(console, [["一行"], ["第一行\nsecond line"]], last=False) is None
    assert layout.rows(console, [["一行"], ["两行"]], last=False) is not None


def test_long_tables_are_laid_out_a_column_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # after the first chunk, rows of one line each no longer go through rich's table layout
    laid_out: list[int] = []
    rows_of = RowLayout.rows

    def counted(
        self: RowLayout, console: Console, rows: Sequence[Sequence[RenderableType]], *, last: bool
    ) -> object:
        found = rows_of(self, console, rows, last=last)
        laid_out.append(found is not None)
        return found

    monkeypatch.setattr(RowLayout, "rows", counted)
    out, whole = io.StringIO(), io.StringIO()
    rows = [
        [f"obs-{n:04d}", Text("P2 较大", style="bold black on yellow"), f"标题 {n % 7}"] for n in range(50)
    ]
    columns = [{"no_wrap": True, "overflow": "ellipsis"}] * 3
    print_table(_console(out, 60, True), _maker(columns), rows, lambda row: row, chunk=8)
    table = _maker(columns)()
    for row in rows:
        table.add_row(*row)
    _console(whole, 60, True).print(table)
    assert out.getvalue() == whole.getvalue()
    assert len(laid_out) == 7 and all(laid_out)
