"""``riskscreen explain``: why each rule fired or not for one observation."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import Any

from ..i18n import language, text
from ..readers import FORMATS, read_records
from ..screener import UnreadableRecord
from .common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, add_rule_options, build_screener

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``explain``."""
    parser = commands.add_parser(
        "explain",
        help="why each rule fired or not for one observation",
        description="Explain one observation: for every candidate rule, whether it fired, did not fire, "
        "lacked evidence (and what was missing), was excluded by 'unless', was outside its validity "
        "dates or jurisdiction, or was disabled by an override; which clause decided; and the values "
        "it read. Exit code: 0 when explained, 1 when the observation is invalid or not found or a rule "
        "id given is not loaded, 2 on a usage or rule-load error.",
    )
    parser.add_argument(
        "file",
        metavar="FILE",
        nargs="?",
        help="observation file (JSON, JSONL or CSV); - reads stdin (not needed with --show-code)",
    )
    parser.add_argument(
        "--show-code",
        metavar="RULE_ID",
        default=None,
        help="print the Python the rule is compiled to (its when, unless and the macros they call)",
    )
    parser.add_argument(
        "--id",
        dest="observation_id",
        metavar="ID",
        default=None,
        help="the observation to explain (may be left out when FILE holds one observation)",
    )
    parser.add_argument(
        "--rule",
        dest="rule_ids",
        action="append",
        default=None,
        metavar="RULE_ID",
        help="explain only this rule or plugin check, even one for another category (repeatable)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument(
        "--input-format", choices=FORMATS, default=None, help="input format (default: from name or content)"
    )
    add_rule_options(parser)
    parser.set_defaults(handler=run)


def _find(args: argparse.Namespace) -> Mapping[str, Any] | str:
    """The record to explain, or a message saying why there is none."""
    try:
        records = list(read_records(args.file, args.input_format))
    except OSError as exc:
        return f"cannot read {args.file}: {exc.strerror or exc}"
    if args.observation_id is None:
        if len(records) != 1:
            return text("cli.explain.choose", file=args.file, count=len(records))
        only = records[0]
        if isinstance(only, UnreadableRecord):
            return f"{args.file}: {only.message}"
        return only if isinstance(only, Mapping) else only.model_dump()
    ids: list[str] = []
    for record in records:
        if isinstance(record, UnreadableRecord):
            if record.id == args.observation_id:
                return text("cli.explain.unreadable", id=args.observation_id, message=record.message)
            continue
        data = record if isinstance(record, Mapping) else record.model_dump()
        if str(data.get("id")) == args.observation_id:
            return data
        ids.append(str(data.get("id")))
    shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
    return text("cli.explain.no_id", id=args.observation_id, file=args.file, ids=shown or "-")


def run(args: argparse.Namespace) -> int:
    """Explain the chosen observation; returns the exit code."""
    from ..explain import explain, render_explanation

    if args.show_code is not None:
        return _show_code(args)
    if args.file is None:
        print("riskscreen explain: give an observation FILE (or --show-code RULE_ID)", file=sys.stderr)
        return EXIT_USAGE
    if args.file != "-":
        try:
            with open(args.file, "rb"):
                pass
        except OSError as exc:
            print(text("cli.cannot_read", path=args.file, reason=exc.strerror), file=sys.stderr)
            return EXIT_USAGE
    found = _find(args)
    if isinstance(found, str):
        print(f"riskscreen：{found}" if language() == "zh" else f"riskscreen: {found}", file=sys.stderr)
        return EXIT_ERRORS
    screener = build_screener(args)
    if screener is None:
        return EXIT_USAGE
    explanation = explain(screener, found, rule_ids=args.rule_ids)
    if args.format == "json":
        sys.stdout.write(explanation.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(render_explanation(explanation))
    unknown = [r for r in args.rule_ids or () if explanation.rule(r) is None]
    for rule_id in unknown:
        print(text("cli.explain.unknown_rule", rule_id=rule_id), file=sys.stderr)
    # a mistyped --rule must not pass for an explanation in a script or CI step
    return EXIT_ERRORS if explanation.error is not None or unknown else EXIT_OK


def _show_code(args: argparse.Namespace) -> int:
    """Print the generated Python of one rule."""
    from ..explain.code import UnknownRuleError, generated_code

    screener = build_screener(args)
    if screener is None:
        return EXIT_USAGE
    try:
        sys.stdout.write(generated_code(screener, args.show_code))
    except UnknownRuleError:
        print(text("cli.explain.unknown_rule", rule_id=args.show_code), file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK
