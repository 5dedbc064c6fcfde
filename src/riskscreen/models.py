"""The records riskscreen reads and writes: observations in, findings and alerts out.

Field names here are the JSON contract (see docs/getting-started.md); services depend on them.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    field_serializer,
    field_validator,
    model_serializer,
)

from .construct import rebuilt, rebuilt_from_state
from .i18n import LocalizedError

__all__ = [
    "Alert",
    "BatchResult",
    "BatchWarning",
    "ErrorRecord",
    "Finding",
    "History",
    "Insufficient",
    "Kind",
    "Location",
    "Observation",
    "PluginFailure",
    "Priority",
    "Provenance",
    "Reporter",
    "ScreenResult",
    "Severity",
    "Status",
    "Summary",
    "Tier",
    "UndecidedRecord",
]

Kind = Literal["patrol", "incident", "complaint", "inspection", "sensor"]
Status = Literal["new", "in_progress", "rectified", "closed"]
Role = Literal["grid_worker", "citizen", "staff", "hotline", "camera", "sensor"]
Severity = Literal["info", "low", "medium", "high", "critical"]
Tier = Literal["village", "district", "department", "subdistrict"]
Priority = Literal["P1", "P2", "P3", "P4"]

#: Escalation tiers from the lowest to the highest.
TIERS: tuple[Tier, ...] = ("village", "district", "department", "subdistrict")
#: Severities from the lowest to the highest.
SEVERITIES: tuple[Severity, ...] = ("info", "low", "medium", "high", "critical")
#: The score a finding gets when its rule (or plugin check) names only a severity.
DEFAULT_SCORES: dict[str, float] = {"info": 5, "low": 20, "medium": 40, "high": 60, "critical": 85}

_CATEGORY_PATTERN = r"^[a-z][a-z0-9_]*$"


def _timezone_from(info: ValidationInfo, key: str) -> tzinfo | None:
    context = info.context if isinstance(info.context, dict) else {}
    value = context.get(key)
    if value is None or isinstance(value, tzinfo):
        return value
    return ZoneInfo(str(value))


#: Observation times in this year or later (local time) are refused when a record is
#: validated: deadlines and escalations are added to them, and the calendar ends at 9999.
LATEST_YEAR = 9000


def _aware(value: datetime | None, info: ValidationInfo) -> datetime | None:
    """Reject a naive time unless the caller configured a default timezone for them."""
    if value is None or value.tzinfo is not None:
        return value
    default = _timezone_from(info, "default_timezone")
    if default is None:
        raise LocalizedError("record.no_timezone")
    return value.replace(tzinfo=default)


class _Model(BaseModel):
    """The base of riskscreen's models: pickled as their field values, rebuilt without validation.

    Pydantic pickles a model through ``__getstate__`` and rebuilds it in Python code,
    a few tens of microseconds for an alert with its findings: more than screening the
    record, for results coming back from worker processes (``jobs``). A model's values
    were valid when it was made, so it travels as its ``__dict__`` and comes back as the
    same model (:func:`riskscreen.construct.rebuilt`), ``model_fields_set`` included.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        if self.__pydantic_extra__ or self.__pydantic_private__:  # none of ours has either
            return (rebuilt_from_state, (self.__class__, self.__getstate__()))
        given = self.__pydantic_fields_set__
        # most results hold every field: then the set is left out (rebuilt as every field)
        return (rebuilt, (self.__class__, self.__dict__, None if len(given) == len(self.__dict__) else given))


# Every model here is built on first use (``defer_build``): pydantic makes a model's
# validator and serializer the first time it validates or serializes one, not when the
# class is defined, so a process pays only for the models it uses (screening builds
# findings and results without validating them, and most commands use a few models).
class _Strict(_Model):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)


class Location(_Strict):
    """Where an observation was made; every level is optional."""

    street: str | None = None
    district: str | None = Field(default=None, description="management district (管区)")
    village: str | None = None
    grid_id: str | None = None
    address: str | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)


class Reporter(_Strict):
    """Who reported the observation."""

    role: Role | None = None
    id: str | None = None


class History(_Strict):
    """What is known about earlier reports at the same site."""

    reports_7d: int | None = Field(default=None, ge=0)
    reports_30d: int | None = Field(default=None, ge=0)
    days_since_last_report: float | None = Field(default=None, ge=0)
    rectified_before: bool | None = None


