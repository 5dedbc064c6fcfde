"""The documentation stays true: the CLI reference matches ``--help``, the guide's example works."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from riskscreen.cli.main import build_parser, main

DOCS = Path(__file__).parents[1] / "docs"


def help_texts(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    parser = build_parser()
    texts = {"riskscreen --help": parser.format_help()}
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in commands.choices.items():
        texts[f"riskscreen {name} --help"] = command.format_help()
    return texts


def test_cli_reference_matches_every_commands_help(monkeypatch: pytest.MonkeyPatch) -> None:
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"```text\n\$ (riskscreen[^\n]*--help)\n(.*?)```", page, flags=re.S))
    for command, text in help_texts(monkeypatch).items():
        assert command in documented, f"docs/cli.md has no `$ {command}` block"
        assert documented[command] == text, (
            f"docs/cli.md is out of step with `{command}` (at COLUMNS=100); replace its block with:\n{text}"
        )
        if command != "riskscreen --help":
            assert f"\n## {command.removesuffix(' --help')}\n" in page


def guide_blocks() -> list[str]:
    guide = (DOCS / "rule-authoring.md").read_text(encoding="utf-8")
    return re.findall(r"```yaml\n(.*?)```", guide, flags=re.S)


def test_the_guides_pack_and_cases_lint_clean_and_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = next(b for b in guide_blocks() if b.lstrip("#").split("\n", 1)[1].startswith("pack: quarry"))
    cases = next(b for b in guide_blocks() if "\ntests:\n" in b)
    folder = tmp_path / "my_packs"
    folder.mkdir()
    (folder / "quarry.yaml").write_text(pack, encoding="utf-8")
    (folder / "quarry.test.yaml").write_text(cases, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["lint", "my_packs/", "--strict"]) == 0
    assert capsys.readouterr().out == "no problems in 2 files\n"
    assert main(["test", "my_packs/", "--coverage", "--fail-under", "100"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("4 passed, 0 failed\n")
    guide = (DOCS / "rule-authoring.md").read_text(encoding="utf-8")
    for line in out.splitlines()[:5]:
        assert line in guide, f"the guide's coverage output is out of date: {line!r}"
