"""The :class:`Screener`: observations in, prioritized alerts out.

It ties the pieces together: validation (pydantic, with the category's attribute types),
enrichment (``derived.*``), the candidate rules of the observation's category, their
evaluation, and scoring. A Screener is immutable after construction and safe to share
between threads.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from . import scoring
from . import undecided as trust
from ._paths import builtin_rules_dir
from .batch import BatchCollector
from .canaries import checked_once
from .construct import builder
from .derived_inputs import MissingInputs
from .engine.evaluator import Evaluator
from .engine.plan import RuleIndex
from .engine.record import MissingValueError, Record
from .enrich import derived_at, event_time
from .fastpath import FastValidator
from .heldresults import held_results
from .insufficient import UndecidedEntries
from .jsonline import JsonLine
from .laws.reference import reference_text
from .models import (
    DEFAULT_SCORES,
    BatchResult,
    ErrorRecord,
    Finding,
    Insufficient,
    Observation,
    PluginFailure,
    ScreenResult,
)
from .packs.cache import load_cached, load_ruleset
from .packs.ruleset import CompiledRule, RuleSet
from .parallel import map_in_processes, map_records
from .plugin_api import CheckFinding, CheckUndecided
from .plugins import PluginHost, build_plugin_manager
from .results import ResultBuilder
from .settings import Settings
from .spec import ScreenerSpec
from .steps import Decided, Fired, Results, screen_in_steps
from .validation import RecordValidator, UnreadableRecord

__all__ = ["Screener", "UnreadableRecord"]

# result models laid out here in full, each with the fields the validating constructor
# would count as given (tests/test_trusted_results.py holds them to it)
_no_alert = builder(ScreenResult, set(ScreenResult.model_fields) - {"alert", "error"})
_alerting = builder(ScreenResult, set(ScreenResult.model_fields) - {"error"})
_finding = builder(Finding)


# a JsonLine is a record still as text: validated in one pass (see riskscreen.jsonline)
RecordInput = Mapping[str, Any] | Observation | UnreadableRecord | JsonLine


class Screener:
    """Screens observations with a loaded rule set.

    ``Screener(["my_packs/"])`` loads the shipped packs plus ``my_packs``;
    ``builtin=False`` leaves the shipped packs out. Loading raises
    :class:`~riskscreen.errors.RuleLoadError` listing every problem; nothing is half-loaded.
    Rule expressions are compiled to Python (:class:`~riskscreen.engine.compiler.Compiler`);
    ``evaluator=Interpreter()`` (from :mod:`riskscreen.engine.evaluator`) evaluates them with
    rule-engine's interpreter instead, with the same results.
    """

    def __init__(
        self,
        rules: Iterable[str | os.PathLike[str]] = (),
        *,
        builtin: bool = True,
        settings: Settings | None = None,
        evaluator: Evaluator | None = None,
        plugins: Iterable[object] = (),
        disable_plugins: Iterable[str] = (),
    ) -> None:
        rules, plugins, disable_plugins = list(rules), tuple(plugins), tuple(disable_plugins)
        #: every constructor argument: what a worker process builds the same screener from
        self.spec = ScreenerSpec(
            rules=tuple(rules),
            builtin=builtin,
            settings=settings,
            evaluator=evaluator,
            plugins=plugins,
            disable_plugins=disable_plugins,
        )
        self.settings = settings or Settings()
        self._zone: tzinfo = ZoneInfo(self.settings.local_timezone)
        # builtin=False means "only these packs": no shipped packs and no installed plugins;
        # plugin objects passed in explicitly are still registered.
        manager = build_plugin_manager(load_entrypoints=builtin, disable=disable_plugins, extra=plugins)
        self.plugin_host = PluginHost(
            manager,
            self.settings.plugins,
            time_budget=self.settings.plugin_time_budget,
            watchdog=self.settings.plugin_watchdog,
        )
        setup = self.plugin_host.setup(with_packs=builtin)
        self.checks = setup.checks
        # what to collect when a rule lacks a derived value: the fields it is computed from
        self.missing_inputs = MissingInputs(setup.derived_inputs)
        self._undecided = UndecidedEntries(self.missing_inputs, self.checks)
        paths: list[str | os.PathLike[str]] = [builtin_rules_dir(), *setup.pack_paths] if builtin else []
        paths.extend(rules)
        # an identical earlier load (same files, plugins and versions) comes from the cache
        self.ruleset: RuleSet = load_cached(
            load_ruleset,
            paths,
            timezone=self._zone,
            derived=setup.derived,
            evaluator=evaluator,
            plugin_declarations=setup.declarations,
            plugin_models=setup.models,
            functions=setup.functions,
            plugins=self.plugin_host.versions,
            problems=self.plugin_host.problems,
        )
        self._settings_digest = self.settings.digest()
        self._night = (self.settings.night_start_hour, self.settings.night_end_hour)
        self._validator = RecordValidator(self.ruleset.registry, self.settings, self._zone)
        # well-formed records skip straight to the observation the full validator would give
        self._fast = FastValidator(self.ruleset.registry, self.settings, self._zone)
        # compared with the full validator on canary records, or the verdict an identical
        # earlier screener left in the cache
        checked_once(
            self._fast, self._validator.validate, ruleset=self.ruleset.digest, settings=self._settings_digest
        )
        self._index = RuleIndex(self.ruleset.candidates)
        # declared attribute names per category, for the unknown-attribute warnings
        self._declared = {c: frozenset(names) for c, names in self.ruleset.registry.attrs.items()}
        # findings and alerts, built without validating them again
        self._results = ResultBuilder(
            self.ruleset, self.settings, self.plugin_host.versions, self._settings_digest
        )

    @property
    def rule_ids(self) -> frozenset[str]:
        """Ids of every loaded rule and every declared plugin check."""
        return frozenset(r.id for r in self.ruleset.rules) | {check.id for _, check in self.checks}

    # -- validation -------------------------------------------------------------------

    def validate(self, data: RecordInput, index: int = 0) -> Observation | ErrorRecord:
        """An observation with typed, normalised attributes, or the error record for it."""
        observation = self._fast.validate(data)
        return observation if observation is not None else self._validator.validate(data, index)

    # -- evaluation -------------------------------------------------------------------

    def record_for(self, observation: Observation, errors: list[PluginFailure] | None = None) -> Record:
        """The values rules read for a validated observation: its fields and every ``derived.*`` field.

        Plugin enrichment runs here; its failures are appended to ``errors`` when given.
        Explanations use it so that they read exactly what screening read.
        """
        return self._view(observation, errors if errors is not None else [])[0]

    def _view(self, observation: Observation, errors: list[PluginFailure]) -> tuple[Record, date]:
        """:meth:`record_for`, and the event's local date (the event time is worked out once)."""
        when = event_time(observation, self._zone)
        day = when.date()
        derived = derived_at(observation, day, when.hour, self._night)
        self.plugin_host.enrich(observation, derived, errors)
        record = Record(
            {
                "id": observation.id,
                "kind": observation.kind,
                "category": observation.category,
                "reported_at": observation.reported_at,
                "occurred_at": observation.occurred_at,
                "description": observation.description,
                "status": observation.status,
                # what model_dump() gives for these flat models, without its cost
                "location": dict(observation.location.__dict__),
                "reporter": dict(observation.reporter.__dict__),
                # absent history reads as "no earlier reports known" (see riskscreen.undecided)
                "history": trust.known_history(observation.history),
                "attrs": observation.attrs,
                "derived": derived,
            }
        )
        return record, day

    def applicable_rules(self, observation: Observation) -> list[CompiledRule]:
        """Enabled rules for the category that hold on the event's local date and location."""
        day: date = event_time(observation, self._zone).date()
        return list(self._index.applicable(observation.category, day, observation.location))

    def evaluate(self, observation: Observation) -> tuple[list[Finding], list[Insufficient]]:
        """Findings and undecidable rules for a validated observation.

        History the observation does not carry reads as "no earlier reports known"
        (see :func:`riskscreen.undecided.known_history`).
        """
        findings, insufficient, _ = self._evaluate(observation)
        return list(map(_finding, findings)), insufficient

    def _evaluate(
        self, observation: Observation
    ) -> tuple[list[dict[str, Any]], list[Insufficient], list[PluginFailure]]:
        """The findings' data (:meth:`ResultBuilder.finding_data`), undecided rules, plugin failures."""
        return self._settled(observation, self._fired(observation))

    def _fired(self, observation: Observation) -> Fired:
        """The record view, and each applicable rule that fired or could not be decided."""
        errors: list[PluginFailure] = []
        record, day = self._view(observation, errors)
        # the index resolves validity and jurisdiction, then runs the rules fused into one function
        return record, self._index.evaluate(observation.category, day, observation.location, record), errors

    def _settled(
        self, observation: Observation, fired: Fired
    ) -> tuple[list[dict[str, Any]], list[Insufficient], list[PluginFailure]]:
        """:meth:`_evaluate` from what :meth:`_fired` found: findings, settled undecided rules, checks."""
        record, outcomes, errors = fired
        findings: list[dict[str, Any]] = []
        insufficient: list[Insufficient] = []
        finding_data = self._results.finding_data
        for rule, failure in outcomes:
            if failure is None:
                findings.append(finding_data(rule, record))
            elif isinstance(failure, MissingValueError):
                if not rule.cannot_fire(record):  # else settled: `a and false` cannot fire
                    insufficient.append(self._undecided.lacking(rule, failure, record))
            else:  # a failing rule must not take the record down
                # it stays undecided, and counts towards could_be like a rule lacking a value
                insufficient.append(self._undecided.failed(rule, failure))
        if self.plugin_host.has_checks:
            # plugins are shown the rules' findings as models (copies: the data stays the screener's)
            shown = tuple(_finding(dict(f)) for f in findings)
            for plugin, found in self.plugin_host.check(observation, record, errors, shown):
                if isinstance(found, CheckUndecided):
                    insufficient.append(self._undecided.check(found, record))
                else:
                    findings.append(dict(_check_finding(plugin, found).__dict__))
        findings.sort(key=scoring.finding_data_sort_key)
        return findings, insufficient, errors

    def _unknown_attributes(self, observation: Observation) -> list[tuple[str, str]]:
        """Each ``attrs`` key the observation's category does not declare, with a did-you-mean."""
        declared = self._declared.get(observation.category, frozenset())
        if declared.issuperset(observation.attrs):
            return []
        return trust.unknown_attributes(observation.attrs, declared, observation.category)

    # -- public entry points ------------------------------------------------------------

    def screen(self, data: RecordInput, index: int = 0) -> ScreenResult:
        """Screen one record: an alert, no alert, or an error record; never an exception for bad input."""
        return self._screened(self.validate(data, index), index)

    def _screened(self, observation: Observation | ErrorRecord, index: int) -> ScreenResult:
        """The result for what :meth:`validate` gave for record ``index``."""
        if isinstance(observation, ErrorRecord):
            return ScreenResult(index=index, observation_id=observation.id, status="error", error=observation)
        return self.screen_validated(observation, index)

    def screen_validated(self, observation: Observation, index: int = 0) -> ScreenResult:
        """Screen an observation :meth:`validate` returned, without validating it again.

        For callers that need the validated observation before screening it (the history
        store reads its site to compute its ``history``); everyone else calls :meth:`screen`.
        """
        return self._result(observation, index, self._outcome(observation, index))

    def _result(
        self, observation: Observation, index: int, outcome: ScreenResult | dict[str, Any]
    ) -> ScreenResult:
        """The :class:`ScreenResult` of :meth:`_outcome`'s ``outcome``: an alert's data made into models."""
        if isinstance(outcome, ScreenResult):
            return outcome
        alert = self._results.alert_from(outcome)
        return _alerting(
            {
                "index": index,
                "observation_id": observation.id,
                "status": "alert",
                "alert": alert,
                "insufficient": alert.insufficient,
                "error": None,
                "incomplete": alert.incomplete,
                "plugin_errors": alert.plugin_errors,
                "could_be": alert.could_be,
                "undecided": alert.undecided,
                "warnings": alert.warnings,
            }
        )

    def screen_plain(self, data: RecordInput, index: int = 0) -> ScreenResult | dict[str, Any]:
        """:meth:`screen`, with an alert given as its plain data instead of a :class:`ScreenResult`.

        The data is the :class:`~riskscreen.models.Alert`'s fields in its order, findings
        and provenance as dicts, for writers that encode the alert straight away
        (:func:`riskscreen.results.encode_alert` writes ``Alert.model_dump_json()``'s text);
        the result's own fields (``insufficient``, ``could_be``, ``warnings``…) are the
        alert's. No-alert and error results come as the :class:`ScreenResult` :meth:`screen`
        gives.
        """
        observation = self.validate(data, index)
        if isinstance(observation, ErrorRecord):
            return ScreenResult(index=index, observation_id=observation.id, status="error", error=observation)
        return self._outcome(observation, index)

    def _outcome(self, observation: Observation, index: int) -> ScreenResult | dict[str, Any]:
        """The no-alert or error result for ``observation``, or its alert's data."""
        decided = self._decided(observation, index)
        return decided if isinstance(decided, ScreenResult) else self._concluded(observation, index, decided)

    def _decided(self, observation: Observation, index: int) -> ScreenResult | Decided:
        """The rules' half of :meth:`_outcome`: what they found, or the error result of ``--strict``."""
        checked = self._checked(observation, index)
        return checked if isinstance(checked, ScreenResult) else self._found(observation, checked)

    def _checked(self, observation: Observation, index: int) -> ScreenResult | tuple[list[str], Fired]:
        """The unknown attributes' warnings and the rules run (:meth:`_fired`), or ``--strict``'s error."""
        unknown = self._unknown_attributes(observation)
        if unknown and self.settings.strict:
            error = trust.unknown_attribute_error(unknown, index, observation.id)
            return ScreenResult(index=index, observation_id=observation.id, status="error", error=error)
        return [f"{where}: {message}" for where, message in unknown], self._fired(observation)

    def _found(self, observation: Observation, checked: tuple[list[str], Fired]) -> Decided:
        """:meth:`_decided` from what :meth:`_checked` gave."""
        warnings, fired = checked
        findings, insufficient, errors = self._settled(observation, fired)
        return findings, insufficient, errors, warnings

    def _concluded(
        self, observation: Observation, index: int, decided: Decided
    ) -> ScreenResult | dict[str, Any]:
        """The results' half of :meth:`_outcome`: the no-alert result, or the alert's data."""
        findings, insufficient, errors, warnings = decided
        if findings:
            return self._results.alert_data(observation, findings, insufficient, errors, warnings)
        could_be = self._results.could_be(None, False, findings, insufficient)
        return _no_alert(
            {
                "index": index,
                "observation_id": observation.id,
                "status": "no_alert",
                "alert": None,
                "insufficient": insufficient,
                "error": None,
                "incomplete": bool(errors),
                "plugin_errors": errors,
                "could_be": could_be,
                "undecided": could_be is not None,
                "warnings": warnings,
            }
        )

    def iter_screen(self, records: Iterable[RecordInput], *, jobs: int = 1) -> Iterator[ScreenResult]:
        """One result per record, in input order, holding nothing back: memory stays bounded.

        ``jobs`` > 1 screens large inputs in that many processes (``jobs - 1`` workers, and
        this one whenever it would wait for them), with the same
        results in the same order (see :mod:`riskscreen.parallel`); the workers are forked
        with this screener when every plugin is one riskscreen ships, this process runs no
        other thread and the system is Linux, and are started fresh otherwise. A screener
        fresh workers could not rebuild raises :class:`~riskscreen.spec.NotPortableError`
        here, before any record is read.

        Records in a list or tuple are screened 16 at a time, a step at a time (validation,
        rules, findings, results), which keeps each step's code in the processor's caches:
        about a quarter faster, with the same results (:mod:`riskscreen.steps`). Records
        from any other iterable are read one at a time, so that a slow source (a queue, a
        pipe) never has its results held back.
        """
        if jobs > 1:
            # chunks screened a step at a time; workers forked only when every plugin is one
            # riskscreen ships (one from elsewhere may hold an open connection), and where
            # riskscreen.parallel finds it safe
            fork = self.plugin_host.shipped_only
            return map_in_processes(self, self.spec, records, jobs, Results(), fork=fork)
        if records.__class__ is list or records.__class__ is tuple:
            return screen_in_steps(self, records)
        return (self.screen(data, index) for index, data in enumerate(records))

    def screen_many(self, records: Iterable[RecordInput], *, jobs: int = 1) -> BatchResult:
        """Sorted alerts, error records and warnings for a batch; the summary counts every record.

        ``jobs`` > 1 uses that many processes, this one included, for large batches; the
        result is the same.
        """
        collector = BatchCollector()
        # nothing is streamed: records are screened a chunk at a time, category by category
        # and a step at a time (see riskscreen.parallel and riskscreen.steps)
        results = map_records(self, self.spec, records, jobs, Results(), fork=self.plugin_host.shipped_only)
        # the alerts held are kept away from the cyclic collector until the batch is done
        with held_results() as held:
            for result in results:
                collector.add(result)
                held()
        return collector.result()


def _check_finding(plugin: str, found: CheckFinding) -> Finding:
    """A plugin check's finding, with the plugin named as its pack and source."""
    return Finding(
        rule_id=found.rule_id,
        pack=plugin,
        severity=found.severity,
        score=found.score if found.score is not None else DEFAULT_SCORES[found.severity],
        title=found.title,
        message=found.message,
        action=found.action,
        source=f"plugin:{plugin}",
        values=found.values,
        escalate_to=found.escalate_to,
        respond_within=found.respond_within,
        tags=found.tags,
        # plugins write references as they like; alerts show every one in the display form
        references=[reference_text(r) for r in found.references],
    )


def __getattr__(name: str) -> Any:
    if name == "InvalidInput":  # the earlier name of UnreadableRecord: validation warns
        from . import validation

        return getattr(validation, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
