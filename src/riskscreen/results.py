"""Findings and alerts built from what the engine decided, without validating them again.

:class:`ResultBuilder` belongs to one :class:`~riskscreen.Screener` and its rule set. A
finding's fixed fields (id, pack, severity, score, title, texts, tier) come from a rule
validated when its pack loaded, so each rule's are worked out once (on its first finding)
and copied; the values it read and its message are filled in per record. An alert's
priority, band, deadline and ``could_be`` come from the screener's settings. Both are
built with :func:`~riskscreen.construct.trusted` (tested against the validating
constructors by ``tests/test_trusted_results.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import scoring
from . import undecided as trust
from ._version import __version__
from .construct import trusted, trusted_from
from .engine.record import Record, SplitPaths, split_paths
from .models import Alert, Finding, Insufficient, Observation, PluginFailure, Priority, Provenance
from .packs.ruleset import CompiledRule, RuleSet
from .settings import Settings
from .templates import placeholders, render

__all__ = ["ResultBuilder"]

#: A rule's shared finding fields, whether its message reads only its values, and the paths
#: it reads, split once (see :func:`~riskscreen.engine.record.split_paths`).
_FindingPlan = tuple[dict[str, Any], bool, SplitPaths]


class ResultBuilder:
    """Builds one screener's findings and alerts (see the module documentation)."""

    def __init__(
        self, ruleset: RuleSet, settings: Settings, plugin_versions: Mapping[str, str], settings_digest: str
    ) -> None:
        self.ruleset = ruleset
        self.settings = settings
        self._settings_digest = settings_digest
        # what every alert's provenance names, read once (the packs and plugins are loaded)
        self._pack_versions = ruleset.pack_versions
        self._plugin_versions = dict(plugin_versions)
        #: per rule id, what each of its findings has in common (built on its first finding)
        self._finding_fields: dict[str, _FindingPlan] = {}
        #: per rule id, the packs whose overrides changed the rule
        self._override_packs: dict[str, tuple[str, ...]] = {}

    def finding(self, rule: CompiledRule, record: Record) -> Finding:
        """The finding of ``rule``, which fired on ``record``."""
        plan = self._finding_fields.get(rule.id)
        if plan is None:
            plan = self._finding_fields[rule.id] = _finding_plan(rule)
        fixed, message_reads_values, reads = plan
        values = record.present(reads)
        data = fixed.copy()
        # a message naming only values the rule read takes them from those already looked up
        data["message"] = render(rule.message, values.get if message_reads_values else record.lookup)
        data["values"] = values
        data["tags"] = list(rule.tags)
        data["references"] = list(rule.references)
        # every value comes from the loaded (validated) rule or the record: no validation again
        return trusted_from(Finding, data)

    def alert(
        self,
        observation: Observation,
        findings: list[Finding],
        insufficient: list[Insufficient],
        errors: list[PluginFailure],
        warnings: list[str] | None = None,
    ) -> Alert:
        """The alert for ``findings`` (sorted, at least one) on ``observation``."""
        warnings = warnings or []
        score = scoring.combine_scores((f.score for f in findings), self.settings.corroboration)
        band = scoring.priority_band(score, findings, self.settings)
        versions = self._pack_versions
        could_be = self.could_be(band.priority, findings, insufficient)
        # built from the screener's own settings and checked findings: no validation again
        return trusted(
            Alert,
            observation_id=observation.id,
            priority=band.priority,
            band=band.name,
            color=band.color,
            score=float(score),
            escalate_to=scoring.escalation_tier(findings),
            respond_by=scoring.respond_by(observation.reported_at, findings, band, self.settings),
            findings=list(findings),
            insufficient=list(insufficient),
            tags=sorted({t for f in findings for t in f.tags}),
            provenance=trusted(
                Provenance,
                ruleset=self.ruleset.digest,
                packs={p: versions[p] for p in sorted(self._packs_involved(findings)) if p in versions},
                plugins=dict(self._plugin_versions),
                riskscreen=__version__,
                settings=self._settings_digest,
            ),
            category=observation.category,
            kind=observation.kind,
            reported_at=observation.reported_at,
            location=observation.location,
            incomplete=bool(errors),
            plugin_errors=errors,
            could_be=could_be,
            undecided=could_be is not None,
            warnings=warnings,
        )

    def could_be(
        self, priority: Priority | None, findings: list[Finding], insufficient: list[Insufficient]
    ) -> Priority | None:
        """The priority if every undecided rule and check fired, when more urgent than ``priority``."""
        if not insufficient or priority == self.settings.bands[0].priority:
            return None  # nothing undecided, or nothing more urgent than P1
        # past this point no finding is critical (a critical finding makes the alert P1)
        scores = [f.score for f in findings]
        return trust.could_be(priority, trust.worst_case(scores, False, insufficient, self.settings))

    def _packs_involved(self, findings: list[Finding]) -> set[str]:
        """Packs of the fired rules, and packs whose overrides changed them."""
        packs = {f.pack for f in findings}
        for finding in findings:
            overriding = self._override_packs.get(finding.rule_id)
            if overriding is None:
                rule = self.ruleset.rule(finding.rule_id)  # None for a plugin check's finding
                overriding = self._override_packs[finding.rule_id] = (
                    tuple(rule.override_packs) if rule is not None else ()
                )
            packs.update(overriding)
        return packs


def _finding_plan(rule: CompiledRule) -> _FindingPlan:
    """What every finding of ``rule`` shares, and whether its message names only values it reads.

    The fields are in the model's declaration order. Places do not count as values read: an
    absent one is written as the nearest known place, which the rule may not read.
    """
    named = placeholders(rule.message)
    reads_values = all(p in rule.reads and not p.startswith("location.") for p in named)
    return (
        {
            "rule_id": rule.id,
            "pack": rule.pack,
            "severity": rule.severity,
            "score": float(rule.score),
            "title": rule.title,
            "message": "",
            "action": rule.action,
            "source": rule.source,
            "values": None,
            "escalate_to": rule.escalate_to,
            "respond_within": rule.respond_within_text,
            "tags": None,
            "references": None,
        },
        reads_values,
        split_paths(rule.reads),
    )
