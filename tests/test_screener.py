"""The Screener end to end: a hand-written pack gives exactly the alerts docs/scoring.md implies."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from riskscreen import Observation, Screener, Settings, UnreadableRecord
from riskscreen.scoring import alert_sort_key
from tests.helpers import WritePack, observation

CAMPAIGN_PACK = """
pack: quarry_campaign
version: 2.1.0
title: 采石场专项整治
applies_to: [quarry]
categories:
  quarry:
    attrs:
      has_permit: bool
      volume_m3: float
      zone: string
      equipment: list[string]
lists:
  banned_zones: [禁采区, 水源保护区]
  heavy: [挖掘机, 采砂船]
macros:
  unpermitted: not attrs.has_permit
  heavy_machinery: attrs.equipment.length > 0 and attrs.equipment[0] in heavy
rules:
  - id: Q-001
    title: 无证开采
    when: unpermitted and attrs.volume_m3 > 0
    unless: status == "rectified"
    severity: high
    score: 70
    message: "{location.village}无证开采{attrs.volume_m3}立方米"
    action: 责令停止开采
    escalate_to: district
    respond_within: 2h
    tags: [permit]
    references: ["矿产资源法 第三条"]
  - id: Q-002
    title: 禁采区内开采
    when: attrs.zone in banned_zones
    severity: critical
    escalate_to: department
    tags: [zone]
  - id: Q-003
    title: 重型机械作业
    when: heavy_machinery
    severity: medium
  - id: Q-004
    title: 汛期开采
    when: attrs.volume_m3 > 100
    severity: low
    valid_from: "06-01"
    valid_until: "09-30"
overrides:
  - id: Q-003
    score: 50
    respond_within: 30m
