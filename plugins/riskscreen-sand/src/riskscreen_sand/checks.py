"""Python checks: the criminal value thresholds and repeat offences (法释〔2016〕25号 第三条).

They are Python rather than YAML because they combine a configured threshold chosen by
zone and season, a national multiple and the offender's record into one legal judgement,
and their messages state which threshold applied.
"""

from __future__ import annotations

from typing import Any

from riskscreen import CheckFinding, CheckInfo, CheckUndecided, Record
from riskscreen.templates import place_text

from .config import SandConfig
from .derived import possible_grades
from .law import ESPECIALLY_SERIOUS_MULTIPLE, JUDICIAL_INTERPRETATION, REPEAT_PENALTIES

__all__ = [
    "CHECKS",
    "REPEAT_OFFENCE",
    "SCORES",
    "SERIOUS_VALUE",
    "SPECIALLY_SERIOUS_VALUE",
    "run_checks",
    "undecided_checks",
]

SERIOUS_VALUE = "SAND-101"
SPECIALLY_SERIOUS_VALUE = "SAND-102"
REPEAT_OFFENCE = "SAND-103"

_CRIMINAL_LAW = "刑法 第三百四十三条"
_VALUE_REFERENCES = [_CRIMINAL_LAW, f"{JUDICIAL_INTERPRETATION} 第三条", f"{JUDICIAL_INTERPRETATION} 第四条"]
_REPEAT_REFERENCES = [_CRIMINAL_LAW, f"{JUDICIAL_INTERPRETATION} 第三条第一款第三项"]

#: The checks, as listed by ``riskscreen rules`` and named in regression cases.
CHECKS = [
    CheckInfo(
        id=SERIOUS_VALUE,
        title="非法采砂价值达到“情节严重”标准",
        severity="high",
        references=_VALUE_REFERENCES,
    ),
    CheckInfo(
        id=SPECIALLY_SERIOUS_VALUE,
        title="非法采砂价值达到“情节特别严重”标准",
        severity="critical",
        references=_VALUE_REFERENCES,
    ),
    CheckInfo(
        id=REPEAT_OFFENCE,
        title="二年内受过两次以上行政处罚又非法采砂",
        severity="high",
        references=_REPEAT_REFERENCES,
    ),
]


#: The score each check's finding carries, which is also what it would add while undecided.
# 情节严重 (by value, or a third offence within two years) is the threshold of the crime of
# illegal mining itself: P1 on its own (≥ 80); 情节特别严重 is critical.
SCORES: dict[str, float] = {SERIOUS_VALUE: 80, SPECIALLY_SERIOUS_VALUE: 95, REPEAT_OFFENCE: 80}
_GRADE_CHECKS = {"serious": SERIOUS_VALUE, "especially_serious": SPECIALLY_SERIOUS_VALUE}


def wan(value_cny: float) -> str:
    """An amount in 万元 as people write it: ``120000`` -> ``12``, ``125000`` -> ``12.5``."""
    return f"{value_cny / 10_000:.2f}".rstrip("0").rstrip(".")


def _place(record: Record) -> str:
    # the nearest known place when the village is not reported (北管区, 地点未知)
    return place_text("village", record.lookup)


def _value_finding(record: Record) -> CheckFinding | None:
    grade = record.lookup("derived.sand_value_grade")
    value = record.lookup("attrs.value_cny")
    threshold = record.lookup("derived.sand_serious_threshold_cny")
    if record.lookup("derived.sand_unlawful_mining") is not True or grade not in (
        "serious",
        "especially_serious",
    ):
        return None
    restriction = record.lookup("derived.sand_restriction_label")
    basis = f"{restriction}内" if restriction else ""
    values: dict[str, Any] = {
        "attrs.value_cny": value,
        "derived.sand_value_grade": grade,
        "derived.sand_serious_threshold_cny": threshold,
        "derived.sand_restriction_label": restriction,
    }
    threshold_text = f"{wan(threshold)}万元" if threshold is not None else "相应标准"
    if grade == "especially_serious":
        return CheckFinding(
            rule_id=SPECIALLY_SERIOUS_VALUE,
            title=CHECKS[1].title,
            severity="critical",
            score=SCORES[SPECIALLY_SERIOUS_VALUE],
            message=(
                f"{_place(record)}：非法采砂价值约{wan(value)}万元，达到{basis}“情节严重”标准"
                f"（{threshold_text}）的{ESPECIALLY_SERIOUS_MULTIPLE}倍，属“情节特别严重”，涉嫌非法采矿罪"
            ),
            action="立即固定证据、扣押涉案船舶机具，移送公安机关立案侦查，报街道主要领导督办",
            escalate_to="subdistrict",
            respond_within="4h",
            tags=["criminal", "value"],
            references=list(_VALUE_REFERENCES),
            values=values,
        )
    return CheckFinding(
        rule_id=SERIOUS_VALUE,
        title=CHECKS[0].title,
        severity="high",
        score=SCORES[SERIOUS_VALUE],
        message=(
            f"{_place(record)}：非法采砂价值约{wan(value)}万元，达到{basis}“情节严重”标准"
            f"（{threshold_text}），涉嫌非法采矿罪"
        ),
        action="固定证据（采砂量、价值鉴定），扣押涉案机具，依法移送公安机关",
        escalate_to="department",
        respond_within="24h",
        tags=["criminal", "value"],
        references=list(_VALUE_REFERENCES),
        values=values,
    )


