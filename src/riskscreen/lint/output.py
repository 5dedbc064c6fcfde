"""Lint reports as text for people, JSON for tools, and GitHub workflow annotations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem

if TYPE_CHECKING:
    from . import LintReport

__all__ = ["render_github", "render_json", "render_text"]


def _line(problem: Problem) -> str:
    return f"{problem.location}: {problem.code} {problem.severity}: {problem.message}"


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'s' if number != 1 else ''}"


def render_text(report: LintReport) -> str:
    """``path:line:col: CODE severity: message`` per problem, then a summary line."""
    lines = [_line(p) for p in report.problems]
    files = _count(report.files, "file")
    if report.problems:
        lines.append(f"{_count(report.errors, 'error')}, {_count(report.warnings, 'warning')} in {files}")
    else:
        lines.append(f"no problems in {files}")
    if report.skipped:
        lines.append(
            f"skipped until the rule set loads: {', '.join(report.skipped)} (fix the errors above first)"
        )
    return "\n".join(lines) + "\n"


def render_json(report: LintReport) -> str:
    """``{"problems": [...], "summary": {...}}``; positions count from 1 (0: the whole file)."""
    document = {
        "problems": [
            {
                "path": p.location.path,
                "line": p.location.line,
                "column": p.location.column,
                "code": p.code,
                "severity": p.severity,
                "message": p.message,
            }
            for p in report.problems
        ],
        "summary": {
            "errors": report.errors,
            "warnings": report.warnings,
            "files": report.files,
            "skipped_checks": list(report.skipped),
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _repository_path(path: str) -> str:
    """``path`` relative to the working folder (the checkout, in a workflow) when inside it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return path


def render_github(report: LintReport) -> str:
    """One ``::error`` / ``::warning`` workflow command per problem, shown on the pull request's lines."""
    lines = []
    for problem in report.problems:
        where = problem.location
        properties = [f"file={_escape(_repository_path(where.path), property_value=True)}"]
        if where.line > 0:
            properties.append(f"line={where.line}")
            properties.append(f"col={where.column or 1}")
        properties.append(f"title={_escape(problem.code, property_value=True)}")
        lines.append(f"::{problem.severity} {','.join(properties)}::{_escape(problem.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
