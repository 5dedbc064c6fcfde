"""Python checks: what the YAML pack cannot say cleanly.

- ``MACH-PY-001``: the voltage clearance table — a message that states the distance, the
  clearance the line's voltage requires and the shortfall, with a wording of its own for
  lines above the table.
- ``MACH-PY-002``: unpermitted night work at a site whose history shows earlier reports
  or a rectified problem (a repeat offence).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from riskscreen import CheckFinding, CheckInfo, CheckUndecided, Observation, Record

from .config import MachineryConfig
from .derived import is_repeat_offence, night_work_violation
from .tables import CLEARANCE_REFERENCE

__all__ = [
    "CHECKS",
    "CLEARANCE_CHECK",
    "REPEAT_NIGHT_CHECK",
    "clearance_check",
    "clearance_undecided",
    "number_text",
    "repeat_night_check",
    "run_checks",
]

CLEARANCE_CHECK = CheckInfo(
    id="MACH-PY-001",
    title="机械作业与架空电力线路安全距离不足",
    severity="critical",
    references=[CLEARANCE_REFERENCE, "电力设施保护条例 第十七条"],
)

REPEAT_NIGHT_CHECK = CheckInfo(
    id="MACH-PY-002",
    title="夜间违规施工屡查屡犯",
    severity="medium",
    references=["噪声污染防治法 第四十三条", "噪声污染防治法 第八十八条"],
)

#: Every check the plugin declares.
CHECKS: tuple[CheckInfo, ...] = (CLEARANCE_CHECK, REPEAT_NIGHT_CHECK)


def number_text(value: float) -> str:
    """A number as a report writes it: ``6`` rather than ``6.0``, ``2.5`` stays."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _place(observation: Observation) -> str:
    village = observation.location.village
    return f"{village}：" if village else ""


def _machines(observation: Observation) -> str:
    equipment = observation.attrs.get("equipment")
    if isinstance(equipment, list) and equipment:
        return "、".join(str(item) for item in equipment)
    return "施工机械"


def clearance_check(observation: Observation, record: Record, config: MachineryConfig) -> list[CheckFinding]:
    """MACH-PY-001: work closer to an overhead line's edge than its voltage allows."""
    if record.lookup("derived.machinery_clearance_breached") is not True:
        return []
    kv = float(observation.attrs["power_line_kv"])
    distance = float(observation.attrs["power_line_distance_m"])
    required = record.lookup("derived.machinery_clearance_m")
    lead = f"{_place(observation)}{_machines(observation)}在{number_text(kv)}千伏架空电力线路旁作业，"
    if isinstance(required, (int, float)):
        shortfall = float(required) - distance
        message = (
            f"{lead}距线路边线{number_text(distance)}米，小于该电压等级最小安全操作距离"
            f"{number_text(float(required))}米（差{number_text(shortfall)}米），有触电和线路短路危险"
        )
    else:
        top = config.clearance_bands[-1]
        message = (
            f"{lead}距线路边线{number_text(distance)}米；该电压超出安全距离表"
            f"（最高{number_text(top.up_to_kv)}千伏{number_text(top.metres)}米），"
            f"安全距离不少于{number_text(top.metres)}米，须由电力管理部门确定，有触电危险"
        )
    values: dict[str, Any] = {
        "attrs.power_line_kv": observation.attrs["power_line_kv"],
        "attrs.power_line_distance_m": observation.attrs["power_line_distance_m"],
        "derived.machinery_clearance_m": required,
    }
    return [
        CheckFinding(
            rule_id=CLEARANCE_CHECK.id,
            title=CLEARANCE_CHECK.title,
            severity=CLEARANCE_CHECK.severity,
            message=message,
            action=(
                "立即停止作业，将机械撤离至安全距离以外；确需作业的，须经电力管理部门批准，"
                "采取停电、绝缘隔离或搭设防护设施等措施并专人监护，同时通知供电企业"
            ),
            escalate_to="department",
            respond_within="30m",
            tags=["power_line", "clearance", "electrocution"],
            references=list(CLEARANCE_CHECK.references),
            values={k: v for k, v in values.items() if v is not None},
        )
    ]


