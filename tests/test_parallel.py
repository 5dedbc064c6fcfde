"""Screening with several processes gives exactly the serial results."""

from __future__ import annotations

import dataclasses
import gc
import inspect
import json
import os
import pickle
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from riskscreen import NotPortableError, Screener, ScreenerSpec, handover, parallel
from riskscreen.batch import BatchCollector
from riskscreen.cli.compact import Compacting
from riskscreen.jsonline import JsonLine
from riskscreen.parallel import CHUNK_SIZE, HANDOFF_INTERVAL, category_named, map_records, quick_handoffs
from riskscreen.readers import read_files, read_records

SAMPLE = Path("examples/observations.jsonl")


def _records() -> list[Any]:
    # more than two chunks, with invalid records and repeated ids (batch warnings) among them
    records = list(read_records(str(SAMPLE)))
    return (records * (2 * CHUNK_SIZE // len(records) + 1))[: 2 * CHUNK_SIZE + 7]


def test_processes_give_the_serial_results_in_order() -> None:
    screener = Screener()
    records = _records()
    serial = [r.model_dump_json() for r in screener.iter_screen(records)]
    parallel = [r.model_dump_json() for r in screener.iter_screen(records, jobs=2)]
    assert parallel == serial
    batch = screener.screen_many(records, jobs=2)
    assert batch.model_dump_json() == screener.screen_many(records).model_dump_json()
    assert batch.summary.records == len(records) and batch.warnings and batch.errors


def test_json_lines_reach_the_workers_with_their_numbers_and_files(tmp_path: Path) -> None:
    # lines travel to the workers as texts, numbers and files: error records still name them
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(lines * 8) + "\n", encoding="utf-8")
    second.write_text("\n\n" + "\n".join(lines * 8) + "\n", encoding="utf-8")
    records = list(read_files([str(first), str(second)], None, "utf-8", lines=True))
    assert len(records) > 2 * CHUNK_SIZE and all(isinstance(r, JsonLine) for r in records[:5])
    screener = Screener()
    serial = [r.model_dump_json() for r in screener.iter_screen(records)]
    assert [r.model_dump_json() for r in screener.iter_screen(records, jobs=2)] == serial
    errors = [r.error for r in screener.iter_screen(records, jobs=2) if r.error is not None]
    named = {name for e in errors for name in ("first.jsonl", "second.jsonl") if name in e.message}
    assert named == {"first.jsonl", "second.jsonl"}


def test_one_process_screens_category_by_category_and_gives_input_order() -> None:
    lines = list(read_records(str(SAMPLE), None, "utf-8-sig", lines=True))
    records = (lines * 4)[: CHUNK_SIZE + 50]  # a chunk and part of another
    screener = Screener()
    seen: list[str] = []

    def job(screener: Any, data: Any, index: int) -> str:
        seen.append(category_named(data))
        return screener.screen(data, index).model_dump_json()

    grouped = list(map_records(screener, screener.spec, records, 1, job))
    streamed = list(map_records(screener, screener.spec, records, 1, job, streaming=True))
    assert grouped == streamed  # the same results, in input order
    in_order = [category_named(r) for r in records]
    # each chunk screened category by category; streaming, record by record as they come
    assert seen[: len(records)] == sorted(in_order[:CHUNK_SIZE]) + sorted(in_order[CHUNK_SIZE:])
    assert seen[len(records) :] == in_order
    assert len(set(in_order)) > 3


def test_the_category_a_record_names_is_read_without_decoding_it() -> None:
    assert (
        category_named(JsonLine('{"id": "a", "category": "well_drilling", "attrs": {}}')) == "well_drilling"
    )
    assert category_named({"category": "sand_digging"}) == "sand_digging"
    assert category_named(JsonLine('{"id": "a"}')) == "" and category_named({"category": 3}) == ""


def test_a_small_input_is_screened_in_process() -> None:
    screener = Screener()
    records = list(read_records(str(SAMPLE)))[:10]
    assert [r.model_dump_json() for r in screener.iter_screen(records, jobs=4)] == [
        r.model_dump_json() for r in screener.iter_screen(records)
    ]


def test_an_unportable_screener_fails_before_the_first_record() -> None:
    class LocalPlugin:  # defined in a function: no other process can import it
        riskscreen_plugin_name = "local"

    screener = Screener(plugins=[LocalPlugin()])
    read: list[int] = []

    def records() -> Any:
        for index, record in enumerate(read_records(str(SAMPLE))):
            read.append(index)
            yield record

    with pytest.raises(NotPortableError, match="plugin 'local' cannot be sent to another process"):
        screener.screen_many(records(), jobs=2)
    with pytest.raises(NotPortableError):
        screener.iter_screen(records(), jobs=2)  # raised by the call, not by the first next()
    assert read == []
    # the same screener screens in its own process
    assert screener.screen_many(records(), jobs=1).summary.records == len(read)


def test_order_input_writes_records_as_they_come_through_a_pipe() -> None:
    # --jobs auto must not read ahead when each record is written as screened: a pipe that
    # brings records one by one gets alerts back before it ends
    screener = Screener()
    alerting = next(
        line
        for line in SAMPLE.read_text(encoding="utf-8").splitlines()
        if screener.screen(json.loads(line)).alert is not None
    )
    command = [sys.executable, "-m", "riskscreen", "screen", "-", "--format", "jsonl", "--order", "input"]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    ) as run:
        assert run.stdin is not None and run.stdout is not None
        # more than a pipe's output buffer of alerts, the input still open
        for _ in range(40):
            run.stdin.write(alerting.encode("utf-8") + b"\n")
            run.stdin.flush()
        ready, _, _ = select.select([run.stdout], [], [], 120)
        first = run.stdout.readline() if ready else b""
        run.stdin.close()
        rest = run.stdout.read()
    assert b'"priority"' in first  # written while the input was still open
    assert rest.count(b"\n") == 39


