"""The weekly report (周报表 / 汇总表) and rule precision, computed from case histories.

::

    from riskscreen.report import weekly, render

    report = weekly(cases, "2026-W48")          # cases: Tracker(None, url).cases()
    print(report.totals.new, report.totals.in_progress)
    render(report, "html", "week48.html")       # also "xlsx", "md", "json"

:func:`weekly` is a pure function over :class:`~riskscreen.store.models.Case` objects, so
the report needs no database to test and any service holding cases can produce it.
"""

from __future__ import annotations

from .compute import weekly
from .formats import DEFAULT_TITLE, FORMATS, Format, render, render_bytes
from .model import Counts, GroupCounts, RulePrecision, TopRule, TrendPoint, WeeklyReport
from .periods import Period, PeriodError, date_range, parse_date, parse_week, week_of
from .precision import ReportRow, rule_precision, wilson_interval

__all__ = [
    "DEFAULT_TITLE",
    "FORMATS",
    "Counts",
    "Format",
    "GroupCounts",
    "Period",
    "PeriodError",
    "ReportRow",
    "RulePrecision",
    "TopRule",
    "TrendPoint",
    "WeeklyReport",
    "date_range",
    "parse_date",
    "parse_week",
    "render",
    "render_bytes",
    "rule_precision",
    "week_of",
    "weekly",
    "wilson_interval",
]
