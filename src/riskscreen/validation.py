"""Turning untrusted input into validated observations, or error records that say why.

Records come from citizens and field devices: every failure here becomes an
:class:`~riskscreen.models.ErrorRecord` naming the record and the field, never an
exception, and limits on text length and nesting keep one hostile record from costing
more than it should.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError

from .i18n import text
from .jsonline import JsonLine, LineError
from .limits import record_within_limits
from .models import LATEST_YEAR, ErrorRecord, Observation
from .packs.categories import CategoryRegistry
from .pydantic_text import pydantic_message
from .settings import Settings

__all__ = ["RecordValidator", "UnreadableRecord", "read_line"]


class UnreadableRecord:
    """A record that could not even be read (bad JSON line, broken CSV row).

    Readers pass these through so that the record is still counted and reported.
    """

    __slots__ = ("field", "id", "message")

    def __init__(self, message: str, *, field: str = "", id: str | None = None) -> None:
        self.message = message
        self.field = field
        self.id = id


def read_line(data: Any) -> Any:
    """``data`` as the JSONL reader gives it: a :class:`JsonLine` decoded, anything else as it is.

    A line's record is a dict; a line without one is the reader's :class:`UnreadableRecord`
    for it (same message). For code that needs the record itself, not just its screening.
    """
    if isinstance(data, JsonLine):
        try:
            return data.record()
        except LineError as exc:
            return UnreadableRecord(str(exc))
    return data


class _InvalidFieldsError(Exception):
    """Field-level problems with one record, as (dotted field, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(errors)
        self.errors = errors


class RecordValidator:
    """Validates records against the observation model and the categories' attribute types."""

    def __init__(self, registry: CategoryRegistry, settings: Settings, zone: tzinfo) -> None:
        self.registry = registry
        self.settings = settings
        self.zone = zone
        self.context = {"default_timezone": settings.default_timezone}

    def validate(self, data: Any, index: int = 0) -> Observation | ErrorRecord:
        """An observation with typed attributes and times in local time, or its error record."""
        data = read_line(data)
        if isinstance(data, UnreadableRecord):
            return ErrorRecord(index=index, id=data.id, field=data.field, message=data.message)
        if isinstance(data, Observation):
            record_id: str | None = data.id
        elif isinstance(data, Mapping):
            raw_id = data.get("id")
            record_id = raw_id if isinstance(raw_id, str) else None
        else:
            return ErrorRecord(
                index=index, id=None, field="", message=text("record.not_object", kind=type(data).__name__)
            )
        try:
            if isinstance(data, Mapping):
                self._check_limits(data)
                observation = Observation.model_validate(data, context=self.context)
            else:
                observation = data
            self._check_category(observation.category)
            attrs = self._validate_attrs(observation)
        except ValidationError as exc:
            return _error_record(_field_errors(exc), index, record_id)
        except _InvalidFieldsError as exc:
            return _error_record(exc.errors, index, record_id)
        try:
            reported = self._local(observation.reported_at, "reported_at")
            occurred = (
                self._local(observation.occurred_at, "occurred_at") if observation.occurred_at else None
            )
        except _InvalidFieldsError as exc:
            return _error_record(exc.errors, index, record_id)
        return observation.model_copy(
            update={"reported_at": reported, "occurred_at": occurred, "attrs": attrs}
        )

    def _local(self, value: datetime, field: str) -> datetime:
        """``value`` in the local zone; a time at the edge of the calendar is an error, not a crash."""
        try:
            local = value.astimezone(self.zone)
        except (OverflowError, ValueError):
            raise _InvalidFieldsError([(field, text("record.time_range"))]) from None
        if local.year >= LATEST_YEAR:
            # a deadline is added to it: the calendar must have room left after it
            raise _InvalidFieldsError([(field, text("record.time_range"))])
        return local

    def _check_limits(self, data: Mapping[str, Any]) -> None:
        """Reject text longer, or nesting deeper, than the settings allow (before pydantic sees it)."""
        limit_text, limit_depth = self.settings.max_text_length, self.settings.max_depth
        # the usual case, answered without building every value's path
        if not record_within_limits(data, limit_text, limit_depth):
            self._first_over_limits(data)

    def _first_over_limits(self, data: Mapping[str, Any]) -> None:
        """Raise for the first value over the limits, named by its dotted path."""
        limit_text, limit_depth = self.settings.max_text_length, self.settings.max_depth
        stack: list[tuple[Any, str, int]] = [(data, "", 0)]
        while stack:
            value, path, depth = stack.pop()
            if depth > limit_depth:
                raise _InvalidFieldsError([(path, text("record.too_deep", limit=limit_depth))])
            if isinstance(value, str):
                if len(value) > limit_text:
                    raise _InvalidFieldsError(
                        [(path, text("record.too_long", limit=limit_text, length=len(value)))]
                    )
            elif isinstance(value, Mapping):
                stack.extend((v, f"{path}.{k}" if path else str(k), depth + 1) for k, v in value.items())
            elif isinstance(value, (list, tuple)):
                stack.extend((v, f"{path}.{i}", depth + 1) for i, v in enumerate(value))

    def _check_category(self, category: str) -> None:
        if category not in self.registry.attrs:
            close = difflib.get_close_matches(category, self.registry.names, n=1)
            hint = text("record.did_you_mean", name=close[0]) if close else ""
            raise _InvalidFieldsError(
                [("category", text("record.unknown_category", category=category, hint=hint))]
            )

    def _validate_attrs(self, observation: Observation) -> dict[str, Any]:
        model: type[BaseModel] = self.registry.validator(observation.category)
        try:
            checked = model.model_validate(observation.attrs)
        except ValidationError as exc:
            raise _InvalidFieldsError(_field_errors(exc, "attrs")) from None
        attrs = checked.model_dump(exclude_unset=True)
        for name, value in attrs.items():
            if isinstance(value, datetime):
                attrs[name] = self._aware(value, f"attrs.{name}")
        return attrs

    def _aware(self, value: datetime, field: str) -> datetime:
        if value.tzinfo is None:
            if self.settings.default_timezone is None:
                raise _InvalidFieldsError([(field, text("record.no_timezone"))])
            value = value.replace(tzinfo=ZoneInfo(self.settings.default_timezone))
        return self._local(value, field)


def _field_errors(exc: ValidationError, prefix: str = "") -> list[tuple[str, str]]:
    pairs = []
    for error in exc.errors():
        loc = [prefix, *map(str, error["loc"])] if prefix else [str(p) for p in error["loc"]]
        pairs.append((".".join(loc), pydantic_message(error)))
    return pairs or [("", str(exc))]


def _error_record(errors: list[tuple[str, str]], index: int, record_id: str | None) -> ErrorRecord:
    """One error record naming the first bad field and describing all of them."""
    if len(errors) == 1:
        message = errors[0][1]
    else:
        whole = text("record.whole")
        parts = (text("record.fields", field=field or whole, message=m) for field, m in errors)
        message = text("record.join").join(parts)
    return ErrorRecord(index=index, id=record_id, field=errors[0][0], message=message)


def __getattr__(name: str) -> Any:
    # the earlier name of UnreadableRecord, kept working (only exceptions end in ``Error``)
    if name == "InvalidInput":
        import warnings

        warnings.warn(
            "riskscreen.validation.InvalidInput is deprecated; use UnreadableRecord",
            DeprecationWarning,
            stacklevel=2,
        )
        return UnreadableRecord
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
