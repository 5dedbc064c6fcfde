"""What plugins hand back to riskscreen: check findings, undecided checks and declarations."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .models import Severity, Tier

__all__ = ["CheckFinding", "CheckInfo", "CheckUndecided", "DerivedField"]

# The models are built on first use (``defer_build``), as in riskscreen.models: screening
# without plugins (``--no-builtin``) never validates one.


class CheckInfo(BaseModel):
    """A Python check a plugin runs, declared up front so it can be listed and tested."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    id: str
    title: str
    severity: Severity
    references: list[str] = Field(default_factory=list)


class CheckFinding(BaseModel):
    """One thing a plugin check found on one observation.

    The host fills in ``pack`` and ``source`` with the plugin's name. ``score`` defaults to
    the severity's default score, as in YAML rules.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    rule_id: str
    title: str
    severity: Severity
    message: str
    score: float | None = Field(default=None, ge=0, le=100)
    action: str | None = None
    escalate_to: Tier = "village"
    respond_within: str | None = None
    tags: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    values: dict[str, Any] = Field(default_factory=dict)


#: The observation fields a derived field may be computed from: an ``attrs``, ``location``,
#: ``history`` or ``reporter`` path, a top-level field, or another derived field.
_INPUT_ROOTS = frozenset(
    {"attrs", "location", "history", "reporter", "derived"}
    | {"reported_at", "occurred_at", "description", "status", "kind", "category", "id"}
)


class DerivedField(BaseModel):
    """A ``derived.*`` field a plugin computes: its type, and what it is computed from.

    ``inputs`` are the observation fields the value depends on (``attrs.value_cny``,
    ``reported_at``, another ``derived.*`` field). When a rule or check lacks the derived
    value, riskscreen reports the inputs the observation lacks as *missing*, so a worker
    learns what to collect rather than an internal name. ``description`` says what the
    field means, for people reading rules.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    type: str
    inputs: list[str] = Field(default_factory=list)
    description: str | None = None

    @field_validator("inputs")
    @classmethod
    def _observation_paths(cls, value: list[str]) -> list[str]:
        for path in value:
            root, _, rest = path.partition(".")
            nested = root in ("attrs", "location", "history", "reporter", "derived")
            if root not in _INPUT_ROOTS or (nested and not rest) or (not nested and rest):
                raise ValueError(
                    f"input {path!r} is not an observation field "
                    "(attrs.NAME, location.NAME, history.NAME, derived.NAME, reported_at ...)"
                )
        return value


class CheckUndecided(BaseModel):
    """A check that could not be decided: the values it needs are missing.

    Return it from ``riskscreen_check`` beside findings. ``missing`` names what the
    observation lacks (``attrs.value_cny``; a ``derived.*`` name is replaced by the
    observation fields it is computed from). ``severity`` and ``score`` are what the check
    would add if it fired; left out, they come from the check's declaration (and the
    severity's default score), so that the result's ``could_be`` can be computed.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    check_id: str
    missing: list[str] = Field(min_length=1)
    severity: Severity | None = None
    score: float | None = Field(default=None, ge=0, le=100)
