"""``riskscreen schema``: JSON Schema of rule packs, case files and observations."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .common import EXIT_OK, EXIT_USAGE, add_rule_options, build_screener

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``schema``."""
    parser = commands.add_parser(
        "schema",
        help="JSON Schema of rule packs, *.test.yaml files or observations",
        description="Print the JSON Schema (draft 2020-12) of a rule pack ('rules'), a *.test.yaml case "
        "file ('tests'), an observation ('observation', with the attributes of every category the "
        "rule set declares) or a law catalogue, laws.yaml ('laws'). "
        "Editors use it to check and complete YAML: "
        "save it and put '# yaml-language-server: $schema=<path>' on the first line of a pack.",
    )
    parser.add_argument("kind", choices=("rules", "tests", "observation", "laws"), help="which schema")
    parser.add_argument("--output", metavar="FILE", default=None, help="write to FILE, not stdout")
    # the observation's attrs are described per category: those of this rule set
    add_rule_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print or write the schema; returns the exit code."""
    from ..attributes import category_reference
    from ..schemas import json_schema

    categories = None
    if args.kind == "observation" and (args.rules or args.no_builtin or args.disable_plugin):
        screener = build_screener(args)
        if screener is None:
            return EXIT_USAGE
        categories = category_reference(screener.ruleset.registry)
    text = json.dumps(json_schema(args.kind, categories=categories), ensure_ascii=False, indent=2) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"riskscreen: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK
