"""A rule change measured against a held-out archive: exact counts, from a folder, a git ref and Dask."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import riskscreen
from riskscreen.cli.main import main

from .archive import BASE, EXPECTED_MATRIX, EXPECTED_RULES, HEAD, write_csv, write_jsonl_folder
from .gitrepo import commit_all, init_repo


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("archives")
    return {"jsonl": write_jsonl_folder(root / "jsonl"), "csv": write_csv(root / "csv" / "reports.csv")}


def _rules(result: riskscreen.DiffResult) -> dict[str, tuple[str, int, int, int, int]]:
    return {r.rule_id: (r.status, r.base, r.head, r.gained, r.lost) for r in result.rules}


def _comparable(result: riskscreen.DiffResult) -> dict[str, object]:
    """Everything but where the packs came from and the archive's file names."""
    data = result.model_dump(exclude={"archive": {"files": {"__all__": {"path"}}}})
    data["base"].pop("label")
    data["head"].pop("label")
    return data


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_exact_rule_counts_transitions_and_undecided(archives: dict[str, Path], kind: str) -> None:
    result = riskscreen.diff(archives[kind], base=BASE, head=HEAD, builtin=False)
    assert _rules(result) == EXPECTED_RULES
    assert result.transitions == EXPECTED_MATRIX
    assert result.records == 12
    assert result.archive.invalid == 1
    assert (result.added, result.removed, [c.rule_id for c in result.changed]) == (
        ["Q-005"],
        ["Q-004"],
        ["Q-001", "Q-002"],
    )
    changed = {c.rule_id: {f.field: (f.base, f.head) for f in c.changes} for c in result.changed}
    assert changed["Q-001"] == {"expression": ("attrs.volume_m3 > 100", "attrs.volume_m3 > 200")}
    assert changed["Q-002"] == {"severity": ("high", "critical"), "score": ("60", "85")}
    assert result.transition_examples["P2->P1"] == ["q-03", "q-08", "q-10"]
    assert result.priorities["base"]["P1"] == 0 and result.priorities["head"]["P1"] == 3
    assert (result.undecided.newly, result.undecided.examples) == (1, ["q-12"])
    lost = {r.rule_id: r.examples_lost for r in result.rules}
    assert lost["Q-001"] == ["q-01", "q-08"] and lost["Q-004"] == ["q-05"]


def test_a_git_ref_gives_what_the_folder_gives(archives: dict[str, Path], tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "rules-repo")
    shutil.copytree(BASE, repo / "packs")
    commit_all(repo, "base packs")
    shutil.copy(HEAD / "quarry.yaml", repo / "packs" / "quarry.yaml")  # the change, not committed
    from_git = riskscreen.diff(archives["jsonl"], base="HEAD", rules=[repo / "packs"], builtin=False)
    from_folder = riskscreen.diff(archives["jsonl"], base=BASE, head=HEAD, builtin=False)
    assert from_git.base.label == "HEAD"
    assert _comparable(from_git) == _comparable(from_folder)
    # the working tree was only read
    assert (repo / "packs" / "quarry.yaml").read_text(encoding="utf-8") == (HEAD / "quarry.yaml").read_text(
        encoding="utf-8"
    )


def test_dask_local_cluster_and_local_processes_give_the_local_result(archives: dict[str, Path]) -> None:
    local = riskscreen.diff([archives["jsonl"], archives["csv"]], base=BASE, head=HEAD, builtin=False)
    # two worker processes, partitions of a few records so that both take part
    on_dask = riskscreen.diff(
        [archives["jsonl"], archives["csv"]], base=BASE, head=HEAD, builtin=False, dask="local:2", partition=5
    )
    assert on_dask.model_dump() == local.model_dump()
    assert on_dask.records == 24
    in_processes = riskscreen.diff(
        [archives["jsonl"], archives["csv"]], base=BASE, head=HEAD, builtin=False, jobs=2, partition=5
    )
    assert in_processes.model_dump() == local.model_dump()


def test_fail_if_fails_on_a_p1_increase_and_passes_a_generous_threshold(
    archives: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = [str(archives["jsonl"]), "--base", str(BASE), "--head", str(HEAD), "--no-builtin"]
    junit = tmp_path / "diff.xml"
    assert main(["diff", *common, "--fail-if", "p1_increase>10%", "--junit", str(junit)]) == 1
    report = capsys.readouterr().out
    assert "❌ failed" in report and "p1_increase>10%" in report
    assert 'failures="1"' in junit.read_text(encoding="utf-8")
    assert (
        main(["diff", *common, "--fail-if", "p1_increase>50", "--fail-if", "left_p1>0", "--format", "json"])
        == 0
    )
    checks = json.loads(capsys.readouterr().out)["checks"]
    assert [(c["condition"], c["passed"]) for c in checks] == [("p1_increase>50", True), ("left_p1>0", True)]


def test_backtest_counts_per_month_and_week(archives: dict[str, Path]) -> None:
    months = riskscreen.backtest(archives["jsonl"], by="month", rules=[HEAD], builtin=False)
    assert [(p.period, p.records, p.alerts) for p in months.periods] == [("2026-01", 6, 5), ("2026-02", 6, 2)]
    assert months.total.rules == {"Q-001": 3, "Q-002": 3, "Q-003": 1, "Q-005": 2}
    assert months.total.by_priority == {"P1": 3, "P2": 0, "P3": 3, "P4": 1, "none": 5, "error": 0}
    weeks = riskscreen.backtest(archives["csv"], by="week", rules=[HEAD], builtin=False)
    assert [p.period for p in weeks.periods] == ["2026-W02", "2026-W03", "2026-W06", "2026-W07"]
    assert weeks.total == months.total
    on_dask = riskscreen.backtest(
        archives["jsonl"], by="month", rules=[HEAD], builtin=False, dask="local:2", partition=4
    )
    assert on_dask.model_dump() == months.model_dump()


def test_an_existing_cluster_by_address(archives: dict[str, Path]) -> None:
    from distributed import LocalCluster

    local = riskscreen.diff(archives["csv"], base=BASE, head=HEAD, builtin=False)
    # a cluster someone else started; threads keep it quick (local:2 above covers worker processes)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster:
        remote = riskscreen.diff(
            archives["csv"], base=BASE, head=HEAD, builtin=False, dask=cluster.scheduler_address, partition=4
        )
        assert len(cluster.scheduler.workers) == 1  # the cluster outlives the diff
    assert remote.model_dump() == local.model_dump()
