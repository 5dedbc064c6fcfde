"""Undecided results: what missing evidence could make of a result, and attributes nobody declares.

A rule or plugin check that needs a value the observation lacks is *insufficient*: it
neither fires nor counts as false. :func:`worst_case` scores the result as if every such
rule and check had fired; the result's ``could_be`` is that priority when it is more
urgent than the one the result got (a no-alert record: when it would be an alert at all).
Missing values that could not change the priority leave ``could_be`` empty, so
*undecided* keeps meaning "someone must go and collect this".

History is the exception to "absent means unknown": a record that does not carry its
site's history is read as having no earlier reports known (:func:`known_history`),
because otherwise every rule about repeat reports would leave every record undecided.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from . import scoring
from .i18n import text
from .models import DEFAULT_SCORES, ErrorRecord, History, Insufficient, Priority
from .settings import Band, Settings

__all__ = [
    "contribution",
    "could_be",
    "known_history",
    "lift_alone",
    "more_urgent_only",
    "to_collect",
    "unknown_attribute_error",
    "unknown_attributes",
    "worst_case",
]


def known_history(history: History) -> dict[str, Any]:
    """The values rules read for ``history``: the fields it leaves out read as "no earlier reports known".

    ``reports_7d`` and ``reports_30d`` become 0 (``reports_30d`` at least ``reports_7d``)
    and ``rectified_before`` false; ``days_since_last_report`` stays absent, since
    without an earlier report there is no such number. Plugins see the observation as it
    was given; the shipped ones read an absent history the same way.
    """
    values = dict(history.__dict__)  # what model_dump() gives for this flat model, without its cost
    week = values["reports_7d"]
    if week is None:
        values["reports_7d"] = week = 0
    if values["reports_30d"] is None:
        values["reports_30d"] = week
    if values["rectified_before"] is None:
        values["rectified_before"] = False
    return values


def contribution(entry: Insufficient) -> float | None:
    """The score an undecided rule or check would add if it fired (``None``: it does not say)."""
    if entry.score is not None:
        return entry.score
    if entry.severity is not None:
        return DEFAULT_SCORES[entry.severity]
    return None


def worst_case(
    scores: Sequence[float],
    critical: bool,
    insufficient: Iterable[Insufficient],
    settings: Settings,
) -> Band | None:
    """The band a result would get if every undecided rule and check fired.

    ``scores`` and ``critical`` describe the findings the result has. ``None`` when no
    undecided rule says what it would add.
    """
    extra: list[float] = []
    for entry in insufficient:
        score = entry.score
        if score is None:
            if entry.severity is None:
                continue  # a check that does not say what it would add
            score = DEFAULT_SCORES[entry.severity]
        if entry.severity == "critical":
            return settings.bands[0]  # P1 whatever the scores: no need to combine them
        extra.append(score)
    if not extra:
        return None
    if critical:
        return settings.bands[0]
    return settings.band_for(scoring.combine_scores([*scores, *extra], settings.corroboration))


def could_be(priority: Priority | None, worst: Band | None) -> Priority | None:
    """``worst``'s priority when it is more urgent than ``priority`` (``None``: no alert yet)."""
    return more_urgent_only(worst.priority if worst is not None else None, priority)


def more_urgent_only(candidate: Priority | None, priority: Priority | None) -> Priority | None:
    """``candidate`` when it is more urgent than ``priority`` (P1 is the most urgent), else ``None``.

    The rule for showing ``could_be``, on results and on cases alike.
    """
    if candidate is None or (priority is not None and candidate >= priority):
        return None
    return candidate


def lift_alone(
    scores: Sequence[float], critical: bool, entry: Insufficient, settings: Settings
) -> Priority | None:
    """The priority the result would get if only ``entry`` fired besides its findings."""
    band = worst_case(scores, critical, (entry,), settings)
    return band.priority if band is not None else None


def to_collect(
    scores: Sequence[float],
    critical: bool,
    priority: Priority | None,
    insufficient: Sequence[Insufficient],
    settings: Settings,
) -> list[Insufficient]:
    """The undecided rules worth collecting evidence for, most telling first.

    The rules that alone would bring the result to its worst case come first; failing
    those, the rules that alone would make it more urgent; failing those (only together
    can they change the priority), every rule with something to add. Strongest first.
    """
    scored = [e for e in insufficient if contribution(e) is not None]
    ranked = sorted(scored, key=lambda e: (e.severity != "critical", -(contribution(e) or 0.0), e.rule_id))
    worst = could_be(priority, worst_case(scores, critical, ranked, settings))
    alone = {e.rule_id: lift_alone(scores, critical, e, settings) for e in ranked}
    decisive = [e for e in ranked if worst is not None and alone[e.rule_id] == worst]
    lifting = [e for e in ranked if could_be(priority, _band(scores, critical, e, settings)) is not None]
    return decisive or lifting or ranked


def _band(scores: Sequence[float], critical: bool, entry: Insufficient, settings: Settings) -> Band | None:
    return worst_case(scores, critical, (entry,), settings)


def unknown_attributes(
    attrs: Mapping[str, Any], declared: Collection[str], category: str
) -> list[tuple[str, str]]:
    """``(field, message)`` for each ``attrs`` key the category does not declare, with a did-you-mean."""
    problems: list[tuple[str, str]] = []
    for key in attrs:
        if key in declared:
            continue
        close = difflib.get_close_matches(str(key), list(declared), n=1)
        if close:
            message = text("record.unknown_attribute_close", name=close[0])
        elif declared:
            message = text(
                "record.unknown_attribute_list", category=category, names=", ".join(sorted(declared))
            )
        else:
            message = text("record.unknown_attribute_none", category=category)
        problems.append((f"attrs.{key}", message))
    return problems


def unknown_attribute_error(unknown: list[tuple[str, str]], index: int, observation_id: str) -> ErrorRecord:
    """The error record of a strict screening: the first unknown attribute named, all described."""
    field, message = unknown[0]
    if len(unknown) > 1:
        message = "; ".join(f"{where}: {text}" for where, text in unknown)
    return ErrorRecord(index=index, id=observation_id, field=field, message=message)
