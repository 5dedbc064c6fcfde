"""What plugins hand back to riskscreen: check findings and check declarations."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .models import Severity, Tier

__all__ = ["CheckFinding", "CheckInfo"]


class CheckInfo(BaseModel):
    """A Python check a plugin runs, declared up front so it can be listed and tested."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    severity: Severity
    references: list[str] = Field(default_factory=list)


class CheckFinding(BaseModel):
    """One thing a plugin check found on one observation.

    The host fills in ``pack`` and ``source`` with the plugin's name. ``score`` defaults to
    the severity's default score, as in YAML rules.
    """

    model_config = ConfigDict(frozen=True)

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
