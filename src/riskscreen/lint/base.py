"""What every lint check sees, and the shape of a check.

A check is a small class with data (``code``, ``name``, ``severity``, ``description``)
and one method, :meth:`Check.run`, that yields :class:`~riskscreen.errors.Problem` s
from a :class:`LintContext`. The context holds the linted pack and case files with the
positions of every key (so problems point at ``path:line:col``), the rule set when it
loaded, and a cache of expressions parsed without types (so checks can read the syntax
tree of any expression, even in a pack whose types do not check).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import rule_engine

from ..errors import Problem, SourceLocation
from ..packs.yamlsrc import Path as YPath
from ..packs.yamlsrc import SourceMap
from ..screener import Screener
from ..testing.cases import CaseFile
from .codes import CODES, Severity

__all__ = ["CaseDocument", "Check", "LintContext", "PackDocument", "RuleEntry"]


@dataclass(frozen=True)
class PackDocument:
    """A linted pack file: its data as written and where each part is."""

    path: Path
    shown: str
    source: SourceMap
    data: dict[str, Any]

    def section(self, name: str) -> Any:
        """A top-level section as written (``None`` when absent)."""
        return self.data.get(name)

    def mapping(self, name: str) -> dict[str, Any]:
        """A top-level mapping section, or an empty one when it is absent or malformed."""
        value = self.data.get(name)
        return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class RuleEntry:
    """One rule (or override) of a pack as written, with its path in the document."""

    pack: PackDocument
    where: YPath
    data: dict[str, Any]

    @property
    def id(self) -> str:
        """The rule's id as written (empty when it has none)."""
        value = self.data.get("id")
        return value if isinstance(value, str) else ""

    def location(self, *key: Any) -> SourceLocation:
        """Where a key's value of this rule is written (the rule itself without a key)."""
        return self.pack.source.location((*self.where, *key))


@dataclass(frozen=True)
class CaseDocument:
    """A linted ``*.test.yaml`` file; ``case_file`` is None when it does not follow the format."""

    path: Path
    shown: str
    source: SourceMap | None
    data: Any
    case_file: CaseFile | None


_PLAIN = rule_engine.Context()
_PARSE_LOCK = threading.Lock()


@dataclass
class LintContext:
    """Everything the checks read."""

    packs: list[PackDocument]
    cases: list[CaseDocument]
    screener: Screener | None
    load_problems: list[Problem] = field(default_factory=list)
    #: Display paths of linted pack files left out as copies of another loaded pack.
    copies: frozenset[str] = frozenset()
    _parsed: dict[str, Any] = field(default_factory=dict, repr=False)

    def rules(self, section: str = "rules") -> Iterator[RuleEntry]:
        """Every rule (or, with ``section="overrides"``, override) written in the linted packs."""
        for pack in self.packs:
            entries = pack.section(section)
            for i, data in enumerate(entries if isinstance(entries, list) else ()):
                if isinstance(data, dict):
                    yield RuleEntry(pack, (section, i), data)

    def expression(self, text: Any) -> Any | None:
        """The syntax tree of an expression, parsed without types; None when it does not parse."""
        if not isinstance(text, str):
            return None
        if text not in self._parsed:
            with _PARSE_LOCK:
                try:
                    self._parsed[text] = rule_engine.Rule(text, context=_PLAIN).statement.expression
                except Exception:  # the loader reports why; checks skip what does not parse
                    self._parsed[text] = None
        return self._parsed[text]


class Check:
    """A lint check: data describing it, and :meth:`run` yielding what it finds."""

    code: ClassVar[str]
    name: ClassVar[str]
    description: ClassVar[str]
    #: Whether the check needs the rule set to have loaded (it is skipped otherwise).
    needs_ruleset: ClassVar[bool] = False

    @property
    def severity(self) -> Severity:
        """``error`` or ``warning``, from the code's catalogue entry."""
        return CODES[self.code].severity

    def run(self, context: LintContext) -> Iterator[Problem]:
        """The problems this check finds."""
        raise NotImplementedError

    def problem(self, location: SourceLocation, message: str) -> Problem:
        """A problem of this check's code and severity."""
        return Problem(location, message, self.code, self.severity)
