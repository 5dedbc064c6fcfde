"""The case records the history store keeps, as services and reports read them.

Field names of :class:`Case` and :class:`CaseLogEntry` are the JSON contract in the
design ("Closing the loop"); the weekly report is computed from these models only, so a
service that keeps its own case table can build the same report.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..models import Priority, Tier

__all__ = [
    "OPEN_STATUSES",
    "Case",
    "CaseLogEntry",
    "CaseStatus",
    "Disposition",
    "ReportStatus",
    "StoredReport",
]

CaseStatus = Literal["open", "in_progress", "rectified", "closed", "reopened"]
ReportStatus = Literal["alert", "no_alert", "undecided", "error"]
Disposition = Literal["confirmed", "false_alarm", "duplicate"]

#: Statuses in which a case still needs work (it can take new reports and be escalated).
OPEN_STATUSES: tuple[CaseStatus, ...] = ("open", "in_progress", "reopened")


class CaseLogEntry(BaseModel):
    """One change to a case: when, who made it, what changed and why.

    ``what`` is a short machine-readable verb (``opened``, ``merged``, ``lifted``,
    ``reopened``, ``escalated``, ``status``, ``assigned``, ``note``, ``closed``);
    ``note`` is the human text (Chinese where people read it).
    """

    model_config = ConfigDict(frozen=True)

    at: datetime
    by: str
    what: str
    note: str = ""


class Case(BaseModel):
    """Repeat reports about one site and category, merged and tracked to closure (闭环)."""

    model_config = ConfigDict(frozen=True)

    id: str
    site: str = Field(description="the site key: grid and normalised address, or a lat/lon cell")
    category: str
    village: str | None = None
    district: str | None = None
    status: CaseStatus
    priority: Priority | None = Field(
        default=None, description="the most urgent priority seen (null for an undecided record)"
    )
    score: float = Field(default=0.0, ge=0, le=100)
    escalate_to: Tier = "village"
    respond_by: datetime | None = None
    overdue: bool = False
    reports: int = Field(default=1, ge=1, description="how many reports were merged into the case")
    observation_ids: list[str] = Field(default_factory=list)
    rule_ids: list[str] = Field(default_factory=list)
    disposition: Disposition | None = None
    log: list[CaseLogEntry] = Field(default_factory=list)
    # Not named by the contract, but needed by the weekly report and by people:
    opened_at: datetime | None = Field(default=None, description="first report's reported_at")
    updated_at: datetime | None = None
    closed_at: datetime | None = None
    assignee: str | None = None
    could_be: Priority | None = Field(
        default=None, description="the priority if every undecided rule fired (undecided cases)"
    )


class StoredReport(BaseModel):
    """One ingested report as the store keeps it: how it was screened and which case took it.

    Every record the store ingests is kept, including no-alert records and error records
    (``status="error"``: never screened, never a case; ``error`` says which field was wrong).
    ``case_id`` is ``None`` for no-alert and error records. ``reported_at`` is ``None`` only
    for an error record without a readable time; ``received_at`` is when the store took it.
    """

    model_config = ConfigDict(frozen=True)

    observation_id: str | None
    case_id: str | None = None
    category: str | None = None
    village: str | None = None
    district: str | None = None
    reported_at: datetime | None = None
    received_at: datetime | None = None
    status: ReportStatus
    priority: Priority | None = None
    could_be: Priority | None = None
    score: float | None = Field(default=None, ge=0, le=100)
    rule_ids: list[str] = Field(default_factory=list)
    error: str | None = Field(default=None, description="field: message, for an error record")
