"""Findings and alerts built from what the engine decided, without validating them again.

:class:`ResultBuilder` belongs to one :class:`~riskscreen.Screener` and its rule set. A
finding's fixed fields (id, pack, severity, score, title, texts, tier) come from a rule
validated when its pack loaded, so each rule's are worked out once (on its first finding)
and copied; the values it read and its message are filled in per record. An alert's
priority, band, deadline and ``could_be`` come from the screener's settings. Both are
worked out as plain data (what the command line writes as JSON, :func:`encode_alert`) and
made into models with :func:`~riskscreen.construct.builder` (tested against the
validating constructors by ``tests/test_trusted_results.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from operator import itemgetter
from typing import Any

from . import scoring
from . import undecided as trust
from ._version import __version__
from .construct import builder
from .engine.record import Record, SplitPaths, split_paths
from .jsontext import dumps, indented
from .models import TIERS, Alert, Finding, Insufficient, Observation, PluginFailure, Priority, Provenance
from .packs.ruleset import CompiledRule, RuleSet
from .settings import Settings
from .templates import placeholders, render

__all__ = ["ResultBuilder", "alert_data_of", "alert_indented", "alert_json", "encode_alert"]

_finding = builder(Finding)
_provenance = builder(Provenance)
_alert = builder(Alert)

_RULE_ID = itemgetter("rule_id")
#: Combinations of fired rules whose packs a builder keeps (see ResultBuilder._packs).
_PACKS_KEPT = 4096

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
        #: per combination of rule ids fired, the versions of the packs they name
        self._packs_of: dict[tuple[str, ...], dict[str, str]] = {}

    def finding_data(self, rule: CompiledRule, record: Record) -> dict[str, Any]:
        """The fields of ``rule``'s finding on ``record`` (it fired there) as a new dict, in
        :class:`~riskscreen.models.Finding`'s order: what the model holds.

        Every value comes from the loaded (validated) rule or the record: the model is made
        of it without validation again (:meth:`alert_from`).
        """
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
        return data

    def alert_from(self, data: dict[str, Any]) -> Alert:
        """The :class:`Alert` holding :meth:`alert_data`'s ``data`` (given up to it)."""
        # built from the screener's own settings and checked findings: no validation again;
        # each dict holds all of its model's fields in order (the constructor counts all given)
        data["findings"] = list(map(_finding, data["findings"]))
        data["provenance"] = _provenance(data["provenance"])
        return _alert(data)

    def alert_data(
        self,
        observation: Observation,
        findings: list[dict[str, Any]],
        insufficient: list[Insufficient],
        errors: list[PluginFailure],
        warnings: list[str] | None = None,
    ) -> dict[str, Any]:
        """An alert's fields for ``findings`` (their data, sorted, at least one) on ``observation``.

        In :class:`Alert`'s order, the findings and the provenance as dicts: what
        :meth:`alert_from` makes the model of, and what :func:`encode_alert` writes as JSON
        without building a model at all.
        """
        settings = self.settings
        # one pass over the findings for what the alert's fields combine
        scores: list[float] = []
        critical = False
        tier = 0
        windows: list[str] = []
        tags: set[str] = set()
        tier_rank = scoring.TIER_RANK
        for f in findings:
            scores.append(f["score"])
            if f["severity"] == "critical":
                critical = True
            rank = tier_rank[f["escalate_to"]]
            if rank > tier:
                tier = rank
            if f["respond_within"]:
                windows.append(f["respond_within"])
            if f["tags"]:
                tags.update(f["tags"])
        score = scoring.combine_scores(scores, settings.corroboration)
        band = scoring.band_of(score, critical, settings)
        could_be = self.could_be(band.priority, critical, findings, insufficient)
        return {
            "observation_id": observation.id,
            "priority": band.priority,
            "band": band.name,
            "color": band.color,
            "score": float(score),
            "escalate_to": TIERS[tier],
            "respond_by": scoring.deadline(observation.reported_at, windows, band, settings),
            "findings": findings,
            "insufficient": list(insufficient),
            "tags": sorted(tags),
            "provenance": {
                "ruleset": self.ruleset.digest,
                "packs": self._packs(findings),
                "plugins": dict(self._plugin_versions),
                "riskscreen": __version__,
                "settings": self._settings_digest,
            },
            "category": observation.category,
            "kind": observation.kind,
            "reported_at": observation.reported_at,
            "location": observation.location,
            "incomplete": bool(errors),
            "plugin_errors": errors,
            "could_be": could_be,
            "undecided": could_be is not None,
            "warnings": warnings or [],
        }

    def could_be(
        self,
        priority: Priority | None,
        critical: bool,
        findings: list[dict[str, Any]],
        insufficient: list[Insufficient],
    ) -> Priority | None:
        """The priority if every undecided rule and check fired, when more urgent than ``priority``.

        ``findings`` are the findings' data; ``critical`` says whether one of them is critical.
        """
        if not insufficient or priority == self.settings.bands[0].priority:
            return None  # nothing undecided, or nothing more urgent than P1
        scores = [f["score"] for f in findings]
        return trust.could_be(priority, trust.worst_case(scores, critical, insufficient, self.settings))

    def _packs(self, findings: list[dict[str, Any]]) -> dict[str, str]:
        """The versions of the fired rules' packs and of the packs whose overrides changed them.

        Kept per combination of rules fired (the same ones fire together record after
        record); each alert gets its own copy.
        """
        key = tuple(map(_RULE_ID, findings))
        packs = self._packs_of.get(key)
        if packs is None:
            packs = self._packs_worked_out(findings)
            if len(self._packs_of) < _PACKS_KEPT:
                self._packs_of[key] = packs
        return packs.copy()

    def _packs_worked_out(self, findings: list[dict[str, Any]]) -> dict[str, str]:
        packs = {f["pack"] for f in findings}
        for finding in findings:
            rule = self.ruleset.rule(finding["rule_id"])  # None for a plugin check's finding
            if rule is not None and rule.override_packs:
                packs.update(rule.override_packs)
        versions = self._pack_versions
        return {p: versions[p] for p in sorted(packs) if p in versions}


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