def where(screener: Any, data: Any, index: int) -> tuple[int, int, str]:
    """A job naming the process that ran it (module level, so workers can import it)."""
    return index, os.getpid(), screener.screen(data, index).model_dump_json()


def test_read_ahead_starts_workers_only_for_an_input_larger_than_it() -> None:
    # --jobs auto: a small input is screened here, a large one by workers, same results
    screener = Screener()
    records = _records()
    serial = [(i, json) for i, _, json in map_records(screener, screener.spec, records, 1, where)]
    small = list(map_records(screener, screener.spec, records, 2, where, read_ahead=len(records) + 1))
    assert {pid for _, pid, _ in small} == {os.getpid()}
    assert [(i, json) for i, _, json in small] == serial
    large = list(map_records(screener, screener.spec, records, 2, where, read_ahead=CHUNK_SIZE))
    pids = {pid for _, pid, _ in large}
    assert pids - {os.getpid()}  # a worker screened some
    assert os.getpid() in pids  # and this process the chunk it would have waited with
    assert [(i, json) for i, _, json in large] == serial


def test_read_ahead_screens_an_unportable_screener_in_process() -> None:
    class LocalPlugin:  # defined in a function: no other process can import it
        riskscreen_plugin_name = "local"

    screener = Screener(plugins=[LocalPlugin()])
    records = _records()
    found = list(map_records(screener, screener.spec, records, 2, where, read_ahead=CHUNK_SIZE))
    assert [i for i, _, _ in found] == list(range(len(records)))
    assert {pid for _, pid, _ in found} == {os.getpid()}


class DiesInAWorker:
    """A job whose worker process dies on one record (as one killed for memory would)."""

    def __init__(self, parent: int, fatal: int) -> None:
        self.parent, self.fatal = parent, fatal

    def __call__(self, screener: Any, data: Any, index: int) -> tuple[int, str]:
        if index == self.fatal and os.getpid() != self.parent:
            os._exit(9)
        return index, screener.screen(data, index).model_dump_json()


def test_a_worker_that_dies_loses_no_record(caplog: pytest.LogCaptureFixture) -> None:
    screener = Screener()
    records = _records()
    serial = [(i, r.model_dump_json()) for i, r in enumerate(screener.iter_screen(records))]
    job = DiesInAWorker(os.getpid(), fatal=CHUNK_SIZE + 3)
    with caplog.at_level("WARNING", logger="riskscreen.parallel"):
        found = list(map_records(screener, screener.spec, records, 2, job))
    assert found == serial
    assert "worker" in caplog.text or "工作进程" in caplog.text


