"""``riskscreen lint --db URL``: the rule-precision check, fed from the history store."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..store.errors import StoreError
from .dbopts import add_db_options, open_tracker
from .report import missing_store

if TYPE_CHECKING:
    from ..lint.base import Check

__all__ = ["add_precision_options", "precision_checks"]


def _fraction(text: str) -> float:
    try:
        value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(
            f"expected a precision between 0 and 1 (or 0% to 100%), got {text!r}"
        )
    return value


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def add_precision_options(parser: argparse.ArgumentParser) -> None:
    """``--db`` (turns the check on), ``--min-precision`` and ``--min-dispositions``."""
    add_db_options(parser, now=False)
    group = parser.add_argument_group("rule precision (with --db)")
    group.add_argument(
        "--min-precision",
        type=_fraction,
        default=0.5,
        metavar="P",
        help="RS510 warns about a rule whose confirmed / (confirmed + false alarms) is below P, "
        "e.g. 0.5 or 50%% (default: 0.5)",
    )
    group.add_argument(
        "--min-dispositions",
        type=_count,
        default=10,
        metavar="N",
        help="...once it has at least N confirmed or false-alarm dispositions (default: %(default)s)",
    )


def precision_checks(args: argparse.Namespace) -> tuple[Check, ...] | None:
    """Every lint check, plus RS510 when ``--db`` is given; None after printing a store error."""
    from ..lint import CHECKS
    from ..lint.precision import LowPrecisionRule
    from ..report import rule_precision

    if args.db is None:
        return CHECKS
    missing = missing_store(args)
    if missing:
        print(missing, file=sys.stderr)
        return None
    try:
        with open_tracker(args) as tracker:
            rows = rule_precision(tracker.cases())
    except StoreError as exc:
        print(f"riskscreen: {exc}", file=sys.stderr)
        return None
    check = LowPrecisionRule(rows, min_precision=args.min_precision, min_dispositions=args.min_dispositions)
    return (*CHECKS, check)
