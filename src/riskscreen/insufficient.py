"""The *insufficient evidence* entries of a result: one per rule or plugin check left undecided.

A rule that read a value the observation lacks names the observation fields to collect
(derived fields replaced by the fields they are computed from,
:class:`~riskscreen.derived_inputs.MissingInputs`); a rule whose evaluation failed says
why; a plugin check that could not decide names what it lacked. Each entry also says what
the rule or check would add if it fired, for ``could_be``.

The entries for rules are the common case (several per record on real data), so they are
built without validation (:func:`~riskscreen.construct.builder`): every value comes from a
rule checked when its pack was loaded and from the record.
"""

from __future__ import annotations

from collections.abc import Sequence

from .construct import builder
from .derived_inputs import MissingInputs
from .engine.record import MissingValueError, Record, SplitPaths, split_paths
from .models import DEFAULT_SCORES, Insufficient
from .packs.ruleset import CompiledRule
from .plugin_api import CheckInfo, CheckUndecided

__all__ = ["UndecidedEntries", "failure_text"]

# the fields the validating constructor counts as given for a rule lacking a value
_lacking = builder(Insufficient, ("rule_id", "missing", "severity", "score"))


class UndecidedEntries:
    """Builds one screener's :class:`~riskscreen.models.Insufficient` entries.

    ``checks`` are the declared plugin checks, as ``(plugin, info)`` pairs: an undecided
    check that does not say its severity or score takes its declaration's.
    """

    def __init__(self, missing_inputs: MissingInputs, checks: Sequence[tuple[str, CheckInfo]]) -> None:
        self.missing_inputs = missing_inputs
        self.checks = checks
        #: per rule id, the paths it reads (split once), and whether one of them is derived
        self._reads: dict[str, tuple[SplitPaths, bool]] = {}

    def lacking(self, rule: CompiledRule, missing: MissingValueError, record: Record) -> Insufficient:
        """``rule``'s entry when it read a value ``record`` lacks (``missing`` names the first one).

        It names every value the rule reads that the record lacks, as observation fields.
        """
        known = self._reads.get(rule.id)
        if known is None:
            unique = tuple(dict.fromkeys(rule.reads))
            known = self._reads[rule.id] = (
                split_paths(unique),
                any(p.startswith("derived.") for p in unique),
            )
        reads, derived = known
        paths = record.absent(reads)
        if not paths:  # a value read some other way: the path it stopped at
            paths, derived = [missing.path], True
        return _lacking(
            {
                "rule_id": rule.id,
                # the paths it reads are observation fields already, unless one is derived
                "missing": self.missing_inputs.observed(paths, record) if derived else paths,
                "error": None,
                "severity": rule.severity,
                "score": float(rule.score),
            }
        )

    def failed(self, rule: CompiledRule, exc: BaseException) -> Insufficient:
        """``rule``'s entry when its evaluation raised ``exc``: undecided, counted for ``could_be``."""
        return Insufficient(
            rule_id=rule.id, missing=[], error=failure_text(exc), severity=rule.severity, score=rule.score
        )

    def check(self, undecided: CheckUndecided, record: Record) -> Insufficient:
        """A plugin check's undecided result, with what it would add taken from its declaration."""
        declared = next((info for _, info in self.checks if info.id == undecided.check_id), None)
        severity = undecided.severity or (declared.severity if declared else None)
        score = undecided.score
        if score is None and severity is not None:
            score = DEFAULT_SCORES[severity]
        return Insufficient(
            rule_id=undecided.check_id,
            missing=self.missing_inputs.observed(undecided.missing, record),
            severity=severity,
            score=score,
        )


def failure_text(exc: BaseException) -> str:
    """Why a rule could not be evaluated, including the cause a function call raised."""
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    cause = getattr(exc, "error", None)  # rule-engine's FunctionCallError keeps the original
    return f"{message}: {type(cause).__name__}: {cause}" if isinstance(cause, BaseException) else str(message)
