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
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

__all__ = ["assembled", "builder", "rebuilt", "rebuilt_from_state", "trusted", "trusted_from", "validating"]

M = TypeVar("M", bound=BaseModel)

_new = object.__new__
_set = object.__setattr__
_validate = False


class _Layout:
    """One model class's fields, worked out once: the defaults and which fields are required.

    ``template`` has every field in declaration order (so ``__dict__`` and ``repr`` keep the
    order the validating constructor gives), holding the immutable defaults; the fields
    with a default factory are filled per instance, so no two instances share a list.
    """

    __slots__ = ("factories", "names", "required", "template")

    def __init__(self, cls: type[BaseModel]) -> None:
        template: dict[str, Any] = {}
        factories: list[tuple[str, Callable[[], Any]]] = []
        required: list[str] = []
        for name, info in cls.model_fields.items():
            template[name] = None
            if info.default_factory is not None:
                factories.append((name, info.default_factory))  # type: ignore[arg-type]
            elif info.default is not PydanticUndefined:
                template[name] = info.default  # immutable defaults only (None, numbers, text)
            else:
                required.append(name)
        self.template = template
        self.factories = tuple(factories)
        self.required = frozenset(required)
        self.names = frozenset(template)


_LAYOUTS: dict[type[BaseModel], _Layout] = {}


def trusted(cls: type[M], **values: Any) -> M:
    """``cls(**values)`` without validation, for values riskscreen produced itself.

    Every required field must be given; absent ones get their declared defaults. Under
    :func:`validating` this *is* ``cls(**values)``, the reference the fast path is tested against.
    """
    return trusted_from(cls, values)


def trusted_from(cls: type[M], values: dict[str, Any]) -> M:
    """:func:`trusted` with the values in a dict: no keyword packing per call.

    A dict that names every field in the model's declaration order becomes the model's
    own ``__dict__`` (the caller gives it up); any other dict is read, not kept.
    """
    if _validate:
        return cls(**values)
    layout = _LAYOUTS.get(cls)
    if layout is None:
        layout = _LAYOUTS[cls] = _Layout(cls)
    if len(values) == len(layout.names) and values.keys() == layout.names:
        data = values
        fields_set = set(layout.names)
    else:
        given = values.keys()
        if not layout.required <= given or not layout.names >= given:
            missing = sorted(layout.required - given)
            problem = f"{missing[0]} is required" if missing else f"no fields {sorted(given - layout.names)}"
            raise TypeError(f"{cls.__name__}: {problem}")
        fields_set = set(given)
        data = layout.template.copy()
        data.update(values)
        for name, factory in layout.factories:
            if name not in fields_set:
                data[name] = factory()
    return assembled(cls, data, fields_set)


def builder(cls: type[M], given: Iterable[str] | None = None) -> Callable[[dict[str, Any]], M]:
    """A function making ``cls`` from a dict that holds every field, in declaration order.

    The cheapest way to a result model, for code that lays out the whole ``__dict__``
    itself, once per class and per set of fields given: ``given`` (by default every
    field) is what ``model_fields_set`` reports, as if only those were passed to the
    constructor and the others held their defaults. The dict is not checked (the
    caller gives it up); under :func:`validating` the layout is checked and the model is
    ``cls(**{name: data[name] for name in given})``, the reference it is tested against.
    """
    names = tuple(cls.model_fields)
    fields = frozenset(names if given is None else given)
    if not fields <= set(names):
        raise TypeError(f"{cls.__name__}: no fields {sorted(fields - set(names))}")
    ordered = tuple(name for name in names if name in fields)

    def build(data: dict[str, Any]) -> M:
        if _validate:
            if tuple(data) != names:
                raise TypeError(f"{cls.__name__}: fields {list(data)}, expected {list(names)}")
            return cls(**{name: data[name] for name in ordered})
        model = _new(cls)
        _set(model, "__dict__", data)
        _set(model, "__pydantic_fields_set__", set(fields))
        _set(model, "__pydantic_extra__", None)
        _set(model, "__pydantic_private__", None)
        return model

    build.__qualname__ = build.__name__ = f"build_{cls.__name__}"
    return build


def assembled(cls: type[M], data: dict[str, Any], fields_set: set[str]) -> M:
    """A ``cls`` instance holding ``data`` as its ``__dict__``, nothing checked (``model_construct``'s end).

    ``data`` must hold every field, valid, in declaration order; ``fields_set`` is what
    ``model_fields_set`` reports. The one place results and observations are put together.
    """
    model = _new(cls)
    _set(model, "__dict__", data)
    _set(model, "__pydantic_fields_set__", fields_set)
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


def rebuilt(cls: type[M], data: dict[str, Any], given: set[str] | None) -> M:
    """A model unpickled: ``data`` (its ``__dict__`` as pickled) and its fields set (``None``: all).

    What :meth:`riskscreen.models._Model.__reduce__` names to rebuild a model; nothing is
    validated, as pydantic's own unpickling validates nothing.
    """
    return assembled(cls, data, set(data) if given is None else given)


def rebuilt_from_state(cls: type[M], state: dict[str, Any]) -> M:
    """A model unpickled from pydantic's own state (one holding extra or private values)."""
    model = _new(cls)
    model.__setstate__(state)
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
