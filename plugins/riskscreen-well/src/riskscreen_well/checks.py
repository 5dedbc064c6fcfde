"""The plugin's Python checks: what the YAML pack cannot say cleanly.

- ``WELL-101`` the household withdrawal quota: a household or livestock well drawing more
  than the configured exempt quota without a permit (the quota is local configuration and
  the message has to state it).
- ``WELL-102`` repeat offences: a site that was rectified before, or reported again and
  again within 30 days (a threshold from configuration), where a violation of this
  plugin (a ``well`` pack rule or WELL-101) is found again.
"""

from __future__ import annotations

from collections.abc import Sequence

from riskscreen import CheckFinding, CheckInfo, CheckUndecided, Finding, Observation, Record
from riskscreen.templates import place_text

from .config import WellConfig
from .derived import PURPOSE_LABELS, exceeds_quota

__all__ = [
    "CHECKS",
    "PACK",
    "QUOTA_CHECK",
    "QUOTA_SCORE",
    "REPEAT_CHECK",
    "quota_check",
    "quota_undecided",
    "repeat_check",
    "run_checks",
]

#: The id of the rule pack this plugin ships; its findings are the violations WELL-102 counts.
PACK = "well"

QUOTA_CHECK = CheckInfo(
    id="WELL-101",
    title="超出免许可取水定额未办理取水许可",
    severity="medium",
    references=["水法 第四十八条", "水法 第六十九条", "取水许可和水资源费征收管理条例 第四条"],
)
REPEAT_CHECK = CheckInfo(
    id="WELL-102",
    title="打井取水违法行为屡查屡犯",
    severity="medium",
    references=["水法 第六十九条", "地下水管理条例 第三十五条"],
)
#: Every check this plugin declares.
CHECKS: list[CheckInfo] = [QUOTA_CHECK, REPEAT_CHECK]

_OPEN = ("new", "in_progress")

#: The score of a WELL-101 finding, which is also what the check would add while undecided.
QUOTA_SCORE = 50.0


def _number(value: float) -> str:
    """A number as riskscreen's message templates write it: ``80.0`` -> ``80``."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _village(observation: Observation) -> str:
    # the nearest known place when the village is not reported (北管区, 地点未知)
    location = observation.location
    return place_text("village", lambda path: getattr(location, path.removeprefix("location."), None))


def quota_check(observation: Observation, record: Record, config: WellConfig) -> CheckFinding | None:
    """WELL-101: household or livestock use above the exempt quota, with no valid permit."""
    purpose = record.lookup("attrs.purpose")
    withdrawal = record.lookup("attrs.withdrawal_m3_day")
    quota = config.household_quota_m3_day
    if (
        not exceeds_quota(purpose, withdrawal, quota)
        or record.lookup("derived.well_permit_missing") is not True
    ):
        return None
    return CheckFinding(
        rule_id=QUOTA_CHECK.id,
        title=QUOTA_CHECK.title,
        severity=QUOTA_CHECK.severity,
        score=QUOTA_SCORE,
        message=(
            f"{_village(observation)}：{PURPOSE_LABELS.get(purpose, purpose)}用井日取水{_number(withdrawal)}"
            f"立方米，超过免办取水许可的{_number(quota)}立方米/日定额，未取得有效取水许可"
        ),
        action="责令停止超定额取水，限期压减至定额以内或依法申领取水许可，安装取水计量设施",
        escalate_to="department",
        respond_within="24h",
        tags=["permit", "quota", "groundwater"],
        references=list(QUOTA_CHECK.references),
        values={
            "attrs.purpose": purpose,
            "attrs.withdrawal_m3_day": withdrawal,
            "derived.well_household_quota_m3_day": quota,
            "derived.well_permit_missing": True,
        },
    )


def quota_undecided(record: Record, config: WellConfig) -> CheckUndecided | None:
    """WELL-101 left open: the purpose, the daily withdrawal or the permit is not reported.

    An absent permit is never read as "no permit", nor an absent withdrawal as within the
    quota; a check that one known fact already rules out is decided.
    """
    purpose = record.lookup("attrs.purpose")
    exceeds = exceeds_quota(purpose, record.lookup("attrs.withdrawal_m3_day"), config.household_quota_m3_day)
    lacking_permit = record.lookup("derived.well_permit_missing")
    if exceeds is False or lacking_permit is False or (exceeds and lacking_permit):
        return None
    missing = []
    if exceeds is None:
        missing.append("attrs.purpose" if purpose is None else "attrs.withdrawal_m3_day")
    if lacking_permit is None:
        missing.append("derived.well_permit_missing")
    return CheckUndecided(
        check_id=QUOTA_CHECK.id, missing=missing, severity=QUOTA_CHECK.severity, score=QUOTA_SCORE
    )


def repeat_check(
    observation: Observation, violations: Sequence[Finding | CheckFinding], config: WellConfig
) -> CheckFinding | None:
    """WELL-102: violations found again at a site that was rectified or keeps being reported.

    ``violations`` are this plugin's findings on the observation (its pack's rules and
    WELL-101). Only open reports (new, in progress) count.
    """
    if not violations or observation.status not in _OPEN:
        return None
    history = observation.history
    rectified = history.rectified_before is True
    reports = history.reports_30d
    frequent = reports is not None and reports >= config.repeat_reports_30d
    if not (rectified or frequent):
        return None
    reasons = [*(["该点位曾整改"] if rectified else []), *([f"30日内已上报{reports}次"] if frequent else [])]
    titles = [v.title for v in violations]
    references = list(dict.fromkeys(r for v in violations for r in v.references))
    values: dict[str, object] = {"violations": [v.rule_id for v in violations]}
    if history.rectified_before is not None:
        values["history.rectified_before"] = history.rectified_before
    if reports is not None:
        values["history.reports_30d"] = reports
    return CheckFinding(
        rule_id=REPEAT_CHECK.id,
        title=REPEAT_CHECK.title,
        severity=REPEAT_CHECK.severity,
        score=50,
        message=f"{_village(observation)}：{'，'.join(reasons)}，再次发现{'、'.join(titles)}，屡查屡犯",
        action="街道挂牌督办，水行政主管部门依法从重查处，封存取水设施、追查打井单位，列为重点巡查点位",
        escalate_to="subdistrict",
        respond_within="4h",
        tags=["repeat", "groundwater", "closure"],
        references=references,
        values=values,
    )


def run_checks(
    observation: Observation, record: Record, config: WellConfig, findings: Sequence[Finding]
) -> list[CheckFinding | CheckUndecided]:
    """Every check's findings for one ``well_drilling`` observation.

    WELL-101 comes back as :class:`~riskscreen.CheckUndecided` when a missing value leaves
    it open.
    """
    quota = quota_check(observation, record, config)
    found = [quota] if quota else []
    violations: list[Finding | CheckFinding] = [f for f in findings if f.pack == PACK]
    ordered = sorted([*violations, *found], key=lambda v: v.rule_id)
    repeat = repeat_check(observation, ordered, config)
    open_quota = quota_undecided(record, config)
    return [*found, *([repeat] if repeat else []), *([open_quota] if open_quota else [])]
