"""Categories a change does not touch, whose records need screening once, not twice.

A pull request usually edits one or two packs. A record whose category sees the same
rules on both sides, read from the same pack text, validated against the same attribute
types, gets the same result from both rule sets; screening it once and counting the
outcome for both sides gives exactly the two-screening result at half the cost.

A category counts as unchanged only when all of these are equal on both sides:

- its declared attribute types and plugin model (validation);
- its candidate rules, in full: every compared part of the loaded definition (after
  overrides), and the complete text of the pack file each rule comes from (its lists and
  macros included), and of every pack whose overrides changed it.

Rules of installed packs and plugins (shipped packs, plugin packs) are the same code on
both sides. Anything not recognised keeps the category out of the shortcut.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from ..packs.loader import discover_pack_files, display_path
from ..screener import Screener
from .ruledefs import definition

__all__ = ["unchanged_categories"]

#: Stands for a pack outside the side's own paths: installed, so the same on both sides.
_INSTALLED = "installed"


def _file_digests(paths: Sequence[Path]) -> dict[str, str]:
    files, _ = discover_pack_files(paths)
    return {display_path(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def _fingerprint(screener: Screener, category: str, files: dict[str, str]) -> tuple[object, ...]:
    ruleset = screener.ruleset
    pack_paths = {pack.id: pack.path for pack in ruleset.packs}
    rules = []
    for rule in ruleset.candidates(category):
        source = rule.source.rsplit(":", 1)[0]
        overrides = tuple(files.get(pack_paths.get(p, ""), _INSTALLED) for p in sorted(rule.override_packs))
        rules.append(
            (rule.id, tuple(sorted(definition(rule).items())), files.get(source, _INSTALLED), overrides)
        )
    attrs = tuple(
        sorted((name, repr(d.type)) for name, d in ruleset.registry.attrs.get(category, {}).items())
    )
    return attrs, id(ruleset.registry.models.get(category)), tuple(sorted(rules))


def unchanged_categories(
    base: Screener, base_paths: Sequence[Path], head: Screener, head_paths: Sequence[Path]
) -> frozenset[str]:
    """Categories whose records screen to the same result under both rule sets."""
    base_files, head_files = _file_digests(base_paths), _file_digests(head_paths)
    known = set(base.ruleset.registry.attrs) & set(head.ruleset.registry.attrs)
    return frozenset(
        category
        for category in known
        if _fingerprint(base, category, base_files) == _fingerprint(head, category, head_files)
    )
