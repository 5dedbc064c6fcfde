"""Explain one observation: every candidate rule, what it came to, and why.

The outcome of each rule is computed exactly as the screener computes it (the same
enabled flag, validity dates, jurisdiction and compiled predicates), so an explanation
never disagrees with a screening; the clause-by-clause account comes from
:class:`~riskscreen.explain.trace.Tracer`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from .. import undecided
from ..engine.record import MissingValue, Record
from ..enrich import event_time
from ..exprtext import literal_text
from ..laws.reference import reference_text
from ..models import ErrorRecord, Finding, Insufficient, Observation, ScreenResult
from ..packs.ruleset import CompiledRule
from ..screener import Screener
from ..undecided import with_known_history
from .model import Clause, Explanation, Outcome, RuleExplanation
from .trace import Tracer, plain_value

__all__ = ["describe_clause", "explain", "explain_rule"]


def explain(
    screener: Screener,
    data: Mapping[str, Any] | Observation,
    *,
    rule_ids: Collection[str] | None = None,
) -> Explanation:
    """Why each rule did or did not fire for one observation.

    Without ``rule_ids`` every candidate rule of the observation's category is explained
    (disabled ones included, so an override that switched a rule off shows), along with
    plugin checks that fired or failed. With ``rule_ids`` exactly those rules and checks
    are explained, including ones for other categories.
    """
    observation = screener.validate(data)
    if isinstance(observation, ErrorRecord):
        return Explanation(observation_id=observation.id, status="error", error=observation)
    # absent history reads as "no earlier reports known", exactly as screening reads it
    observation = with_known_history(observation)
    result = screener.screen(observation)
    record: Record = screener.record_for(observation)  # the same values the screening read
    day = event_time(observation, ZoneInfo(screener.settings.local_timezone)).date()
    wanted = set(rule_ids) if rule_ids is not None else None
    rules: list[RuleExplanation] = []
    for rule in screener.ruleset.rules:
        applies = rule.categories is None or observation.category in rule.categories
        if (wanted is None and applies) or (wanted is not None and rule.id in wanted):
            rules.append(explain_rule(rule, observation, record, day))
    rules.extend(_plugin_checks(screener, result, wanted))
    alert = result.alert
    to_collect: list[Insufficient] = []
    if result.undecided:
        scores = [f.score for f in alert.findings] if alert else []
        critical = any(f.severity == "critical" for f in alert.findings) if alert else False
        priority = alert.priority if alert else None
        to_collect = undecided.to_collect(scores, critical, priority, result.insufficient, screener.settings)
    return Explanation(
        observation_id=observation.id,
        category=observation.category,
        event_date=day,
        status=result.status,
        priority=alert.priority if alert else None,
        score=alert.score if alert else None,
        rules=rules,
        plugin_errors=list(result.plugin_errors),
        could_be=result.could_be,
        undecided=result.undecided,
        to_collect=to_collect,
        warnings=list(result.warnings),
    )


def explain_rule(rule: CompiledRule, observation: Observation, record: Record, day: date) -> RuleExplanation:
    """Why ``rule`` did or did not fire for a validated observation and its record."""
    values = {p: plain_value(record.lookup(p)) for p in rule.reads if not record.is_missing(p)}
    missing = [p for p in rule.reads if record.is_missing(p)]
    base: dict[str, Any] = {
        "rule_id": rule.id,
        "title": rule.title,
        "pack": rule.pack,
        "source": rule.source,
        "when": rule.when.text,
        "unless": rule.unless.text if rule.unless else None,
        "values": values,
        "missing": missing,
        "references": list(rule.references),
    }

    def outcome(kind: Outcome, summary: str, **more: Any) -> RuleExplanation:
        return RuleExplanation(outcome=kind, summary=summary, **{**base, **more})

    def not_evaluated(kind: Outcome, summary: str) -> RuleExplanation:
        return outcome(kind, summary, values={}, missing=[])

    if rule.categories is not None and observation.category not in rule.categories:
        categories = ", ".join(sorted(rule.categories))
        return not_evaluated(
            "not_applicable",
            f"Applies only to category {categories}; this observation is {observation.category}.",
        )
    if not rule.enabled:
        where = f"by the override at {rule.overridden_by[-1]}" if rule.overridden_by else "in its pack"
        return not_evaluated("disabled", f"Disabled {where} (enabled: false); it is not evaluated.")
    if not rule.in_validity(day):
        return not_evaluated(
            "outside_validity",
            f"Does not apply on {day.isoformat()} (the event's local date): {_window(rule)}.",
        )
    if not rule.in_jurisdiction(observation.location):
        return not_evaluated(
            "outside_jurisdiction", f"Does not apply here: {_jurisdiction(rule, observation)}."
        )
    tracer = Tracer(record, rule.macros)
    try:
        held = bool(rule.when_predicate(record))
        excluded = held and rule.unless_predicate is not None and bool(rule.unless_predicate(record))
    except MissingValue as gap:
        lacking = missing or [gap.path]
        decided = tracer.decide(rule.when)
        clauses = [c for c in decided.clauses if c.holds is None]
        unless_clauses: list[Clause] = []
        if decided.holds and rule.unless is not None:
            unless_clauses = [c for c in tracer.decide(rule.unless).clauses if c.holds is None]
        undecided = clauses or unless_clauses
        needed, named = "", lacking
        if undecided:
            needed = f" (needed by {describe_clause(undecided[0], values=False)})"
            named = undecided[0].missing or lacking
        return outcome(
            "insufficient",
            f"Could not be decided: the observation has no {_and(named)}{needed}.",
            clauses=clauses,
            unless_clauses=unless_clauses,
            missing=lacking,
        )
    except Exception as exc:  # the screener records it the same way
        message = str(getattr(exc, "message", "") or exc) or type(exc).__name__
        return outcome("error", f"Evaluating the rule failed: {message}.")
    decided = tracer.decide(rule.when)
    if not held:
        return outcome("not_fired", _not_fired(decided.clauses), clauses=decided.clauses)
    if excluded and rule.unless is not None:
        unless = tracer.decide(rule.unless)
        return outcome(
            "excluded_by_unless",
            f"Its condition held, but the exception applies: {_clauses(unless.clauses)}; "
            "so it does not fire.",
            clauses=decided.clauses,
            unless_clauses=unless.clauses,
        )
    return outcome("fired", _fired(decided.clauses), clauses=decided.clauses)


def describe_clause(clause: Clause, *, values: bool = True) -> str:
    """A clause in plain words: ``attrs.depth_m > 50 is false (attrs.depth_m = 30)``."""
    text = f"`{clause.text}`"
    if clause.macros:
        text += f" in macro {' > '.join(clause.macros)}"
    if values:
        state = {True: "is true", False: "is false", None: "cannot be decided"}[clause.holds]
        text += f" {state}"
    shown = [f"{path} = {literal_text(value)}" for path, value in clause.values.items()]
    shown += [f"{path} is missing" for path in clause.missing]
    if values and shown:
        text += f" ({', '.join(shown)})"
    if values and clause.error:
        text += f" [error: {clause.error}]"
    return text


def _clauses(clauses: list[Clause]) -> str:
    return "; ".join(describe_clause(c) for c in clauses)


def _fired(clauses: list[Clause]) -> str:
    if len(clauses) == 1:
        return f"Fired because {describe_clause(clauses[0])}."
    return f"Fired because every condition held: {_clauses(clauses)}."


def _not_fired(clauses: list[Clause]) -> str:
    if len(clauses) == 1:
        return f"Did not fire because {describe_clause(clauses[0])}."
    return f"Did not fire because none of the alternatives held: {_clauses(clauses)}."


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _window(rule: CompiledRule) -> str:
    low, high = rule.valid_from, rule.valid_until
    yearly = (low is not None and low.year is None) or (high is not None and high.year is None)
    text = f"valid from {low or 'any date'} to {high or 'any date'}"
    return text + (" every year" if yearly else "")


def _jurisdiction(rule: CompiledRule, observation: Observation) -> str:
    for level, names in rule.jurisdiction:
        here = getattr(observation.location, level)
        if here not in names:
            allowed = ", ".join(sorted(names)) or "(no names)"
            found = f"is {here}" if here is not None else "is not given"
            return f"it applies only where {level} is one of {allowed}; this observation's {level} {found}"
    return "its jurisdiction does not match this observation's location"


def _plugin_checks(
    screener: Screener, result: ScreenResult, wanted: set[str] | None
) -> list[RuleExplanation]:
    """Plugin checks (Python code, no clauses to show) that fired, failed or were asked for."""
    findings: dict[str, Finding] = {f.rule_id: f for f in (result.alert.findings if result.alert else [])}
    rule_ids = {r.id for r in screener.ruleset.rules}
    failed = {e.plugin: e.message for e in result.plugin_errors if e.hook == "riskscreen_check"}
    explained: list[RuleExplanation] = []
    for plugin, check in getattr(screener, "checks", ()):
        if check.id in rule_ids:
            continue
        found = findings.get(check.id)
        base = {
            "rule_id": check.id,
            "title": check.title,
            "pack": plugin,
            "source": f"plugin {plugin}",
            "references": [reference_text(r) for r in (found.references if found else check.references)],
        }
        if found is not None:
            values = {k: plain_value(v) for k, v in found.values.items()}
            summary = f"Fired: the plugin check reported {found.message!r}."
            explained.append(RuleExplanation(outcome="fired", summary=summary, values=values, **base))
        elif plugin in failed:
            summary = f"The plugin's checks failed on this observation: {failed[plugin]}."
            explained.append(RuleExplanation(outcome="error", summary=summary, **base))
        elif wanted is not None and check.id in wanted:
            summary = "Did not fire: the plugin check (Python code) found nothing to report."
            explained.append(RuleExplanation(outcome="not_fired", summary=summary, **base))
    return explained
