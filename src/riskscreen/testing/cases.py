"""YAML rule regression cases (``*.test.yaml``): the format and a runner.

A case gives a partial observation and what must happen to it. Omitted observation fields
get :data:`OBSERVATION_DEFAULTS`; ``id`` defaults to ``case-<n>`` (its position in the file).
A test file screens with the shipped packs (unless ``builtin: false``), the packs in its
own folder, and the packs named by ``rules:`` (relative to the file).
"""

from __future__ import annotations

import difflib
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..durations import format_duration, parse_duration
from ..errors import Problem, RuleLoadError, SourceLocation
from ..explain import Explanation, explain
from ..models import Priority, ScreenResult, Tier
from ..packs.files import is_test_file, yaml_files
from ..packs.loader import display_path
from ..packs.yamlsrc import SourceMap, load_yaml
from ..screener import Screener

__all__ = [
    "OBSERVATION_DEFAULTS",
    "CaseFile",
    "CaseFileSpec",
    "CaseOutcome",
    "Expectation",
    "TestCase",
    "case_location",
    "case_observation",
    "check_case",
    "find_case_files",
    "load_case_file",
    "screener_for",
]

#: Values a case's observation gets for the fields it leaves out.
OBSERVATION_DEFAULTS: dict[str, Any] = {
    "kind": "patrol",
    "status": "new",
    "reported_at": "2026-07-01T09:00:00+08:00",
}


class ScoreRange(BaseModel):
    """Bounds on the alert score, both inclusive."""

    model_config = ConfigDict(extra="forbid")

    min: float | None = Field(default=None, ge=0, le=100)
    max: float | None = Field(default=None, ge=0, le=100)


class Expectation(BaseModel):
    """What must hold for a case's observation. Every key is optional."""

    model_config = ConfigDict(extra="forbid")

    fires: list[str] = Field(default_factory=list, description="rules that must fire")
    not_fires: list[str] = Field(default_factory=list, description="rules that must not fire")
    insufficient: list[str] = Field(
        default_factory=list,
        description="rules (or plugin checks) that must be undecided for lack of evidence",
    )
    could_be: Priority | None = Field(
        default=None,
        description="the priority the record would get if every undecided rule and check fired; "
        "null asserts that the record is decided (no missing value could make it more urgent)",
    )
    alert: bool | None = Field(default=None, description="whether an alert is raised at all")
    priority: Priority | None = Field(
        default=None, description="the alert's priority; null asserts that no alert is raised"
    )
    score: ScoreRange | float | None = None
    escalate_to: Tier | None = None
    respond_within: str | None = Field(default=None, description="respond_by minus reported_at, e.g. 2h")
    error: str | None = Field(default=None, description="the record must be rejected naming this field")

    @field_validator("respond_within")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value


class TestCase(BaseModel):
    """One named case."""

    __test__ = False  # not a pytest test class
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    observation: dict[str, Any]
    expect: Expectation


class CaseFileSpec(BaseModel):
    """The top level of a ``*.test.yaml`` file."""

    model_config = ConfigDict(extra="forbid")

    builtin: bool = True
    rules: list[str] = Field(default_factory=list)
    tests: list[TestCase]


@dataclass(frozen=True)
class CaseFile:
    """A loaded case file, with each case's line for reports."""

    path: Path
    builtin: bool
    rule_paths: tuple[Path, ...]
    cases: tuple[TestCase, ...]
    lines: tuple[int, ...]
    shown: str = ""  # the path as messages name it (relative to the working folder)


@dataclass
class CaseOutcome:
    """What happened to one case: the failures (empty when it passed) and the result.

    ``involved`` names the rules a failure is about (those expected to fire or not, and
    every rule that fired when the alert itself was wrong); ``explanation`` explains
    them for the failing case's observation.
    """

    case: TestCase
    failures: list[str] = field(default_factory=list)
    result: ScreenResult | None = None
    involved: list[str] = field(default_factory=list)
    explanation: Explanation | None = None

    @property
    def passed(self) -> bool:
        """Whether every expectation held."""
        return not self.failures


