"""``riskscreen rules``: the loaded packs and rules."""

from __future__ import annotations

import argparse
import json
import sys

from rich.table import Table

from ..laws.reference import reference_text
from .common import EXIT_OK, EXIT_USAGE, add_rule_options, build_screener, stdout_console
from .rule_stats import add_stats_options, run_stats

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``rules``."""
    parser = commands.add_parser(
        "rules",
        help="the loaded packs, rules and plugins",
        description="List the loaded packs and their rules.",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    add_rule_options(parser)
    add_stats_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the rule set; returns the exit code."""
    screener = build_screener(args)
    if screener is None:
        return EXIT_USAGE
    if args.stats:
        return run_stats(args, screener)
    ruleset = screener.ruleset
    if args.format == "json":
        document = {
            "ruleset": ruleset.digest,
            "packs": [
                {
                    "id": p.id,
                    "version": p.version,
                    "title": p.title,
                    "path": p.path,
                    "applies_to": list(p.applies_to) if p.applies_to else None,
                }
                for p in ruleset.packs
            ],
            "rules": [
                {
                    "id": r.id,
                    "pack": r.pack,
                    "title": r.title,
                    "severity": r.severity,
                    "score": r.score,
                    "enabled": r.enabled,
                    "escalate_to": r.escalate_to,
                    "respond_within": r.respond_within_text,
                    "source": r.source,
                    "tags": list(r.tags),
                    "references": list(r.references),
                }
                for r in ruleset.rules
            ],
            "plugins": [
                {"name": p.name, "version": p.version, "builtin": p.builtin}
                for p in screener.plugin_host.plugins
            ],
            "checks": [
                {
                    "id": c.id,
                    "plugin": plugin,
                    "title": c.title,
                    "severity": c.severity,
                    "references": [reference_text(text) for text in c.references],
                }
                for plugin, c in screener.checks
            ],
        }
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    console = stdout_console(highlight=False)
    plugins = Table(title="插件 (plugins)", pad_edge=False)
    for column in ("plugin", "version", "checks"):
        plugins.add_column(column)
    for plugin in screener.plugin_host.plugins:
        checks = sum(1 for owner, _ in screener.checks if owner == plugin.name)
        version = plugin.version or ("built-in" if plugin.builtin else "")
        plugins.add_row(plugin.name, version, str(checks))
    console.print(plugins)
    packs = Table(title="规则包 (packs)", pad_edge=False)
    for column in ("pack", "version", "rules", "title"):
        packs.add_column(column)
    for pack in ruleset.packs:
        count = sum(1 for r in ruleset.rules if r.pack == pack.id)
        packs.add_row(pack.id, pack.version, str(count), pack.title or "")
    console.print(packs)
    table = Table(title="规则 (rules)", pad_edge=False)
    for column in ("id", "severity", "score", "title"):
        table.add_column(column, overflow="fold")
    for rule in ruleset.rules:
        title = rule.title if rule.enabled else f"{rule.title} (disabled)"
        table.add_row(rule.id, rule.severity, f"{rule.score:g}", title)
    for owner, check in screener.checks:
        table.add_row(check.id, check.severity, "", f"{check.title} (plugin {owner})")
    console.print(table)
    console.print(f"ruleset {ruleset.digest}")
    return EXIT_OK
