"""A diff for people and for CI: Markdown (a pull-request comment) and JUnit XML.

The Markdown opens with one summary table and the ``--fail-if`` verdicts; everything
longer (rules, the transition matrix, definitions, examples, the archive) is folded in
``<details>`` so that the comment stays short on the page.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .models import DiffResult, RuleCounts
from .outcome import STATES

__all__ = ["diff_junit", "diff_markdown"]

_PRIORITIES = ("P1", "P2", "P3", "P4")


def _signed(delta: int) -> str:
    return f"+{delta}" if delta > 0 else str(delta)


def _change(base: int, head: int) -> str:
    delta = head - base
    if delta == 0:
        return "0"
    if base == 0:
        return f"{_signed(delta)} (new)"
    return f"{_signed(delta)} ({100 * delta / base:+.1f}%)"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _ids(ids: list[str]) -> str:
    return ", ".join(f"`{i}`" for i in ids) if ids else "—"


def _summary(result: DiffResult) -> list[str]:
    lines = ["| | base | head | change |", "|---|---:|---:|---:|"]
    for priority in _PRIORITIES:
        base, head = result.count("base", priority), result.count("head", priority)
        lines.append(f"| {priority} | {base} | {head} | {_change(base, head)} |")
    alerts = {side: sum(result.count(side, p) for p in _PRIORITIES) for side in ("base", "head")}
    lines.append(
        f"| alerts | {alerts['base']} | {alerts['head']} | {_change(alerts['base'], alerts['head'])} |"
    )
    lines.append(
        f"| no alert | {result.count('base', 'none')} | {result.count('head', 'none')} | "
        f"{_change(result.count('base', 'none'), result.count('head', 'none'))} |"
    )
    undecided = result.undecided
    lines.append(
        f"| undecided | {undecided.base} | {undecided.head} | {_change(undecided.base, undecided.head)} |"
    )
    if result.count("base", "error") or result.count("head", "error"):
        lines.append(
            f"| error records | {result.count('base', 'error')} | {result.count('head', 'error')} | |"
        )
    return lines


def _rule_table(rows: list[RuleCounts]) -> list[str]:
    lines = [
        "| rule | definition | base | head | change | newly fires on | no longer fires on |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| `{row.rule_id}` | {row.status} | {row.base} | {row.head} | {_change(row.base, row.head)} | "
            f"{_ids(row.examples_gained)} | {_ids(row.examples_lost)} |"
        )
    return lines


def _matrix(result: DiffResult) -> list[str]:
    states = [s for s in STATES if s != "error" or result.count("base", s) or result.count("head", s)]
    lines = ["| base ↓ / head → | " + " | ".join(states) + " |", "|---|" + "---:|" * len(states)]
    for a in states:
        cells = [
            f"**{result.transitions[a][b]}**"
            if a != b and result.transitions[a][b]
            else str(result.transitions[a][b])
            for b in states
        ]
        lines.append(f"| {a} | " + " | ".join(cells) + " |")
    return lines


def _folded(summary: str, body: list[str]) -> list[str]:
    return ["", "<details>", f"<summary>{summary}</summary>", "", *body, "", "</details>"]


def diff_markdown(result: DiffResult) -> str:
    """The diff as a pull-request comment: summary table and verdicts first, details folded."""
    lines = [
        f"### riskscreen diff: `{result.base.label}` → `{result.head.label}`",
        "",
        f"{result.records} archived records screened with both rule sets "
        f"({result.base.rules} → {result.head.rules} rules; "
        f"{len(result.added)} added, {len(result.removed)} removed, {len(result.changed)} changed). "
        + _verdict(result),
        "",
        *_summary(result),
    ]
    if result.checks:
        lines += ["", "| check | result |", "|---|---|"]
        lines += [
            f"| `{c.condition}` | {'✅ passed' if c.passed else '❌ failed'}: {_cell(c.message)} |"
            for c in result.checks
        ]
    differing = result.differing
    if differing:
        lines += _folded(f"Rules that fire differently ({len(differing)})", _rule_table(differing))
    lines += _folded("Priority transitions (base → head)", _matrix(result) + _transition_examples(result))
    definitions = _definitions(result)
    if definitions:
        lines += _folded(
            f"Rule definitions ({len(result.added)} added, {len(result.removed)} removed, "
            f"{len(result.changed)} changed)",
            definitions,
        )
    if result.undecided.newly:
        lines += _folded(
            f"Newly undecided records ({result.undecided.newly})",
            [f"Examples: {_ids(result.undecided.examples)}"],
        )
    lines += _folded(f"Archive ({len(result.archive.files)} files)", _archive(result))
    return "\n".join(lines) + "\n"


def _verdict(result: DiffResult) -> str:
    moved = sum(n for a, row in result.transitions.items() for b, n in row.items() if a != b)
    rules = len(result.differing)
    if not moved and not rules and not result.undecided.newly:
        return "**No record changes priority and every rule fires on the same records.**"
    records = "1 record changes" if moved == 1 else f"{moved} records change"
    fire = "1 rule fires" if rules == 1 else f"{rules} rules fire"
    return f"**{records} priority; {fire} on different records.**"


def _transition_examples(result: DiffResult) -> list[str]:
    if not result.transition_examples:
        return []
    lines = ["", "| transition | records | examples |", "|---|---:|---|"]
    for key, ids in result.transition_examples.items():
        a, b = key.split("->")
        lines.append(f"| {a} → {b} | {result.transitions[a][b]} | {_ids(ids)} |")
    return lines


def _definitions(result: DiffResult) -> list[str]:
    lines = [f"- added: `{rule}`" for rule in result.added]
    lines += [f"- removed: `{rule}`" for rule in result.removed]
    for change in result.changed:
        lines.append(f"- changed: `{change.rule_id}`")
        lines += [f"  - {c.field}: `{_cell(c.base)}` → `{_cell(c.head)}`" for c in change.changes]
    return lines


def _archive(result: DiffResult) -> list[str]:
    lines = ["| file | format | records | unreadable |", "|---|---|---:|---:|"]
    lines += [f"| `{f.path}` | {f.format} | {f.records} | {f.invalid} |" for f in result.archive.files]
    samples = [s for f in result.archive.files for s in f.samples]
    if samples:
        lines += ["", "Unreadable records (samples):", "", *[f"- {_cell(s)}" for s in samples]]
    return lines


def diff_junit(result: DiffResult) -> str:
    """JUnit XML: one test case per ``--fail-if`` condition (failed when it holds).

    Without conditions there is one passing case carrying the summary, so CI still shows
    that the diff ran.
    """
    suite = ET.Element(
        "testsuite",
        name="riskscreen diff",
        tests=str(max(1, len(result.checks))),
        failures=str(sum(not c.passed for c in result.checks)),
        errors="0",
    )
    summary = (
        f"{result.records} records; "
        + ", ".join(f"{p} {result.count('base', p)}→{result.count('head', p)}" for p in _PRIORITIES)
        + f"; undecided {result.undecided.base}→{result.undecided.head}"
    )
    if not result.checks:
        case = ET.SubElement(suite, "testcase", classname="riskscreen.diff", name="diff")
        ET.SubElement(case, "system-out").text = summary
    for check in result.checks:
        case = ET.SubElement(
            suite, "testcase", classname="riskscreen.diff", name=f"fail-if {check.condition}"
        )
        if not check.passed:
            ET.SubElement(case, "failure", message=check.message, type="fail-if").text = summary
        else:
            ET.SubElement(case, "system-out").text = check.message
    ET.indent(suite)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"
