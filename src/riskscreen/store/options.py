"""How the tracker merges, lifts, reopens and commits; every number a locality may change."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import ErrorRecord

__all__ = ["IngestSummary", "TrackerOptions"]


@dataclass(frozen=True)
class TrackerOptions:
    """Case-merging settings.

    - ``site_radius_m``: reports within this distance (by lat/lon) are about one site.
    - ``repeat_lift_after``: a case with this many reports within ``lift_window_days``
      is lifted one priority band (once).
    - ``reopen_days``: a report at a site whose case was closed less than this many days
      earlier reopens that case; after that it opens a new one.
    - ``chunk_size``: records per transaction; a crash loses at most the chunk being
      written, and ingesting the same input again completes it.
    """

    site_radius_m: float = 50.0
    repeat_lift_after: int = 3
    lift_window_days: float = 30.0
    reopen_days: float = 90.0
    chunk_size: int = 200

    def __post_init__(self) -> None:
        if self.site_radius_m <= 0:
            raise ValueError("site_radius_m must be positive")
        if self.repeat_lift_after < 1:
            raise ValueError("repeat_lift_after must be 1 or more")
        if self.reopen_days < 0:
            raise ValueError("reopen_days must be 0 or more")
        if self.chunk_size < 1:
            raise ValueError("chunk_size must be 1 or more")


@dataclass
class IngestSummary:
    """What one :meth:`~riskscreen.store.Tracker.ingest` call did.

    ``records = screened + errors + skipped``; ``screened = alerts + no_alert`` where
    ``undecided`` counts the no-alert records that missing evidence could make alerts.
    Every alert or undecided record went to exactly one case: ``new + merged + reopened``.
    """

    records: int = 0
    screened: int = 0
    alerts: int = 0
    undecided: int = 0
    no_alert: int = 0
    errors: int = 0
    #: records already in the store (the same observation id): nothing changed
    skipped: int = 0
    new: int = 0
    merged: int = 0
    reopened: int = 0
    #: cases lifted one band by this ingest
    lifted: int = 0
    #: the cases this ingest opened, merged into or reopened, in the order first touched
    case_ids: list[str] = field(default_factory=list)
    #: the records this ingest kept unscreened: which (index in the input, id), the field, why
    error_records: list[ErrorRecord] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._seen = set(self.case_ids)  # not a field: asdict() leaves it out

    def touched(self, case: str) -> None:
        """Note a case this ingest changed (once)."""
        if case not in self._seen:
            self._seen.add(case)
            self.case_ids.append(case)

    def add(self, other: IngestSummary) -> None:
        """Add another summary's counts to this one."""
        for name in self.__dataclass_fields__:
            if name == "case_ids":
                for case in other.case_ids:
                    self.touched(case)
            else:
                setattr(self, name, getattr(self, name) + getattr(other, name))
