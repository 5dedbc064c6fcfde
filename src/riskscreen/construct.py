"""Result models built from values the engine already checked, without validating them again.

A finding's severity, score and tier come from a rule that was validated when its pack was
loaded; an alert's priority and band from the screener's own settings. Running pydantic's
validation over them again for every finding of every record cost more than evaluating the
rules (a few microseconds per model), so the screener builds its results with
:func:`trusted`: the same public pydantic models, with the same field values, defaults and
``model_fields_set`` as the validating constructor gives for the same arguments (tested
against it by :func:`validating`), built by filling the instance's ``__dict__`` directly.

Only values riskscreen produced go through here; anything a plugin returns is validated.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

__all__ = ["trusted", "validating"]

M = TypeVar("M", bound=BaseModel)

_new = object.__new__
_set = object.__setattr__
#: Per model class: each field's name with a function giving its default (None: required).
_FIELDS: dict[type[BaseModel], tuple[tuple[str, Callable[[], Any] | None], ...]] = {}
_validate = False


def _defaults(cls: type[BaseModel]) -> tuple[tuple[str, Callable[[], Any] | None], ...]:
    fields = []
    for name, info in cls.model_fields.items():
        if info.default_factory is not None:
            factory: Callable[[], Any] | None = info.default_factory  # type: ignore[assignment]
        elif info.default is not PydanticUndefined:
            default = info.default
            factory = lambda default=default: default  # noqa: E731 - immutable defaults only
        else:
            factory = None
        fields.append((name, factory))
    result = tuple(fields)
    _FIELDS[cls] = result
    return result


def trusted(cls: type[M], **values: Any) -> M:
    """``cls(**values)`` without validation, for values riskscreen produced itself.

    Every required field must be given; absent ones get their declared defaults. Under
    :func:`validating` this *is* ``cls(**values)``, the reference the fast path is tested against.
    """
    if _validate:
        return cls(**values)
    fields = _FIELDS.get(cls) or _defaults(cls)
    data = {}
    for name, factory in fields:
        if name in values:
            data[name] = values[name]
        elif factory is not None:
            data[name] = factory()
        else:
            raise TypeError(f"{cls.__name__}: {name} is required")
    model = _new(cls)
    _set(model, "__dict__", data)
    _set(model, "__pydantic_fields_set__", set(values))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


@contextlib.contextmanager
def validating() -> Iterator[None]:
    """Within the block, :func:`trusted` validates like the models' constructors (for tests)."""
    global _validate
    saved, _validate = _validate, True
    try:
        yield
    finally:
        _validate = saved
