"""The table's section 待补充证据: for each undecided record, what to go and collect.

A record is undecided when missing values could make it more urgent (see
:mod:`riskscreen.undecided`). The section names the record, what it is now, what it could
be, and the fields whose collection could change that, the most telling first.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from .. import undecided as trust
from ..models import Alert, Insufficient, Priority, UndecidedRecord
from ..settings import Settings

__all__ = ["collect_rows", "write_to_collect"]

#: Missing fields shown per record before the rest are counted.
_FIELDS_SHOWN = 6


def _fields(entries: Sequence[Insufficient]) -> str:
    """The missing fields of ``entries`` (a failing rule named as such), without repeats."""
    fields = list(dict.fromkeys(path for entry in entries for path in entry.missing))
    failed = [entry.rule_id for entry in entries if entry.error is not None and not entry.missing]
    shown = fields[:_FIELDS_SHOWN]
    if len(fields) > _FIELDS_SHOWN:
        shown.append(f"等{len(fields)}项")
    shown.extend(f"{rule_id}运行出错" for rule_id in failed)
    return "、".join(shown)


def collect_rows(
    alerts: Sequence[Alert], undecided: Sequence[UndecidedRecord], settings: Settings
) -> list[tuple[str, str, Priority, str, str]]:
    """(id, now, could be, fields to collect, rules they decide) per undecided record.

    Most urgent ``could_be`` first; alerts before no-alert records of the same ``could_be``.
    """
    rows: list[tuple[tuple[str, str], tuple[str, str, Priority, str, str]]] = []
    for alert in alerts:
        if alert.could_be is None:
            continue
        scores = [f.score for f in alert.findings]
        critical = any(f.severity == "critical" for f in alert.findings)
        wanted = trust.to_collect(scores, critical, alert.priority, alert.insufficient, settings)
        now = f"{alert.priority} {alert.band}"
        row = (alert.observation_id, now, alert.could_be, _fields(wanted), _rules(wanted))
        rows.append(((alert.could_be, alert.priority), row))
    for entry in undecided:
        wanted = trust.to_collect([], False, None, entry.insufficient, settings)
        row = (entry.observation_id, "无预警", entry.could_be, _fields(wanted), _rules(wanted))
        rows.append(((entry.could_be, "P9"), row))
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]


def _rules(entries: Sequence[Insufficient]) -> str:
    return "、".join(dict.fromkeys(entry.rule_id for entry in entries))


def write_to_collect(
    console: Console, alerts: Sequence[Alert], undecided: Sequence[UndecidedRecord], settings: Settings
) -> None:
    """Print the section 待补充证据 (nothing when no record is undecided)."""
    rows = collect_rows(alerts, undecided, settings)
    if not rows:
        return
    names = {band.priority: band.name for band in settings.bands}
    table = Table(title="待补充证据 (undecided: collect these to decide)", pad_edge=False)
    table.add_column("编号", overflow="fold", min_width=10)
    table.add_column("现为", no_wrap=True)
    table.add_column("可能", no_wrap=True)
    # room for a whole field name (one per line) at 80 columns; rule ids wrap between ids
    table.add_column("待补充", overflow="fold", ratio=1, min_width=26)
    table.add_column("规则", overflow="fold", max_width=11)
    for observation_id, now, could_be, fields, rules in rows:
        # one field per line and rule ids apart, so the table never breaks a name in two
        shown_fields, shown_rules = fields.replace("、", "\n"), rules.replace("、", " ")
        table.add_row(observation_id, now, f"{could_be} {names.get(could_be, '')}", shown_fields, shown_rules)
    console.print(table)
