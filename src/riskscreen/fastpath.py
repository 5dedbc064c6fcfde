"""Validating records in one pass of pydantic-core, with the full validator's results.

The full validator (:mod:`riskscreen.validation`) checks a record in several steps:
limits in Python, the observation model, the category's attribute model, then a copy
with times in the local zone. For records it accepts, :class:`FastValidator` gets the
same observation with one call into pydantic-core: a schema derived from
:class:`~riskscreen.models.Observation`'s own fields (so the two cannot drift apart), with
the category's attribute model (or a typed dict standing for it) in place of ``attrs``, and
builds the observation from the validated values directly. Same values, same
``model_fields_set``, times in the local zone (naive ones read in the default timezone when
one is configured). Whenever the fast path fails (an invalid record, a naive time without a
default timezone, a string or nesting over the limits) it returns ``None``, and the full
validator decides, errors included.

A record still as JSON text (a :class:`~riskscreen.jsonline.JsonLine`) is parsed and
validated in the same call (``validate_json``), with the category's validator picked by
the text's first ``"category"``; the limits hold for a line no longer than the longest
string allowed and with no more brackets than the deepest nesting allowed (the usual
record). Any other line is decoded as the JSONL reader decodes it and taken as a dict.

A canary record is validated both ways when the screener is built; if the results ever
differ (a changed model, another pydantic), the fast path switches itself off.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, tzinfo
from types import UnionType
from typing import Annotated, Any, Literal, NamedTuple, Union, get_args, get_origin
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict, TypeAdapter
from pydantic_core import SchemaSerializer, SchemaValidator, core_schema
from typing_extensions import NotRequired, Required, TypedDict

from .canaries import canary_records
from .construct import assembled
from .jsonline import JsonLine, LineError
from .limits import record_within_limits
from .models import LATEST_YEAR, Observation
from .packs.categories import CategoryRegistry
from .settings import Settings

__all__ = ["FastValidator", "same_observation"]

_TIMES = ("reported_at", "occurred_at")
# fields a validated observation always counts as given (the full validator sets them)
_ALWAYS_SET = ("reported_at", "occurred_at", "attrs")
# values an attribute keeps as they are: nothing to copy, nothing to move to local time
_SCALARS = frozenset({str, int, float, bool, type(None)})
# the types an attribute model may declare for the fast path to read it as a typed dict
_LEAVES = frozenset({str, int, float, bool, type(None), datetime})
# the configuration an attribute model may have for that (anything else changes validation)
_ATTRS_CONFIG = frozenset({"extra", "allow_inf_nan", "frozen", "title"})
# what ``model_dump`` does to an unknown attribute: nested dicts and lists copied
_dump_any = SchemaSerializer(core_schema.any_schema()).to_python


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


def _schema(attrs: Any, naive: bool = False) -> TypeAdapter[Any]:
    """The observation's fields as a typed dict: ``attrs`` as given, aware times unless ``naive``."""
    fields: dict[str, Any] = {}
    for name, info in Observation.model_fields.items():
        annotation: Any = info.annotation
        if name == "attrs":
            annotation = attrs
        elif name in _TIMES:
            time = datetime if naive else AwareDatetime
            annotation = time if info.is_required() else Union[time, None]  # noqa: UP007
        if info.metadata:
            annotation = Annotated.__class_getitem__((annotation, *info.metadata))  # type: ignore[attr-defined]
        fields[name] = Required[annotation] if info.is_required() else NotRequired[annotation]
    record = TypedDict("FastRecord", fields)  # type: ignore[misc]
    record.__pydantic_config__ = ConfigDict(extra="ignore", allow_inf_nan=False)  # type: ignore[attr-defined]
    return TypeAdapter(record)


