"""docs/ci.md: the shell script runs for real in a rules repository; the workflow runs the same commands."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .archive import BASE, HEAD, write_jsonl_folder
from .gitrepo import commit_all, git, init_repo

DOC = Path(__file__).parents[2] / "docs" / "ci.md"

CASES = """\
tests:
  - name: 超量开采
    observation: {category: quarry, attrs: {volume_m3: 300, has_permit: true, zone: 普通, near_water: false}}
    expect: {fires: [Q-001], not_fires: [Q-002, Q-003, Q-005]}
  - name: 无证临水禁采区开采
    observation: {category: quarry, attrs: {volume_m3: 10, has_permit: false, zone: 禁采区, near_water: true}}
    expect: {fires: [Q-002, Q-003, Q-005], not_fires: [Q-001]}
"""


def _script() -> str:
    blocks = re.findall(r"```sh notest\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    return next(b for b in blocks if b.startswith("#!/bin/sh"))


def _workflow() -> dict[Any, Any]:
    block = re.search(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert block is not None
    loaded: dict[Any, Any] = yaml.safe_load(block.group(1))
    return loaded


def _commands(script: str) -> list[str]:
    """The checking commands of the script, as the workflow writes them."""
    lines = [line for line in script.splitlines() if line.startswith(("riskscreen ", "python -m pytest "))]
    return [
        line.removesuffix(" || status=$?").replace('"$BASE_REF"', '"origin/${{ github.base_ref }}"')
        for line in lines
    ]


@pytest.fixture
def rules_repo(tmp_path: Path) -> Path:
    """A rules repository: base packs on main, the change (with its cases) on a branch."""
    repo = init_repo(tmp_path / "rules")
    shutil.copytree(BASE, repo / "packs")
    write_jsonl_folder(repo / "archive")
    (repo / ".gitignore").write_text("reports/\n.pytest_cache/\n", encoding="utf-8")
    commit_all(repo, "packs as they are")
    git(repo, "switch", "-q", "-c", "raise-thresholds")
    shutil.copy(HEAD / "quarry.yaml", repo / "packs" / "quarry.yaml")
    (repo / "packs" / "quarry.test.yaml").write_text(CASES, encoding="utf-8")
    (repo / "ci").mkdir()
    (repo / "ci" / "check-rules.sh").write_text(_script(), encoding="utf-8")
    commit_all(repo, "raise the volume threshold, make unpermitted work critical")
    return repo


def _run(repo: Path, base_ref: str) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ)
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment['PATH']}"
    environment["BASE_REF"] = base_ref
    return subprocess.run(
        ["sh", "ci/check-rules.sh"], cwd=repo, env=environment, capture_output=True, text=True, check=False
    )


def test_the_script_reports_the_change_and_fails_its_gate(rules_repo: Path) -> None:
    done = _run(rules_repo, "main")
    assert done.returncode == 1, done.stderr
    comment = (rules_repo / "reports" / "diff.md").read_text(encoding="utf-8")
    assert comment.startswith("### riskscreen diff: `main` → `packs`")
    assert "| P1 | 0 | 3 | +3 (new) |" in comment
    assert "❌ failed" in comment and comment in done.stdout
    assert 'failures="2"' in (rules_repo / "reports" / "diff.xml").read_text(encoding="utf-8")
    tests = (rules_repo / "reports" / "tests.xml").read_text(encoding="utf-8")
    assert 'tests="2"' in tests and 'failures="0"' in tests
    assert git(rules_repo, "status", "--porcelain") == ""  # nothing in the working tree changed


def test_the_script_passes_when_nothing_changed(rules_repo: Path) -> None:
    done = _run(rules_repo, "HEAD")
    assert done.returncode == 0, done.stderr
    assert "| P1 | 3 | 3 | 0 |" in (rules_repo / "reports" / "diff.md").read_text(encoding="utf-8")


def test_the_workflow_runs_the_scripts_commands() -> None:
    workflow = _workflow()
    steps = workflow["jobs"]["check"]["steps"]
    runs = [step["run"].strip() for step in steps if "run" in step]
    for command in _commands(_script()):
        assert command in runs, f"the workflow has no step running: {command}"
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "reports/*.xml" and upload["if"] == "always()"
    comment = next(s for s in steps if "gh pr comment" in s.get("run", ""))
    assert "reports/diff.md" in comment["run"] and comment["if"].startswith("always()")
    diff_step = next(s for s in steps if s.get("id") == "diff")
    assert diff_step["continue-on-error"] is True
    assert steps[-1]["if"] == "steps.diff.outcome == 'failure'"
