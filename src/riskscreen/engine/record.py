"""The read-only view of one observation that rule expressions evaluate against.

A value the observation does not have raises :class:`MissingValueError` the moment a rule
reads it; the evaluator turns that into an *insufficient* outcome, so a missing value is
never mistaken for a false one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["MissingValueError", "ObjectView", "Record", "SplitPaths", "read_attribute", "split_paths"]


class MissingValueError(Exception):
    """A rule read ``path``, which the observation does not have (absent or null).

    Deliberately not a ``KeyError``/``AttributeError``: rule-engine turns those into its
    own errors, and this one has to reach the evaluator unchanged.
    """

    # no __init__ of its own: rules raise this often, and the built-in one is much cheaper

    @property
    def path(self) -> str:
        """The dotted path that was read and found missing."""
        return str(self.args[0])


class ObjectView:
    """A typed object (``attrs``, ``location``, ...) seen by rule expressions."""

    __slots__ = ("data", "prefix")

    def __init__(self, data: Mapping[str, Any], prefix: str) -> None:
        self.data = data
        self.prefix = prefix

    def __repr__(self) -> str:
        return f"ObjectView({self.prefix})"


def read_attribute(view: ObjectView, name: str) -> Any:
    """rule-engine's accessor for our object types: present values, or :class:`MissingValueError`."""
    value = view.data.get(name)
    if value is None:
        raise MissingValueError(f"{view.prefix}.{name}")
    if isinstance(value, Mapping):
        return ObjectView(value, f"{view.prefix}.{name}")
    return value


#: Dotted paths already split (rules read the same few paths over and over).
_PARTS: dict[str, tuple[str, ...]] = {}


class Record:
    """Top-level symbols of one observation, with ``attrs``/``location``/... as views.

    ``memo`` belongs to compiled predicates: values they have already read and converted
    for this record (and macro results), so rules that read the same value share the work.
    A record is therefore read-only once it has been evaluated.
    """

    __slots__ = ("memo", "symbols")

    def __init__(self, symbols: Mapping[str, Any]) -> None:
        self.symbols = symbols
        self.memo: dict[Any, Any] = {}

    def get(self, name: str) -> Any:
        """The value of a top-level symbol, or :class:`MissingValueError`."""
        value = self.symbols.get(name)
        if value is None:
            raise MissingValueError(name)
        if isinstance(value, Mapping):
            return ObjectView(value, name)
        return value

    def lookup(self, path: str) -> Any:
        """The value at a dotted path, or ``None`` when any part of it is absent."""
        parts = _PARTS.get(path)
        if parts is None:
            parts = tuple(path.split("."))
            if len(_PARTS) < 4096:
                _PARTS[path] = parts
        value: Any = self.symbols.get(parts[0])
        for part in parts[1:]:
            if value.__class__ is not dict and not isinstance(value, Mapping):
                return None
            value = value.get(part)
        return value

    def is_missing(self, path: str) -> bool:
        """Whether a rule reading ``path`` would find nothing."""
        return self.lookup(path) is None

    def present(self, paths: SplitPaths) -> dict[str, Any]:
        """``{path: value}`` for each of ``paths`` the record has: :meth:`lookup`, path by path.

        The paths come from :func:`split_paths`, done once per rule: the one- and two-part
        paths rules read are looked up here without splitting them or a call per path.
        """
        lookup = self.lookup
        symbols = self.symbols
        values: dict[str, Any] = {}
        for path, root, name in paths:
            if root is None:
                value = lookup(path)
            else:
                value = symbols.get(root)
                if name is not None:
                    if value.__class__ is not dict and not isinstance(value, Mapping):
                        continue
                    value = value.get(name)
            if value is not None:
                values[path] = value
        return values

    def absent(self, paths: SplitPaths) -> list[str]:
        """Each of ``paths`` (from :func:`split_paths`) the record lacks: :meth:`is_missing`, path by path."""
        symbols = self.symbols
        lacking: list[str] = []
        for path, root, name in paths:
            if root is None:
                value = self.lookup(path)
            else:
                value = symbols.get(root)
                if name is not None and value is not None:
                    value = value.get(name) if value.__class__ is dict or isinstance(value, Mapping) else None
            if value is None:
                lacking.append(path)
        return lacking


#: Dotted paths as (path, root, name): name None for a top-level symbol, root None for a
#: path of more than two parts (looked up as a whole).
SplitPaths = tuple[tuple[str, str | None, str | None], ...]


def split_paths(paths: Iterable[str]) -> SplitPaths:
    """``paths`` ready for :meth:`Record.present`."""
    split: list[tuple[str, str | None, str | None]] = []
    for path in paths:
        parts = path.split(".")
        if len(parts) > 2:
            split.append((path, None, None))
        else:
            split.append((path, parts[0], parts[1] if len(parts) == 2 else None))
    return tuple(split)


#: The earlier name of :class:`MissingValueError` (only exceptions end in ``Error``).
MissingValue = MissingValueError