def _validator(attrs: Any, naive: bool) -> tuple[SchemaValidator, bool]:
    """pydantic-core's validator of :func:`_schema`'s fields, filling in defaults as the model does.

    It validates as a model's fields do (``model_fields_schema``): the result is the
    ``(values, None, fields given)`` triple, the given fields worked out in Rust (unknown
    top-level keys ignored, as the model ignores them). Every field a record leaves out
    gets the model's default (a fresh one from a factory), so ``values`` holds every field
    in the model's order: it is the observation's ``__dict__`` as it stands, without a
    copy. The flag says whether the schema is strict anywhere (:func:`_strict`).
    """
    schema = _schema(attrs, naive).core_schema
    parent: Any = None
    record = schema
    while record["type"] == "definitions":
        parent, record = record, record["schema"]
    if record["type"] != "typed-dict":
        raise TypeError(f"a typed dict's schema expected, not {record['type']}")
    fields: dict[str, core_schema.ModelField] = {}
    for name, field in record["fields"].items():
        info = Observation.model_fields[name]
        inner = field["schema"]
        if info.default_factory is not None:
            inner = core_schema.with_default_schema(inner, default_factory=info.default_factory)
        elif not info.is_required():
            inner = core_schema.with_default_schema(inner, default=info.default)
        fields[name] = core_schema.model_field(inner)
    whole: Any = core_schema.model_fields_schema(fields, extra_behavior="ignore")
    if parent is not None:
        parent["schema"] = whole
        whole = schema
    config: Any = dict(record.get("config", {}))
    return SchemaValidator(whole, config=config), _strict(schema) or bool(config.get("strict"))


class _Category(NamedTuple):
    """What the fast path keeps per category: the record's validator and its attributes."""

    validator: SchemaValidator
    #: the declared attributes when they are read as a typed dict (``None``: a model)
    declared: frozenset[str] | None
    #: those of them that may hold a time (moved to the local zone)
    times: tuple[str, ...]
    #: whether a JSON line of the category may be validated from its text (:meth:`FastValidator._from_line`)
    one_pass: bool


def _strict(schema: Any) -> bool:
    """Whether a core schema is strict anywhere (strict mode reads JSON text unlike Python values)."""
    if isinstance(schema, dict):
        return schema.get("strict") is True or any(_strict(value) for value in schema.values())
    if isinstance(schema, list):
        return any(_strict(item) for item in schema)
    return False


def _may_hold_time(annotation: Any) -> bool:
    """Whether a value of ``annotation`` may be a ``datetime`` itself (not in a list)."""
    if annotation is datetime:
        return True
    return get_origin(annotation) in (Union, UnionType) and datetime in get_args(annotation)


def _plain_type(annotation: Any) -> bool:
    """Whether values of ``annotation`` are scalars, times or lists of them (no models inside)."""
    if annotation in _LEAVES:
        return True
    origin = get_origin(annotation)
    if origin is Literal:
        return all(type(choice) in (str, int, bool) for choice in get_args(annotation))
    if origin in (Union, UnionType, list):
        return all(_plain_type(argument) for argument in get_args(annotation))
    return False


def _attrs_as_typed_dict(model: type[BaseModel]) -> Any:
    """The attribute model as a typed dict, or ``None`` when it cannot stand for the model.

    Validated as a typed dict, the attributes come back as the dict ``model_dump(exclude_unset=True)``
    gives, without building and dumping a model: given declared fields in declaration order,
    then unknown ones in input order. That holds only for a model of plain typed fields
    (with constraints) and nothing run in Python: no validators, serializers, aliases or
    computed fields, no typed extras, no configuration that changes validation.
    """
    decorators = model.__pydantic_decorators__
    config = model.model_config
    inner = model.__pydantic_core_schema__
    while inner.get("type") == "definitions":
        inner = inner["schema"]
    fields_schema = inner.get("schema", {}) if inner.get("type") == "model" else {}
    if (
        any(getattr(decorators, kind) for kind in decorators.__dataclass_fields__)
        or config.get("extra") != "allow"
        or not set(config) <= _ATTRS_CONFIG
        or model.__pydantic_post_init__ is not None
        or fields_schema.get("type") != "model-fields"
        or fields_schema.get("extras_schema") is not None
    ):
        return None
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        aliased = info.alias or info.validation_alias or info.serialization_alias
        if aliased or info.exclude or info.discriminator or info.validate_default:
            return None
        if not _plain_type(info.annotation):
            return None
        annotation: Any = info.annotation
        if info.metadata:
            annotation = Annotated.__class_getitem__((annotation, *info.metadata))  # type: ignore[attr-defined]
        fields[name] = Required[annotation] if info.is_required() else NotRequired[annotation]
    attrs = TypedDict(f"FastAttrs_{model.__name__}", fields)  # type: ignore[misc]
    attrs.__pydantic_config__ = ConfigDict(  # type: ignore[attr-defined]
        extra="allow", allow_inf_nan=config.get("allow_inf_nan", True)
    )
    return attrs


