"""``riskscreen cases``: list, show, update, close and escalate the cases in the history store."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any, get_args

from ..models import Priority
from ..store.messages import say
from ..store.models import Case, CaseStatus, Disposition
from .casetable import print_case, print_cases, print_unscreened, table_console
from .common import EXIT_OK
from .dbopts import add_db_options, handles_store_errors, now_from, open_tracker

__all__ = ["add_parser"]


def _actor() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "cli"


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format (default: %(default)s)"
    )
    add_db_options(parser)


def _by(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--by", default=None, help="who the case log names (default: your login name)")
    parser.add_argument("--note", default=None, help="why (kept in the case log)")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``cases`` and its subcommands."""
    parser = commands.add_parser(
        "cases",
        help="list, show, update, close and escalate cases",
        description="Cases in the history store: repeat reports about one site and category. Exit code: "
        "0 done, 2 on a usage or database error, an unknown case or a change its status does not allow.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser(
        "list",
        help="cases matching every filter given",
        description="List the cases matching every filter given, oldest first, and count the unscreened "
        "(error) records the store keeps.",
    )
    listing.add_argument("--status", action="append", choices=get_args(CaseStatus), help="(repeatable)")
    listing.add_argument("--village", default=None, help="the case's village")
    listing.add_argument("--district", default=None, help="management district (管区)")
    listing.add_argument("--priority", action="append", choices=get_args(Priority), help="(repeatable)")
    listing.add_argument("--category", default=None, help="e.g. fire_safety")
    listing.add_argument(
        "--overdue", action=argparse.BooleanOptionalAction, default=None, help="past respond_by (at --now)"
    )
    listing.add_argument(
        "--unscreened",
        action="store_true",
        help="list the records kept unscreened (error records) instead of cases",
    )
    _common(listing)
    listing.set_defaults(handler=_list)

    show = actions.add_parser(
        "show",
        help="one case with its reports and findings",
        description="Show one case: its fields, its log, and its reports with the findings of each.",
    )
    show.add_argument("case_id", metavar="CASE", help="case id, e.g. C-000001")
    _common(show)
    show.set_defaults(handler=_show)

    change = actions.add_parser(
        "update",
        help="change status or assignee, add a note",
        description="Change a case's status or assignee, add a note, or correct a closed case's disposition.",
    )
    change.add_argument("case_id", metavar="CASE", help="case id, e.g. C-000001")
    change.add_argument("--status", choices=[s for s in get_args(CaseStatus) if s != "closed"], default=None)
    change.add_argument("--assignee", default=None, help="who works on the case (an empty string: nobody)")
    change.add_argument(
        "--disposition", choices=get_args(Disposition), default=None, help="closed cases only"
    )
    _by(change)
    _common(change)
    change.set_defaults(handler=_update)

    close = actions.add_parser(
        "close",
        help="close a case with its disposition",
        description="Close a case as confirmed (the hazard was real and dealt with), false_alarm or "
        "duplicate; the weekly report's rule precision counts these.",
    )
    close.add_argument("case_id", metavar="CASE", help="case id, e.g. C-000001")
    close.add_argument("--disposition", choices=get_args(Disposition), required=True, help="(required)")
    _by(close)
    _common(close)
    close.set_defaults(handler=_close)

    escalate = actions.add_parser(
        "escalate",
        help="move overdue cases one tier up",
        description="Escalate every open case past its deadline one tier (village → district → department → "
        "subdistrict) with a new deadline from its band; never twice for the same deadline.",
    )
    escalate.add_argument("--by", default=None, help="who the case log names (default: riskscreen)")
    _common(escalate)
    escalate.set_defaults(handler=_escalate)


def _dump(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    print()


def _case_json(case: Case) -> dict[str, Any]:
    data: dict[str, Any] = case.model_dump(mode="json")
    return data


@handles_store_errors
def _list(args: argparse.Namespace) -> int:
    if args.unscreened:
        return _unscreened(args)
    with open_tracker(args) as tracker:
        found = tracker.cases(
            status=args.status,
            village=args.village,
            district=args.district,
            priority=args.priority,
            overdue=args.overdue,
            category=args.category,
            now=now_from(args),
        )
        unscreened = len(tracker.unscreened())
    if args.format == "json":
        _dump({"cases": [_case_json(c) for c in found], "count": len(found), "unscreened": unscreened})
    else:
        print_cases(table_console(), found, unscreened)
    return EXIT_OK


def _unscreened(args: argparse.Namespace) -> int:
    with open_tracker(args) as tracker:
        kept = tracker.unscreened()
    if args.format == "json":
        _dump({"unscreened": [r.model_dump(mode="json") for r in kept], "count": len(kept)})
    else:
        print_unscreened(table_console(), kept)
    return EXIT_OK


@handles_store_errors
def _show(args: argparse.Namespace) -> int:
    with open_tracker(args) as tracker:
        detail = tracker.detail(args.case_id, now=now_from(args))
    if args.format == "json":
        reports = [r.model_dump(mode="json") for r in detail.reports]
        for report in reports:
            report["observation"] = detail.observations.get(report["observation_id"])
            report["findings"] = detail.findings.get(report["observation_id"], [])
        _dump({"case": _case_json(detail.case), "reports": reports})
    else:
        print_case(table_console(), detail)
    return EXIT_OK


def _print_one(args: argparse.Namespace, case: Case) -> None:
    if args.format == "json":
        _dump(_case_json(case))
    else:
        print_cases(table_console(), [case], None)


@handles_store_errors
def _update(args: argparse.Namespace) -> int:
    with open_tracker(args) as tracker:
        case = tracker.update(
            args.case_id,
            status=args.status,
            note=args.note,
            assignee=args.assignee,
            disposition=args.disposition,
            by=args.by or _actor(),
            now=now_from(args),
        )
    _print_one(args, case)
    return EXIT_OK


@handles_store_errors
def _close(args: argparse.Namespace) -> int:
    with open_tracker(args) as tracker:
        case = tracker.close_case(
            args.case_id, args.disposition, note=args.note, by=args.by or _actor(), now=now_from(args)
        )
    _print_one(args, case)
    return EXIT_OK


@handles_store_errors
def _escalate(args: argparse.Namespace) -> int:
    with open_tracker(args) as tracker:
        escalated = tracker.escalate(now_from(args), by=args.by or "riskscreen")
    if args.format == "json":
        _dump({"escalated": [_case_json(c) for c in escalated], "count": len(escalated)})
    else:
        print(say("escalated", count=len(escalated), s="" if len(escalated) == 1 else "s"))
        if escalated:
            print_cases(table_console(), escalated, None)
    return EXIT_OK