def _repeat_finding(record: Record) -> CheckFinding | None:
    penalties = record.lookup("attrs.penalties_2y")
    if penalties is None or penalties < REPEAT_PENALTIES:
        return None
    if record.lookup("derived.sand_unlawful_mining") is not True:
        return None
    return CheckFinding(
        rule_id=REPEAT_OFFENCE,
        title=CHECKS[2].title,
        severity="high",
        score=SCORES[REPEAT_OFFENCE],
        message=(
            f"{_place(record)}：当事人二年内已因非法采砂受过{penalties}次行政处罚，"
            "又实施非法采砂，属“情节严重”，涉嫌非法采矿罪"
        ),
        action="调取既往行政处罚记录，固定本次违法证据，依法移送公安机关",
        escalate_to="department",
        respond_within="24h",
        tags=["criminal", "repeat"],
        references=list(_REPEAT_REFERENCES),
        values={"attrs.penalties_2y": penalties, "derived.sand_unlawful_mining": True},
    )


def _undecided(check_id: str, missing: list[str]) -> CheckUndecided:
    severity = next(info.severity for info in CHECKS if info.id == check_id)
    return CheckUndecided(check_id=check_id, missing=missing, severity=severity, score=SCORES[check_id])


def undecided_checks(record: Record, config: SandConfig) -> list[CheckUndecided]:
    """The checks a missing value leaves open: absent is never read as "no".

    The value checks are open while the mining may be unlawful and the value could reach
    their grade: without ``value_cny`` (or, near a threshold, without knowing whether the
    zone or season applies), or with the grade reached but the permit or zone unknown.
    The repeat-offence check is open for unlawful mining without ``penalties_2y``.
    """
    unlawful = record.lookup("derived.sand_unlawful_mining")
    if unlawful is False:
        return []
    open_facts = [] if unlawful is True else ["derived.sand_unlawful_mining"]
    grade = record.lookup("derived.sand_value_grade")
    grades = possible_grades(
        record.lookup("attrs.value_cny"), record.lookup("derived.sand_restricted"), config
    )
    found: list[CheckUndecided] = []
    for name, check_id in _GRADE_CHECKS.items():
        if name not in grades or (grade == name and not open_facts):
            continue  # cannot reach this grade, or decided and found
        missing = [*([] if grade is not None else ["derived.sand_value_grade"]), *open_facts]
        found.append(_undecided(check_id, missing))
    penalties = record.lookup("attrs.penalties_2y")
    if penalties is None and unlawful is True:
        found.append(_undecided(REPEAT_OFFENCE, ["attrs.penalties_2y"]))
    elif penalties is not None and penalties >= REPEAT_PENALTIES and open_facts:
        found.append(_undecided(REPEAT_OFFENCE, open_facts))
    return found


def run_checks(record: Record, config: SandConfig | None = None) -> list[CheckFinding | CheckUndecided]:
    """What every check says on one ``sand_digging`` record (read after enrichment).

    Findings for the checks that fired, :class:`~riskscreen.CheckUndecided` for those a
    missing value leaves open.
    """
    found = [_value_finding(record), _repeat_finding(record)]
    undecided = undecided_checks(record, config or SandConfig())
    return [*(finding for finding in found if finding is not None), *undecided]