def test_the_specification_covers_every_constructor_argument() -> None:
    parameters = list(inspect.signature(Screener.__init__).parameters.values())[1:]
    fields = {f.name: f for f in dataclasses.fields(ScreenerSpec)}
    assert [p.name for p in parameters] == list(fields)
    for parameter in parameters:
        assert parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY)
        default = parameter.default
        if isinstance(default, (list, tuple)):
            default = tuple(default)
        assert fields[parameter.name].default == default, parameter.name


def test_a_screener_rebuilt_from_its_specification_is_the_same(tmp_path: Path) -> None:
    pack = tmp_path / "extra.yaml"
    pack.write_text(
        'pack: extra\nrules:\n  - id: EX-001\n    title: 测试\n    when: category == "other"\n',
        encoding="utf-8",
    )
    screener = Screener([pack], disable_plugins=["sand"])
    rebuilt = Screener(**pickle.loads(screener.spec.portable()).arguments())
    assert rebuilt.spec == screener.spec
    assert rebuilt.rule_ids == screener.rule_ids and "EX-001" in rebuilt.rule_ids
    assert rebuilt.ruleset.digest == screener.ruleset.digest


@pytest.mark.parametrize(
    "options",
    [
        ["--format", "jsonl"],
        ["--format", "json"],
        ["--format", "table", "--now", "2026-06-01T00:00:00+08:00"],
        ["--format", "csv", "--min-priority", "P2"],
        ["--format", "jsonl", "--order", "input"],
    ],
)
def test_the_cli_writes_the_same_output_with_several_jobs(tmp_path: Path, options: list[str]) -> None:
    # the workers screen and encode; the parent counts, sorts and writes what they send back
    data = tmp_path / "many.jsonl"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    data.write_text("\n".join((lines * 2)[: CHUNK_SIZE + 100]) + "\n", encoding="utf-8")
    outputs = []
    for jobs in ("1", "2"):
        run = subprocess.run(
            [sys.executable, "-m", "riskscreen", "screen", str(data), *options, "--jobs", jobs],
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 1  # the sample holds invalid records
        outputs.append((run.stdout, run.stderr))
    assert outputs[0] == outputs[1] and outputs[0][0].count("\n") > 100
    assert "duplicate id" in "".join(outputs[0])  # the ids repeat: the parent still finds them


def test_a_chunk_screened_a_step_at_a_time_numbers_each_record_as_given() -> None:
    # a chunk is screened category by category, a step at a time: each record keeps its number
    lines = list(read_records(str(SAMPLE), None, "utf-8-sig", lines=True))[:120]
    screener = Screener()
    indexes = list(range(500, 620))[::-1]
    for output in ("jsonl", "csv", "table"):
        job = Compacting(output, None, screener.settings)
        one_by_one = [job(screener, r, i) for r, i in zip(lines, indexes, strict=True)]
        assert job.many(screener, lines, indexes) == one_by_one
        assert any(c.error is not None and c.error.index in indexes for c in one_by_one)


def test_screen_many_gives_what_screening_record_by_record_gives() -> None:
    # a generator's records are read a chunk at a time and screened category by category,
    # a step at a time; the batch is the one screening each record alone gives
    records = _records()
    screener = Screener()
    expected = BatchCollector()
    for index, record in enumerate(records):
        expected.add(screener.screen(record, index))
    batch = screener.screen_many(record for record in records)
    assert batch.model_dump_json() == expected.result().model_dump_json()
    assert batch.errors and batch.alerts


def marked(screener: Any, data: Any, index: int) -> tuple[int, int, str | None]:
    """A job naming its process and the mark the calling process put on its screener."""
    return os.getpid(), index, getattr(screener, "mark", None)


_FORKING = """
import os, sys, threading, time
sys.path.insert(0, {tests!r})
from riskscreen import Screener
from riskscreen.parallel import CHUNK_SIZE, map_records
from test_parallel import _records, marked

if __name__ == "__main__":
    screener = Screener()
    screener.mark = "built here"
    if sys.argv[1] == "thread":  # a thread running: forking would copy its state midway
        threading.Thread(target=time.sleep, args=(5,), daemon=True).start()
    found = list(map_records(screener, screener.spec, _records(), 2, marked, fork=True))
    assert [i for _, i, _ in found] == list(range(len(found)))
    print(sorted({{mark for pid, _, mark in found if pid != os.getpid()}}, key=str))
"""


@pytest.mark.parametrize(("situation", "expected"), [("alone", "['built here']"), ("thread", "[None]")])
def test_the_command_lines_workers_are_forked_with_the_screener_unless_a_thread_runs(
    tmp_path: Path, situation: str, expected: str
) -> None:
    # forked, a worker screens with the calling process's own screener (its mark with it);
    # with another thread running it is spawned and builds its own (no mark)
    assert _in_a_process_of_its_own(tmp_path, _FORKING, situation).strip() == expected


def _in_a_process_of_its_own(tmp_path: Path, script: str, *arguments: str) -> str:
    """What ``script`` (a template naming this folder ``{tests}``) prints, run in a fresh process.

    Whether workers are forked depends on the threads running, and the test session may run
    some of its own (a Dask cluster's): a fresh process runs none.
    """
    path = tmp_path / "script.py"
    path.write_text(script.format(tests=str(Path(__file__).parent)), encoding="utf-8")
    run = subprocess.run([sys.executable, str(path), *arguments], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    return run.stdout


class BuiltHereOnly(Screener):
    """A screener that cannot be built in any process but the one named in the environment."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if os.environ.get("RISKSCREEN_TEST_PARENT") != str(os.getpid()):
            raise RuntimeError("no rules here")
        super().__init__(*args, **kwargs)


def test_a_worker_that_cannot_build_its_screener_loses_no_record(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("RISKSCREEN_TEST_PARENT", str(os.getpid()))
    screener = BuiltHereOnly()
    records = _records()
    serial = [(i, r.model_dump_json()) for i, r in enumerate(screener.iter_screen(records))]
    with caplog.at_level("WARNING", logger="riskscreen.parallel"):
        found = list(map_records(screener, screener.spec, records, 2, _indexed))
    assert found == serial
    assert "no rules here" in caplog.text  # said once, by this process


def _indexed(screener: Any, data: Any, index: int) -> tuple[int, str]:
    return index, screener.screen(data, index).model_dump_json()


def test_the_switch_interval_is_shorter_while_workers_run_and_given_back() -> None:
    previous = sys.getswitchinterval()
    with quick_handoffs():
        assert sys.getswitchinterval() == min(previous, HANDOFF_INTERVAL)
    assert sys.getswitchinterval() == previous
    screener = Screener()
    results = map_records(screener, screener.spec, _records(), 2, where)
    next(results)
    assert sys.getswitchinterval() <= HANDOFF_INTERVAL  # the workers are running
    list(results)
    assert sys.getswitchinterval() == previous


@pytest.mark.skipif(sys.platform != "linux", reason="pipe sizes are set on Linux only")
def test_the_pipes_to_and_from_a_worker_hold_a_whole_chunk() -> None:
    # if Python's executor renamed its queues, the pipes would silently stay at 64 KB
    import fcntl

    from riskscreen.parallel import PIPE_BYTES, _pool

    screener = Screener()
    pool, _ = _pool(screener, screener.spec.portable(), 1, fork=False)
    try:
        ends = (pool._call_queue._writer, pool._result_queue._reader)  # type: ignore[attr-defined]
        assert [fcntl.fcntl(end.fileno(), fcntl.F_GETPIPE_SZ) for end in ends] == [PIPE_BYTES] * 2
    finally:
        pool.shutdown()


@pytest.mark.parametrize(
    ("forkable", "shipped", "progress", "expected"),
    [
        (True, True, "--no-progress", (2048, True)),
        (False, True, "--no-progress", (10_000, True)),
        (True, True, "--progress", (10_000, True)),
        (True, False, "--no-progress", (10_000, False)),
    ],
)
def test_jobs_auto_reads_less_ahead_when_its_workers_can_be_forked(
    monkeypatch: pytest.MonkeyPatch, forkable: bool, shipped: bool, progress: str, expected: tuple[int, bool]
) -> None:
    # forked workers start at once and pay from about 2,000 records; fresh ones (another
    # thread running, such as the progress bar's, or a plugin from elsewhere) only on larger
    # inputs, and with a plugin from elsewhere the command does not ask for a fork at all
    from riskscreen.cli import screen as screen_command
    from riskscreen.cli.main import main
    from riskscreen.plugins.host import PluginHost

    asked: list[tuple[int, bool]] = []
    real = screen_command.map_records

    def spy(*args: Any, **kwargs: Any) -> Any:
        asked.append((kwargs["read_ahead"], kwargs["fork"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(screen_command, "map_records", spy)
    monkeypatch.setattr(screen_command, "can_fork", lambda: forkable)
    monkeypatch.setattr(PluginHost, "shipped_only", property(lambda self: shipped))
    assert main(["screen", str(SAMPLE), "--format", "jsonl", progress]) == 1  # invalid records
    assert asked == [expected]


class ElsewherePlugin:
    """A plugin riskscreen does not ship (it could hold an open connection)."""

    riskscreen_plugin_name = "elsewhere"


def test_only_the_plugins_riskscreen_ships_let_workers_be_forked() -> None:
    assert Screener().plugin_host.shipped_only  # riskscreen's own and the four domain plugins
    assert Screener(builtin=False).plugin_host.shipped_only
    assert not Screener(plugins=[ElsewherePlugin()]).plugin_host.shipped_only


@pytest.mark.parametrize("plugins", [(), (ElsewherePlugin(),)])
def test_the_apis_workers_are_forked_only_when_every_plugin_is_shipped(
    monkeypatch: pytest.MonkeyPatch, plugins: tuple[Any, ...]
) -> None:
    # a service's process may hold what a fork must not copy only through a plugin of its own;
    # parallel._pool adds the other conditions (Linux, no other thread running)
    screener = Screener(plugins=list(plugins))
    asked: list[bool] = []
    real_pool = parallel._pool

    def pool(screener: Any, portable: bytes, workers: int, fork: bool, held: Any = ()) -> Any:
        asked.append(fork)
        return real_pool(screener, portable, workers, fork, held)

    monkeypatch.setattr(parallel, "_pool", pool)
    records = _records()
    serial = [r.model_dump_json() for r in screener.iter_screen(records)]
    assert [r.model_dump_json() for r in screener.iter_screen(records, jobs=2)] == serial
    screener.screen_many(records, jobs=2)
    assert asked == [not plugins] * 2


def collector_on(screener: Any, data: Any, index: int) -> bool:
    """A job telling whether the cyclic collector was on while it ran (module level)."""
    return gc.isenabled()


class CollectorSeen:
    """Unpickled as whether the cyclic collector is on at that moment."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (gc.isenabled, ())


@pytest.mark.parametrize("enabled", [True, False])
def test_a_chunk_is_screened_with_the_collector_paused_and_the_setting_given_back(enabled: bool) -> None:
    # a chunk's results are all kept until it is done: collecting meanwhile only walks them
    screener = Screener()
    records = list(read_records(str(SAMPLE)))
    if not enabled:
        gc.disable()
    try:
        seen = set(map_records(screener, screener.spec, records, 1, collector_on))
        assert seen == {False}
        assert gc.isenabled() is enabled
        # a worker's results are unpickled with it paused, and the setting given back
        assert handover.unpacked(pickle.dumps([CollectorSeen()])) == [False]
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


_SHARING = """
import json, sys, threading, time
sys.path.insert(0, {tests!r})
from riskscreen import Screener, handover, parallel
from riskscreen.parallel import CHUNK_SIZE
from test_parallel import _records

if __name__ == "__main__":
    if sys.argv[1] == "thread":  # a thread running: the workers are spawned and sent every record
        threading.Thread(target=time.sleep, args=(10,), daemon=True).start()
    screener = Screener()
    records = _records()
    first = (records * 3)[: 6 * CHUNK_SIZE]
    added = records[: CHUNK_SIZE + 1]
    serial = [r.model_dump_json() for r in screener.iter_screen(first + added)]
    kinds = []  # how each chunk was sent, and whether it was in the list at first
    real_sent = parallel.sent

    def sent(chunk, start, held):
        given = real_sent(chunk, start, held)
        kinds.append((type(given).__name__, start + len(chunk) <= len(first)))
        return given

    parallel.sent = sent
    growing = list(first)
    found = []
    for result in screener.iter_screen(growing, jobs=2):
        found.append(result.model_dump_json())
        if len(found) == 1:  # the list is still being read: what is added is screened too
            growing.extend(added)
    listed = list(kinds)
    kinds.clear()
    streamed = [r.model_dump_json() for r in screener.iter_screen(iter(first), jobs=2)]
    print(json.dumps({{
        "same": found == serial and streamed == serial[: len(first)],
        "listed": sorted(set(map(tuple, listed))),
        "streamed": sorted({{kind for kind, _ in kinds}}),
        "kept": len(handover._held) + (parallel._worker is not None),
    }}))
"""


@pytest.mark.parametrize(("situation", "in_the_list"), [("alone", "Held"), ("thread", "list")])
def test_forked_workers_are_sent_positions_in_a_list_they_hold(
    tmp_path: Path, situation: str, in_the_list: str
) -> None:
    # a forked worker holds the caller's list already: sending its records again was a sixth
    # of a worker's time; spawned workers are sent the records
    found = json.loads(_in_a_process_of_its_own(tmp_path, _SHARING, situation))
    assert found["same"]  # records added while the results are read are screened too
    # chunks of the list as it was are sent as positions or as records; the chunk holding the
    # records added (if a worker screens it rather than this process) as records
    assert [kind for kind, at_first in found["listed"] if at_first] == [in_the_list]
    assert {kind for kind, at_first in found["listed"] if not at_first} <= {"list"}
    assert found["streamed"] == ["list"]  # an iterator's records are sent
    assert found["kept"] == 0  # neither the list nor the screener is kept once screened


def test_a_chunk_is_sent_as_positions_only_within_the_records_a_worker_holds() -> None:
    records = [{"id": str(i)} for i in range(10)]
    assert handover.sent(records[2:6], 2, 10) == handover.Held(2, 6)
    assert handover.sent(records[8:10], 8, 9) == records[8:10]  # past what the worker holds
    assert handover.sent(records[:4], 0, 0) == records[:4]  # a worker holding nothing
    lines = [JsonLine('{"id": "a"}', 3, "in.jsonl"), JsonLine('{"id": "b"}', 4, "in.jsonl")]
    packed_lines = handover.sent(lines, 0, 0)
    assert isinstance(packed_lines, handover.Lines)
    assert [(line.text, line.number, line.path) for line in handover.received(packed_lines)] == [
        (line.text, line.number, line.path) for line in lines
    ]
    handover.forked_with(records)
    try:
        assert handover.received(handover.Held(2, 6)) == records[2:6]
    finally:
        handover.forked_with(())


def test_this_process_screens_the_first_chunk_while_the_workers_start() -> None:
    # an input of a few chunks used to wait for a worker to start and screen them all
    screener = Screener()
    found = list(map_records(screener, screener.spec, _records(), 2, marked))
    assert [index for _, index, _ in found] == list(range(len(found)))
    assert {pid for pid, index, _ in found if index < CHUNK_SIZE} == {os.getpid()}


_FORKED_THEN_SPAWNED = """
import sys, threading, time
sys.path.insert(0, {tests!r})
from riskscreen import Screener
from test_parallel import _records

if __name__ == "__main__":
    screener = Screener()
    records = _records()
    serial = [r.model_dump_json() for r in screener.iter_screen(records)]
    forked = [r.model_dump_json() for r in screener.iter_screen(records, jobs=2)]
    threading.Thread(target=time.sleep, args=(10,), daemon=True).start()  # no fork from now on
    spawned = [r.model_dump_json() for r in screener.iter_screen(records, jobs=2)]
    print(forked == serial, spawned == serial)
"""


def test_workers_spawned_after_forked_ones_are_sent_every_record(tmp_path: Path) -> None:
    # what a forked pool left behind (its screener, the records it held) must not make a
    # later pool of fresh workers, which hold neither, take itself for a forked one
    assert _in_a_process_of_its_own(tmp_path, _FORKED_THEN_SPAWNED).split() == ["True", "True"]


def test_a_worker_sent_positions_of_records_it_does_not_hold_loses_no_record(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # a fresh worker holds no list: told it was forked, this process would send it positions
    screener = Screener()
    records = _records()
    serial = [r.model_dump_json() for r in screener.iter_screen(records)]
    real_pool = parallel._pool

    def pool(screener: Any, portable: bytes, workers: int, fork: bool, held: Any = ()) -> Any:
        made, _ = real_pool(screener, portable, workers, False, held)
        return made, True  # taken for forked: chunks of the list go as positions

    monkeypatch.setattr(parallel, "_pool", pool)
    with caplog.at_level("WARNING", logger="riskscreen.parallel"):
        found = [r.model_dump_json() for r in screener.iter_screen(records, jobs=2)]
    assert found == serial
    assert "does not hold the records" in caplog.text
