"""The history store: repeat reports merged into cases, tracked to closure (闭环)."""

from __future__ import annotations

from .models import Case, CaseLogEntry, CaseStatus, Disposition

__all__ = ["Case", "CaseLogEntry", "CaseStatus", "Disposition"]
