"""A failing case as a person reads it: what failed, expected against actual, and why.

``riskscreen test`` and the pytest plugin print the same text, so a rule author sees one
format whichever way the cases were run.
"""

from __future__ import annotations

from collections.abc import Collection

from ..durations import format_duration
from ..explain import render_rule
from ..models import ScreenResult
from .cases import CaseOutcome, Expectation, ScoreRange

__all__ = ["actual_text", "expected_text", "failure_text"]


def _ids(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]"


def expected_text(expect: Expectation) -> str:
    """The case's expectations on one line."""
    parts: list[str] = []
    if expect.error is not None:
        parts.append(f"rejected for {expect.error}")
    for key in ("fires", "not_fires", "insufficient"):
        ids: list[str] = getattr(expect, key)
        if ids:
            parts.append(f"{key} {_ids(ids)}")
    if expect.alert is not None:
        parts.append("an alert" if expect.alert else "no alert")
    if expect.priority is not None:
        parts.append(f"priority {expect.priority}")
    elif "priority" in expect.model_fields_set:
        parts.append("priority null (no alert)")
    if isinstance(expect.score, ScoreRange):
        low = "" if expect.score.min is None else f"{expect.score.min:g}"
        high = "" if expect.score.max is None else f"{expect.score.max:g}"
        parts.append(f"score {low or '0'}..{high or '100'}")
    elif expect.score is not None:
        parts.append(f"score {expect.score:g}")
    if expect.escalate_to is not None:
        parts.append(f"escalate_to {expect.escalate_to}")
    if expect.respond_within is not None:
        parts.append(f"respond_within {expect.respond_within}")
    if "could_be" in expect.model_fields_set:
        parts.append(f"could_be {expect.could_be or 'null (decided)'}")
    return "; ".join(parts) or "(nothing)"


def actual_text(result: ScreenResult | None, named: Collection[str] | None = None) -> str:
    """What the screening gave, in the same terms as :func:`expected_text`.

    With ``named``, only those rules are listed among the insufficient ones; the others
    are counted.
    """
    if result is None:
        return "(not screened)"
    if result.error is not None:
        return f"rejected for {result.error.field or 'record'}: {result.error.message}"
    parts: list[str] = []
    alert = result.alert
    if alert is not None:
        window = format_duration(alert.respond_by - alert.reported_at)
        parts.append(
            f"alert {alert.priority} (score {alert.score:g}, escalate_to {alert.escalate_to}, "
            f"respond_within {window})"
        )
        parts.append(f"fired {_ids([f.rule_id for f in alert.findings])}")
    else:
        parts.append("no alert")
    shown = [i for i in result.insufficient if named is None or i.rule_id in named]
    if shown:
        lacking = [f"{i.rule_id} missing {', '.join(i.missing) or i.error}" for i in shown]
        parts.append(f"insufficient [{'; '.join(lacking)}]")
    if len(shown) < len(result.insufficient):
        others = len(result.insufficient) - len(shown)
        parts.append(f"{others} other rule{'s' if others != 1 else ''} lacked evidence")
    if result.could_be is not None:
        parts.append(f"could be {result.could_be}")
    for failure in result.plugin_errors:
        parts.append(f"plugin {failure.plugin} failed: {failure.message}")
    return "; ".join(parts)


def failure_text(where: str, outcome: CaseOutcome) -> str:
    """The whole report of a failing case written at ``where`` (``path:line``)."""
    lines = [f"case {outcome.case.name!r} at {where} failed:"]
    lines.extend(f"  - {failure}" for failure in outcome.failures)
    lines.append(f"  expected: {expected_text(outcome.case.expect)}")
    expect = outcome.case.expect
    named = {*expect.fires, *expect.not_fires, *expect.insufficient, *outcome.involved}
    lines.append(f"  actual:   {actual_text(outcome.result, named)}")
    explanation = outcome.explanation
    if explanation is not None and explanation.rules:
        lines.append("  why (the rules involved):")
        lines.extend(render_rule(rule, indent="    ") for rule in explanation.rules)
    return "\n".join(lines)
