"""Explanations as text for people: one block per rule, most telling outcomes first."""

from __future__ import annotations

from ..exprtext import literal_text
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
        lines.append(f"{indent}  when:   {' '.join(rule.when.split())}")
        if rule.unless is not None:
            lines.append(f"{indent}  unless: {' '.join(rule.unless.split())}")
    shown = [f"{path} = {literal_text(value)}" for path, value in rule.values.items()]
    shown += [f"{path} is missing" for path in rule.missing]
    if shown:
        lines.append(f"{indent}  values read: {'; '.join(shown)}")
    if rule.references:
        lines.append(f"{indent}  references: {'; '.join(rule.references)}")
    return "\n".join(lines)


def render_explanation(explanation: Explanation) -> str:
    """The whole explanation, as ``riskscreen explain`` prints it."""
    if explanation.error is not None:
        error = explanation.error
        return (
            f"Observation {error.id or '(no id)'} could not be screened: "
            f"{error.field or 'record'}: {error.message}\n"
        )
    head = (
        f"Observation {explanation.observation_id} · category {explanation.category} · "
        f"event date {explanation.event_date}"
    )
    if explanation.status == "alert":
        verdict = f"Alert {explanation.priority}, score {explanation.score:.1f}"
    else:
        verdict = "No alert"
    counts: dict[str, int] = {}
    for rule in explanation.rules:
        counts[rule.outcome] = counts.get(rule.outcome, 0) + 1
    tally = ", ".join(f"{counts[o]} {o.replace('_', ' ')}" for o in OUTCOME_ORDER if o in counts)
    count = len(explanation.rules)
    blocks = [head, f"{verdict}; {count} rule{'s' if count != 1 else ''} explained: {tally or 'none'}"]
    blocks.extend(_evidence(explanation))
    order = {outcome: i for i, outcome in enumerate(OUTCOME_ORDER)}
    for rule in sorted(explanation.rules, key=lambda r: order[r.outcome]):
        blocks.append(render_rule(rule))
    for failure in explanation.plugin_errors:
        blocks.append(f"plugin {failure.plugin} failed in {failure.hook}: {failure.message}")
    return "\n\n".join(blocks) + "\n"


def _evidence(explanation: Explanation) -> list[str]:
    """What could_be means for this observation and which missing values decide it, then warnings."""
    blocks: list[str] = []
    if explanation.undecided and explanation.could_be is not None:
        now = f"is {explanation.priority}" if explanation.priority else "has no alert"
        lines = [
            f"Undecided 待补充证据: it {now} but could be {explanation.could_be} — the priority it would "
            "get if every rule lacking evidence fired. Collect:"
        ]
        for entry in explanation.to_collect:
            what = ", ".join(entry.missing) or f"(the rule failed: {entry.error})"
            lines.append(f"  {what} — decides {entry.rule_id}")
        blocks.append("\n".join(lines))
    elif any(r.outcome == "insufficient" for r in explanation.rules):
        blocks.append(
            "Decided: some rules lack evidence, but none of the missing values could make it more urgent."
        )
    if explanation.warnings:
        blocks.append("\n".join(f"Warning: {w}" for w in explanation.warnings))
    return blocks
