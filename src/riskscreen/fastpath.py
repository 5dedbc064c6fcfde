"""Validating records in one pass of pydantic-core, with the full validator's results.

The full validator (:mod:`riskscreen.validation`) checks a record in several steps:
limits in Python, the observation model, the category's attribute model, then a copy
with times in the local zone. For records it accepts, :class:`FastValidator` gets the
same observation with one call into pydantic-core: a schema derived from
:class:`~riskscreen.models.Observation`'s own fields (so the two cannot drift apart), with
the category's attribute model in place of ``attrs`` and offset-aware times, and builds the
observation from the validated values directly. Same values, same ``model_fields_set``,
times in the local zone. Whenever the fast path fails (an invalid record, a naive time,
a string or nesting over the limits) it returns ``None``, and the full validator decides,
errors included.

A canary record is validated both ways when the screener is built; if the results ever
differ (a changed model, another pydantic), the fast path switches itself off.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, tzinfo
from typing import Annotated, Any, Union

from pydantic import AwareDatetime, BaseModel, ConfigDict, TypeAdapter
from typing_extensions import NotRequired, Required, TypedDict

from .models import Observation
from .packs.categories import CategoryRegistry
from .settings import Settings

__all__ = ["FastValidator", "same_observation"]

_TIMES = ("reported_at", "occurred_at")
# values that hold no text and no nesting
_PLAIN = frozenset({int, float, bool, type(None), datetime})
_MODEL_PARTS = ("location", "reporter", "history")


def same_observation(a: Any, b: Any) -> bool:
    """Whether two observations are identical, down to which fields were given and key order."""
    if not isinstance(a, Observation) or not isinstance(b, Observation):
        return False
    parts = ("location", "reporter", "history")
    return (
        a == b
        and a.model_fields_set == b.model_fields_set
        and all(getattr(a, p).model_fields_set == getattr(b, p).model_fields_set for p in parts)
        and list(a.attrs) == list(b.attrs)
        and repr(a) == repr(b)
        and a.model_dump_json() == b.model_dump_json()
    )


def _construct(cls: type[BaseModel], values: dict[str, Any], fields_set: set[str]) -> Any:
    """A model instance from values already valid for it (what ``model_construct`` does)."""
    instance = cls.__new__(cls)
    object.__setattr__(instance, "__dict__", values)
    object.__setattr__(instance, "__pydantic_fields_set__", fields_set)
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance


def _supported() -> bool:
    """Whether the observation model is one this fast path was written for."""
    decorators = Observation.__pydantic_decorators__
    validators = set(decorators.field_validators)
    fields = set(decorators.field_validators["_require_timezone"].info.fields) if validators else set()
    return (
        validators == {"_require_timezone"}
        and fields == set(_TIMES)
        and not decorators.model_validators
        and not decorators.validators
        and Observation.model_config.get("extra") == "ignore"
    )


def _schema(attrs_model: type[BaseModel]) -> TypeAdapter[Any]:
    """The observation's fields as a typed dict: attrs by the category's model, aware times."""
    fields: dict[str, Any] = {}
    for name, info in Observation.model_fields.items():
        annotation: Any = info.annotation
        if name == "attrs":
            annotation = attrs_model
        elif name in _TIMES:
            annotation = AwareDatetime if info.is_required() else Union[AwareDatetime, None]  # noqa: UP007
        if info.metadata:
            annotation = Annotated.__class_getitem__((annotation, *info.metadata))  # type: ignore[attr-defined]
        fields[name] = Required[annotation] if info.is_required() else NotRequired[annotation]
    record = TypedDict("FastRecord", fields)  # type: ignore[misc]
    record.__pydantic_config__ = ConfigDict(extra="ignore", allow_inf_nan=False)  # type: ignore[attr-defined]
    return TypeAdapter(record)


class FastValidator:
    """The fast path (see the module documentation); :meth:`validate` gives an observation or ``None``."""

    def __init__(self, registry: CategoryRegistry, settings: Settings, zone: tzinfo) -> None:
        self.registry = registry
        self.zone = zone
        self.max_text = settings.max_text_length
        self.max_depth = settings.max_depth
        self.enabled = _supported()
        self._adapters: dict[str, Callable[[Any], Any] | None] = {}
        # a field the record leaves out gets its default (a fresh one from a factory)
        self._defaults: dict[str, tuple[Callable[[], Any] | None, Any]] = {
            name: (info.default_factory, info.default)  # type: ignore[misc]
            for name, info in Observation.model_fields.items()
            if not info.is_required()
        }

    def canaries(self, count: int = 3) -> list[dict[str, Any]]:
        """Records exercising every part of the fast path, for :meth:`check`."""
        samples = {
            "string": "东村",
            "int": 3,
            "float": 2.5,
            "bool": True,
            "datetime": "2026-07-01T08:00:00Z",
        }
        records: list[dict[str, Any]] = []
        for category in sorted(self.registry.attrs)[:count]:
            attrs: dict[str, Any] = {"unknown_extra": {"nested": [1, "x"]}}
            for name, kind in self.registry.attr_types(category).items():
                inner = kind.name[5:-1] if kind.name.startswith("list[") else None
                attrs[name] = [samples[inner]] if inner else samples[kind.name]
            records.append(
                {
                    "id": "canary-1",
                    "kind": "inspection",
                    "category": category,
                    "reported_at": "2026-07-01T09:00:00+08:00",
                    "occurred_at": "2026-06-30 23:30:00.5-02:00",
                    "location": {"village": "东村", "lat": 36, "lon": 117.25, "street": None},
                    "reporter": {"role": "citizen"},
                    "description": "canary",
                    "history": {"reports_7d": 2, "days_since_last_report": 1, "rectified_before": False},
                    "attrs": attrs,
                    "platform_metadata": {"source": "x"},
                }
            )
        if records:
            # the shapes records arrive in: empty lists, partial or empty parts, nested extras
            first = records[0]
            sparse = {
                name: [] if isinstance(value, list) else value for name, value in first["attrs"].items()
            }
            records.append(
                {
                    **first,
                    "id": "canary-2",
                    "occurred_at": None,
                    "location": {},
                    "reporter": {"id": "gw-1"},
                    "history": {"reports_30d": 0},
                    "attrs": {**sparse, "unknown_extra": {"a": [{"b": {"c": [1, 2.5, None]}}]}},
                }
            )
        return records

    def check(self, full: Callable[[Any], Any], canaries: list[dict[str, Any]] | None = None) -> bool:
        """Compare with the full validator on ``canaries``; switch off on any difference."""
        for data in self.canaries() if canaries is None else canaries:
            fast = self.validate(data)
            if fast is not None and not same_observation(fast, full(data)):
                self.enabled = False
        return self.enabled

    def _adapter(self, category: str) -> Callable[[Any], Any] | None:
        adapter = self._adapters.get(category, False)
        if adapter is False:
            adapter = None
            if category in self.registry.attrs:
                try:
                    adapter = _schema(self.registry.validator(category)).validate_python
                except Exception:  # a model this schema cannot hold: the full validator it is
                    adapter = None
            self._adapters[category] = adapter
        return adapter  # type: ignore[return-value]

    def _within_limits(self, value: Any, depth: int) -> bool:
        """The full validator's limits: no string longer, and no nesting deeper, than allowed."""
        if depth > self.max_depth:
            return False
        cls = value.__class__
        if cls is str:
            return len(value) <= self.max_text
        if cls is dict or (cls is not list and isinstance(value, Mapping)):
            value = value.values()
        elif cls is not list and not isinstance(value, (list, tuple)):
            return True
        depth += 1
        if depth > self.max_depth:  # anything inside is too deep
            return len(value) == 0
        for item in value:
            kind = item.__class__
            if kind is str:
                if len(item) > self.max_text:
                    return False
            elif kind not in _PLAIN and not self._within_limits(item, depth):
                return False
        return True

    def _record_within_limits(self, data: dict[str, Any]) -> bool:
        """:meth:`_within_limits` for a whole record, quick on the usual two flat levels."""
        longest = self.max_text
        for value in data.values():
            cls = value.__class__
            if cls is str:
                if len(value) > longest:
                    return False
            elif cls is dict:
                for item in value.values():
                    kind = item.__class__
                    if kind is str:
                        if len(item) > longest:
                            return False
                    elif kind not in _PLAIN and not self._within_limits(item, 2):
                        return False
            elif cls not in _PLAIN and not self._within_limits(value, 1):
                return False
        return True

    def validate(self, data: Any) -> Observation | None:
        """The observation the full validator would give for ``data``, or ``None`` if unsure."""
        if not self.enabled or data.__class__ is not dict:
            return None
        category = data.get("category")
        adapter = self._adapter(category) if category.__class__ is str else None
        if adapter is None or not self._record_within_limits(data):
            return None
        try:
            valid = adapter(data)
        except Exception:
            return None
        try:
            return self._observation(data, valid)
        except Exception:  # never raise: whatever went wrong, the full validator decides
            return None

    def _observation(self, data: dict[str, Any], valid: dict[str, Any]) -> Observation | None:
        zone = self.zone
        values: dict[str, Any] = {}
        for name, (factory, default) in self._defaults.items():
            if name not in valid:
                valid[name] = factory() if factory is not None else default
        for name in Observation.model_fields:
            values[name] = valid[name]
        values["reported_at"] = values["reported_at"].astimezone(zone)
        if values["occurred_at"] is not None:
            values["occurred_at"] = values["occurred_at"].astimezone(zone)
        attrs = values["attrs"]
        if isinstance(attrs, BaseModel):
            dumped: dict[str, Any] = attrs.model_dump(exclude_unset=True)
            for name, value in dumped.items():
                if isinstance(value, datetime):
                    if value.tzinfo is None:  # a default timezone, or an error: the full validator
                        return None
                    dumped[name] = value.astimezone(zone)
            values["attrs"] = dumped
        fields_set = {name for name in data if name in values}
        fields_set.update(("reported_at", "occurred_at", "attrs"))
        return _construct(Observation, values, fields_set)  # type: ignore[no-any-return]