def find_case_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """``*.test.yaml`` files named by or found under ``paths``, sorted.

    Folders are searched recursively, leaving out hidden folders (``.git``, ``.venv``),
    caches and virtual environments.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(p for p in yaml_files(path) if is_test_file(p))
        elif path.is_file():
            found.append(path)
    return found


def load_case_file(path: Path) -> CaseFile:
    """Read and validate a case file; raise :class:`RuleLoadError` with positions otherwise."""
    shown = display_path(_near(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleLoadError([Problem(SourceLocation(shown), f"cannot read file: {exc}", "RS104")]) from None
    document, problems = load_yaml(text, shown)
    if document is None or problems:
        raise RuleLoadError(problems)
    try:
        spec = CaseFileSpec.model_validate(document.data)
    except ValidationError as exc:
        errors = exc.errors()
        # ``score: {mn: 3}`` fails as a range and as a number; the range's error says more
        ranges = {e["loc"][:-2] for e in errors if e["loc"][-2:-1] == ("ScoreRange",)}
        errors = [
            e for e in errors if not (e["loc"][-1] in ("ScoreRange", "float") and e["loc"][:-1] in ranges)
        ]
        raise RuleLoadError(_case_problem(document.source, e) for e in errors) from None
    extra = tuple((path.parent / p) for p in spec.rules)
    lines = tuple(document.source.location(("tests", i)).line for i in range(len(spec.tests)))
    return CaseFile(path, spec.builtin, extra, tuple(spec.tests), lines, shown)


_CASE_KEYS: dict[str, tuple[str, ...]] = {
    "": tuple(CaseFileSpec.model_fields),
    "tests": tuple(TestCase.model_fields),
    "expect": tuple(Expectation.model_fields),
    "score": tuple(ScoreRange.model_fields),
}


def _case_problem(source: SourceMap, error: Mapping[str, Any]) -> Problem:
    """A validation error of a case file, at the key or value it is about."""
    loc = tuple(error["loc"])
    if "score" in loc[:-1] and loc[loc.index("score") + 1] in ("ScoreRange", "float"):
        # ``score`` is a number or a range; say so once rather than once per form
        at = loc.index("score")
        loc = loc[: at + 1] + loc[at + 2 :]
        if error["type"] != "extra_forbidden":
            where = ".".join(str(p) for p in loc)
            message = f"{where}: expected a number or a range such as {{min: 60, max: 80}}"
            return Problem(source.location(loc), message, "RS110")
    if error["type"] == "extra_forbidden" and loc:
        parent = next((str(p) for p in reversed(loc[:-1]) if isinstance(p, str)), "")
        close = difflib.get_close_matches(str(loc[-1]), _CASE_KEYS.get(parent, ()), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return Problem(source.key_location(loc), f"unknown key {loc[-1]!r}{hint}", "RS110")
    if error["type"] == "missing" and loc:
        return Problem(source.location(loc[:-1]), f"missing required key {loc[-1]!r}", "RS110")
    where = ".".join(str(p) for p in loc if not (isinstance(p, str) and p.startswith("function-")))
    message = str(error["msg"]).removeprefix("Value error, ")
    return Problem(source.location(loc), f"{where}: {message}" if where else message, "RS110")


_screeners: dict[tuple[bool, str, tuple[str, ...]], Screener | RuleLoadError] = {}
_lock = threading.Lock()


def _near(path: Path) -> Path:
    """``path`` relative to the working folder when it lies inside it, so messages stay short."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def screener_for(
    case_file: CaseFile, *, rules: Sequence[str | os.PathLike[str]] = (), builtin: bool = True
) -> Screener:
    """The screener a case file asks for (cached: many files share one rule set).

    ``rules`` adds packs to the file's own (``riskscreen test --rules``), and
    ``builtin=False`` leaves the shipped packs and plugins out even when the file asks for
    them (``--no-builtin``).
    """
    folder = case_file.path.parent
    folder_packs = sorted(p for p in folder.glob("*.y*ml") if p.is_file() and not is_test_file(p))
    packs = list(dict.fromkeys(_near(p) for p in (*folder_packs, *case_file.rule_paths, *map(Path, rules))))
    with_builtin = case_file.builtin and builtin
    key = (with_builtin, str(Path.cwd()), tuple(str(p.resolve()) for p in packs))
    with _lock:
        cached = _screeners.get(key)
        if cached is None:
            try:
                cached = Screener(packs, builtin=with_builtin)
            except RuleLoadError as exc:
                cached = exc
            _screeners[key] = cached
    if isinstance(cached, RuleLoadError):
        raise cached
    return cached


def case_observation(case: TestCase, index: int) -> dict[str, Any]:
    """The case's observation with defaults filled in."""
    observation = {**OBSERVATION_DEFAULTS, "id": f"case-{index + 1}"}
    observation.update(case.observation)
    return observation


def check_case(
    screener: Screener, case: TestCase, index: int = 0, *, explain_failures: bool = True
) -> CaseOutcome:
    """Screen the case's observation and compare with its expectations.

    A failing case also gets the explanation of the rules involved, unless
    ``explain_failures`` is false.
    """
    observation = case_observation(case, index)
    result = screener.screen(observation, index)
    outcome = CaseOutcome(case, result=result)
    _compare(screener, case, outcome, result)
    if outcome.failures and explain_failures and result.error is None:
        involved = list(dict.fromkeys(outcome.involved))
        outcome.explanation = explain(screener, observation, rule_ids=involved)
    return outcome