class Observation(_Model):
    """A patrol observation, incident, complaint, inspection or sensor reading.

    Top-level keys that are not observation fields (a platform's own metadata) are
    ignored; nested objects (``location``, ``reporter``, ``history``) reject unknown keys,
    so that a misspelt ``vilage`` is an error rather than a silently unknown place.

    ``attrs`` holds the category's own attributes; typed ones are checked against the
    category's declared types by the :class:`~riskscreen.Screener`, unknown keys are kept.
    Times must carry a timezone unless validation is given a ``default_timezone`` in its
    context (``Observation.model_validate(data, context={"default_timezone": "Asia/Shanghai"})``).
    """

    model_config = ConfigDict(extra="ignore", frozen=True, allow_inf_nan=False, defer_build=True)

    id: str = Field(min_length=1, max_length=200)
    kind: Kind = "patrol"
    category: str = Field(pattern=_CATEGORY_PATTERN, max_length=64)
    reported_at: datetime
    occurred_at: datetime | None = None
    location: Location = Field(default_factory=Location)
    reporter: Reporter = Field(default_factory=Reporter)
    description: str = ""
    status: Status = "new"
    attrs: dict[str, Any] = Field(default_factory=dict)
    history: History = Field(default_factory=History)

    @field_validator("reported_at", "occurred_at")
    @classmethod
    def _require_timezone(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        return _aware(value, info)


class Finding(_Model):
    """One rule or plugin check that fired on one observation."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    rule_id: str
    pack: str
    severity: Severity
    score: float = Field(ge=0, le=100)
    title: str
    message: str
    action: str | None = None
    source: str
    values: dict[str, Any] = Field(default_factory=dict)
    escalate_to: Tier = "village"
    respond_within: str | None = None
    tags: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)


class Insufficient(_Model):
    """A rule that could not be decided for this observation.

    ``missing`` lists the values the rule reads that the observation lacks; ``error`` is
    set instead when evaluation failed for another reason (and is left out of JSON
    otherwise).
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    rule_id: str
    missing: list[str]
    error: str | None = None
    #: What the rule or check would contribute if it fired (used for ``could_be``).
    severity: Severity | None = None
    score: float | None = Field(default=None, ge=0, le=100)

    @model_serializer(mode="wrap")
    def _drop_empty_error(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for key in ("error", "severity", "score"):
            if data.get(key) is None:
                data.pop(key, None)
        return data


class PluginFailure(_Model):
    """A plugin hook that failed on one observation; the rest of the screening went on."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    plugin: str
    hook: str
    message: str


class Provenance(_Model):
    """What produced an alert, so that a decision can be traced and replayed.

    ``ruleset`` hashes the loaded packs, categories, derived fields and plugins;
    ``packs`` names the packs whose rules fired or changed a fired rule by override;
    ``settings`` hashes the screening settings (bands, deadlines, timezones, limits).
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    ruleset: str
    packs: dict[str, str] = Field(default_factory=dict)
    plugins: dict[str, str] = Field(default_factory=dict)
    riskscreen: str = ""
    settings: str = ""


class Alert(_Model):
    """The prioritized result for one observation that had findings."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    observation_id: str
    priority: Priority
    band: str
    color: str
    score: float = Field(ge=0, le=100)
    escalate_to: Tier
    respond_by: datetime
    findings: list[Finding]
    insufficient: list[Insufficient] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    provenance: Provenance
    category: str
    kind: Kind
    reported_at: datetime
    location: Location = Field(default_factory=Location)
    incomplete: bool = False
    plugin_errors: list[PluginFailure] = Field(default_factory=list)
    #: The priority the alert would get if every undecided rule and check fired, when that
    #: is more urgent than ``priority``; ``None`` when the missing evidence could not change it.
    could_be: Priority | None = None
    #: Whether missing evidence could make the alert more urgent (``could_be`` is set).
    undecided: bool = False
    #: Problems with the record that did not stop its screening (unknown attributes).
    warnings: list[str] = Field(default_factory=list)

    @field_serializer("location")
    def _compact_location(self, value: Location) -> dict[str, Any]:
        return value.model_dump(exclude_none=True)


class ErrorRecord(_Model):
    """An input record that could not be screened: where it was, and what was wrong."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    index: int
    id: str | None = None
    field: str
    message: str


class ScreenResult(_Model):
    """The outcome for one input record: an alert, no alert, or an error."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    index: int
    observation_id: str | None
    status: Literal["alert", "no_alert", "error"]
    alert: Alert | None = None
    insufficient: list[Insufficient] = Field(default_factory=list)
    error: ErrorRecord | None = None
    incomplete: bool = False
    plugin_errors: list[PluginFailure] = Field(default_factory=list)
    #: The priority this record would get if every undecided rule and check fired; ``None``
    #: when that adds nothing (no undecided rule, or none that could change the priority).
    could_be: Priority | None = None
    #: Missing evidence could make the record more urgent: a more urgent ``could_be`` than
    #: the alert's priority, or an alert at all for a no-alert record.
    undecided: bool = False
    #: Problems with the record that did not stop its screening (unknown attributes).
    warnings: list[str] = Field(default_factory=list)


class UndecidedRecord(_Model):
    """A no-alert record that missing evidence could turn into an alert."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    observation_id: str
    could_be: Priority
    insufficient: list[Insufficient]
    warnings: list[str] = Field(default_factory=list)


def _no_priorities() -> dict[str, int]:
    return {"P1": 0, "P2": 0, "P3": 0, "P4": 0}


class Summary(_Model):
    """Counts for a batch; ``alerts + no_alert + errors == records`` always.

    ``undecided`` counts every undecided result, alert or not; ``by_priority`` counts the
    alerts per priority.
    """

    model_config = ConfigDict(defer_build=True)

    records: int = 0
    alerts: int = 0
    no_alert: int = 0
    errors: int = 0
    undecided: int = 0
    by_priority: dict[str, int] = Field(default_factory=_no_priorities)


class BatchWarning(_Model):
    """Something about a record worth reporting that did not stop its screening."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    index: int
    id: str | None = None
    message: str


class BatchResult(_Model):
    """Sorted alerts, undecided no-alert records, error records and warnings for a whole batch.

    ``warnings`` holds every record's warnings (unknown attributes) and batch-level ones
    (repeated ids), in input order.
    """

    model_config = ConfigDict(defer_build=True)

    alerts: list[Alert]
    errors: list[ErrorRecord]
    warnings: list[BatchWarning] = Field(default_factory=list)
    summary: Summary
    #: No-alert records that are undecided, most urgent ``could_be`` first, then input order.
    undecided: list[UndecidedRecord] = Field(default_factory=list)


def __getattr__(name: str) -> Any:
    # the earlier name of PluginFailure, kept working (only exceptions end in ``Error``)
    if name == "PluginError":
        import warnings

        message = "riskscreen.models.PluginError is deprecated; use PluginFailure"
        warnings.warn(message, DeprecationWarning, stacklevel=2)
        return PluginFailure
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
