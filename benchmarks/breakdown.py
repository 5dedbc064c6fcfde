"""Where a record's CPU time goes in ``riskscreen screen --format jsonl``, stage by stage.

Imported by ``benchmarks/run.py`` (section ``breakdown``). Each stage is timed on its own
over the same records (CPU time, the median of several runs), from the already-read input
of the stage before, so the stages add up to the work the command does per record; the
command itself is then timed as a whole, in a fresh process, for what the stages leave out
(start-up, the loop that joins them). The rule-engine figure is the every-rule loop of the
``targets`` section, per record, for the budget a ratio implies.

The stages reach into the screener's internals (``_index``, ``_results``, ``_outcome``);
they are the steps :meth:`riskscreen.Screener.screen_plain` takes for the command's JSON
lines, timed apart.
"""

from __future__ import annotations

import gc
import io
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

from targets import PROFILES, cli_run, prepare, rule_engine_loop
from timing import median_cpu

from riskscreen import Screener
from riskscreen.cli.compact import Compacting
from riskscreen.cli.spilled import SpilledOutput
from riskscreen.engine.record import MissingValueError
from riskscreen.enrich import event_time
from riskscreen.models import ScreenResult
from riskscreen.readers import read_records
from riskscreen.results import alert_json


def _stages(screener: Screener, data: Path) -> list[tuple[str, Callable[[], Any]]]:
    """(name, the stage over every record) in the order the command runs them."""
    records = list(read_records(str(data), None, "utf-8", lines=True))
    observations = [screener.validate(r, i) for i, r in enumerate(records)]
    views = [screener.record_for(o) for o in observations]
    zone = screener._zone  # the stage as the screener runs it
    index = screener._index
    outcomes = [
        index.evaluate(o.category, event_time(o, zone).date(), o.location, v)
        for o, v in zip(observations, views, strict=True)
    ]
    plain = [screener._outcome(o, i) for i, o in enumerate(observations)]
    alerts = [p for p in plain if isinstance(p, dict)]
    job = Compacting("jsonl", None)
    compacts = [
        job.compact(p) if isinstance(p, ScreenResult) else job.from_alert_data(p, i)
        for i, p in enumerate(plain)
    ]

    def read() -> None:
        list(read_records(str(data), None, "utf-8", lines=True))

    def validate() -> None:
        for i, r in enumerate(records):
            screener.validate(r, i)

    def derive() -> None:
        for o in observations:
            screener.record_for(o)

    def rules() -> None:
        # on fresh views: a view remembers the values its rules read
        for o in observations:
            index.evaluate(o.category, event_time(o, zone).date(), o.location, screener.record_for(o))

    def settle() -> None:
        for v, found in zip(views, outcomes, strict=True):
            for rule, failure in found:
                if isinstance(failure, MissingValueError):
                    rule.cannot_fire(v)

    def findings() -> None:
        for v, found in zip(views, outcomes, strict=True):
            for rule, failure in found:
                if failure is None:
                    screener._results.finding_data(rule, v)

    def whole() -> None:
        for i, o in enumerate(observations):
            screener._outcome(o, i)

    def encode() -> None:
        for alert in alerts:
            alert_json(alert)

    def output() -> None:
        # a text stream over bytes, as standard output is: the JSON lines go to its bytes
        sink = SpilledOutput(io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), "jsonl")
        for item in compacts:
            sink.add(item)
        _, errors, warnings = sink.finish()
        list(errors)
        list(warnings)

    def loop() -> None:
        # the stages as the command runs them: record by record, each through all of them
        for i, r in enumerate(records):
            job(screener, r, i)

    # what the stages read stays alive across them; the command holds none of it, so it is
    # kept out of the collector's walks (else the stages that allocate most pay for it)
    gc.collect()
    gc.freeze()
    return [
        ("read JSON lines", read),
        ("validate", validate),
        ("derived fields, record view", derive),
        ("derived fields and rules (fused)", rules),
        ("settle undecided rules", settle),
        ("findings", findings),
        (WHOLE, whole),
        (ENCODE, encode),
        ("count, sort on disk and write", output),
        (LOOP, loop),
    ]


ENCODE = "encode alerts (alert_json)"
#: Every stage but reading and writing, one record at a time: what the command's loop does.
LOOP = "validate, screen and encode, record by record (the command's loop)"
#: The stage holding the derived fields, rules, settling, findings and the alert's data.
WHOLE = "screen one observation (the above from the view on, plus the alert's data)"


