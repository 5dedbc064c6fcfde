"""``--no-builtin`` without ``--rules`` would screen with no rule at all: a usage error, everywhere."""

from __future__ import annotations

import argparse

import pytest

from riskscreen.cli.main import build_parser, main

SAMPLE = "examples/observations.jsonl"

#: Each command that screens, with the arguments it needs besides the rule options.
COMMANDS = {
    "screen": [SAMPLE],
    "rules": [],
    "explain": [SAMPLE, "--id", "obs-0001"],
    "track": [SAMPLE],
    "backtest": [SAMPLE],
    "categories": [],
    "schema": ["observation"],
}


def test_every_command_with_rule_options_is_listed() -> None:
    """``diff`` takes its packs from --base/--head as well and checks them itself."""
    parser = build_parser()
    subcommands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    with_options = {
        name for name, sub in subcommands.choices.items() if sub.get_default("rules_needed_without_builtin")
    }
    assert with_options == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_no_builtin_without_rules_is_a_usage_error(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, *COMMANDS[command], "--no-builtin"]) == 2
    err = capsys.readouterr().err
    assert "--no-builtin" in err and "--rules" in err


def test_no_builtin_with_rules_screens(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["screen", SAMPLE, "--no-builtin", "--rules", "rules/flood.yaml", "--format", "json"])
    assert code in (0, 1)
    assert '"summary"' in capsys.readouterr().out