class FastValidator:
    """The fast path (see the module documentation); :meth:`validate` gives an observation or ``None``."""

    def __init__(self, registry: CategoryRegistry, settings: Settings, zone: tzinfo) -> None:
        self.registry = registry
        self.zone = zone
        # naive times take this zone, as in the full validator; without it they are its errors
        self.default_zone = ZoneInfo(settings.default_timezone) if settings.default_timezone else None
        self.max_text = settings.max_text_length
        self.max_depth = settings.max_depth
        self.enabled = _supported()
        self._categories: dict[str, _Category | None] = {}

    def canaries(self, count: int = 3) -> list[dict[str, Any]]:
        """Records exercising every part of the fast path, for :meth:`check` (:mod:`riskscreen.canaries`)."""
        return canary_records(self.registry, count)

    def check(self, full: Callable[[Any], Any], canaries: list[dict[str, Any]] | None = None) -> bool:
        """Compare with the full validator on ``canaries``, dicts and JSON lines; off on any difference."""
        for data in self.canaries() if canaries is None else canaries:
            expected = full(data)
            for given in (data, JsonLine(json.dumps(data, ensure_ascii=False))):
                fast = self.validate(given)
                if fast is not None and not same_observation(fast, expected):
                    self.enabled = False
        return self.enabled

    def _category(self, category: str) -> _Category | None:
        known = self._categories.get(category, False)
        if known is False:
            known = None
            if category in self.registry.attrs:
                model = self.registry.validator(category)
                try:
                    attrs = _attrs_as_typed_dict(model)
                    validator, strict = _validator(attrs or model, self.default_zone is not None)
                    declared = frozenset(model.model_fields) if attrs else None
                    times = tuple(n for n, f in model.model_fields.items() if _may_hold_time(f.annotation))
                    # JSON text validates as its decoded values only in lax mode and without a
                    # model's own code (which may tell the two apart): else it is read as a dict
                    one_pass = declared is not None and not strict
                    known = _Category(validator, declared, times, one_pass)
                except Exception:  # a model this schema cannot hold: the full validator it is
                    known = None
            self._categories[category] = known
        return known  # type: ignore[return-value]

    def validate(self, data: Any) -> Observation | None:
        """The observation the full validator would give for ``data``, or ``None`` if unsure.

        ``data`` is a record as a dict, or a :class:`~riskscreen.jsonline.JsonLine` (see
        :meth:`_from_line`); anything else is the full validator's.
        """
        if not self.enabled:
            return None
        if data.__class__ is not dict:
            return self._from_line(data) if data.__class__ is JsonLine else None
        name = data.get("category")
        category = self._category(name) if name.__class__ is str else None
        if category is None or not record_within_limits(data, self.max_text, self.max_depth):
            return None
        try:
            valid, _, given = category.validator.validate_python(data)
            attrs = data.get("attrs")
            # an unknown attribute's value is the caller's own object: copied, unless a scalar
            return self._observation(valid, given, category, attrs if attrs.__class__ is dict else {})
        except Exception:  # never raise: whatever went wrong, the full validator decides
            return None

    def _from_line(self, line: JsonLine) -> Observation | None:
        """The observation on a JSON line, parsed and validated by pydantic-core in one call.

        The limits hold for every value when the line does: no string is longer than the
        line, and no value sits inside more brackets than the line has (those in strings
        counted too). The category's validator is picked by the first ``"category": "..."``
        in the text; the record's own category must turn out to be that one (else the text
        named another first, in an attribute or some other object). A line this leaves is
        decoded as the reader decodes it, and validated as a dict.
        """
        text = line.text
        within = len(text) <= self.max_text and text.count("{") + text.count("[") <= self.max_depth
        name = line.category() if within else None
        category = self._category(name) if name is not None else None
        if category is not None and category.one_pass:
            try:
                valid, _, given = category.validator.validate_json(text)
                if valid["category"] == name:
                    return self._observation(valid, given, category, None)
            except Exception:  # an invalid record, or a value the full validator refuses
                pass
        try:
            record = line.record()
        except LineError:  # not a JSON object: the full validator's error record
            return None
        return self.validate(record)

    def _local(self, value: datetime) -> datetime:
        """``value`` in the local zone, a naive one read in the default zone (raises without one)."""
        if value.tzinfo is None:
            if self.default_zone is None:
                raise ValueError("a naive time without a default timezone: the full validator's error")
            value = value.replace(tzinfo=self.default_zone)
        local = value.astimezone(self.zone)
        if local.year >= LATEST_YEAR:
            raise ValueError("a time too late to add a deadline to: the full validator's error")
        return local

    def _observation(
        self, valid: dict[str, Any], given: set[str], category: _Category, source: dict[str, Any] | None
    ) -> Observation:
        """The observation from the validated values and the fields given (the limits checked).

        ``source`` is the record's own ``attrs`` (values passed through are copied from it),
        or ``None`` for values decoded from JSON text: nobody else holds them.
        """
        # ``valid`` holds every field in the model's order: the observation's values as they stand
        given.update(_ALWAYS_SET)
        zone = self.zone
        reported = valid["reported_at"]
        # the usual time, aware and not too late, moved here; the rest through _local
        local = reported.astimezone(zone) if reported.tzinfo is not None else None
        valid["reported_at"] = (
            local if local is not None and local.year < LATEST_YEAR else self._local(reported)
        )
        occurred = valid["occurred_at"]
        if occurred is not None:
            local = occurred.astimezone(zone) if occurred.tzinfo is not None else None
            valid["occurred_at"] = (
                local if local is not None and local.year < LATEST_YEAR else self._local(occurred)
            )
        attrs = valid["attrs"]
        declared = category.declared
        # declared attributes only, or any from JSON text (an unknown one is never a time
        # there, and nobody else holds it): pydantic-core made every value, only times move
        if declared is not None and (source is None or attrs.keys() <= declared):
            for name in category.times:
                value = attrs.get(name)
                if isinstance(value, datetime):
                    attrs[name] = self._local(value)
        else:
            valid["attrs"] = self._attrs(attrs, source)
        return assembled(Observation, valid, given)

    def _attrs(self, attrs: Any, source: dict[str, Any] | None) -> dict[str, Any]:
        """Attributes with unknown ones (or from a model): times local, nothing shared with ``source``."""
        if isinstance(attrs, BaseModel):
            attrs = attrs.model_dump(exclude_unset=True)
            source = None  # the dump holds copies already
        for name, value in attrs.items():
            if value.__class__ in _SCALARS:
                continue
            if isinstance(value, datetime):
                attrs[name] = self._local(value)
            elif source is not None and (not source or value is source.get(name)):
                # an unknown attribute passed through: a copy, as ``model_dump`` makes, so the
                # observation shares no list or dict with the caller's record
                attrs[name] = _dump_any(value)
        return attrs  # type: ignore[no-any-return]
