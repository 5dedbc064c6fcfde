"""Options shared by the commands that read or write the history store: ``--db`` and ``--now``.

``track``, ``cases``, ``db`` and ``report`` use these so that they name the database and
the current time the same way, and map every store error to exit code 2.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..store.errors import StoreError
from ..store.messages import say
from ..store.url import default_url
from .common import EXIT_USAGE

if TYPE_CHECKING:
    from ..screener import Screener
    from ..store.options import TrackerOptions
    from ..store.tracker import Tracker

__all__ = [
    "NAIVE_ZONE",
    "add_db_options",
    "handles_store_errors",
    "now_from",
    "open_tracker",
    "parse_time",
    "store_url",
]

#: The zone of a ``--now`` given without an offset.
NAIVE_ZONE = ZoneInfo("Asia/Shanghai")


def parse_time(text: str) -> datetime:
    """An ISO 8601 time (``2026-11-30T09:00+08:00``; a date means its midnight) for ``--now``.

    A time without an offset is read in Asia/Shanghai.
    """
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO 8601 time such as 2026-11-30T09:00:00+08:00, got {text!r}"
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=NAIVE_ZONE)


def add_db_options(parser: argparse.ArgumentParser, *, now: bool = True) -> None:
    """``--db URL`` and (unless ``now=False``) ``--now TIME``."""
    group = parser.add_argument_group("history store")
    group.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="database URL, e.g. sqlite:///cases.db or postgresql://host/db "
        "(default: $RISKSCREEN_DB, else sqlite:///riskscreen.db)",
    )
    if now:
        group.add_argument(
            "--now",
            metavar="TIME",
            type=parse_time,
            default=None,
            help="the current time, ISO 8601 (default: the clock; without an offset: Asia/Shanghai)",
        )


def store_url(args: argparse.Namespace) -> str:
    """The database URL the options name."""
    return default_url(getattr(args, "db", None))


def now_from(args: argparse.Namespace) -> datetime:
    """``--now``, or the clock in Asia/Shanghai."""
    value: datetime | None = getattr(args, "now", None)
    return value if value is not None else datetime.now(NAIVE_ZONE)


def open_tracker(
    args: argparse.Namespace, screener: Screener | None = None, options: TrackerOptions | None = None
) -> Tracker:
    """The tracker for ``--db``; raises :class:`~riskscreen.store.StoreError` subclasses."""
    from ..store.tracker import Tracker  # SQLAlchemy loads only for commands that need it

    return Tracker(screener, store_url(args), options=options)


Handler = Callable[[argparse.Namespace], int]


def handles_store_errors(handler: Handler) -> Handler:
    """Wrap a command so that a store error prints ``riskscreen: message`` and exits with 2."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except StoreError as exc:
            print(say("error_line", message=exc), file=sys.stderr)
            return EXIT_USAGE

    return run
