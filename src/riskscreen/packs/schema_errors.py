"""Turning pydantic's errors about a pack file into positioned problems, and dropping bad parts.

A pack with one misspelt key is still checked everywhere else: the entries that fail
validation are reported and left out, and validation runs again on the rest.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..errors import Problem
from ..laws.reference import Reference
from .schema import OverrideSpec, PackSpec, RuleSpec
from .yamlsrc import SourceMap

__all__ = ["drop_invalid", "schema_problem", "suggest"]


def suggest(name: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def drop_invalid(
    data: dict[Any, Any], errors: Sequence[Mapping[str, Any]], kept: dict[str, list[int]]
) -> bool:
    """Remove the entries that failed validation; False when the pack itself is unusable.

    ``kept`` maps ``rules`` and ``overrides`` to the file positions of the entries left,
    so that later messages still point at the right lines.
    """
    drop: dict[str, set[Any]] = {}
    for error in errors:
        loc = error["loc"]
        if not loc:
            return False
        head = loc[0]
        if head == "categories" and len(loc) > 3 and loc[2] == "attrs":
            attrs = data.get("categories", {}).get(loc[1], {}).get("attrs")
            if isinstance(attrs, dict):
                attrs.pop(loc[3], None)
                continue
        if _drop_rule_key(data, loc, error["type"]):
            continue  # the rule stays, so its expressions are still checked
        if head in ("rules", "overrides", "categories", "lists", "macros") and len(loc) > 1:
            drop.setdefault(head, set()).add(loc[1])
        elif (error["type"] == "extra_forbidden" and len(loc) == 1) or head in (
            "title",
            "description",
            "version",
            "applies_to",
        ):
            data.pop(head, None)
        else:
            return False
    for section, keys in drop.items():
        value = data.get(section)
        if isinstance(value, list):
            positions = kept.get(section, list(range(len(value))))
            pairs = [
                (pos, item)
                for i, (pos, item) in enumerate(zip(positions, value, strict=True))
                if i not in keys
            ]
            kept[section] = [pos for pos, _ in pairs]
            data[section] = [item for _, item in pairs]
        elif isinstance(value, dict):
            data[section] = {k: v for k, v in value.items() if k not in keys}
    return True


def _drop_rule_key(data: dict[Any, Any], loc: Sequence[Any], kind: str) -> bool:
    """Leave out one bad optional key of a rule or override (a typo, a wrong severity).

    Without its required keys (``id``, ``title``, ``when``) a rule cannot be checked
    further and is left out whole; a bad optional key is reported and only the key is left
    out, so an expression error in the same rule is reported in the same run.
    """
    if len(loc) < 3 or loc[0] not in ("rules", "overrides") or not isinstance(loc[2], str):
        return False
    if loc[2] in ("id", "title", "when") or kind == "missing":
        return False
    entries = data.get(loc[0])
    index = loc[1]
    if not isinstance(entries, list) or not isinstance(index, int) or not 0 <= index < len(entries):
        return False
    entry = entries[index]
    if not isinstance(entry, dict) or loc[2] not in entry:
        return False
    entry.pop(loc[2])
    return True


def schema_problem(source: SourceMap, error: Mapping[str, Any]) -> Problem:
    loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and part.startswith("function-")))
    kind = error["type"]
    if kind == "extra_forbidden":
        key = loc[-1] if loc else ""
        options = _allowed_keys(loc)
        return Problem(source.key_location(loc), f"unknown key {key!r}{suggest(str(key), options)}", "RS107")
    if loc and loc[-1] == "[key]":
        name = loc[-2] if len(loc) > 1 else ""
        message = str(error["msg"]).removeprefix("Value error, ")
        return Problem(source.key_location(loc[:-1]), f"invalid name {name!r}: {message}", "RS109")
    if kind == "missing":
        return Problem(source.location(loc[:-1]), f"missing required key {loc[-1]!r}", "RS108")
    path = ".".join(str(p) for p in loc)
    message = str(error["msg"]).removeprefix("Value error, ")
    return Problem(source.location(loc), f"{path}: {message}", "RS109")


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    """The keys valid at the place an unknown key appeared, for did-you-mean."""
    if len(loc) >= 5 and loc[2] == "references":
        return list(Reference.model_fields)
    if len(loc) >= 3 and loc[0] == "rules":
        return list(RuleSpec.model_fields)
    if len(loc) >= 3 and loc[0] == "overrides":
        return list(OverrideSpec.model_fields)
    if len(loc) == 1:
        return list(PackSpec.model_fields)
    return ["attrs", "description"]
