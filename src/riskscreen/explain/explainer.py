"""Explain one observation: every candidate rule, what it came to, and why.

The outcome of each rule is computed exactly as the screener computes it (the same
enabled flag, validity dates, jurisdiction and compiled predicates), so an explanation
never disagrees with a screening; the clause-by-clause account comes from
:class:`~riskscreen.explain.trace.Tracer`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from .. import undecided
from ..derived_inputs import MissingInputs
from ..engine.record import MissingValueError, Record
from ..enrich import event_time
from ..exprtext import literal_text
from ..i18n import text as t
from ..laws.reference import reference_text
from ..models import ErrorRecord, Finding, Insufficient, Observation, ScreenResult
from ..packs.ruleset import CompiledRule
from ..screener import Screener
from .model import Clause, Explanation, Outcome, RuleExplanation
from .trace import Decision, Tracer, plain_value

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
    result = screener.screen(observation)
    record: Record = screener.record_for(observation)  # the same values the screening read
    day = event_time(observation, ZoneInfo(screener.settings.local_timezone)).date()
    wanted = set(rule_ids) if rule_ids is not None else None
    rules: list[RuleExplanation] = []
    for rule in screener.ruleset.rules:
        applies = rule.categories is None or observation.category in rule.categories
        if (wanted is None and applies) or (wanted is not None and rule.id in wanted):
            rules.append(explain_rule(rule, observation, record, day, screener.missing_inputs))
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


def explain_rule(
    rule: CompiledRule,
    observation: Observation,
    record: Record,
    day: date,
    inputs: MissingInputs | None = None,
) -> RuleExplanation:
    """Why ``rule`` did or did not fire for a validated observation and its record.

    ``inputs`` names the observation fields behind a missing ``derived.*`` field, so an
    undecided rule asks for what a worker can collect.
    """
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
            t("explain.other_category", categories=categories, category=observation.category),
        )
    if not rule.enabled:
        if rule.overridden_by:
            return not_evaluated("disabled", t("explain.disabled_override", where=rule.overridden_by[-1]))
        return not_evaluated("disabled", t("explain.disabled"))
    if not rule.in_validity(day):
        return not_evaluated(
            "outside_validity",
            t("explain.outside_validity", day=day.isoformat(), window=_window(rule)),
        )
    if not rule.in_jurisdiction(observation.location):
        return not_evaluated(
            "outside_jurisdiction", t("explain.outside_jurisdiction", why=_jurisdiction(rule, observation))
        )
    tracer = Tracer(record, rule.macros)
    try:
        held = bool(rule.when_predicate(record))
        excluded = held and rule.unless_predicate is not None and bool(rule.unless_predicate(record))
    except MissingValueError as gap:
        lacking = missing or [gap.path]
        decided = tracer.decide(rule.when)
        if rule.cannot_fire(record):
            # settled by the values it has, as screening reads it (engine.kleene): a false
            # `when`, or an `unless` that holds
            held = excluded = decided.holds is not False and rule.unless is not None
            return _decided(rule, tracer, decided, held=held, excluded=excluded, outcome=outcome)
        clauses = [c for c in decided.clauses if c.holds is None]
        unless_clauses: list[Clause] = []
        if decided.holds and rule.unless is not None:
            unless_clauses = [c for c in tracer.decide(rule.unless).clauses if c.holds is None]
        undecided = clauses or unless_clauses
        needed, named = "", lacking
        if undecided:
            needed = t("explain.needed_by", clause=describe_clause(undecided[0], values=False))
            named = undecided[0].missing or lacking
        if inputs is not None:
            named = inputs.observed(named, record)
        return outcome(
            "insufficient",
            t("explain.insufficient", fields=_and(named), needed=needed),
            clauses=clauses,
            unless_clauses=unless_clauses,
            missing=lacking,
        )
    except Exception as exc:  # the screener records it the same way
        message = str(getattr(exc, "message", "") or exc) or type(exc).__name__
        return outcome("error", t("explain.error", message=message))
    return _decided(rule, tracer, tracer.decide(rule.when), held=held, excluded=excluded, outcome=outcome)


def _decided(
    rule: CompiledRule,
    tracer: Tracer,
    decided: Decision,
    *,
    held: bool,
    excluded: bool,
    outcome: Callable[..., RuleExplanation],
) -> RuleExplanation:
    """The explanation of a rule that was decided: not fired, excluded by unless, or fired."""
    if not held:
        return outcome("not_fired", _not_fired(decided.clauses), clauses=decided.clauses)
    if excluded and rule.unless is not None:
        unless = tracer.decide(rule.unless)
        return outcome(
            "excluded_by_unless",
            t("explain.excluded", clauses=_clauses(unless.clauses)),
            clauses=decided.clauses,
            unless_clauses=unless.clauses,
        )
    return outcome("fired", _fired(decided.clauses), clauses=decided.clauses)


def describe_clause(clause: Clause, *, values: bool = True) -> str:
    """A clause in plain words: ``attrs.depth_m > 50 is false (attrs.depth_m = 30)``."""
    text = f"`{clause.text}`"
    if clause.macros:
        text += t("explain.in_macro", macros=" > ".join(clause.macros))
    if values:
        state = {True: "explain.true", False: "explain.false", None: "explain.undecidable"}[clause.holds]
        text += f" {t(state)}"
    shown = [f"{path} = {literal_text(value)}" for path, value in clause.values.items()]
    shown += [t("explain.missing", path=path) for path in clause.missing]
    if values and shown:
        text += f" ({', '.join(shown)})"
    if values and clause.error:
        text += f" {t('explain.clause_error', error=clause.error)}"
    return text


def _clauses(clauses: list[Clause]) -> str:
    return "; ".join(describe_clause(c) for c in clauses)


def _fired(clauses: list[Clause]) -> str:
    if len(clauses) == 1:
        return t("explain.fired_one", clause=describe_clause(clauses[0]))
    return t("explain.fired_all", clauses=_clauses(clauses))


def _not_fired(clauses: list[Clause]) -> str:
    if len(clauses) == 1:
        return t("explain.not_fired_one", clause=describe_clause(clauses[0]))
    return t("explain.not_fired_any", clauses=_clauses(clauses))


def _and(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return t("explain.and").join(items[:-1]) + t("explain.and_last") + items[-1]


def _window(rule: CompiledRule) -> str:
    low, high = rule.valid_from, rule.valid_until
    yearly = (low is not None and low.year is None) or (high is not None and high.year is None)
    key = "explain.window_yearly" if yearly else "explain.window"
    anyday = t("explain.any_date")
    return t(key, low=low or anyday, high=high or anyday)


def _jurisdiction(rule: CompiledRule, observation: Observation) -> str:
    for level, names in rule.jurisdiction:
        here = getattr(observation.location, level)
        if here not in names:
            allowed = ", ".join(sorted(names)) or t("explain.no_names")
            found = (
                t("explain.jurisdiction_is", here=here)
                if here is not None
                else t("explain.jurisdiction_absent")
            )
            return t("explain.jurisdiction_level", level=level, allowed=allowed, found=found)
    return t("explain.jurisdiction_other")


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
            summary = t("explain.plugin_fired", message=found.message)
            explained.append(RuleExplanation(outcome="fired", summary=summary, values=values, **base))
        elif plugin in failed:
            summary = t("explain.plugin_failed", message=failed[plugin])
            explained.append(RuleExplanation(outcome="error", summary=summary, **base))
        elif wanted is not None and check.id in wanted:
            summary = t("explain.plugin_silent")
            explained.append(RuleExplanation(outcome="not_fired", summary=summary, **base))
    return explained
