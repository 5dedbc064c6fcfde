"""Printing a rich table with more rows than should be held in memory, a chunk of rows at a time.

rich lays a table out from all of its cells at once: each column is as wide as its widest
cell (the header included), narrowed only when the table is wider than the console. Of
the cells, that layout reads only each column's largest measured width, so
:func:`print_table` reads the rows
twice: once to find, per column, the cell rich measures widest (the *widest row*, made of
those cells), and once to print them. Each chunk of rows is laid out as a table holding
the widest row first, which gives every chunk the widths the whole table would have had;
the lines of the widest row are cut out, and so are the title and header of every chunk
but the first and the bottom border of every chunk but the last. What is printed is
byte for byte what printing the whole table would print (tested), with memory for one
chunk.

The rows come from a :class:`Replay` (or any iterable that can be read twice, like a list):
items appended to an anonymous temporary file and read back in order, as often as needed.
"""

from __future__ import annotations

import pickle
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Generic, TypeVar

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from .fastrows import RowLayout

__all__ = ["CHUNK", "Replay", "print_table"]

T = TypeVar("T")

#: Rows laid out at once: enough that the widest row's extra lines cost little.
CHUNK = 256
#: Items pickled together in a :class:`Replay`.
_BLOCK = 64

Cells = Callable[[T], Sequence[RenderableType]]

# what rich reads in a string cell besides its text: markup ([bold]) and emoji codes (:warning:)
_MARKED = re.compile(r"[\[:]")


class Replay(Generic[T]):
    """Items appended to a temporary file and read back in order, as many times as needed."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        # an anonymous file, removed by the system when closed
        self._file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self._block: list[T] = []
        self._count = 0
        for item in items:
            self.append(item)

    def __len__(self) -> int:
        return self._count

    def append(self, item: T) -> None:
        """Add one item at the end."""
        self._block.append(item)
        self._count += 1
        if len(self._block) == _BLOCK:
            self._flush()

    def _flush(self) -> None:
        self._file.seek(0, 2)
        pickle.dump(self._block, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._block = []

    def __iter__(self) -> Iterator[T]:
        if self._block:
            self._flush()
        self._file.seek(0)
        # one reading at a time: nothing is appended while the items are read
        while True:
            try:
                block: list[T] = pickle.load(self._file)
            except EOFError:
                return
            yield from block

    def close(self) -> None:
        """Delete the file."""
        self._file.close()

    def __enter__(self) -> Replay[T]:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _widest(
    console: Console, options: ConsoleOptions, rows: Iterable[T], cells: Cells[T]
) -> list[RenderableType]:
    """Per column, the cell rich measures widest (the first of equals); empty without rows."""
    best: list[RenderableType] = []
    widths: list[int] = []
    for row in rows:
        for column, cell in enumerate(cells(row)):
            width = _widest_measured(console, options, cell)
            if column == len(best):
                best.append(cell)
                widths.append(width)
            elif width > widths[column]:
                best[column], widths[column] = cell, width
    return best


def _widest_measured(console: Console, options: ConsoleOptions, cell: RenderableType) -> int:
    """``Measurement.get(console, options, cell).maximum``, for a plain text without rich's calls.

    A text's maximum is its longest line's width, at most the console's: so rich measures
    a :class:`Text` (and a string without markup or emoji codes, which it reads as that text).
    """
    if isinstance(cell, str) and not _MARKED.search(cell):
        plain = cell
    elif type(cell) is Text:
        plain = cell.plain
    else:
        return Measurement.get(console, options, cell).maximum
    widest = max((cell_len(line) for line in plain.splitlines()), default=0)
    widest = min(widest, options.max_width)
    return widest if widest >= 1 and options.max_width >= 1 else 0


def _lines(console: Console, options: ConsoleOptions, table: Table) -> list[list[Segment]]:
    return list(Segment.split_lines(console.render(table, options)))


class _Probe:
    """Prints nothing; keeps the options console.print passes to what it prints."""

    options: ConsoleOptions | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        self.options = options
        return
        yield


def _print_options(console: Console) -> ConsoleOptions:
    probe = _Probe()
    console.print(probe)
    assert probe.options is not None
    return probe.options


class _Part:
    """The lines of one chunk's table that the whole table would have printed."""

    def __init__(
        self, table: Table, options: ConsoleOptions, head: int, widest: int, *, first: bool, last: bool
    ) -> None:
        self._table, self._options, self._head, self._widest = table, options, head, widest
        self._first, self._last = first, last

    def lines(self, console: Console) -> tuple[list[list[Segment]], list[list[Segment]]]:
        """The title and header lines printed (none but for the first chunk), and the rows' lines."""
        # laid out with the options the widths were measured with, even if the terminal
        # was resized meanwhile: every chunk has the same columns
        lines = _lines(console, self._options, self._table)
        body = lines[self._head + self._widest : None if self._last else -1]
        return (lines[: self._head] if self._first else []), body


class _Lines:
    """Lines of segments, printed as they are."""

    def __init__(self, lines: list[list[Segment]]) -> None:
        self._lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        new_line = Segment.line()
        for line in self._lines:
            yield from line
            yield new_line


def _layout(console: Console, options: ConsoleOptions, table: Table) -> RowLayout | None:
    """Rows laid out a column at a time for ``table``'s columns, if it has the kind of layout that allows."""
    try:
        return RowLayout(console, options, table)
    except Exception:  # a table rich lays out otherwise, or another rich: rich's own layout
        return None


def _same(console: Console, mine: list[list[Segment]], theirs: list[list[Segment]]) -> bool:
    """Whether two sets of lines print the same on ``console`` (however their segments split)."""
    with console.capture() as first:
        console.print(_Lines(mine))
    with console.capture() as second:
        console.print(_Lines(theirs))
    return first.get() == second.get()


def print_table(
    console: Console,
    make_table: Callable[[], Table],
    rows: Iterable[T],
    cells: Cells[T],
    *,
    chunk: int = CHUNK,
) -> None:
    """Print the table ``make_table()`` with one row of ``cells(row)`` per row; nothing without rows.

    ``make_table`` returns a new table with its title and columns and no rows each time it
    is called; ``rows`` is read twice (a list or a :class:`Replay`); at most ``chunk`` rows'
    cells are held at once, and each chunk is written out before the next is laid out.
    """
    # measured with the very options console.print gives what it prints
    options = _print_options(console)
    widest = _widest(console, options, rows, cells)
    if not widest:
        return

    def table(rows: Iterable[Sequence[RenderableType]]) -> Table:
        made = make_table()
        made.add_row(*widest)
        for row in rows:
            made.add_row(*row)
        return made

    alone = len(_lines(console, options, table([])))
    widest_lines = len(_lines(console, options, table([widest]))) - alone
    head = alone - widest_lines - 1  # title, top border, header and the line under it
    # rows of one line each are laid out a column at a time once the first chunk, laid out
    # by rich, shows that gives the same lines (see .fastrows)
    layout = _layout(console, options, table([]))
    pending: list[Sequence[RenderableType]] = []
    first = True

    def write(last: bool) -> None:
        nonlocal layout
        mine = layout.rows(console, pending, last=last) if layout is not None else None
        if mine is not None and not first:
            console.print(_Lines(mine))
            return
        head_lines, body = _Part(table(pending), options, head, widest_lines, first=first, last=last).lines(
            console
        )
        if first and (mine is None or not _same(console, mine, body)):
            layout = None
        console.print(_Lines(head_lines + body))

    size = max(1, chunk)
    for row in rows:
        pending.append(cells(row))
        if len(pending) == size:
            write(last=False)
            pending, first = [], False
    write(last=True)
