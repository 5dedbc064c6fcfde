"""The :class:`Tracker`: reports in, cases tracked to closure, in a SQLite or PostgreSQL database."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select

from ..models import History, Observation
from ..screener import RecordInput, Screener
from ..settings import Settings
from . import caseops, database, reading
from .errors import CaseNotFoundError, StoreError
from .history import compute_history, find_site
from .ids import case_id, case_number
from .ingest import ChunkIngestor
from .messages import say
from .models import Case, CaseStatus, Disposition, StoredReport
from .options import IngestSummary, TrackerOptions
from .sites import GeoGrid, SiteRef, address_key
from .tables import cases, reports
from .url import default_url

__all__ = ["CaseDetail", "IngestSummary", "Tracker", "TrackerOptions"]

#: Who the log names for changes the tracker makes itself (ingest, escalation).
SYSTEM = "riskscreen"


@dataclass(frozen=True)
class CaseDetail:
    """A case with its reports and, per report (by observation id), the findings that fired
    and the observation as it was screened (with the history the store computed)."""

    case: Case
    reports: list[StoredReport]
    findings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    observations: dict[str, dict[str, Any]] = field(default_factory=dict)


class Tracker:
    """Ingests reports into a history store and tracks the cases they make.

    ``Tracker(screener, url)`` opens ``url`` (default ``$RISKSCREEN_DB``, else
    ``sqlite:///riskscreen.db``) and creates the schema in an empty database. With
    ``screener=None`` it reads and changes cases but cannot ingest, and a SQLite file that
    does not exist, or a database without a store, is an error rather than a new store
    (``create=True`` overrides). Opening a database at
    an older schema raises :class:`~riskscreen.store.SchemaOutdatedError`; a newer or
    unreachable one raises another :class:`~riskscreen.store.StoreError`.

    Ingest commits one transaction per chunk of ``options.chunk_size`` records under a
    database-wide write lock, so processes ingesting at once never lose a report or open
    a case twice, and ingesting input again after a crash skips what was committed.
    """

    def __init__(
        self,
        screener: Screener | None,
        url: str | None = None,
        *,
        options: TrackerOptions | None = None,
        create: bool | None = None,
    ) -> None:
        self.screener = screener
        self.url = default_url(url)
        self.options = options or TrackerOptions()
        self.settings: Settings = screener.settings if screener is not None else Settings()
        self.zone: tzinfo = ZoneInfo(self.settings.local_timezone)
        # a reader must not create an empty store where a path or a database was mistyped
        creates = screener is not None if create is None else create
        self.engine: Engine = database.connect(self.url, create=creates)
        try:
            with database.database_errors(self.url):
                database.check_schema(self.engine, self.url, create=creates)
        except BaseException:
            self.engine.dispose()
            raise
        self._site_cache: dict[str, int] = {}

    # -- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Tracker:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @staticmethod
    def upgrade(url: str | None = None) -> tuple[str | None, str]:
        """Bring the database at ``url`` to this version's schema; returns (before, after).

        An empty database gets the whole schema. Back the database up first.
        """
        engine = database.connect(default_url(url))
        try:
            with database.database_errors(default_url(url)):
                return database.upgrade(engine)
        finally:
            engine.dispose()

    def _errors(self) -> AbstractContextManager[None]:
        return database.database_errors(self.url)

    def _now(self, now: datetime | None) -> datetime:
        if now is None:
            return datetime.now(self.zone)
        if now.tzinfo is None:
            raise ValueError(f"now must carry a timezone, got {now.isoformat()}")
        return now

    # -- ingest ------------------------------------------------------------------------

    def ingest(
        self, records: Iterable[RecordInput], *, now: datetime | None = None, by: str = SYSTEM
    ) -> IngestSummary:
        """Screen records with history from the store and merge them into cases.

        Every record is stored: alerts and undecided records go to a case, no-alert
        records feed later history, error records are kept unscreened. A record whose
        observation id is already stored changes nothing (a stored error record is
        replaced by a corrected record with its id).
        """
        if self.screener is None:
            raise StoreError(say("read_only"))
        when = self._now(now)
        summary = IngestSummary()
        numbered = enumerate(records)
        while chunk := list(itertools.islice(numbered, self.options.chunk_size)):
            summary.add(self._ingest_chunk(chunk, when, by))
        return summary

    def _ingest_chunk(self, chunk: list[tuple[int, RecordInput]], now: datetime, by: str) -> IngestSummary:
        assert self.screener is not None
        try:
            with self._errors(), database.writer(self.engine) as connection, connection.begin():
                database.write_lock(connection)
                ingestor = ChunkIngestor(connection, self.screener, self.options, self._site_cache, now, by)
                return ingestor.run(chunk)
        except BaseException:
            self._site_cache.clear()  # it may name sites the rolled-back transaction made
            raise

    def history(self, observation: Observation) -> History:
        """The history the store holds for an observation's site and category (nothing stored).

        A site the store has not seen gives zero reports; an observation without an
        address or lat/lon gives an empty history.
        """
        location = observation.location
        ref = SiteRef(
            address_key(location.grid_id, location.village, location.address), location.lat, location.lon
        )
        if ref.key is None and not ref.has_point:
            return History()
        with self._errors(), self.engine.connect() as connection:
            site = find_site(connection, GeoGrid(self.options.site_radius_m), ref)
            if site is None:
                return History(reports_7d=0, reports_30d=0, rectified_before=False)
            return compute_history(connection, site, observation.category, observation.reported_at)

    # -- reading -----------------------------------------------------------------------

    def cases(
        self,
        *,
        status: CaseStatus | list[CaseStatus] | None = None,
        village: str | None = None,
        district: str | None = None,
        priority: str | list[str] | None = None,
        overdue: bool | None = None,
        category: str | None = None,
        now: datetime | None = None,
    ) -> list[Case]:
        """Cases matching every given filter, oldest first, each with its full log.

        ``overdue`` compares ``respond_by`` with ``now`` (default: the clock).
        """
        when = self._now(now)
        filters = reading.CaseFilters(
            status=status,
            village=village,
            district=district,
            priority=priority,
            overdue=overdue,
            category=category,
        )
        with self._errors(), self.engine.connect() as connection:
            return reading.load_cases(connection, filters.apply(reading.case_query(), when), when, self.zone)

    def case(self, case_id_text: str, *, now: datetime | None = None) -> Case:
        """One case by id (``C-000042``); raises :class:`~riskscreen.store.CaseNotFoundError`."""
        number = case_number(case_id_text)
        when = self._now(now)
        with self._errors(), self.engine.connect() as connection:
            found = reading.load_cases(
                connection, reading.case_query().where(cases.c.id == number), when, self.zone
            )
        if not found:
            raise CaseNotFoundError(say("no_case", case=case_id_text))
        return found[0]

    def detail(self, case_id_text: str, *, now: datetime | None = None) -> CaseDetail:
        """A case with its reports (oldest first), their observations and their findings."""
        found = self.case(case_id_text, now=now)
        number = case_number(found.id)
        with self._errors(), self.engine.connect() as connection:
            stored = list(reading.stored_reports(connection, self.zone, case_number=number))
            findings, observations = reading.report_details(connection, number)
        return CaseDetail(case=found, reports=stored, findings=findings, observations=observations)

    def reports(self, since: datetime | None = None, until: datetime | None = None) -> Iterator[StoredReport]:
        """Every stored report with ``since <= reported_at < until``, oldest first.

        Error records without a readable time count at the time they were received.
        """
        with self._errors(), self.engine.connect() as connection:
            yield from reading.stored_reports(connection, self.zone, since=since, until=until)

    def unscreened(self) -> list[StoredReport]:
        """The error records the store keeps (never screened, never a case)."""
        with self._errors(), self.engine.connect() as connection:
            return list(reading.stored_reports(connection, self.zone, status="error"))

    def counts(self) -> dict[str, int]:
        """How many reports and cases the store holds, by status."""
        with self._errors(), self.engine.connect() as connection:
            by_report: dict[str, int] = dict(
                connection.execute(select(reports.c.status, func.count()).group_by(reports.c.status)).all()
            )
            by_case: dict[str, int] = dict(
                connection.execute(select(cases.c.status, func.count()).group_by(cases.c.status)).all()
            )
        counts = {f"reports_{k}": int(v) for k, v in by_report.items()}
        counts.update({f"cases_{k}": int(v) for k, v in by_case.items()})
        counts["reports"] = sum(int(v) for v in by_report.values())
        counts["cases"] = sum(int(v) for v in by_case.values())
        return counts

    # -- changes -----------------------------------------------------------------------

    def _change(self, case_id_text: str, now: datetime | None, change: Any) -> Case:
        number = case_number(case_id_text)
        when = self._now(now)
        with self._errors(), database.writer(self.engine) as connection, connection.begin():
            database.write_lock(connection)
            change(connection, number, when)
        return self.case(case_id(number), now=when)

    def update(
        self,
        case_id_text: str,
        *,
        status: CaseStatus | None = None,
        note: str | None = None,
        assignee: str | None = None,
        disposition: Disposition | None = None,
        by: str = SYSTEM,
        now: datetime | None = None,
    ) -> Case:
        """Change a case's status or assignee, add a note, or correct a closed case's disposition.

        Closing goes through :meth:`close` (it needs a disposition); a disposition on a
        case that is not closed is refused.
        """

        def change(connection: Any, number: int, when: datetime) -> None:
            caseops.update_case(
                connection,
                number,
                status=status,
                note=note,
                assignee=assignee,
                disposition=disposition,
                now=when,
                by=by,
            )

        return self._change(case_id_text, now, change)

    def close_case(
        self,
        case_id_text: str,
        disposition: Disposition,
        *,
        note: str | None = None,
        by: str = SYSTEM,
        now: datetime | None = None,
    ) -> Case:
        """Close a case as ``confirmed`` (real, dealt with), ``false_alarm`` or ``duplicate``."""

        def change(connection: Any, number: int, when: datetime) -> None:
            caseops.close_case(connection, number, disposition=disposition, note=note, now=when, by=by)

        return self._change(case_id_text, now, change)

    def escalate(self, now: datetime | None = None, *, by: str = SYSTEM) -> list[Case]:
        """Escalate every open case past its deadline one tier; returns the cases escalated.

        Running it again with the same ``now`` escalates nothing more.
        """
        when = self._now(now)
        with self._errors(), database.writer(self.engine) as connection, connection.begin():
            database.write_lock(connection)
            numbers = caseops.escalate_overdue(connection, self.settings, when, by)
        if not numbers:
            return []
        with self._errors(), self.engine.connect() as connection:
            query = reading.case_query().where(cases.c.id.in_(numbers))
            return reading.load_cases(connection, query, when, self.zone)
