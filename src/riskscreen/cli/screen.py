"""``riskscreen screen``: alerts for observations from files or standard input."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar, get_args

from ..i18n import language, text
from ..models import BatchWarning, ErrorRecord, Priority
from ..parallel import AUTO_READ_AHEAD, FORKED_READ_AHEAD, Job, auto_jobs, can_fork, map_records
from ..readers import FORMATS, read_files
from ..screener import Screener
from .common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    add_rule_options,
    build_screener,
    stderr_console,
    stdout_console,
)
from .dbopts import now_from, parse_time
from .notices import print_summarised
from .output import summary_line
from .spilled import SpilledOutput

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["add_parser", "run"]

T = TypeVar("T")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``screen``."""
    parser = commands.add_parser(
        "screen",
        help="alerts for observations (JSON, JSONL, CSV)",
        description="Screen observations and print prioritized alerts. Exit code: 0 when every record "
        "was screened, 1 when some records were errors, 2 on a usage or rule-load error.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="observation files; - reads standard input")
    parser.add_argument(
        "--format",
        choices=("table", "json", "jsonl", "csv"),
        default="table",
        help="output format (default: %(default)s)",
    )
    parser.add_argument(
        "--input-format",
        choices=FORMATS,
        default=None,
        help="input format (default: from the file name or content)",
    )
    parser.add_argument(
        "--encoding",
        default="utf-8-sig",
        help="text encoding of the input files, e.g. gbk (default: UTF-8, with or without a BOM)",
    )
    parser.add_argument(
        "--min-priority",
        choices=get_args(Priority),
        default=None,
        help=(
            "show only alerts and undecided records of this priority or higher, or that could be"
            " (P1 is highest); the summary still counts all"
        ),
    )
    parser.add_argument(
        "--limit",
        type=_positive,
        default=None,
        metavar="N",
        help="table: show the N most urgent alerts (P1 first; the counts and the P1 alerts are repeated "
        "at the end either way)",
    )
    parser.add_argument(
        "--now",
        metavar="TIME",
        type=parse_time,
        default=None,
        help="table: the time deadlines are overdue (逾期) against, ISO 8601 (default: the clock)",
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar on standard error (default: when it is a terminal)",
    )
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default="auto",
        metavar="N",
        help="screen in N processes, this one included (same output as serial); auto: one per CPU in "
        "priority order once the input passes 2,048 records (10,000 where workers cannot be forked), "
        "else 1 (default: %(default)s)",
    )
    parser.add_argument(
        "--order",
        choices=("priority", "input"),
        default="priority",
        help="json, jsonl, csv: most urgent alert first (sorted on disk, memory bounded), or input order "
        "(written as screened; the table is always most urgent first) (default: %(default)s)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="an attrs key the category does not declare makes the record an error record "
        "(default: a warning with a did-you-mean)",
    )
    add_rule_options(parser)
    parser.set_defaults(handler=run)


