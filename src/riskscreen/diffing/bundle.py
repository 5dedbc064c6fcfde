"""A rule set as contents, not paths: what a worker on another machine needs to screen.

A :class:`RuleBundle` carries the text of every pack file of one side, whether the
shipped packs and plugins take part, and the settings. A worker writes the files into a
private temporary folder, builds its screener from them and removes the folder; the
screener is kept per bundle digest in the worker process, so each partition costs no load.
"""

from __future__ import annotations

import functools
import hashlib
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..packs.loader import discover_pack_files
from ..screener import Screener
from ..settings import Settings

__all__ = ["RuleBundle", "bundle_screener", "remember_screener"]


@dataclass(frozen=True)
class RuleBundle:
    """The pack files of one rule set by content, with how to load them."""

    files: tuple[tuple[str, str], ...]  # (file name, YAML text), in loading order
    builtin: bool
    settings: Settings
    disable_plugins: tuple[str, ...] = ()

    @classmethod
    def from_paths(
        cls,
        paths: Sequence[Path],
        *,
        builtin: bool,
        settings: Settings,
        disable_plugins: Sequence[str] = (),
    ) -> RuleBundle:
        """The bundle of the packs under ``paths`` (read now; later edits are not seen)."""
        found, _ = discover_pack_files(paths)
        # numbered names keep the loading order when the worker lists its folder
        files = tuple(
            (f"{index:05d}-{path.name}", path.read_text(encoding="utf-8")) for index, path in enumerate(found)
        )
        return cls(files, builtin, settings, tuple(disable_plugins))

    @functools.cached_property
    def digest(self) -> str:
        """A hash of everything the bundle holds; equal bundles build equal screeners."""
        hasher = hashlib.sha256()
        for name, text in self.files:
            hasher.update(name.encode() + b"\0" + text.encode() + b"\0")
        hasher.update(repr((self.builtin, self.disable_plugins)).encode())
        hasher.update(self.settings.model_dump_json().encode())
        return hasher.hexdigest()


#: Screeners kept per process, most recently used last; a long-lived process that diffs
#: many rule sets keeps only the last few.
_screeners: OrderedDict[str, Screener] = OrderedDict()
_KEPT = 8
_lock = threading.Lock()


def _keep(key: str, screener: Screener) -> None:
    _screeners[key] = screener
    _screeners.move_to_end(key)
    while len(_screeners) > _KEPT:
        _screeners.popitem(last=False)


def remember_screener(bundle: RuleBundle, screener: Screener) -> None:
    """Use ``screener`` for ``bundle`` in this process (the client's own, already loaded)."""
    with _lock:
        _keep(bundle.digest, screener)


def bundle_screener(bundle: RuleBundle) -> Screener:
    """The screener for ``bundle``, built once per process from the bundle's files."""
    key = bundle.digest
    with _lock:
        known = _screeners.get(key)
        if known is not None:
            _screeners.move_to_end(key)
            return known
        # the files are needed only while loading: the screener keeps the compiled rule set
        with tempfile.TemporaryDirectory(prefix="riskscreen-bundle-") as name:
            folder = Path(name)
            for file, text in bundle.files:
                (folder / file).write_text(text, encoding="utf-8")
            screener = Screener(
                [folder],
                builtin=bundle.builtin,
                settings=bundle.settings,
                disable_plugins=bundle.disable_plugins,
            )
        _keep(key, screener)
        return screener
