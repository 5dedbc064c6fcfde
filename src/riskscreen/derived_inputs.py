"""What a worker must go and collect when a rule or check lacks a derived value.

Rules and checks read ``derived.*`` fields, but nobody can report a derived field: a grid
worker reports ``attrs.value_cny``. Plugins declare the observation fields each derived
field is computed from (:class:`~riskscreen.DerivedField`); :class:`MissingInputs` uses
those declarations to turn the paths a rule lacked into the observation fields to
collect, so *insufficient evidence* never names a derived field with declared inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .engine.record import Record

__all__ = ["MissingInputs"]

_PREFIX = "derived."


class MissingInputs:
    """Maps missing paths to the observation fields behind them.

    ``inputs`` is derived name -> the fields it is computed from (``attrs.*``, top-level
    fields, or other ``derived.*`` fields, followed in turn). A derived field without a
    declaration is kept as it is: nothing better is known.
    """

    def __init__(self, inputs: Mapping[str, Sequence[str]]) -> None:
        self.inputs = {name: tuple(paths) for name, paths in inputs.items()}

    def observed(self, paths: Iterable[str], record: Record) -> list[str]:
        """The observation fields to collect for ``paths`` (which the record lacks).

        A derived field is replaced by those of its inputs the record lacks; when it lacks
        none of them (the value could not be decided from what was reported, say a permit
        reported as ``unknown``), by all of its inputs, which are the facts to verify.
        """
        paths = list(paths)
        if not any(path.startswith(_PREFIX) for path in paths):
            return list(dict.fromkeys(paths))  # the usual case: observation fields already
        found: list[str] = []
        for path in paths:
            for field in self._expand(path, record, frozenset()):
                if field not in found:
                    found.append(field)
        return found

    def _expand(self, path: str, record: Record, seen: frozenset[str]) -> list[str]:
        if not path.startswith(_PREFIX):
            return [path]
        name = path[len(_PREFIX) :]
        inputs = self.inputs.get(name)
        if not inputs or name in seen:
            return [path]
        seen = seen | {name}
        lacking = [p for p in inputs if record.is_missing(p)]
        return [field for p in lacking or inputs for field in self._expand(p, record, seen)]
