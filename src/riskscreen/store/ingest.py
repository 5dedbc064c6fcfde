"""Ingesting one chunk of records in one transaction: history, screening, cases.

For each record: find its site, compute the ``history`` it does not carry from the
reports stored for that site and category, screen it, store the report, and merge an
alert (or an undecided record) into the site's case — the open one, a recently closed one
(reopened), or a new one. The caller holds the write lock for the whole chunk, so what
this reads is what it writes against.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from ..models import ErrorRecord, History, Observation, Priority, ScreenResult
from ..screener import RecordInput, Screener
from ..validation import read_line
from .history import compute_history, nearest
from .ids import case_id
from .models import OPEN_STATUSES
from .options import IngestSummary, TrackerOptions
from .records import higher_tier, lift, most_urgent, raw_json, raw_place, record_key
from .sites import GeoGrid, SiteRef, address_key
from .statements import RawQueries
from .tables import reports

__all__ = ["ChunkIngestor", "most_within"]


def most_within(times: Sequence[datetime], at: datetime, window: timedelta) -> int:
    """The most of the sorted ``times`` that lie less than ``window`` apart with ``at`` among them."""
    most = 0
    for first, start in enumerate(times):
        if start > at:
            break
        if at - start >= window:
            continue
        # reports from ``start`` up to (not including) start + window; ``at`` is one of them
        most = max(most, bisect.bisect_left(times, start + window, lo=first) - first)
    return most


class ChunkIngestor:
    """Ingests records on one connection inside the caller's transaction.

    ``site_cache`` maps address keys to site ids across chunks (a key never moves to
    another site); the caller clears it when a transaction rolls back.
    """

    def __init__(
        self,
        connection: Connection,
        screener: Screener,
        options: TrackerOptions,
        site_cache: dict[str, int],
        now: datetime,
        by: str,
    ) -> None:
        self.connection = connection
        self.screener = screener
        self.options = options
        self.grid = GeoGrid(options.site_radius_m)
        self.site_cache = site_cache
        self.now = now
        self.by = by
        self.summary = IngestSummary()
        self.raw = RawQueries(connection)
        # reports and log entries are written together at the end of the chunk; until then
        # history and repeat counts add the chunk's own reports from here
        self.pending_reports: list[dict[str, Any]] = []
        self.pending_logs: list[dict[str, Any]] = []
        self.pending_at_site: dict[tuple[int, str], list[tuple[datetime, bool]]] = {}
        self.pending_in_case: dict[int, list[datetime]] = {}

    # -- the chunk ---------------------------------------------------------------------

    def run(self, chunk: Sequence[tuple[int, RecordInput]]) -> IngestSummary:
        """Ingest ``(index, record)`` pairs; returns what was done."""
        # a JSON line is stored as the record it holds (its raw JSON, its key), as the reader reads it
        chunk = [(index, read_line(data)) for index, data in chunk]
        validated = [(index, data, self.screener.validate(data, index)) for index, data in chunk]
        keyed = [(index, data, v, record_key(data, v)) for index, data, v in validated]
        stored = self._stored_statuses([key for *_, key in keyed])
        for index, data, valid, key in keyed:
            self.summary.records += 1
            previous = stored.get(key)
            if previous is not None and (previous != "error" or isinstance(valid, ErrorRecord)):
                self.summary.skipped += 1  # the same record again: nothing changes
                continue
            if previous == "error":
                # a corrected record replaces the error record it was
                self.connection.execute(reports.delete().where(reports.c.key == key))
            if isinstance(valid, ErrorRecord):
                self._store_error(key, data, valid)
                stored[key] = "error"
            else:
                stored[key] = self._ingest(index, key, valid)
        self._flush()
        return self.summary

    def _flush(self) -> None:
        self.raw.insert_many("reports", self.pending_reports)
        self.raw.insert_many("case_log", self.pending_logs)
        self.pending_reports, self.pending_logs = [], []
        self.pending_at_site.clear()
        self.pending_in_case.clear()

    def _log(self, number: int, what: str, note: str) -> None:
        self.pending_logs.append(
            {"case_id": number, "at": self.now, "by": self.by, "what": what, "note": note}
        )

    def _stored_statuses(self, keys: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            query = select(reports.c.key, reports.c.status).where(
                reports.c.key.in_(unique[start : start + 500])
            )
            found.update({row.key: row.status for row in self.connection.execute(query)})
        return found

    def _store_error(self, key: str, data: RecordInput, error: ErrorRecord) -> None:
        self.summary.errors += 1
        self.summary.error_records.append(error)
        where = f"{error.field}: " if error.field else ""
        self.pending_reports.append(
            {
                "key": key,
                "observation_id": error.id,
                "case_id": None,
                "site_id": None,
                **raw_place(data),
                "reported_at": None,
                "received_at": self.now,
                "status": "error",
                "priority": None,
                "could_be": None,
                "score": None,
                "rule_ids": [],
                "rectified": False,
                "error": f"{where}{error.message}",
                "payload": raw_json(data),
                "findings": "[]",
            }
        )

    # -- one screened record -----------------------------------------------------------

    def _ingest(self, index: int, key: str, observation: Observation) -> str:
        location = observation.location
        ref = SiteRef(
            address_key(location.grid_id, location.village, location.address), location.lat, location.lon
        )
        site_id = self._site(ref, observation.id)
        known = site_id is not None and (ref.key is not None or ref.has_point)
        if known:
            assert site_id is not None
            observation = self._with_history(observation, site_id)
        result = self.screener.screen_validated(observation, index)
        status = self._status(result)
        self.summary.screened += 1
        number: int | None = None
        if status in ("alert", "undecided"):
            assert site_id is not None
            number = self._merge(site_id, observation, result)
        self._store_report(key, observation, result, status, site_id if known else None, number)
        return status

    def _status(self, result: ScreenResult) -> str:
        if result.status == "alert":
            self.summary.alerts += 1
            return "alert"
        self.summary.no_alert += 1
        if result.undecided:
            self.summary.undecided += 1
            return "undecided"
        return "no_alert"

    def _store_report(
        self,
        key: str,
        observation: Observation,
        result: ScreenResult,
        status: str,
        site_id: int | None,
        number: int | None,
    ) -> None:
        alert = result.alert
        findings = alert.findings if alert is not None else []
        rectified = observation.status in ("rectified", "closed")
        self.pending_reports.append(
            {
                "key": key,
                "observation_id": observation.id,
                "case_id": number,
                "site_id": site_id,
                "category": observation.category,
                "village": observation.location.village,
                "district": observation.location.district,
                "reported_at": observation.reported_at,
                "received_at": self.now,
                "status": status,
                "priority": alert.priority if alert is not None else None,
                "could_be": result.could_be,
                "score": alert.score if alert is not None else None,
                "rule_ids": [f.rule_id for f in findings],
                "rectified": rectified,
                "error": None,
                "payload": observation.model_dump_json(),
                "findings": json.dumps([f.model_dump(mode="json") for f in findings], ensure_ascii=False),
            }
        )
        if site_id is not None:
            self.pending_at_site.setdefault((site_id, observation.category), []).append(
                (observation.reported_at, rectified)
            )
        if number is not None:
            self.pending_in_case.setdefault(number, []).append(observation.reported_at)

    # -- sites -------------------------------------------------------------------------

    def _site(self, ref: SiteRef, observation_id: str) -> int | None:
        """The site id for a report, creating the site if none matches."""
        site_id: int | None = None
        if ref.key is not None:
            site_id = self.site_cache.get(ref.key)
            if site_id is not None:
                return site_id
            site_id = self.raw.site_by_key(ref.key)
            if site_id is not None:
                self.site_cache[ref.key] = site_id
                return site_id
        if ref.lat is not None and ref.lon is not None:
            rows = self.raw.sites_in(self.grid.neighbourhood(ref.lat, ref.lon))
            site_id = nearest(ref.lat, ref.lon, rows, self.options.site_radius_m)
        if site_id is None:
            site_id = self._new_site(ref, observation_id)
        if ref.key is not None:  # a new key, or a key first seen at a site found by its point
            self.raw.insert("site_keys", {"key": ref.key, "site_id": site_id})
            self.site_cache[ref.key] = site_id
        return site_id

    def _new_site(self, ref: SiteRef, observation_id: str) -> int:
        cell = self.grid.cell(ref.lat, ref.lon) if ref.lat is not None and ref.lon is not None else None
        label = ref.label or f"report:{observation_id}"  # no location: a site of its own
        values = {"label": label, "lat": ref.lat, "lon": ref.lon, "cell": cell}
        new = self.raw.insert("sites", values, returning=True)
        assert new is not None
        return new

    # -- history -----------------------------------------------------------------------

    def _with_history(self, observation: Observation, site_id: int) -> Observation:
        """The observation with the history fields it lacks computed from the store."""
        supplied = observation.history
        if None not in (
            supplied.reports_7d,
            supplied.reports_30d,
            supplied.days_since_last_report,
            supplied.rectified_before,
        ):
            return observation
        computed = compute_history(
            self.connection,
            site_id,
            observation.category,
            observation.reported_at,
            self.pending_at_site.get((site_id, observation.category), ()),
            self.raw,
        )
        merged = History(
            reports_7d=supplied.reports_7d if supplied.reports_7d is not None else computed.reports_7d,
            reports_30d=supplied.reports_30d if supplied.reports_30d is not None else computed.reports_30d,
            days_since_last_report=supplied.days_since_last_report
            if supplied.days_since_last_report is not None
            else computed.days_since_last_report,
            rectified_before=supplied.rectified_before
            if supplied.rectified_before is not None
            else computed.rectified_before,
        )
        return observation.model_copy(update={"history": merged})

    # -- cases -------------------------------------------------------------------------

    def _merge(self, site_id: int, observation: Observation, result: ScreenResult) -> int:
        """Put the report in its case: the open one, a reopened one, or a new one."""
        row = self.raw.latest_case(site_id, observation.category)
        if row is not None:
            if row["status"] in OPEN_STATUSES or self._made_before_settled(row, observation.reported_at):
                self.summary.merged += 1
                return self._add_to(row, observation, result, reopen=False)
            if row["status"] == "rectified" or self._recently_closed(row, observation.reported_at):
                self.summary.reopened += 1
                return self._add_to(row, observation, result, reopen=True)
        self.summary.new += 1
        return self._open(site_id, observation, result)

    @staticmethod
    def _made_before_settled(row: Mapping[str, Any], at: datetime) -> bool:
        """A report made before its closed (or rectified) case was settled, arriving late.

        It belongs to the case but says nothing new about the site since: the case takes
        it without being reopened.
        """
        settled: datetime | None = row["closed_at"] if row["status"] == "closed" else row["rectified_at"]
        return row["status"] in ("closed", "rectified") and settled is not None and at < settled

    def _recently_closed(self, row: Mapping[str, Any], at: datetime) -> bool:
        closed_at: datetime | None = row["closed_at"]
        return closed_at is not None and at - closed_at < timedelta(days=self.options.reopen_days)

    def _deadline(self, observation: Observation, result: ScreenResult) -> datetime:
        if result.alert is not None:
            return result.alert.respond_by
        # an undecided record: someone must go and find the evidence within the deadline
        # of the priority it could have
        band: Priority = result.could_be or "P4"
        return observation.reported_at + self.screener.settings.respond_within[band]

    def _open(self, site_id: int, observation: Observation, result: ScreenResult) -> int:
        alert = result.alert
        location = observation.location
        values = {
            "site_id": site_id,
            "category": observation.category,
            "village": location.village,
            "district": location.district,
            "status": "open",
            "base_priority": alert.priority if alert else None,
            "priority": alert.priority if alert else None,
            "could_be": result.could_be,
            "lifted": False,
            "score": alert.score if alert else 0.0,
            "escalate_to": alert.escalate_to if alert else "village",
            "respond_by": self._deadline(observation, result),
            "reports": 1,
            "rule_ids": sorted({f.rule_id for f in alert.findings}) if alert else [],
            "opened_at": observation.reported_at,
            "updated_at": self.now,
        }
        number = self.raw.insert("cases", values, returning=True)
        assert number is not None
        what = alert.priority if alert else f"待核实（可能为{result.could_be}）"
        self._log(number, "opened", f"新案件：报告 {observation.id}，{what}")
        self.summary.touched(case_id(number))
        if self.options.repeat_lift_after <= 1 and alert is not None:
            self._lift(number, values, observation)
            self.raw.update_case(number, values)
        return number

    def _add_to(
        self, row: Mapping[str, Any], observation: Observation, result: ScreenResult, *, reopen: bool
    ) -> int:
        number: int = row["id"]
        alert = result.alert
        at = observation.reported_at
        base = most_urgent(row["base_priority"], alert.priority if alert else None)
        values: dict[str, Any] = {
            "reports": row["reports"] + 1,
            "base_priority": base,
            "priority": lift(base) if row["lifted"] else base,
            "could_be": most_urgent(row["could_be"], result.could_be),
            "score": max(row["score"], alert.score if alert else 0.0),
            "escalate_to": higher_tier(row["escalate_to"], alert.escalate_to if alert else "village"),
            "rule_ids": sorted(set(row["rule_ids"]) | {f.rule_id for f in (alert.findings if alert else [])}),
            "opened_at": min(row["opened_at"], at),  # a late report may predate the first
            "village": row["village"] or observation.location.village,
            "district": row["district"] or observation.location.district,
            "updated_at": self.now,
        }
        deadline = self._deadline(observation, result)
        if reopen:
            values.update(status="reopened", disposition=None, closed_at=None, respond_by=deadline)
            was = "已整改" if row["status"] == "rectified" else "已关闭"
            note = f"{was}案件收到新报告 {observation.id}，重新打开"
            self._log(number, "reopened", note)
        else:
            current: datetime | None = row["respond_by"]
            values["respond_by"] = deadline if current is None else min(current, deadline)
            note = f"合并报告 {observation.id}（共{values['reports']}次）"
            self._log(number, "merged", note)
        if not row["lifted"] and base is not None:
            window = timedelta(days=self.options.lift_window_days)
            # a report may arrive late, dated before reports already in the case: it lifts the
            # case when any window of lift_window_days around it holds enough reports
            times = self.raw.report_times_in_case(number, at - window, at + window)
            times.extend(t for t in self.pending_in_case.get(number, ()) if abs(t - at) < window)
            if most_within(sorted([*times, at]), at, window) >= self.options.repeat_lift_after:
                self._lift(number, values, observation)
        self.raw.update_case(number, values)
        self.summary.touched(case_id(number))
        return number

    def _lift(self, number: int, values: dict[str, Any], observation: Observation) -> None:
        """Lift the case one band (once) and shorten its deadline to the new band's."""
        before: Priority = values["base_priority"]
        after = lift(before)
        values["lifted"] = True
        values["priority"] = after
        if after is not None and after != before:
            deadline = observation.reported_at + self.screener.settings.respond_within[after]
            values["respond_by"] = min(values["respond_by"], deadline)
        self.summary.lifted += 1
        days = f"{self.options.lift_window_days:g}"
        note = f"{days}天内第{self.options.repeat_lift_after}次报告，优先级由{before}升为{after}"
        self._log(number, "lifted", note)