def clearance_undecided(observation: Observation, record: Record) -> list[CheckUndecided]:
    """MACH-PY-001 left open: a line is reported but its voltage or the distance is not.

    A report naming no line at all (neither ``power_line_kv`` nor ``power_line_distance_m``)
    is not about a power line and leaves nothing open; one that names a line and lacks the
    other value never counts as keeping its distance. Above the table's voltages and
    farther than its top band, the clearance is for the power authority to set: the
    voltage is what to verify.
    """
    if record.lookup("derived.machinery_clearance_breached") is not None:
        return []
    kv, distance = observation.attrs.get("power_line_kv"), observation.attrs.get("power_line_distance_m")
    if kv is None and distance is None:
        return []
    missing = [
        f"attrs.{name}"
        for name, v in (("power_line_kv", kv), ("power_line_distance_m", distance))
        if v is None
    ]
    return [
        CheckUndecided(
            check_id=CLEARANCE_CHECK.id,
            missing=missing or ["attrs.power_line_kv"],
            severity=CLEARANCE_CHECK.severity,
        )
    ]


def repeat_night_check(
    observation: Observation, record: Record, config: MachineryConfig
) -> list[CheckFinding]:
    """MACH-PY-002: unpermitted night work at a site with earlier reports or a rectified problem."""
    attrs = observation.attrs
    violation = night_work_violation(
        record.lookup("derived.machinery_night_work"),
        attrs.get("near_sensitive_buildings"),
        attrs.get("night_permit"),
        attrs.get("emergency_repair"),
    )
    history = observation.history
    if violation is not True or is_repeat_offence(history, config.repeat_reports_30d) is not True:
        return []
    past: list[str] = []
    if history.reports_30d is not None and history.reports_30d >= config.repeat_reports_30d:
        past.append(f"30日内已被上报{history.reports_30d}次")
    if history.rectified_before:
        past.append("曾整改后复发")
    hour = record.lookup("derived.local_hour")
    when = f"{hour}时" if isinstance(hour, int) else "夜间"
    message = (
        f"{_place(observation)}该工地{'，'.join(past)}，{when}仍在噪声敏感建筑物附近夜间施工"
        f"且无夜间施工证明，属屡查屡犯"
    )
    return [
        CheckFinding(
            rule_id=REPEAT_NIGHT_CHECK.id,
            title=REPEAT_NIGHT_CHECK.title,
            severity=REPEAT_NIGHT_CHECK.severity,
            score=45,
            message=message,
            action=(
                "提请生态环境、住建（城管）部门依法从重查处，约谈建设和施工单位，拒不改正的责令暂停施工；"
                "管区将该工地列为夜间重点巡查点位"
            ),
            escalate_to="department",
            respond_within="4h",
            tags=["night_work", "noise", "repeated"],
            references=list(REPEAT_NIGHT_CHECK.references),
            values={
                "derived.machinery_night_work": True,
                "attrs.night_permit": attrs.get("night_permit"),
                "history.reports_30d": history.reports_30d,
                "history.rectified_before": history.rectified_before,
            },
        )
    ]


def run_checks(
    observation: Observation, record: Record, config: MachineryConfig
) -> list[CheckFinding | CheckUndecided]:
    """Every check of the plugin on one machinery observation; MACH-PY-001 may be left open."""
    found: list[CheckFinding | CheckUndecided] = [
        finding for check in _CHECK_FUNCTIONS for finding in check(observation, record, config)
    ]
    return [*found, *clearance_undecided(observation, record)]


_CHECK_FUNCTIONS: tuple[Callable[[Observation, Record, MachineryConfig], list[CheckFinding]], ...] = (
    clearance_check,
    repeat_night_check,
)
