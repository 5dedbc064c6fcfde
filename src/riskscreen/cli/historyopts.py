"""Options and error reporting shared by ``diff`` and ``backtest``."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ..errors import RuleLoadError
from ..settings import Settings
from .common import EXIT_USAGE, stderr_console

__all__ = [
    "add_archive_argument",
    "add_run_options",
    "failures",
    "progress_reporter",
    "report_failure",
    "run_over_archives",
    "settings_from",
    "write_output",
]


def add_archive_argument(parser: argparse.ArgumentParser) -> None:
    """ARCHIVE... (files, folders, globs)."""
    parser.add_argument(
        "archives",
        nargs="+",
        metavar="ARCHIVE",
        help="archived reports: *.jsonl, *.json, *.csv (each also .gz), *.parquet, folders of them, or globs",
    )


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """``--output``, ``--encoding`` and ``--dask``."""
    parser.add_argument(
        "--output", metavar="FILE", default=None, help="write the report to FILE (default: stdout)"
    )
    parser.add_argument(
        "--encoding", default="utf-8-sig", help="text encoding of JSONL and CSV parts (default: UTF-8)"
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show the lines and rows read on standard error (default: when it is a terminal)",
    )
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="screen in N local worker processes (default: 1; results are identical)",
    )
    parser.add_argument(
        "--dask",
        metavar="ADDRESS",
        default=None,
        help="screen partitions on a Dask cluster: a scheduler address (tcp://host:8786), or local[:N] "
        "for a local cluster of N worker processes; results are identical to a local run",
    )


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes (1 or more), got {text!r}")
    return int(text)


@contextlib.contextmanager
def progress_reporter(args: argparse.Namespace) -> Iterator[Callable[[int], None] | None]:
    """A callback showing the lines and rows read on standard error, or None when progress is off."""
    console = stderr_console()
    show = args.progress if args.progress is not None else console.is_terminal
    if not show:
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("{task.completed:,} lines and rows read"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("read", total=None)
        yield lambda count: progress.update(task, completed=count)


def settings_from(args: argparse.Namespace) -> Settings | None:
    """The settings the timezone options describe, or None after printing why not."""
    try:
        return Settings(default_timezone=args.timezone, local_timezone=args.local_timezone)
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"])
            print(f"riskscreen: {where}: {error['msg'].removeprefix('Value error, ')}", file=sys.stderr)
        return None


def failures() -> tuple[type[Exception], ...]:
    """What diff and backtest turn into exit code 2 (imported when a command runs)."""
    from ..diffing.archives import ArchiveError
    from ..diffing.execute import DaskError
    from ..diffing.sides import SideError

    return (SideError, ArchiveError, DaskError, RuleLoadError, ValueError)


def report_failure(exc: Exception) -> int:
    """Print a usage or load error (which side, where, every problem); returns exit code 2."""
    from ..diffing.sides import SideError

    if isinstance(exc, SideError):
        for line in exc.problems:
            print(line, file=sys.stderr)
    elif isinstance(exc, RuleLoadError):
        for problem in exc.problems:
            print(str(problem), file=sys.stderr)
        exc = RuntimeError(f"rule set not loaded: {len(exc.problems)} problems")
    print(f"riskscreen: {exc}", file=sys.stderr)
    return EXIT_USAGE


def write_output(text: str, output: str | None) -> None:
    """Write the report to ``output`` (a file) or standard output."""
    if output is None:
        sys.stdout.write(text)
        return
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_text(text, encoding="utf-8")


Result = TypeVar("Result")


def run_over_archives(args: argparse.Namespace, api: Callable[..., Result], **specific: Any) -> Result | int:
    """Call ``diff`` or ``backtest`` with the options both commands share, and ``specific``.

    Returns the API's result, or the exit code when the settings or the run failed (the
    failure already reported on standard error).
    """
    settings = settings_from(args)
    if settings is None:
        return EXIT_USAGE
    try:
        with progress_reporter(args) as progress:
            return api(
                args.archives,
                rules=args.rules,
                builtin=not args.no_builtin,
                settings=settings,
                disable_plugins=args.disable_plugin,
                dask=args.dask,
                jobs=args.jobs,
                encoding=args.encoding,
                progress=progress,
                **specific,
            )
    except Exception as exc:
        if not isinstance(exc, failures()):
            raise
        return report_failure(exc)