"""


@pytest.fixture
def campaign(write_pack: WritePack) -> Screener:
    return Screener([write_pack(CAMPAIGN_PACK)], builtin=False)


def quarry(obs_id: str, reported_at: str = "2026-07-01T09:00:00+08:00", **attrs: Any) -> dict[str, Any]:
    return observation(id=obs_id, category="quarry", reported_at=reported_at, attrs=attrs)


def test_hand_written_pack_gives_exact_alerts(campaign: Screener) -> None:
    records = [
        # Q-001 (70) only: P2, deadline 2h (shorter than the band's 4h), district
        quarry("a", has_permit=False, volume_m3=50, zone="其他", equipment=[]),
        # Q-002 critical (85) + Q-003 (50, override): 85 + 15*0.5*0.5 = 88.75, P1, respond 30m (Q-003)
        quarry("b", has_permit=True, volume_m3=10, zone="禁采区", equipment=["挖掘机"]),
        # Q-001 excluded by unless; Q-004 low (20) in season: P4, default P4 deadline 120h
        {**quarry("c", has_permit=False, volume_m3=150, zone="其他", equipment=[]), "status": "rectified"},
        # out of season (October): Q-004 does not apply; nothing else fires
        quarry("d", "2026-10-01T09:00:00+08:00", has_permit=True, volume_m3=150, zone="其他", equipment=[]),
        # no volume: Q-001 and Q-004 are insufficient, no alert; could be 70 + 30*0.5*0.2 = 73: P2
        quarry("e", has_permit=False, zone="其他", equipment=[]),
    ]
    batch = campaign.screen_many(records)
    summary = batch.summary.model_dump()
    assert summary == {
        "records": 5,
        "alerts": 3,
        "no_alert": 2,
        "errors": 0,
        "undecided": 1,
        "by_priority": {"P1": 1, "P2": 1, "P3": 0, "P4": 1},
    }
    got = [
        (
            a.observation_id,
            a.priority,
            a.band,
            a.color,
            a.score,
            a.escalate_to,
            a.respond_by.isoformat(),
            [f.rule_id for f in a.findings],
        )
        for a in batch.alerts
    ]
    assert got == [
        ("b", "P1", "重大", "red", 88.8, "department", "2026-07-01T09:30:00+08:00", ["Q-002", "Q-003"]),
        ("a", "P2", "较大", "orange", 70.0, "district", "2026-07-01T11:00:00+08:00", ["Q-001"]),
        ("c", "P4", "低", "blue", 20.0, "village", "2026-07-06T09:00:00+08:00", ["Q-004"]),
    ]
    alert_a = batch.alerts[1].model_dump(mode="json")
    (finding,) = alert_a["findings"]
    assert finding["message"] == "东村无证开采50立方米"
    assert finding["source"].endswith("pack.yaml:19")
    assert finding["values"] == {"attrs.has_permit": False, "attrs.volume_m3": 50.0, "status": "new"}
    assert alert_a["tags"] == ["permit"]
    assert alert_a["provenance"]["packs"] == {"quarry_campaign": "2.1.0"}
    assert alert_a["provenance"]["ruleset"].startswith("sha256:")
    assert [(a.could_be, a.undecided) for a in batch.alerts] == [(None, False)] * 3
    assert [(u.observation_id, u.could_be) for u in batch.undecided] == [("e", "P2")]
    lacking = campaign.screen(records[4])
    assert (lacking.status, lacking.could_be, lacking.undecided) == ("no_alert", "P2", True)
    assert [(i.rule_id, i.missing) for i in lacking.insufficient] == [
        ("Q-001", ["attrs.volume_m3"]),
        ("Q-004", ["attrs.volume_m3"]),
    ]


def test_alert_json_uses_the_contract_field_names(campaign: Screener) -> None:
    result = campaign.screen(quarry("a", has_permit=False, volume_m3=50, zone="禁采区", equipment=[]))
    assert result.alert is not None
    data = json.loads(result.alert.model_dump_json())
    assert {
        "observation_id",
        "priority",
        "band",
        "color",
        "score",
        "escalate_to",
        "respond_by",
        "findings",
        "insufficient",
        "tags",
        "provenance",
    } <= set(data)
    assert {"rule_id", "pack", "severity", "score", "title", "message", "action", "source", "values"} <= set(
        data["findings"][0]
    )


def test_invalid_records_become_error_records(campaign: Screener) -> None:
    records: list[Any] = [
        quarry("ok", has_permit=True, volume_m3=1, zone="其他", equipment=[]),
        quarry("bad-type", volume_m3="lots"),
        {**quarry("naive"), "reported_at": "2026-07-01T09:00:00"},
        {**quarry("lat"), "location": {"lat": 123.4}},
        {"category": "quarry", "reported_at": "2026-07-01T09:00:00+08:00"},
        UnreadableRecord("line 6: invalid JSON"),
        "not an object",
    ]
    batch = campaign.screen_many(records)
    assert batch.summary.records == 7
    assert batch.summary.errors == 6
    assert [(e.index, e.id, e.field) for e in batch.errors] == [
        (1, "bad-type", "attrs.volume_m3"),
        (2, "naive", "reported_at"),
        (3, "lat", "location.lat"),
        (4, None, "id"),
        (5, None, ""),
        (6, None, ""),
    ]
    assert "timezone" in batch.errors[1].message


def test_naive_times_use_a_configured_default_timezone(write_pack: WritePack) -> None:
    screener = Screener(
        [write_pack(CAMPAIGN_PACK)], builtin=False, settings=Settings(default_timezone="Asia/Shanghai")
    )
    result = screener.screen(
        {**quarry("naive", has_permit=False, volume_m3=5), "reported_at": "2026-07-01T09:00"}
    )
    assert result.alert is not None
    assert result.alert.respond_by.isoformat() == "2026-07-01T11:00:00+08:00"


def test_times_are_normalised_to_local_time(campaign: Screener) -> None:
    result = campaign.screen(quarry("utc", "2026-07-01T01:00:00Z", has_permit=False, volume_m3=5))
    assert result.alert is not None
    assert result.alert.reported_at.isoformat() == "2026-07-01T09:00:00+08:00"


def test_unknown_attributes_are_kept_and_typed_ones_coerced(campaign: Screener) -> None:
    observed = campaign.validate(quarry("x", volume_m3="12.5", has_permit="false", remark="路边"))
    assert isinstance(observed, Observation)
    assert observed.attrs == {"volume_m3": 12.5, "has_permit": False, "remark": "路边"}


def test_unknown_top_level_fields_are_ignored_but_nested_ones_rejected(campaign: Screener) -> None:
    assert campaign.screen({**quarry("x"), "source_system": "12345"}).status == "no_alert"
    misspelt = {**quarry("y"), "location": {"vilage": "东村"}}
    result = campaign.screen(misspelt)
    assert result.error is not None and result.error.field == "location.vilage"
    missing = {k: v for k, v in quarry("z").items() if k != "category"} | {"catgory": "quarry"}
    error = campaign.screen(missing).error
    assert error is not None and error.field == "category"


def test_streaming_keeps_input_order(campaign: Screener) -> None:
    records = [quarry(f"r{i}", has_permit=bool(i % 2), volume_m3=i) for i in range(20)]
    results = list(campaign.iter_screen(iter(records)))
    assert [r.index for r in results] == list(range(20))
    assert [r.observation_id for r in results] == [f"r{i}" for i in range(20)]


def test_shared_across_threads_gives_serial_results(campaign: Screener) -> None:
    records = [
        quarry(
            f"r{i}",
            has_permit=bool(i % 3),
            volume_m3=i * 7 % 130,
            zone=["禁采区", "其他"][i % 2],
            equipment=[["挖掘机"], [], ["铲车"]][i % 3],
        )
        for i in range(120)
    ]
    serial = [campaign.screen(r, i).model_dump_json() for i, r in enumerate(records)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(
            pool.map(lambda pair: campaign.screen(pair[1], pair[0]).model_dump_json(), enumerate(records))
        )
    assert parallel == serial


def test_shipped_packs_load_and_screen_the_sample() -> None:
    sample = Path(__file__).resolve().parents[1] / "examples" / "observations.jsonl"
    from riskscreen.readers import read_records

    batch = Screener().screen_many(read_records(str(sample)))
    assert batch.summary.records == 600
    assert batch.summary.alerts + batch.summary.no_alert + batch.summary.errors == 600
    assert batch.summary.errors >= 5
    assert batch.summary.alerts > 100
    keys = [alert_sort_key(a) for a in batch.alerts]
    assert [k[:4] for k in keys] == sorted(k[:4] for k in keys)
    assert {a.category for a in batch.alerts} >= {"fire_safety", "gas_safety", "flood", "dispute"}


def test_message_template_placeholders(screener_from: Callable[..., Screener]) -> None:
    screener = screener_from(
        """
        pack: p
        categories:
          quarry: {attrs: {volume_m3: float, equipment: "list[string]", since: datetime, zone: string}}
        applies_to: [quarry]
        rules:
          - id: M-1
            title: t
            when: attrs.volume_m3 > 0
            message: >-
              {location.village}{{注}}：{attrs.volume_m3}方，设备{attrs.equipment}，起{attrs.since}，{attrs.zone}
        """
    )
    result = screener.screen(
        quarry("m", volume_m3=2.5, equipment=["挖掘机", "采砂船"], since="2026-06-30T08:00:00+08:00")
    )
    assert result.alert is not None
    # an attribute the report left out reads 未报 (not reported)
    assert result.alert.findings[0].message == "东村{注}：2.5方，设备挖掘机、采砂船，起2026-06-30 08:00，未报"


def test_unknown_category_is_an_error_with_a_suggestion(campaign: Screener) -> None:
    error = campaign.screen(observation(category="quary")).error
    assert error is not None
    assert (error.field, error.message) == ("category", "unknown category 'quary'; did you mean 'quarry'?")


@pytest.mark.parametrize(
    ("record", "field", "words"),
    [
        ({"description": "火" * 20_001}, "description", "longer than 20000"),
        (
            {
                "attrs": {
                    "note": {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {"i": {"j": {"k": 1}}}}}}}}}}}
                }
            },
            "attrs.note",
            "nested deeper",
        ),
        ({"location": {"lat": float("nan")}}, "location.lat", "finite"),
        ({"attrs": {"volume_m3": float("inf")}}, "attrs.volume_m3", "finite"),
    ],
)
def test_hostile_values_become_error_records(
    campaign: Screener, record: dict[str, Any], field: str, words: str
) -> None:
    result = campaign.screen({**quarry("h"), **record})
    assert result.error is not None
    assert result.error.field.startswith(field)
    assert words in result.error.message


def test_duplicate_ids_are_reported_and_still_screened(campaign: Screener) -> None:
    records = [quarry("same", has_permit=False, volume_m3=5), quarry("other"), quarry("same", volume_m3=1)]
    batch = campaign.screen_many(records)
    assert batch.summary.records == 3 and batch.summary.errors == 0
    assert [(w.index, w.id) for w in batch.warnings] == [(2, "same")]
    assert "index 0" in batch.warnings[0].message