def _at_least_one(what: str) -> Callable[[str], int]:
    """An argparse type for a count of ``what`` that must be 1 or more."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = 0
        if value < 1:
            raise argparse.ArgumentTypeError(f"expected a number of {what} (1 or more), got {text!r}")
        return value

    return parse


_positive = _at_least_one("alerts")
_processes = _at_least_one("processes")


def _jobs(text: str) -> int | str:
    """``--jobs``: a number of processes, or ``auto``."""
    return "auto" if text == "auto" else _processes(text)


def _progress_console(choice: bool | None) -> Console | None:
    """The console to show progress on (``--progress`` / ``--no-progress``, else a terminal).

    rich is imported only when it may be needed: without a terminal on standard error (or
    the variables that make rich take one for a terminal), it would say "not a terminal".
    """
    if choice is False:
        return None
    forced = "FORCE_COLOR" in os.environ or "TTY_COMPATIBLE" in os.environ
    if choice is None and not sys.stderr.isatty() and not forced:
        return None
    console = stderr_console()
    return console if choice or console.is_terminal else None


def _results(screener: Screener, args: argparse.Namespace, job: Job[T]) -> Iterator[T]:
    """``job`` run on every record of the files (in ``--jobs`` workers), with a progress bar."""
    records = read_files(args.files, args.input_format, args.encoding, lines=True)
    # --order input writes each record as it is screened: reading ahead, workers' chunks or
    # chunks screened category by category would hold back a pipe that brings records one by one
    streaming = args.order == "input"
    console = _progress_console(args.progress)
    # the workers are forked with the screener built (see riskscreen.parallel): this process
    # has written nothing yet and, without a progress bar, runs no other thread; a plugin
    # from elsewhere might hold what a fork must not copy (an open connection)
    fork = screener.plugin_host.shipped_only
    jobs, read_ahead = args.jobs, 0
    if jobs == "auto":
        jobs = 1 if streaming else auto_jobs()
        # forked workers start at once, so they pay on a smaller input; a progress bar runs a
        # thread of its own (started below), and then workers are started fresh
        forked = fork and console is None and can_fork()
        read_ahead = FORKED_READ_AHEAD if forked else AUTO_READ_AHEAD
    results = map_records(
        screener, screener.spec, records, jobs, job, read_ahead=read_ahead, streaming=streaming, fork=fork
    )
    if console is None:
        yield from results
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (
        SpinnerColumn(),
        TextColumn("screening"),
        BarColumn(),
        TextColumn("{task.completed} records"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("screen", total=None)
        for result in results:
            progress.advance(task)
            yield result


def _notices(errors: Iterable[ErrorRecord], warnings: Iterable[BatchWarning]) -> Iterator[str]:
    """One line per error record, then one per warning."""
    for error in errors:
        # a message about several fields names each itself
        named = not error.field or error.message.startswith(error.field)
        where = "" if named else text("record.fields", field=error.field, message="")
        no_id = text("cli.no_id")
        yield text(
            "cli.record_error", line=error.index + 1, id=error.id or no_id, field=where, message=error.message
        )
    for warning in warnings:
        yield text(
            "cli.record_warning", line=warning.index + 1, id=warning.id or "-", message=warning.message
        )


def run(args: argparse.Namespace) -> int:
    """Screen the files and write the alerts; returns the exit code."""
    if args.files.count("-") > 1:
        print(text("cli.stdin_twice"), file=sys.stderr)
        return EXIT_USAGE
    for path in args.files:
        if path != "-":
            try:
                with open(path, "rb"):
                    pass
            except OSError as exc:
                print(text("cli.cannot_read", path=path, reason=exc.strerror), file=sys.stderr)
                return EXIT_USAGE
    screener = build_screener(args)
    if screener is None:
        return EXIT_USAGE
    if args.format != "table":
        return _write_spilled(screener, args)
    # the table with bounded memory too: what it shows is spilled to disk as screened
    from .tablestream import TableOutput  # rich's tables: imported for the table only

    output = TableOutput(screener.settings, min_priority=args.min_priority)
    # screened and made into the table's lines in one job (with --jobs, in the workers)
    for item in _results(screener, args, output.job()):
        output.add_compact(item)

    summary = output.write(stdout_console(highlight=False), now=now_from(args), limit=args.limit)
    return EXIT_ERRORS if summary.errors else EXIT_OK


def _write_spilled(screener: Screener, args: argparse.Namespace) -> int:
    """JSON, JSONL or CSV with bounded memory: sorted on disk, or written in input order."""
    output = SpilledOutput(sys.stdout, args.format, min_priority=args.min_priority, order=args.order)
    # screened and encoded in one job: with --jobs, the workers send back encoded text
    for item in _results(screener, args, output.job()):
        output.add(item)
    summary, errors, warnings = output.finish()
    if args.format != "json":
        # plain lines, one per error, so logs can be read line by line; the first ones only
        # (every one is in --format json), records numbered from 1 as people count lines
        print_summarised(_notices(errors, warnings), what="cli.what.notices", where="cli.where.json")
        print(summary_line(summary, chinese=language() == "zh"), file=sys.stderr)
    return EXIT_ERRORS if summary.errors else EXIT_OK