def section_breakdown(root: Path, count: int, repeat: int = 3) -> None:
    """Per-record CPU of each stage of the command, and the command as a whole."""
    print(f"\n## Where the time goes: riskscreen screen --format jsonl ({count} records, 200 rules)")
    print(f"CPU µs per record, median of {repeat} runs, --jobs 1; indented stages are part of the next one")
    for profile in PROFILES:
        packs, data = prepare(root, profile, count)
        screener = Screener([packs], builtin=False)
        figures: dict[str, float] = {}
        try:
            for name, stage in _stages(screener, data):
                stage()  # warm: plans fused, templates and finding fields prepared
                figures[name] = median_cpu(stage, repeat) / count * 1e6
        finally:
            gc.unfreeze()
        arguments = [
            "screen",
            str(data),
            "--rules",
            str(packs),
            "--no-builtin",
            "--format",
            "jsonl",
            "--jobs",
            "1",
        ]
        cli_run(arguments)  # warms the rule cache
        command = statistics.median(cli_run(arguments)[1] for _ in range(repeat)) / count * 1e6
        sample = min(count, 4000)
        every, _ = rule_engine_loop(packs, prepare(root, profile, sample)[1], every_rule=True)
        every_us = median_cpu(every, repeat) / sample * 1e6
        print(f"\n{profile}")
        whole = WHOLE
        parts = ("derived fields and rules (fused)", "settle undecided rules", "findings")
        for name, value in figures.items():
            if name == LOOP:
                continue
            indent = "  " if name in parts or name == "derived fields, record view" else ""
            print(f"  {indent}{name:<{76 - len(indent)}} {value:7.1f}")
        rest = figures[whole] - sum(figures[p] for p in parts)
        print(f"    {'alert data, no-alert results, undecided entries (the rest)':<72} {rest:7.1f}")
        staged = (
            figures["read JSON lines"]
            + figures["validate"]
            + figures[whole]
            + figures[ENCODE]
            + figures["count, sort on disk and write"]
        )
        print(f"  {'the stages together':<76} {staged:7.1f}")
        print(f"  {LOOP:<76} {figures[LOOP]:7.1f}")
        print(f"  {'the command (fresh process, start-up included)':<76} {command:7.1f}")
        print(f"  {'rule-engine every-rule loop, per record':<76} {every_us:7.1f}")
        print(f"  {'20x that loop leaves per record':<76} {every_us / 20:7.1f}")


def section_api_floor(root: Path, count: int, repeat: int = 3) -> None:
    """What ``iter_screen`` costs a record, beside the parts of it no Python change removes.

    ``iter_screen`` (one process) is set against the parts timed on their own: the
    pydantic-core call that parses and checks a record against its category's schema, and
    the record view with its derived fields and the category's 25 rules fused into one
    function. Their sum is a floor for screening a record in this process, before any
    finding, score or result is made; the targets leave 33 µs (30,000 a second) and 67 µs
    (15,000 a second).
    """
    print(f"\n## The API's floor: iter_screen against the parts it cannot skip ({count} records)")
    print(f"CPU µs per record, median of {repeat} runs")
    for profile in PROFILES:
        packs, data = prepare(root, profile, count)
        figures = {
            name: median_cpu(stage, repeat) / count * 1e6 for name, stage in _api_stages(packs, data).items()
        }
        floor = figures["core"] + figures["rules"]
        rows = (
            ("iter_screen, one process", figures["iter_screen"]),
            ("pydantic-core parsing and checking the record (one call)", figures["core"]),
            ("record view and derived fields", figures["views"]),
            ("record view, derived fields and the fused rules", figures["rules"]),
            ("the floor: pydantic-core and the rules", floor),
            ("everything else (findings, scores, results, steps)", figures["iter_screen"] - floor),
        )
        print(f"\n{profile}")
        for name, value in rows:
            print(f"  {name:<64} {value:7.1f}")


def _api_stages(packs: Path, data: Path) -> dict[str, Callable[[], Any]]:
    """``iter_screen`` and the parts :func:`section_api_floor` times, each warmed once."""
    screener = Screener([packs], builtin=False)
    records = list(read_records(str(data), None, "utf-8"))
    fast = screener._fast  # the stage as the screener runs it
    schemas = [fast._category(r["category"]) for r in records]
    observations = [screener.validate(r, i) for i, r in enumerate(records)]
    zone, index = screener._zone, screener._index

    def screen() -> None:
        for _ in screener.iter_screen(records):
            pass

    def core() -> None:
        for record, schema in zip(records, schemas, strict=True):
            schema.validator.validate_python(record)  # type: ignore[union-attr]

    def views() -> None:
        for o in observations:
            screener.record_for(o)  # type: ignore[arg-type]

    def rules() -> None:
        for o in observations:
            when = event_time(o, zone).date()  # type: ignore[arg-type]
            index.evaluate(o.category, when, o.location, screener.record_for(o))  # type: ignore[arg-type,union-attr]

    stages: dict[str, Callable[[], Any]] = {
        "iter_screen": screen,
        "core": core,
        "views": views,
        "rules": rules,
    }
    for stage in stages.values():
        stage()
    return stages
