"""``riskscreen test``: run ``*.test.yaml`` rule regression cases, with rule coverage."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..i18n import text
from .common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``test``."""
    parser = commands.add_parser(
        "test",
        help="run *.test.yaml rule regression cases; --coverage",
        description="Run the rule regression cases in *.test.yaml files (the same cases pytest collects). "
        "Each file screens with the shipped packs (unless it says 'builtin: false' or --no-builtin is "
        "given), the packs in its own folder, those it names under 'rules:' and those given with "
        "--rules. Prints every failure with expected against actual and the explanation of the rules "
        "involved, then 'N passed, M failed'. Exit code: 0 when every case passed (and coverage "
        "reached --fail-under), 1 otherwise, 2 when no case file was found or a path does not exist.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        default=["."],
        metavar="PATH",
        help="case files, pack files (their folder's cases run) or folders searched for *.test.yaml "
        "(default: the current folder)",
    )
    parser.add_argument(
        "--coverage",
        action="store_true",
        help="report, for every rule in packs under PATHS, whether a passing case made it fire "
        "(listed under 'fires') and one held it silent ('not_fires')",
    )
    parser.add_argument(
        "--fail-under",
        type=float,
        default=None,
        metavar="PERCENT",
        help="exit 1 when rule coverage is below PERCENT (implies --coverage)",
    )
    parser.add_argument(
        "--all-rules",
        action="store_true",
        help="count every loaded rule and plugin check, shipped ones included, not only those in packs "
        "under PATHS",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument("-v", "--verbose", action="store_true", help="also list the cases that passed")
    group = parser.add_argument_group("rule set")
    group.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="PATH",
        help="add a rule pack file or folder to every case file's rule set (repeatable); its rules "
        "count for --coverage",
    )
    group.add_argument(
        "--no-builtin",
        action="store_true",
        help="screen every case file without the shipped packs and plugins, even one that says "
        "'builtin: true'",
    )
    # a case file brings its own folder's packs, so --no-builtin alone still screens with rules
    parser.set_defaults(handler=run, rules_needed_without_builtin=False)


def run(args: argparse.Namespace) -> int:
    """Run the cases and print the report; returns the exit code."""
    from ..testing import case_files_for, rule_coverage, rules_of, rules_under, run_case_files

    missing = [p for p in (*args.paths, *args.rules) if not Path(p).exists()]
    for path in missing:
        print(text("cli.no_such_path", path=path), file=sys.stderr)
    if missing:
        return EXIT_USAGE
    if not case_files_for(args.paths):
        shown = ", ".join(args.paths)
        print(text("cli.no_cases", paths=shown), file=sys.stderr)
        return EXIT_USAGE
    result = run_case_files(args.paths, rules=args.rules, builtin=not args.no_builtin)
    coverage = None
    if args.coverage or args.fail_under is not None or args.all_rules:
        if args.all_rules:
            scope = list({r.id: r for s in result.screeners for r in rules_of(s)}.values())
        else:
            scope = rules_under(result.screeners, [*args.paths, *args.rules])
        coverage = rule_coverage(result.runs, scope)
    below = coverage is not None and args.fail_under is not None and coverage.percent < args.fail_under
    if args.format == "json":
        document = {
            "cases": [
                {
                    "where": run.where,
                    "name": run.name,
                    "passed": run.passed,
                    "failures": run.outcome.failures if run.outcome else [run.error],
                    "report": None if run.passed else run.report(),
                }
                for run in result.runs
            ],
            "summary": {"passed": result.passed, "failed": result.failed},
            "coverage": coverage.as_dict() if coverage is not None else None,
        }
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        said: set[str] = set()
        for case_run in result.runs:
            if case_run.passed:
                if args.verbose:
                    print(f"PASS {case_run.where} {case_run.name}")
            elif case_run.outcome is None and case_run.error in said:
                # one load error, said once: the other cases of the file only point back to it
                print(f"FAIL case {case_run.name!r} at {case_run.where} could not run (the same problems)\n")
            else:
                print(f"FAIL {case_run.report()}\n")
                if case_run.outcome is None and case_run.error is not None:
                    said.add(case_run.error)
        if coverage is not None:
            print(coverage.render())
            if below:
                print(f"rule coverage {coverage.percent:.1f}% is below --fail-under {args.fail_under:g}%")
        print(result.summary_line())
    return EXIT_ERRORS if result.failed or below else EXIT_OK
