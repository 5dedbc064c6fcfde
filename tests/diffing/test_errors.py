"""Usage and load errors exit 2 and say which side and where; nothing is screened half-loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from riskscreen.cli.main import main

from .archive import BASE, HEAD
from .gitrepo import commit_all, init_repo

ARCHIVE = str(Path(__file__).parents[1] / "data" / "diff" / "archive")


def _fails(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = init_repo(tmp_path / "repo")
    shutil.copytree(BASE, root / "packs")
    commit_all(root, "packs")
    monkeypatch.chdir(root)
    return root


def test_a_git_ref_that_does_not_exist(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _fails(["diff", ARCHIVE, "--base", "no-such-branch", "--rules", "packs", "--no-builtin"], capsys)
    assert f"riskscreen: base: no-such-branch: no such folder, and no such git ref in {repo.resolve()}" in err


def test_a_ref_at_which_the_paths_hold_no_packs(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "new_packs").mkdir()
    shutil.copy(HEAD / "quarry.yaml", repo / "new_packs" / "quarry.yaml")
    err = _fails(["diff", ARCHIVE, "--base", "HEAD", "--rules", "new_packs", "--no-builtin"], capsys)
    assert "riskscreen: base: HEAD:new_packs: no rule packs (*.yaml) at this ref" in err


def test_a_base_folder_without_packs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    err = _fails(
        ["diff", ARCHIVE, "--base", str(tmp_path / "empty"), "--head", str(HEAD), "--no-builtin"], capsys
    )
    assert f"riskscreen: base: {tmp_path / 'empty'}: no rule packs (*.yaml) here" in err


def test_a_head_pack_that_does_not_load_names_the_side_and_the_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = repo / "packs" / "quarry.yaml"
    pack.write_text(pack.read_text(encoding="utf-8").replace("volume_m3 > 100\n", "volum_m3 > 100\n"))
    err = _fails(["diff", ARCHIVE, "--base", "HEAD", "--rules", "packs", "--no-builtin"], capsys)
    assert "packs/quarry.yaml:15:17: unknown attribute 'volum_m3'; did you mean 'volume_m3'?" in err
    assert "riskscreen: head: packs: rule set not loaded: 1 problem" in err


def test_a_base_pack_that_does_not_load_is_named_at_its_ref(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = repo / "packs" / "quarry.yaml"
    good = pack.read_text(encoding="utf-8")
    pack.write_text(good.replace("severity: low", "severity: dire"), encoding="utf-8")
    commit_all(repo, "a broken pack")
    pack.write_text(good, encoding="utf-8")
    err = _fails(["diff", ARCHIVE, "--base", "HEAD", "--rules", "packs", "--no-builtin"], capsys)
    assert "HEAD:packs/quarry.yaml:26:15: rules.2.severity:" in err
    assert "riskscreen: base: HEAD:packs: rule set not loaded: 1 problem" in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--fail-if", "p1_up>3"], "expected METRIC>N"),
        (["--fail-if", "p1_increase<3"], "metrics and flags: p1_increase"),
        (["--dask", "local:zero"], "--dask local:N needs a number of workers"),
    ],
)
def test_malformed_options(extra: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    err = _fails(["diff", ARCHIVE, "--base", str(BASE), "--head", str(HEAD), "--no-builtin", *extra], capsys)
    assert message in err


def test_packs_must_be_named(capsys: pytest.CaptureFixture[str]) -> None:
    err = _fails(["diff", ARCHIVE, "--base", str(BASE)], capsys)
    assert "name the packs to compare: --rules PATH (or --head PATH)" in err


def test_backtest_archive_errors(capsys: pytest.CaptureFixture[str]) -> None:
    err = _fails(["backtest", "no/such/archive.jsonl", "--rules", str(HEAD), "--no-builtin"], capsys)
    assert "riskscreen: no/such/archive.jsonl: no such file or folder" in err


def test_a_mistyped_head_path_is_named_before_the_base_is_read(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _fails(["diff", ARCHIVE, "--base", "HEAD", "--rules", "pakcs", "--no-builtin"], capsys)
    assert "riskscreen: head: pakcs: no such file or folder" in err