def _compare(screener: Screener, case: TestCase, outcome: CaseOutcome, result: ScreenResult) -> None:
    expect, fail, involve = case.expect, outcome.failures.append, outcome.involved.append
    if result.error is not None:
        if expect.error is None:
            fail(f"the observation was rejected: {result.error.message}")
        elif result.error.field != expect.error:
            got = result.error.field
            fail(f"expected an error on {expect.error!r}, got one on {got!r}: {result.error.message}")
        return
    if expect.error is not None:
        fail(f"expected the observation to be rejected for {expect.error!r}, but it was screened")
    alert = result.alert
    fired = [f.rule_id for f in alert.findings] if alert else []
    lacking = {i.rule_id: i for i in result.insufficient}
    for rule_id in expect.fires:
        if rule_id not in fired:
            why = ""
            if rule_id in lacking:
                gap = lacking[rule_id]
                why = (
                    f" (insufficient: missing {', '.join(gap.missing)})" if gap.missing else f" ({gap.error})"
                )
            elif rule_id not in screener.rule_ids:
                why = " (no rule with this id is loaded)"
            fail(f"expected {rule_id} to fire, but it did not{why}")
            involve(rule_id)
    for rule_id in expect.not_fires:
        if rule_id in fired:
            fail(f"expected {rule_id} not to fire, but it fired")
            involve(rule_id)
        elif rule_id not in screener.rule_ids:
            fail(f"not_fires names {rule_id}, but no rule with this id is loaded")
    for rule_id in expect.insufficient:
        if rule_id in lacking:
            continue
        if rule_id not in screener.rule_ids:
            fail(f"insufficient names {rule_id}, but no rule with this id is loaded")
        else:
            fail(f"expected {rule_id} to be insufficient, but it was decided")
            involve(rule_id)
    if "could_be" in expect.model_fields_set and result.could_be != expect.could_be:
        shown = ", ".join(f"{r} (missing {', '.join(g.missing) or g.error})" for r, g in lacking.items())
        if expect.could_be is None:
            fail(f"expected the record to be decided, but it could be {result.could_be}: undecided {shown}")
        elif result.could_be is None:
            fail(f"expected could_be {expect.could_be}, but no missing value could make it more urgent")
        else:
            fail(f"expected could_be {expect.could_be}, got {result.could_be}: undecided {shown}")
        outcome.involved.extend(lacking)
    failed_before = len(outcome.failures)
    if expect.alert is not None and (alert is not None) != expect.alert:
        fail(f"expected {'an' if expect.alert else 'no'} alert, got {'one' if alert else 'none'}")
    if "priority" in expect.model_fields_set and expect.priority is None and alert is not None:
        # ``priority: null`` reads as "no priority at all"; never let it pass silently
        fail(f"expected no alert (priority: null), got {alert.priority} (score {alert.score})")
    needs_alert = [expect.priority, expect.score, expect.escalate_to, expect.respond_within]
    if alert is None:
        if any(v is not None for v in needs_alert):
            fail("expected an alert (priority/score/escalation/deadline given), but none was raised")
        return
    if expect.priority and alert.priority != expect.priority:
        fail(f"expected priority {expect.priority}, got {alert.priority} (score {alert.score})")
    if isinstance(expect.score, ScoreRange):
        if expect.score.min is not None and alert.score < expect.score.min:
            fail(f"expected score >= {expect.score.min}, got {alert.score}")
        if expect.score.max is not None and alert.score > expect.score.max:
            fail(f"expected score <= {expect.score.max}, got {alert.score}")
    elif expect.score is not None and abs(alert.score - expect.score) > 0.05:
        fail(f"expected score {expect.score}, got {alert.score}")
    if expect.escalate_to and alert.escalate_to != expect.escalate_to:
        fail(f"expected escalation to {expect.escalate_to}, got {alert.escalate_to}")
    if expect.respond_within:
        window: timedelta = alert.respond_by - alert.reported_at
        if window != parse_duration(expect.respond_within):
            fail(f"expected respond within {expect.respond_within}, got {format_duration(window)}")
    if len(outcome.failures) > failed_before:
        outcome.involved.extend(fired)  # the alert is wrong: every rule that fired shaped it


def case_location(case_file: CaseFile, index: int) -> SourceLocation:
    """Where case ``index`` is written."""
    return SourceLocation(case_file.shown or str(case_file.path), case_file.lines[index], 1)
