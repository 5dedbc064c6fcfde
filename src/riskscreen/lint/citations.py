"""Legal references checked against the law catalogue (``RS520``-``RS525``).

Every ``references`` entry of a linted rule or override, and every reference a linted
plugin's Python checks declare, is looked up in the law catalogue (the shipped one plus
any ``laws.yaml`` beside the linted packs):

- ``RS520`` (warning): a law the catalogue does not know, with the closest known name;
- ``RS521`` (error): an article beyond the law's last article (消防法 第九十九条);
- ``RS522`` (error): a superseded name (信访条例, 环境噪声污染防治法);
- ``RS523`` (warning): a withdrawn edition of a standard, or an earlier text of a law;
- ``RS524`` (error): a ``laws.yaml`` that does not follow the catalogue format;
- ``RS525`` (warning): a rule tagged ``local`` that cites no local basis, or one citing
  地方规定 without the tag, so local conventions stay visible as such.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import Problem, RuleLoadError, SourceLocation
from ..laws import LOCAL_CATALOGUE_NAMES, Catalogue, Reference
from ..packs.loader import display_path
from .base import Check, LintContext, RuleEntry
from .codes import CODES

__all__ = ["LOCAL_TAG", "Citations"]

#: The tag that marks a rule whose number or condition is a local convention.
LOCAL_TAG = "local"
_LOCAL_KINDS = frozenset({"local", "local_regulation"})


class Citations(Check):
    """Each reference resolves in the law catalogue, to a current text and an existing article."""

    code = "RS520"
    name = "citations"
    description = "legal references checked against the law catalogue (RS520-RS525)"

    def __init__(self, today: date | None = None) -> None:
        self.today = today

    def run(self, context: LintContext) -> Iterator[Problem]:
        """The citation problems of the linted packs and of the linted plugins' checks."""
        catalogue, problems = _catalogue(context)
        yield from problems
        for entry in [*context.rules(), *context.rules("overrides")]:
            yield from self._entry(entry, catalogue)
        yield from self._plugin_checks(context, catalogue)

    def _problem(self, location: SourceLocation, code: str, message: str) -> Problem:
        return Problem(location, message, code, CODES[code].severity)

    def _entry(self, entry: RuleEntry, catalogue: Catalogue) -> Iterator[Problem]:
        written = entry.data.get("references")
        items = written if isinstance(written, list) else []
        local_refs: list[int] = []
        for i, item in enumerate(items):
            reference = _reference(item)
            if reference is None:
                continue  # the loader reports the malformed entry
            entry_law = catalogue.law(reference.law)
            if entry_law is not None and entry_law.kind in _LOCAL_KINDS:
                local_refs.append(i)
            for found in catalogue.check(reference, self.today):
                where: tuple[Any, ...] = ("references", i)
                if isinstance(item, dict):
                    key = found.field if found.field in item else "law"
                    where = (*where, key)
                yield self._problem(entry.location(*where), found.code, f"{entry.id}: {found.message}")
        if entry.where[0] != "rules":
            return
        tags = entry.data.get("tags")
        tagged = isinstance(tags, list) and LOCAL_TAG in tags
        generic = [
            i for i in local_refs if (law := catalogue.law(_reference_law(items[i]))) and law.kind == "local"
        ]
        if tagged and not local_refs:
            yield self._problem(
                entry.location("tags"),
                "RS525",
                f"{entry.id} is tagged {LOCAL_TAG} but cites no local basis; add a reference to the local "
                "regulation or 地方规定（…）",
            )
        elif generic and not tagged:
            yield self._problem(
                entry.location("references", generic[0]),
                "RS525",
                f"{entry.id} cites 地方规定 but is not tagged {LOCAL_TAG}; add {LOCAL_TAG} to its tags",
            )

    def _plugin_checks(self, context: LintContext, catalogue: Catalogue) -> Iterator[Problem]:
        screener = context.screener
        if screener is None:
            return
        linted = [p.path.resolve() for p in context.packs]
        manager = screener.plugin_host.manager
        for plugin_name, info in screener.checks:
            folder = _plugin_folder(manager.get_plugin(plugin_name))
            if folder is None or not any(folder in path.parents for path in linted):
                continue  # only the plugins whose packs are being linted
            for text in info.references:
                try:
                    reference = Reference.parse(text)
                except ValidationError as exc:
                    reason = exc.errors()[0]["msg"]
                    location = _find(folder, (text, info.id))
                    yield self._problem(
                        location, "RS520", f"{info.id}: reference {text!r} does not parse: {reason}"
                    )
                    continue
                for found in catalogue.check(reference, self.today):
                    location = _find(folder, (text, reference.law, info.id))
                    yield self._problem(location, found.code, f"{info.id}: {found.message}")


def _catalogue(context: LintContext) -> tuple[Catalogue, list[Problem]]:
    """The shipped catalogue extended by the ``laws.yaml`` files beside the linted packs."""
    folders = dict.fromkeys(p.path.parent for p in context.packs)
    files = [
        folder / name for folder in folders for name in LOCAL_CATALOGUE_NAMES if (folder / name).is_file()
    ]
    shipped = Catalogue.shipped()
    if not files:
        return shipped, []
    try:
        return shipped.extended(files), []
    except RuleLoadError as exc:
        problems = [
            Problem(
                SourceLocation(display_path(Path(p.location.path)), p.location.line, p.location.column),
                p.message,
                p.code,
                CODES[p.code].severity,
            )
            for p in exc.problems
        ]
        return shipped, problems


def _reference(item: Any) -> Reference | None:
    try:
        return Reference.model_validate(item)
    except ValidationError:
        return None


def _reference_law(item: Any) -> str:
    reference = _reference(item)
    return reference.law if reference is not None else ""


def _plugin_folder(plugin: Any) -> Path | None:
    """The folder of the package a plugin object (a module or an instance) comes from."""
    if plugin is None:
        return None
    target = plugin if inspect.ismodule(plugin) else type(plugin)
    try:
        source = inspect.getsourcefile(target)
    except TypeError:
        return None
    return Path(source).resolve().parent if source else None


def _find(folder: Path, needles: tuple[str, ...]) -> SourceLocation:
    """Where the first of ``needles`` is written in the package's modules (the first module otherwise)."""
    modules = sorted(folder.glob("*.py"))
    for needle in needles:
        for module in modules:
            try:
                lines = module.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            for number, line in enumerate(lines, start=1):
                column = line.find(needle)
                if column >= 0:
                    return SourceLocation(display_path(module), number, column + 1)
    return SourceLocation(display_path(modules[0]) if modules else str(folder))
