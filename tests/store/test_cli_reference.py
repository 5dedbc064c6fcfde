"""The CLI reference shows the actions of ``cases`` and ``db`` exactly as their ``--help`` does."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from riskscreen.cli.main import build_parser

PAGE = Path(__file__).parents[2] / "docs" / "cli.md"


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    found = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(found.choices)


@pytest.mark.parametrize("command", ["cases", "db"])
def test_every_action_is_documented_as_its_help_prints_it(
    command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    page = PAGE.read_text(encoding="utf-8")
    documented = dict(re.findall(r"```text\n\$ (riskscreen[^\n]*--help)\n(.*?)```", page, flags=re.S))
    actions = _subcommands(_subcommands(build_parser())[command])
    assert actions
    for name, action in actions.items():
        key = f"riskscreen {command} {name} --help"
        assert key in documented, f"docs/cli.md has no `$ {key}` block"
        assert documented[key] == action.format_help(), (
            f"docs/cli.md is out of step with `{key}` (at COLUMNS=100); replace its block with:\n"
            f"{action.format_help()}"
        )
