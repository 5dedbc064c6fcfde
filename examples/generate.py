"""Seeded, deterministic generator of realistic riskscreen observations (standard library only).

Emits grid-governance field reports (网格化社会治理: patrols, 12345 hotline complaints, inspections,
incidents, sensor readings) as JSON Lines or CSV; the same seed always gives byte-identical output.
About a third of the records look risky, about 5% of attribute values are left out (so that some
rules lack evidence), and JSON Lines output carries six deliberately invalid records by default.

    python examples/generate.py --count 600 --seed 20260701 --output examples/observations.jsonl
    python examples/generate.py --count 40 --seed 7 --format csv --output examples/observations.csv
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from random import Random
from typing import Any

TZ = timezone(timedelta(hours=8))
STREET = "城关街道"
# village, district (管区), grid-id prefix, centre lat, centre lon; three villages per district
VILLAGES = [
    ("东村", "北管区", "BGQ", 36.662, 117.018),
    ("西村", "北管区", "BGQ", 36.655, 116.972),
    ("李家庄", "北管区", "BGQ", 36.671, 116.995),
    ("王庄", "南管区", "NGQ", 36.548, 116.990),
    ("河湾村", "南管区", "NGQ", 36.556, 117.031),
    ("张庄", "南管区", "NGQ", 36.539, 116.962),
    ("刘家营", "东管区", "DGQ", 36.611, 117.061),
    ("前进村", "东管区", "DGQ", 36.628, 117.074),
    ("杨柳村", "东管区", "DGQ", 36.594, 117.052),
    ("石桥村", "西管区", "XGQ", 36.603, 116.938),
    ("马家店", "西管区", "XGQ", 36.622, 116.926),
    ("孙家洼", "西管区", "XGQ", 36.585, 116.947),
]
ROADS = ["幸福路", "建设路", "中心街", "府前街", "文化路", "滨河路"]
# category -> (weight, "kind:weight ...", "attribute:type ..."); the attribute names and types
# are the contract shared with the rule packs.
CATEGORIES: dict[str, tuple[int, str, str]] = {
    "fire_safety": (
        10,
        "patrol:4 inspection:3 complaint:2 incident:2",
        "venue_type:string residents_inside:bool flammables_stored:bool exits_blocked:bool "
        "fire_lane_blocked:bool extinguishers_ok:bool ebike_indoor_charging:bool "
        "wiring_unsafe:bool open_flame:bool people_trapped:int hazard_grade:string",
    ),
    "gas_safety": (
        10,
        "patrol:3 inspection:3 complaint:1 incident:2 sensor:2",
        "leak_detected:bool lel_percent:float alarm_installed:bool hose_aged:bool "
        "cylinder_expired:bool cylinders:int venue_type:string in_basement:bool "
        "hazard_grade:string",
    ),
    "flood": (
        10,
        "patrol:4 sensor:3 incident:3 complaint:1",
        "water_level_m:float warning_level_m:float levee_seepage:bool levee_breach:bool "
        "residents_at_risk:int evacuated:bool dangerous_house:bool road_flooded:bool",
    ),
    "production_safety": (
        10,
        "inspection:5 patrol:2 incident:2 complaint:1",
        "hazard_grade:string hazardous_chemicals:bool confined_space:bool hot_work:bool "
        "hot_work_permit:bool workers:int injured:int seriously_injured:int deaths:int overdue_days:int "
        "lec_l:float lec_e:float lec_c:float",
    ),
    "dispute": (
        10,
        "complaint:4 patrol:3 incident:2",
        "dispute_type:string parties:int violence_risk:bool weapons:bool extreme_threat:bool "
        "mediation_started_at:datetime mediation_attempts:int petition_received_at:datetime "
        "petition_forwarded:bool petition_concluded:bool",
    ),
    "construction": (
        10,
        "patrol:6 complaint:3 inspection:1",
        "homestead_approval:string planning_permit:string area_m2:float on_basic_farmland:bool "
        "basic_farmland_mu:float other_farmland_mu:float household_homesteads:int "
        "in_requisition_area:bool power_line_kv:float power_line_distance_m:float "
        "pipeline_distance_m:float on_levee:bool land_disputed:bool",
    ),
    "machinery": (
        10,
        "patrol:4 complaint:4 incident:2 sensor:1",
        "equipment:list[string] equipment_count:int night_permit:string "
        "near_sensitive_buildings:bool emergency_repair:bool noise_leq_db:float "
        "noise_lmax_db:float power_line_kv:float "
        "power_line_distance_m:float power_approval:string pipeline_distance_m:float "
        "pipeline_approval:string excavation_depth_m:float special_plan:string "
        "expert_review:string gas_facility_distance_m:float",
    ),
    "sand_digging": (
        10,
        "patrol:5 complaint:2 incident:2",
        "sand_permit:string in_no_mining_zone:bool volume_m3:float value_cny:float "
        "equipment:list[string] penalties_2y:int structure_type:string "
        "structure_distance_m:float pipeline_crossing_distance_m:float "
        "on_farmland:bool on_levee_protection:bool",
    ),
    "well_drilling": (
        10,
        "patrol:6 complaint:2 inspection:2",
        "has_permit:bool depth_m:float withdrawal_m3_day:float purpose:string "
        "groundwater_zone:string mains_coverage:bool meter_installed:bool abandoned:bool "
        "sealed:bool railway_distance_m:float contractor_licensed:bool",
    ),
    "environment": (
        5,
        "complaint:4 patrol:3 sensor:1",
        "pollution_type:string smoke_visible:bool near_water_source:bool",
    ),
    "other": (4, "patrol:3 complaint:3", ""),
}
SCHEMA = {
    cat: {name: typ for name, _, typ in (p.partition(":") for p in spec.split())}
    for cat, (_, _, spec) in CATEGORIES.items()
}
BAD = ["none", "none", "none", "expired", "unknown"]  # permit statuses that are not "valid"
VENUES = [
    "小商店",
    "小餐饮",
    "小旅馆",
    "小歌舞娱乐场所",
    "小网吧",
    "小美容洗浴场所",
    "小学校或幼儿园",
    "小医院",
    "小生产加工企业",
    "住宅",
    "仓库",
]
CORRIDOR_M = {10.0: 5.0, 35.0: 10.0, 110.0: 10.0, 220.0: 15.0, 500.0: 20.0}  # power-line protection
CLEARANCE_M = {10.0: 6.0, 35.0: 8.0, 110.0: 8.0, 220.0: 10.0, 500.0: 15.0}  # machine clearance
PREFIX = {
    "patrol": "网格员巡查发现：",
    "complaint": "群众来电反映：",
    "inspection": "检查发现：",
    "incident": "突发事件：",
    "sensor": "监测设备上报：",
}
INVALID = ["naive_time", "bad_lat", "bad_kind", "no_id", "bad_depth", "not_json"]
Attrs = dict[str, Any]
Issue = tuple[Callable[[Random], Attrs], str]


@dataclass
class Ctx:
    """What a category generator may read about the record being built."""

    village: str
    kind: str
    night: bool
    when: datetime


def _f(value: float, digits: int = 1) -> float:
    """Round to ``digits`` places, always returning a float."""
    return float(round(value, digits))


def _set(**values: Any) -> Callable[[Random], Attrs]:
    """Return an issue update that sets fixed attribute values."""
    return lambda _rng: values


def apply(rng: Random, a: Attrs, issues: Sequence[Issue], k: int) -> list[str]:
    """Apply ``k`` distinct random issues to ``a``; return their texts filled in from ``a``."""
    texts = []
    for update, template in rng.sample(list(issues), k):
        a.update(update(rng))
        texts.append(template.format(**a))
    return texts


def gen_fire(rng: Random, risky: bool, ctx: Ctx) -> tuple[Attrs, str]:
    """Fire-safety check of a small venue (九小场所) or a home."""
    venue = rng.choice(VENUES)
    a: Attrs = {
        "venue_type": venue,
        "residents_inside": venue == "住宅",
        "flammables_stored": False,
        "exits_blocked": False,
        "fire_lane_blocked": False,
        "extinguishers_ok": True,
        "ebike_indoor_charging": False,
        "wiring_unsafe": False,
        "open_flame": False,
        "people_trapped": 0,
        "hazard_grade": "ordinary",
    }
    if not risky:
        return a, f"{ctx.village}一处{venue}经消防检查，安全出口畅通，灭火器有效，未发现隐患。"
    issues = apply(
        rng,
        a,
        [
            (_set(flammables_stored=True), "存放大量易燃物品"),
            (_set(exits_blocked=True), "安全出口被堵塞"),
            (_set(fire_lane_blocked=True), "消防通道被占用"),
            (_set(extinguishers_ok=False), "灭火器过期失效"),
            (_set(ebike_indoor_charging=True), "电动车室内充电"),
            (_set(wiring_unsafe=True), "私拉乱接电线"),
        ],
        rng.randint(1, 3),
    )
    if a["flammables_stored"] and rng.random() < 0.5:
        a["residents_inside"] = True
        issues.append("且有人员住宿（“三合一”）")
    if ctx.kind == "incident":
        a["open_flame"], a["people_trapped"] = True, rng.choice([0, 0, 0, 1, 2, 3])
        issues.insert(0, "发生火情" + (f"，{a['people_trapped']}人被困" if a["people_trapped"] else ""))
    if len(issues) >= 3 or a["open_flame"] or (a["residents_inside"] and a["flammables_stored"]):
        a["hazard_grade"] = "major"
    return a, f"{ctx.village}一处{venue}" + "，".join(issues) + "。"


def gen_gas(rng: Random, risky: bool, ctx: Ctx) -> tuple[Attrs, str]:
    """Bottled-gas use at a restaurant, home or workshop."""
    venue = rng.choice(["小餐饮", "小餐饮", "住宅", "小旅馆", "小生产加工企业", "小商店"])
    a: Attrs = {
        "leak_detected": False,
        "lel_percent": _f(rng.uniform(0, 2)),
        "alarm_installed": venue != "住宅" or rng.random() < 0.3,
        "hose_aged": False,
        "cylinder_expired": False,
        "cylinders": rng.randint(1, 2),
        "venue_type": venue,
        "in_basement": False,
        "hazard_grade": "ordinary",
    }
    if not risky:
        return a, f"{ctx.village}{venue}燃气安全检查，软管、钢瓶完好，未检出泄漏。"
    leak = ctx.kind in ("sensor", "incident") or rng.random() < 0.2
    issues = apply(
        rng,
        a,
        [
            (_set(hose_aged=True), "连接软管老化开裂"),
            (_set(cylinder_expired=True), "钢瓶超期未检"),
            (_set(alarm_installed=False), "未安装燃气报警器"),
            (
                lambda r: {"in_basement": True, "cylinders": r.randint(2, 8), "hazard_grade": "major"},
                "在地下室使用{cylinders}瓶液化气",
            ),
        ],
        rng.randint(0, 1) if leak else rng.randint(1, 2),
    )
    if leak:
        a.update(leak_detected=True, lel_percent=_f(rng.uniform(8, 60)), hazard_grade="major")
        issues.insert(0, f"检测到燃气泄漏，浓度{a['lel_percent']}%LEL")
    return a, f"{ctx.village}{venue}" + "，".join(issues) + "。"


def gen_flood(rng: Random, risky: bool, ctx: Ctx) -> tuple[Attrs, str]:
    """River stage, levee and low-lying housing in rain or flood season."""
    warn = rng.choice([3.5, 4.0, 4.5, 5.0])
    a: Attrs = {
        "water_level_m": _f(warn - rng.uniform(0.3, 2.5), 2),
        "warning_level_m": warn,
        "levee_seepage": False,
        "levee_breach": False,
        "residents_at_risk": 0,
        "evacuated": False,
        "dangerous_house": False,
        "road_flooded": False,
    }
    if not risky:
        return a, f"{ctx.village}河段水位{a['water_level_m']}米，低于警戒水位{warn}米，堤防巡查无异常。"
    mode = rng.choice(["over", "over", "seep", "house"])
    rise = {"over": (0.05, 1.2), "seep": (-0.4, 0.6), "house": (-0.5, 0.0)}[mode]
    a.update(
        water_level_m=_f(warn + rng.uniform(*rise), 2),
        levee_seepage=mode == "seep",
        road_flooded=mode == "over" and rng.random() < 0.6,
        levee_breach=mode == "seep" and rng.random() < 0.2,
        dangerous_house=mode == "house",
        evacuated=rng.random() < 0.4,
        residents_at_risk=rng.randint(3, 30) if mode == "house" else rng.randint(10, 300),
    )
    text = f"{ctx.village}河段水位{a['water_level_m']}米（警戒{warn}米）"
    text += "，堤防出现决口" if a["levee_breach"] else "，堤防出现渗水" if a["levee_seepage"] else ""
    text += ("，危房仍有人住" if a["dangerous_house"] else "") + ("，道路积水" if a["road_flooded"] else "")
    return a, text + f"，受威胁群众{a['residents_at_risk']}人" + ("，已转移。" if a["evacuated"] else "。")


def gen_production(rng: Random, risky: bool, ctx: Ctx) -> tuple[Attrs, str]:
    """Work-safety inspection of a small plant, with an LEC assessment (D = L × E × C)."""
    hot = rng.random() < 0.2
    a: Attrs = {
        "hazard_grade": "ordinary",
        "hazardous_chemicals": rng.random() < 0.15,
        "confined_space": False,
        "hot_work": hot,
        "hot_work_permit": hot,
        "workers": rng.randint(3, 80),
        "injured": 0,
        "seriously_injured": 0,
        "deaths": 0,
        "overdue_days": 0,
        "lec_l": float(rng.choice([0.1, 0.2, 0.5, 1])),
        "lec_e": float(rng.choice([0.5, 1, 2])),
        "lec_c": float(rng.choice([1, 3, 7])),
    }
    if not risky:
        return a, f"{ctx.village}一家加工企业安全生产检查，现场作业规范，隐患已按期整改。"
    a.update(
        lec_l=float(rng.choice([1, 3, 6, 10])),
        lec_e=float(rng.choice([2, 3, 6, 10])),
        lec_c=float(rng.choice([7, 15, 40, 100])),
    )
    issues = apply(
        rng,
        a,
        [
            (_set(hot_work=True, hot_work_permit=False), "未办理动火审批擅自电焊"),
            (_set(confined_space=True, hazardous_chemicals=True), "涉危化品受限空间作业未通风检测"),
            (lambda r: {"overdue_days": r.randint(3, 60)}, "隐患整改逾期{overdue_days}天"),
            (_set(hazard_grade="major"), "存在重大事故隐患需停产整顿"),
        ],
        rng.randint(1, 2),
    )
    if ctx.kind == "incident":
        a["injured"], a["deaths"] = rng.randint(1, 4), int(rng.random() < 0.15)
        issues.insert(0, f"发生事故致{a['injured']}人受伤" + ("、1人死亡" if a["deaths"] else ""))
    return a, f"{ctx.village}一家加工企业" + "，".join(issues) + "。"


def gen_dispute(rng: Random, risky: bool, ctx: Ctx) -> tuple[Attrs, str]:
    """A conflict between villagers, with mediation and petition (信访) progress."""
    kind = rng.choice(["土地", "邻里", "邻里", "婚姻家庭", "劳资", "征地拆迁", "物业", "其他"])
    a: Attrs = {
        "dispute_type": kind,
        "parties": rng.randint(2, 4),
        "violence_risk": False,
        "weapons": False,
        "extreme_threat": False,
    }
    started, petition, received, forwarded = rng.randint(0, 20), rng.random() < 0.15, rng.randint(1, 12), True
    mode, text = rng.choice(["violence", "group", "mediation", "petition"]) if risky else "", ""
    if mode == "violence":
        a.update(violence_risk=True, weapons=rng.random() < 0.3, extreme_threat=rng.random() < 0.2)
        text = "，双方情绪激动有肢体冲突苗头" + ("，一方持械" if a["weapons"] else "")
        text += "，有人扬言采取极端行为" if a["extreme_threat"] else ""
    elif mode == "group":
        a["parties"], text = rng.randint(6, 40), "，群众聚集要求解决"
    elif mode == "mediation":
        started = rng.randint(31, 90)
        text = f"，调解已持续{started}天仍未化解"
    elif mode == "petition":
        petition, forwarded = True, rng.random() < 0.4
        received = rng.randint(61, 120) if forwarded else rng.randint(16, 90)
        text = f"，信访事项受理已{received}天尚未" + ("办结" if forwarded else "转送交办")
    if risky or rng.random() < 0.65:
        a["mediation_started_at"] = (ctx.when - timedelta(days=started, hours=rng.randint(1, 9))).isoformat()
        a["mediation_attempts"] = max(1, started // 10 + rng.randint(0, 2)) if risky else rng.randint(1, 2)
        text += "，村调委会正在调解" if started <= 30 else ""
    else:
        a["mediation_attempts"], text = 0, text + "，已通知村调委会介入"
    if petition:
        a["petition_received_at"] = (ctx.when - timedelta(days=received, hours=rng.randint(1, 9))).isoformat()
        a["petition_forwarded"], a["petition_concluded"] = forwarded, False
    return a, f"{ctx.village}{kind}纠纷，涉及{a['parties']}人{text}。"


def gen_construction(rng: Random, risky: bool, ctx: Ctx) -> tuple[Attrs, str]:
    """Rural house building (房屋建设) seen on patrol."""
    kv = rng.choice(list(CORRIDOR_M))
    a: Attrs = {
        "homestead_approval": "valid",
        "planning_permit": "valid",
        "area_m2": _f(rng.uniform(90, 165)),
        "on_basic_farmland": False,
        "basic_farmland_mu": 0.0,
        "other_farmland_mu": 0.0,
        "household_homesteads": 0,
        "in_requisition_area": False,
        "power_line_kv": kv,
        "power_line_distance_m": _f(CORRIDOR_M[kv] + rng.uniform(5, 150)),
        "pipeline_distance_m": _f(rng.uniform(30, 1000)),
        "on_levee": False,
        "land_disputed": False,
    }
    if not risky:
        return a, f"{ctx.village}村民建房，宅基地审批和规划许可齐全，按批准面积{a['area_m2']}平方米施工。"
    issues = apply(
        rng,
        a,
        [
            (lambda r: {"area_m2": _f(r.uniform(205, 320))}, "建筑占地{area_m2}平方米，超出标准"),
            (
                lambda r: {"on_basic_farmland": True, "basic_farmland_mu": _f(r.uniform(0.3, 8), 2)},
                "占用永久基本农田{basic_farmland_mu}亩",
            ),
            (lambda r: {"other_farmland_mu": _f(r.uniform(0.5, 15), 2)}, "占用耕地{other_farmland_mu}亩"),
            (lambda r: {"household_homesteads": r.randint(1, 2)}, "该户已有宅基地仍另行建房"),
            (_set(in_requisition_area=True), "在拟征收范围内抢建"),
            (
                lambda r: {"power_line_distance_m": _f(r.uniform(1, CORRIDOR_M[kv] - 0.5))},
                "距{power_line_kv:g}千伏线路仅{power_line_distance_m}米",
            ),
            (lambda r: {"pipeline_distance_m": _f(r.uniform(1, 4.9))}, "距管道中心线{pipeline_distance_m}米"),
            (_set(on_levee=True), "在堤防上建房"),
            (_set(land_disputed=True), "所占土地权属有争议"),
        ],
        rng.randint(0, 1),
    )
    if rng.random() < 0.5 or not issues:
        a["homestead_approval"], a["planning_permit"] = rng.choice(BAD), rng.choice(BAD)
        issues.insert(0, "未取得宅基地批准和规划许可擅自建房")
    return a, f"{ctx.village}村民建房，" + "，".join(issues) + "。"


def gen_machinery(rng: Random, risky: bool, ctx: Ctx) -> tuple[Attrs, str]:
    """Heavy machinery at work: night work, noise, power lines, pipelines, deep pits, gas."""
    equipment = rng.sample(["挖掘机", "装载机", "打井机", "起重机", "渣土车"], rng.randint(1, 3))
    kv, night, what = rng.choice(list(CORRIDOR_M)), ctx.night, "、".join(equipment)
    a: Attrs = {
        "equipment": equipment,
        "equipment_count": len(equipment) + rng.randint(0, 3),
        "night_permit": "valid" if night else "out_of_scope",
        "near_sensitive_buildings": rng.random() < 0.5,
        "emergency_repair": False,
        "noise_leq_db": _f(rng.uniform(45, 54.5) if night else rng.uniform(55, 69.5)),
        "noise_lmax_db": _f(rng.uniform(58, 69.5) if night else rng.uniform(65, 85)),
        "power_line_kv": kv,
        "power_line_distance_m": _f(CLEARANCE_M[kv] + rng.uniform(3, 200)),
        "power_approval": "out_of_scope",
        "pipeline_distance_m": _f(rng.uniform(200, 2000)),
        "pipeline_approval": "out_of_scope",
        "excavation_depth_m": _f(rng.uniform(0.5, 2.9)),
        "special_plan": "out_of_scope",
        "expert_review": "out_of_scope",
        "gas_facility_distance_m": _f(rng.uniform(20, 500)),
    }
    if night and rng.random() < 0.3:
        a["emergency_repair"], a["night_permit"] = True, "none"
    if not risky:
        state = "夜间抢修" if a["emergency_repair"] else "施工，手续齐全"
        return a, f"{ctx.village}工地{what}{state}，噪声{a['noise_leq_db']}分贝，未见违规。"

    def deep(r: Random) -> Attrs:
        d = _f(r.uniform(3, 9))
        return {
            "excavation_depth_m": d,
            "special_plan": r.choice(BAD) if d < 5 else "valid",
            "expert_review": r.choice(BAD) if d >= 5 else "out_of_scope",
        }

    issues = apply(
        rng,
        a,
        [
            (
                lambda r: {"noise_leq_db": _f(r.uniform(58, 75) if night else r.uniform(71, 85))},
                "噪声{noise_leq_db}分贝",
            ),
            (
                lambda r: {
                    "power_line_distance_m": _f(r.uniform(1, CLEARANCE_M[kv] - 0.5)),
                    "power_approval": r.choice(BAD),
                },
                "距{power_line_kv:g}千伏线路{power_line_distance_m}米",
            ),
            (
                lambda r: {
                    "pipeline_distance_m": _f(r.uniform(1, 4.9) if r.random() < 0.5 else r.uniform(5, 199)),
                    "pipeline_approval": r.choice(BAD),
                },
                "距管道中心线{pipeline_distance_m}米开挖",
            ),
            (deep, "基坑深{excavation_depth_m}米无专项方案或专家论证"),
            (
                lambda r: {"gas_facility_distance_m": _f(r.uniform(1, 8))},
                "距燃气设施{gas_facility_distance_m}米",
            ),
        ],
        rng.randint(0, 1) if night else rng.randint(1, 2),
    )
    if night and (rng.random() < 0.75 or not issues):
        a.update(
            night_permit="none",
            near_sensitive_buildings=True,
            emergency_repair=False,
            noise_leq_db=_f(rng.uniform(58, 75)),
            noise_lmax_db=_f(rng.uniform(72, 90)),
        )
        issues.insert(0, f"夜间无证施工扰民，噪声{a['noise_leq_db']}分贝")
    return a, f"{ctx.village}{what}" + "，".join(issues) + "。"


def gen_sand(rng: Random, risky: bool, ctx: Ctx) -> tuple[Attrs, str]:
    """Sand digging or earth moving in a river bed or a field; value is volume × 60–120 CNY."""
    volume = _f(rng.uniform(200, 6000) if risky else rng.uniform(50, 800), 0)
    a: Attrs = {
        "sand_permit": "valid",
        "in_no_mining_zone": False,
        "volume_m3": volume,
        "value_cny": _f(volume * rng.uniform(60, 120), 0),
        "equipment": rng.sample(["挖掘机", "装载机", "渣土车"], rng.randint(1, 2)),
        "penalties_2y": 0,
        "structure_type": "none",
        "pipeline_crossing_distance_m": _f(rng.uniform(600, 5000), 0),
        "on_farmland": False,
        "on_levee_protection": False,
    }
    if not risky:
        return a, f"{ctx.village}河道许可采砂点作业，采砂约{volume:g}立方米，在许可范围内。"
    a["sand_permit"] = rng.choice(BAD) if rng.random() < 0.8 else "valid"
    if rng.random() < 0.4:
        a["equipment"] = ["采砂船", *a["equipment"]]
    issues = [] if a["sand_permit"] == "valid" else ["无证采砂"]
    issues += apply(
        rng,
        a,
        [
            (_set(in_no_mining_zone=True), "位于禁采区"),
            (lambda r: {"penalties_2y": r.randint(1, 3)}, "两年内已受处罚{penalties_2y}次"),
            (
                lambda r: {
                    "structure_type": r.choice(["堤坝", "水库", "桥梁", "水源地"]),
                    "structure_distance_m": _f(r.uniform(20, 300), 0),
                },
                "距{structure_type}{structure_distance_m:g}米",
            ),
            (
                lambda r: {"pipeline_crossing_distance_m": _f(r.uniform(50, 490), 0)},
                "距管道穿越处{pipeline_crossing_distance_m:g}米",
            ),
            (_set(on_farmland=True), "在耕地内挖砂"),
            (_set(on_levee_protection=True), "在堤防保护范围内取土"),
        ],
        rng.randint(0 if issues else 1, 2),
    )
    what = "、".join(a["equipment"])
    return a, f"{ctx.village}河道{what}挖砂约{volume:g}立方米，" + "，".join(issues) + "。"


def gen_well(rng: Random, risky: bool, ctx: Ctx) -> tuple[Attrs, str]:
    """A well being drilled or in use."""
    purpose = rng.choice(["household", "household", "livestock", "irrigation", "industrial"])
    depths = {"household": (20, 80), "livestock": (30, 99), "irrigation": (60, 200), "industrial": (99, 400)}
    small = purpose in ("household", "livestock")
    a: Attrs = {
        "has_permit": not small or rng.random() < 0.4,
        "depth_m": _f(rng.uniform(*depths[purpose])),
        "withdrawal_m3_day": _f(rng.uniform(0.5, 9.5) if small else rng.uniform(20, 500)),
        "purpose": purpose,
        "groundwater_zone": rng.choice(["none", "none", "none", "超采"]),
        "mains_coverage": False,
        "meter_installed": not small,
        "abandoned": False,
        "sealed": False,
        "railway_distance_m": _f(rng.uniform(300, 20000), 0),
        "contractor_licensed": True,
    }
    if not risky:
        a["abandoned"] = a["sealed"] = rng.random() < 0.1
        use = {"household": "生活", "livestock": "养殖", "irrigation": "灌溉", "industrial": "工业"}[purpose]
        state = "已按要求封填" if a["abandoned"] else f"日取水{a['withdrawal_m3_day']}立方米，未见违规"
        return a, f"{ctx.village}{use}用井，深{a['depth_m']}米，{state}。"
    issues = apply(
        rng,
        a,
        [
            (lambda r: {"groundwater_zone": r.choice(["禁止开采", "限制开采"])}, "位于{groundwater_zone}区"),
            (_set(mains_coverage=True), "供水管网已覆盖仍新打井"),
            (_set(meter_installed=False), "未装计量设施"),
            (_set(abandoned=True, sealed=False), "废弃井未封填"),
            (
                lambda r: {"railway_distance_m": _f(r.uniform(30, 199), 0)},
                "距高铁仅{railway_distance_m:g}米抽水",
            ),
        ],
        rng.randint(0, 1),
    )
    if rng.random() < 0.5 or not issues:
        a.update(
            purpose=rng.choice(["irrigation", "industrial"]),
            has_permit=False,
            contractor_licensed=rng.random() < 0.5,
            withdrawal_m3_day=_f(rng.uniform(20, 500)),
            depth_m=_f(rng.uniform(80, 300)),
        )
        issues.insert(0, "未取得取水许可擅自打井")
    return a, f"{ctx.village}打井机作业，井深{a['depth_m']}米，" + "，".join(issues) + "。"


def gen_environment(rng: Random, risky: bool, ctx: Ctx) -> tuple[Attrs, str]:
    """Pollution: waste water, smoke, solid waste or noise from a small workshop."""
    kind = rng.choice(["废水", "废气", "固废", "噪声"])
    a: Attrs = {"pollution_type": kind, "smoke_visible": False, "near_water_source": False}
    if not risky:
        return a, f"{ctx.village}一小作坊{kind}问题经现场核查，未发现明显污染。"
    a["smoke_visible"] = kind == "废气" or rng.random() < 0.3
    a["near_water_source"] = kind in ("废水", "固废") or not a["smoke_visible"]
    text = ("，冒黑烟" if a["smoke_visible"] else "") + ("，紧邻饮用水源地" if a["near_water_source"] else "")
    return a, f"{ctx.village}一小作坊排放{kind}{text}。"


def gen_other(rng: Random, risky: bool, ctx: Ctx) -> tuple[Attrs, str]:
    """Everything else a grid worker reports: street lights, roads, litter."""
    return {}, ctx.village + rng.choice(["路灯损坏不亮。", "道路坑洼积水。", "垃圾清运不及时。"])


GENERATORS: dict[str, Callable[[Random, bool, Ctx], tuple[Attrs, str]]] = {
    "fire_safety": gen_fire,
    "gas_safety": gen_gas,
    "flood": gen_flood,
    "production_safety": gen_production,
    "dispute": gen_dispute,
    "construction": gen_construction,
    "machinery": gen_machinery,
    "sand_digging": gen_sand,
    "well_drilling": gen_well,
    "environment": gen_environment,
    "other": gen_other,
}


def gen_time(rng: Random, category: str, risky: bool) -> datetime:
    """Pick a report time in 2026: flood mostly June–September; machinery and sand often at night."""
    flood_season = category == "flood" and rng.random() < 0.85
    start, days = (date(2026, 6, 1), 122) if flood_season else (date(2026, 1, 1), 365)
    day = start + timedelta(days=rng.randrange(days))
    night_p = {"machinery": 0.35, "sand_digging": 0.4 if risky else 0.1, "flood": 0.25}.get(category, 0.1)
    hour = rng.choice([22, 23, 0, 1, 2, 3, 4, 5]) if rng.random() < night_p else rng.randint(6, 21)
    return datetime(day.year, day.month, day.day, hour, rng.randint(0, 59), rng.randint(0, 59), tzinfo=TZ)


def gen_record(rng: Random, index: int, category: str) -> dict[str, Any]:
    """Build one valid observation of ``category``; about a third of them look risky."""
    risky = category != "other" and rng.random() < 0.34
    kinds = [p.partition(":") for p in CATEGORIES[category][1].split()]
    kind = rng.choices([k for k, _, _ in kinds], weights=[int(w) for _, _, w in kinds])[0]
    kind = "patrol" if kind == "incident" and not risky else kind  # an incident is something happening
    vi = rng.randrange(len(VILLAGES))
    village, district, code, lat, lon = VILLAGES[vi]
    grid = f"{code}-{vi % 3 * 2 + rng.randint(1, 2):02d}"
    when = gen_time(rng, category, risky)
    attrs, text = GENERATORS[category](rng, risky, Ctx(village, kind, when.hour >= 22 or when.hour < 6, when))
    rec: dict[str, Any] = {
        "id": f"obs-{index:06d}",
        "kind": kind,
        "category": category,
        "reported_at": when.isoformat(),
    }
    if rng.random() < 0.7:
        rec["occurred_at"] = (when - timedelta(minutes=rng.randint(5, 600))).isoformat()
    rec["location"] = {
        "street": STREET,
        "district": district,
        "village": village,
        "grid_id": grid,
        "address": f"{STREET}{village}{rng.choice(ROADS)}{rng.randint(1, 120)}号",
        "lat": _f(lat + rng.uniform(-0.004, 0.004), 6),
        "lon": _f(lon + rng.uniform(-0.004, 0.004), 6),
    }
    role = {
        "patrol": "grid_worker",
        "inspection": "staff",
        "sensor": "sensor",
        "complaint": rng.choice(["hotline", "hotline", "citizen"]),
        "incident": rng.choice(["grid_worker", "citizen", "hotline", "camera"]),
    }[kind]
    rec["reporter"] = {
        "role": role,
        "id": {
            "grid_worker": f"gw-{grid}",
            "staff": f"staff-{rng.randint(1, 30):02d}",
            "sensor": f"sensor-{grid}-1",
            "camera": f"cam-{grid}-{rng.randint(1, 6)}",
            "hotline": f"12345-2026{rng.randint(0, 999999):06d}",
            "citizen": f"citizen-{rng.randint(1, 9999):04d}",
        }[role],
    }
    rec["description"] = PREFIX[kind] + text
    rec["status"] = rng.choices(
        ["new", "in_progress", "rectified", "closed"], weights=[78, 17, 5, 0] if risky else [62, 8, 15, 15]
    )[0]
    rec["attrs"] = {k: attrs[k] for k in SCHEMA[category] if k in attrs and rng.random() >= 0.05}
    if rng.random() < 0.88:  # history of the same site
        r7 = rng.choice([0, 1, 1, 2, 3, 4] if risky else [0, 0, 0, 1])
        r30 = r7 + rng.randint(0, 3 if risky else 1)
        since = rng.randint(0, 6) if r7 else rng.randint(7, 29) if r30 else rng.randint(30, 365)
        rec["history"] = {
            "reports_7d": r7,
            "reports_30d": r30,
            "days_since_last_report": since,
            "rectified_before": r30 > 0 and rng.random() < (0.4 if risky else 0.1),
        }
    return rec


def corrupt(rec: dict[str, Any], how: str) -> str:
    """Serialise ``rec`` as one JSON line, broken in the way ``how`` names (see ``INVALID``)."""
    if how == "naive_time":
        rec["reported_at"] = rec["reported_at"][:19]
    elif how == "bad_lat":
        rec["location"]["lat"] = 123.4
    elif how == "bad_kind":
        rec["kind"] = "walk"
    elif how == "no_id":
        del rec["id"]
    elif how == "bad_depth":
        rec["attrs"]["depth_m"] = "deep"
    line = json.dumps(rec, ensure_ascii=False)
    return line[: len(line) // 2] if how == "not_json" else line


def generate(count: int, seed: int, invalid: int = 6) -> list[str]:
    """Return ``count`` records as JSON lines, ``invalid`` (0–6) of them broken, evenly spread."""
    rng = Random(seed)
    total = sum(w for w, _, _ in CATEGORIES.values())
    shares = {c: count * w / total for c, (w, _, _) in CATEGORIES.items()}  # largest-remainder quotas
    plan = [c for c, share in shares.items() for _ in range(int(share))]
    plan += sorted(shares, key=lambda c: int(shares[c]) - shares[c])[: count - len(plan)]
    rng.shuffle(plan)
    slots = {round((i + 1) * count / (invalid + 1)): how for i, how in enumerate(INVALID[:invalid])}
    for i, how in slots.items():
        if how == "bad_depth":  # this one must be a well: swap a well into its place
            j = plan.index("well_drilling") if "well_drilling" in plan else i - 1
            plan[j], plan[i - 1] = plan[i - 1], "well_drilling"
    lines = []
    for i, category in enumerate(plan, 1):
        rec, broken = gen_record(rng, i, category), slots.get(i)
        lines.append(corrupt(rec, broken) if broken else json.dumps(rec, ensure_ascii=False))
    return lines


def to_csv(records: Sequence[dict[str, Any]]) -> str:
    """Flatten records to CSV with dotted columns; lists as JSON arrays, absent values as empty cells."""
    columns = ["id", "kind", "category", "reported_at", "occurred_at"]
    columns += [f"location.{k}" for k in ["street", "district", "village", "grid_id", "address", "lat"]]
    columns += ["location.lon", "reporter.role", "reporter.id", "description", "status"]
    columns += [f"attrs.{k}" for k in dict.fromkeys(n for spec in SCHEMA.values() for n in spec)]
    columns += [f"history.{k}" for k in ["reports_7d", "reports_30d", "days_since_last_report"]]
    columns += ["history.rectified_before"]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    parts = [c.partition(".") for c in columns]
    for rec in records:
        cells = [rec.get(h, {}).get(t) if t else rec.get(h) for h, _, t in parts]
        writer.writerow(
            [
                ""
                if v is None
                else json.dumps(v, ensure_ascii=False)
                if isinstance(v, (bool, list))
                else str(v)
                for v in cells
            ]
        )
    return buf.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and write the sample."""
    parser = argparse.ArgumentParser(description="Generate seeded riskscreen sample observations.")
    parser.add_argument("--count", type=int, default=600, help="number of records (default 600)")
    parser.add_argument("--seed", type=int, default=20260701, help="random seed (default 20260701)")
    parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl", help="output format")
    parser.add_argument(
        "--invalid",
        type=int,
        choices=range(7),
        metavar="0-6",
        help="deliberately invalid records (default: 6 for jsonl, 0 for csv)",
    )
    parser.add_argument("--output", "-o", default="-", help="output file (default: standard output)")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must not be negative")
    invalid = args.invalid if args.invalid is not None else 6 if args.format == "jsonl" else 0
    if args.format == "csv" and invalid == 6:
        parser.error("CSV cannot carry the record that is not JSON; use --invalid 5 or fewer")
    lines = generate(args.count, args.seed, invalid)
    if args.format == "csv":
        text = to_csv([json.loads(line) for line in lines])
    else:
        text = "".join(f"{line}\n" for line in lines)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
