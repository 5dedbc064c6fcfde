"""``riskscreen categories [NAME]``: the categories and what each attribute means."""

from __future__ import annotations

import argparse
import difflib
import json
import sys

from rich.table import Table

from ..attributes import AttributeInfo
from .common import EXIT_OK, EXIT_USAGE, add_rule_options, build_screener, stdout_console

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``categories``."""
    parser = commands.add_parser(
        "categories",
        help="the categories and their attributes: type, unit, meaning",
        description="List every category the loaded packs and plugins know, with each attribute's "
        "type, unit and meaning (what a report may carry in attrs). "
        "'--format md' writes the reference page: riskscreen categories --format md > docs/categories.md",
    )
    parser.add_argument("name", nargs="?", default=None, help="show only this category")
    parser.add_argument("--format", choices=("table", "json", "md"), default="table", help="output format")
    add_rule_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the reference; returns the exit code."""
    from ..attributes import category_reference
    from ..attributes_md import reference_markdown

    screener = build_screener(args)
    if screener is None:
        return EXIT_USAGE
    registry = screener.ruleset.registry
    if args.name is not None and args.name not in registry.names:
        close = difflib.get_close_matches(args.name, registry.names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        print(f"riskscreen: unknown category {args.name!r}{hint}", file=sys.stderr)
        return EXIT_USAGE
    categories = category_reference(registry, None if args.name is None else [args.name])
    if args.format == "json":
        document = [c.as_dict() for c in categories]
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "md":
        sys.stdout.write(reference_markdown(categories))
    else:
        console = stdout_console(highlight=False)
        for category in categories:
            title = f"{category.name}（{category.title}）" if category.title else category.name
            table = Table(title=title, title_justify="left")
            table.add_column("属性 attribute", no_wrap=True)
            table.add_column("类型", no_wrap=True)
            table.add_column("单位", no_wrap=True)
            # Chinese has no spaces to wrap at: fold, never cut a description short
            table.add_column("说明 meaning", overflow="fold")
            for a in category.attributes:
                table.add_row(a.name, a.type_text(), a.unit or "", _meaning(a))
            if not category.attributes:
                table.add_row("—", "", "", "无类别属性 (no attributes declared)")
            console.print(table)
    return EXIT_OK


def _meaning(attribute: AttributeInfo) -> str:
    """The description, with the allowed values when it does not already list them."""
    text = attribute.description or ""
    if attribute.values and attribute.values[0] not in text:
        text = (
            f"{text}（取值：{'、'.join(attribute.values)}）"
            if text
            else f"取值：{'、'.join(attribute.values)}"
        )
    return text
