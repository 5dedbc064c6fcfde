"""Explanations as text for people: one block per rule, most telling outcomes first."""

from __future__ import annotations

from ..exprtext import literal_text
from ..i18n import language
from ..i18n import text as t
from .model import OUTCOME_LABELS, Explanation, RuleExplanation

__all__ = ["OUTCOME_ORDER", "render_explanation", "render_rule"]

#: The order outcomes are listed in: what happened first, what was ruled out last.
OUTCOME_ORDER: tuple[str, ...] = (
    "fired",
    "error",
    "insufficient",
    "excluded_by_unless",
    "not_fired",
    "outside_validity",
    "outside_jurisdiction",
    "disabled",
    "not_applicable",
)


def render_rule(rule: RuleExplanation, indent: str = "") -> str:
    """One rule's explanation: the id and title, the outcome, why, and the values read."""
    lines = [
        f"{indent}{rule.rule_id} {rule.title}  [{rule.source}]",
        f"{indent}  {OUTCOME_LABELS[rule.outcome]}: {rule.summary}",
    ]
    if rule.when is not None and rule.outcome not in ("disabled", "not_applicable"):
        lines.append(f"{indent}  {t('explain.when')}:   {' '.join(rule.when.split())}")
        if rule.unless is not None:
            lines.append(f"{indent}  {t('explain.unless')}: {' '.join(rule.unless.split())}")
    shown = [f"{path} = {literal_text(value)}" for path, value in rule.values.items()]
    shown += [t("explain.missing", path=path) for path in rule.missing]
    if shown:
        lines.append(f"{indent}  {t('explain.values')}: {'; '.join(shown)}")
    if rule.references:
        lines.append(f"{indent}  {t('explain.references')}: {'; '.join(rule.references)}")
    return "\n".join(lines)


def render_explanation(explanation: Explanation) -> str:
    """The whole explanation, as ``riskscreen explain`` prints it."""
    if explanation.error is not None:
        error = explanation.error
        whole = t("record.whole")
        return (
            t(
                "explain.cannot_screen",
                id=error.id or t("explain.no_id"),
                field=error.field or whole,
                message=error.message,
            )
            + "\n"
        )
    head = t(
        "explain.head",
        id=explanation.observation_id,
        category=explanation.category,
        date=explanation.event_date,
    )
    if explanation.status == "alert":
        verdict = t("explain.alert", priority=explanation.priority, score=f"{explanation.score:.1f}")
    else:
        verdict = t("explain.no_alert")
    counts: dict[str, int] = {}
    for rule in explanation.rules:
        counts[rule.outcome] = counts.get(rule.outcome, 0) + 1
    if language() == "zh":  # the Chinese half of the label: 触发 3、未触发 11
        tally = "、".join(
            f"{OUTCOME_LABELS[o].rsplit(' ', 1)[-1]} {counts[o]}" for o in OUTCOME_ORDER if o in counts
        )
    else:
        tally = ", ".join(f"{counts[o]} {o.replace('_', ' ')}" for o in OUTCOME_ORDER if o in counts)
    count = len(explanation.rules)
    blocks = [head, t("explain.tally", verdict=verdict, count=count, tally=tally or t("explain.none"))]
    blocks.extend(_evidence(explanation))
    order = {outcome: i for i, outcome in enumerate(OUTCOME_ORDER)}
    for rule in sorted(explanation.rules, key=lambda r: order[r.outcome]):
        blocks.append(render_rule(rule))
    for failure in explanation.plugin_errors:
        blocks.append(
            t("explain.plugin_error", plugin=failure.plugin, hook=failure.hook, message=failure.message)
        )
    return "\n\n".join(blocks) + "\n"


def _evidence(explanation: Explanation) -> list[str]:
    """What could_be means for this observation and which missing values decide it, then warnings."""
    blocks: list[str] = []
    if explanation.undecided and explanation.could_be is not None:
        if explanation.priority:
            now = t("explain.now_priority", priority=explanation.priority)
        else:
            now = t("explain.now_none")
        lines = [t("explain.undecided", now=now, could_be=explanation.could_be)]
        for entry in explanation.to_collect:
            what = ", ".join(entry.missing) or t("explain.rule_failed", error=entry.error)
            lines.append(t("explain.decides", what=what, rule_id=entry.rule_id))
        blocks.append("\n".join(lines))
    elif any(r.outcome == "insufficient" for r in explanation.rules):
        blocks.append(t("explain.decided"))
    if explanation.warnings:
        blocks.append("\n".join(t("explain.warning", warning=w) for w in explanation.warnings))
    return blocks