def alert_data_of(alert: Alert) -> dict[str, Any]:
    """An alert model's fields as :meth:`ResultBuilder.alert_data` gives them (findings as dicts)."""
    return {**alert.__dict__, "findings": [f.__dict__ for f in alert.findings]}


def encode_alert(data: dict[str, Any]) -> str:
    """The JSON text of the alert :meth:`ResultBuilder.alert_data` describes, with no model built.

    The text of ``Alert.model_dump_json()`` for the same alert: the plain values are written
    as the alert's serializer writes them (:func:`riskscreen.jsontext.dumps`; the
    insufficient and plugin-failure models in it by their own serializers), and the location
    is left without its empty parts as the alert's own serializer leaves it (tested against
    the model on the workloads and generated records).
    """
    return alert_json(data).decode()


def alert_json(data: dict[str, Any]) -> bytes:
    """:func:`encode_alert`'s text as UTF-8, for writers that write bytes."""
    return dumps(_shown(data))


def alert_indented(data: dict[str, Any]) -> str | None:
    """The alert as ``--format json`` writes it (``json.dumps`` of ``model_dump(mode="json")``,
    indented by 2), from :meth:`ResultBuilder.alert_data`'s data; ``None`` where unsure
    (see :func:`riskscreen.jsontext.indented`): the model's form is then the one to write.
    """
    text = indented(_shown(data))
    return text.decode() if text is not None else None


def _shown(data: dict[str, Any]) -> dict[str, Any]:
    """The alert's data as its serializer shows it: the location without its empty parts,
    the undecided entries without their empty fields (what their own serializer leaves out)."""
    location = data["location"]
    shown = data.copy()
    shown["location"] = {name: value for name, value in location.__dict__.items() if value is not None}
    if data["insufficient"]:
        shown["insufficient"] = [_undecided_shown(entry) for entry in data["insufficient"]]
    return shown


def _undecided_shown(entry: Insufficient) -> Any:
    """An undecided entry as ``Insufficient``'s serializer writes it, as plain data where it can be.

    Its serializer leaves out an empty ``error``, ``severity`` and ``score`` (``rule_id`` and
    ``missing`` are never empty); a score that is not a float is left to the model.
    """
    values = entry.__dict__
    if entry.__class__ is Insufficient and values["score"].__class__ in _PLAIN_SCORES:
        return {name: value for name, value in values.items() if value is not None}
    return entry


_PLAIN_SCORES = (float, type(None))
