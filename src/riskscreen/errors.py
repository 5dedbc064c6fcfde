"""Errors raised by riskscreen.

There is one root class, :class:`RiskscreenError`. Loading a rule-pack set gathers every
problem it finds and raises a single :class:`RuleLoadError` carrying them all, so a rule
author sees the whole list at once, each as ``path:line:col: message``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = [
    "Problem",
    "RiskscreenError",
    "RuleLoadError",
    "SourceLocation",
]


class RiskscreenError(Exception):
    """Root of every error riskscreen raises on purpose."""


@dataclass(frozen=True, order=True)
class SourceLocation:
    """A position in a source file; ``line`` and ``column`` count from 1."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.column or 1}"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found while loading rule packs.

    ``code`` is a stable identifier (``RS1xx`` for file and schema errors, ``RS2xx`` for
    expression errors, ``RS3xx`` for rule-set consistency) that tools may match on.
    """

    location: SourceLocation
    message: str
    code: str = "RS100"
    severity: str = field(default="error", compare=False)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class RuleLoadError(RiskscreenError):
    """A rule-pack set could not be loaded; :attr:`problems` lists every problem found.

    Nothing of a failed load is kept: the caller gets either a complete rule set or this
    error.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted(set(problems))
        super().__init__(self.render())

    def render(self) -> str:
        """Every problem, one ``path:line:col: message`` per line."""
        return "\n".join(str(p) for p in self.problems)
