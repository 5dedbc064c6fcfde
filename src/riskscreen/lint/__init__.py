"""``riskscreen lint``: every problem in a set of rule packs and their cases, at once.

::

    from riskscreen.lint import lint

    report = lint(["my_packs/"])
    for problem in report.problems:
        print(problem.location, problem.code, problem.severity, problem.message)

The packs are loaded exactly as the screener loads them, so every load error (YAML,
schema, expression, rule-set consistency; ``RS1xx``-``RS4xx``) is reported as the loader
words it, at ``path:line:col``. The lint checks add warnings the loader cannot know
(``RS5xx``): rules without regression cases, regexes prone to backtracking, message
templates naming unknown fields, rules that can never fire, cases naming unknown rules,
legal references the law catalogue does not confirm (``RS52x``).
Each check is a small class in its own module (see :data:`CHECKS` and :data:`CODES`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .._paths import builtin_rules_dir
from ..errors import Problem, RuleLoadError
from ..packs.files import is_test_file
from ..packs.loader import discover_pack_files, display_path
from ..packs.yamlsrc import load_yaml
from ..screener import Screener
from ..testing.cases import load_case_file
from ..testing.runner import case_files_for
from .backtracking import BacktrackingRegex
from .base import CaseDocument, Check, LintContext, PackDocument
from .case_ids import DuplicateCaseName, UnknownCaseRule
from .citations import Citations
from .codes import CODES, Code
from .copies import PackCopy
from .load import LoadProblems
from .message_fields import UnknownMessageField
from .never_fires import NeverFires
from .output import render_github, render_json, render_text
from .untested import UntestedRule

__all__ = [
    "CHECKS",
    "CODES",
    "Check",
    "Code",
    "LintContext",
    "LintReport",
    "lint",
    "render_github",
    "render_json",
    "render_text",
]

#: The checks ``riskscreen lint`` runs, in order.
CHECKS: tuple[Check, ...] = (
    LoadProblems(),
    UntestedRule(),
    BacktrackingRegex(),
    UnknownMessageField(),
    NeverFires(),
    UnknownCaseRule(),
    DuplicateCaseName(),
    PackCopy(),
    Citations(),
)


@dataclass(frozen=True)
class LintReport:
    """Every problem found, sorted by file and position; the checks skipped; how many files."""

    problems: tuple[Problem, ...]
    files: int
    skipped: tuple[str, ...] = ()

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return sum(1 for p in self.problems if p.severity == "warning")

    def exit_code(self, *, strict: bool = False) -> int:
        """1 when there are errors (or, with ``strict``, warnings), else 0."""
        return 1 if self.errors or (strict and self.warnings) else 0


def _pack_document(path: Path) -> PackDocument | None:
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    document, _ = load_yaml(text, shown)
    if document is None or not isinstance(document.data, dict):
        return None
    return PackDocument(path, shown, document.source, document.data)


def _case_document(path: Path, problems: list[Problem]) -> CaseDocument:
    case_file = None
    try:
        case_file = load_case_file(path)
    except RuleLoadError as exc:
        problems.extend(exc.problems)
    shown = case_file.shown if case_file else display_path(path)
    try:
        document, _ = load_yaml(path.read_text(encoding="utf-8-sig"), shown)
    except (OSError, UnicodeDecodeError):
        document = None
    return CaseDocument(
        path, shown, document.source if document else None, document.data if document else None, case_file
    )


def lint(
    paths: Sequence[str | os.PathLike[str]] = (),
    *,
    builtin: bool = True,
    disable_plugins: Iterable[str] = (),
    checks: Sequence[Check] = CHECKS,
) -> LintReport:
    """Lint the packs and ``*.test.yaml`` cases under ``paths`` (default: the shipped packs).

    The packs load together with the shipped packs and plugins (unless ``builtin`` is
    false), as the screener would load them; warnings are given only for the packs and
    cases under ``paths``.
    """
    targets = [Path(p) for p in paths] or [builtin_rules_dir()]
    pack_targets = [p for p in targets if not (p.is_file() and is_test_file(p))]
    problems: list[Problem] = []
    screener: Screener | None = None
    try:
        screener = Screener(pack_targets, builtin=builtin, disable_plugins=disable_plugins)
    except RuleLoadError as exc:
        problems.extend(exc.problems)
    files, _ = discover_pack_files(pack_targets)  # missing paths are among the loader's problems
    # a copy of a pack loaded from elsewhere (the shipped rules/) is said once, not linted twice
    copies = frozenset(c for c, _ in screener.ruleset.copies) if screener is not None else frozenset()
    copied = [f for f in files if display_path(f) in copies]
    files = [f for f in files if display_path(f) not in copies]
    packs = [d for d in map(_pack_document, files) if d is not None]
    cases = [_case_document(path, problems) for path in case_files_for(targets)]
    context = LintContext(packs, cases, screener, problems, copies=frozenset(map(display_path, copied)))
    found: list[Problem] = []
    skipped: list[str] = []
    for check in checks:
        if check.needs_ruleset and screener is None:
            skipped.append(check.name)
            continue
        found.extend(check.run(context))
    ordered = sorted(set(found), key=lambda p: (p.location.path, p.location.line, p.location.column, p.code))
    return LintReport(tuple(ordered), len(files) + len(copied) + len(cases), tuple(skipped))
