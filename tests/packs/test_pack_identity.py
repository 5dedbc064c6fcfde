"""A pack is identified by its file and its content, not by how its path is shown.

A rules repository that holds a copy of the shipped ``rules/`` folder is the usual case: a
byte-for-byte copy is the same pack, loaded once (and lint says so once); an edited copy
is a different pack with the same ids, refused at the copy's file and line.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from riskscreen import Screener
from riskscreen._paths import builtin_rules_dir
from riskscreen.errors import RuleLoadError
from riskscreen.lint import lint

FLOOD = {
    "id": "f-1",
    "kind": "sensor",
    "category": "flood",
    "reported_at": "2026-07-01T09:00:00+08:00",
    "location": {"village": "河口村"},
    "attrs": {"water_level_m": 30.5, "warning_level_m": 30.0},
}


@pytest.fixture
def local_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``./rules/flood.yaml``, a copy of the shipped pack, with the working folder beside it."""
    (tmp_path / "rules").mkdir()
    shutil.copy(builtin_rules_dir() / "flood.yaml", tmp_path / "rules" / "flood.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "rules" / "flood.yaml"


def test_an_identical_copy_is_the_same_pack_loaded_once(local_rules: Path) -> None:
    plain = Screener()
    with_copy = Screener(["rules"])
    assert [p.id for p in with_copy.ruleset.packs] == [p.id for p in plain.ruleset.packs]
    assert with_copy.ruleset.copies == (("./rules/flood.yaml", "rules/flood.yaml"),)
    result = with_copy.screen(FLOOD)
    assert result.alert is not None
    ids = [f.rule_id for f in result.alert.findings]
    assert ids.count("FLOOD-001") == 1
    assert result.alert.score == plain.screen(FLOOD).alert.score  # type: ignore[union-attr]


def test_an_edited_copy_is_a_duplicate_error_at_the_copy(local_rules: Path) -> None:
    text = local_rules.read_text(encoding="utf-8")
    local_rules.write_text(text.replace("version: 1.0.0", "version: 1.0.1", 1), encoding="utf-8")
    with pytest.raises(RuleLoadError) as caught:
        Screener(["rules"])
    problems = caught.value.problems
    pack = [p for p in problems if p.code == "RS302"]
    assert len(pack) == 1
    assert str(pack[0].location).startswith("./rules/flood.yaml:")
    assert "already used in rules/flood.yaml:" in pack[0].message
    assert "shipped with riskscreen" in pack[0].message
    assert {p.code for p in problems} == {"RS302", "RS303"}
    assert all(p.location.path == "./rules/flood.yaml" for p in problems)


def test_lint_says_a_copy_once_and_does_not_lint_it_twice(local_rules: Path) -> None:
    report = lint(["rules"])
    assert [(p.location.path, p.code) for p in report.problems] == [("./rules/flood.yaml", "RS507")]
    assert "rules/flood.yaml" in report.problems[0].message
    assert report.exit_code() == 0


def test_one_file_named_twice_is_loaded_once(local_rules: Path) -> None:
    screener = Screener(["rules", "rules/flood.yaml", str(local_rules.resolve())], builtin=False)
    assert [p.id for p in screener.ruleset.packs] == ["flood"]
    assert screener.ruleset.copies == ()


def test_a_pack_under_a_folder_on_sys_path_keeps_the_path_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a script's own folder is on sys.path; its packs are not a package's files
    from riskscreen.packs.discovery import display_path

    (tmp_path / "packs").mkdir()
    pack = tmp_path / "packs" / "flood.yaml"
    shutil.copy(builtin_rules_dir() / "flood.yaml", pack)
    (tmp_path / "vendor_pkg" / "rules").mkdir(parents=True)
    (tmp_path / "vendor_pkg" / "__init__.py").write_text("", encoding="utf-8")
    packaged = tmp_path / "vendor_pkg" / "rules" / "flood.yaml"
    monkeypatch.syspath_prepend(str(tmp_path))
    assert display_path(pack) == pack.as_posix()
    assert display_path(packaged) == "vendor_pkg/rules/flood.yaml"
