"""The law catalogue: what each cited instrument is, how many articles it has, what it replaced.

::

    from riskscreen.laws import Catalogue, Reference

    catalogue = Catalogue.shipped()
    for problem in catalogue.check(Reference.parse("信访条例 第十八条")):
        print(problem.code, problem.message)   # RS522 信访条例 was replaced by 信访工作条例 ...

The shipped catalogue covers everything the shipped packs and plugins cite. Rule authors
add their local regulations in a ``laws.yaml`` beside their packs (same format, see
:mod:`riskscreen.laws.models`); :meth:`Catalogue.extended` reads such files.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from ..errors import Problem, RuleLoadError, SourceLocation
from ..packs.yamlsrc import load_yaml
from .models import CatalogueSpec, LawEntry, StandardEntry, Superseded
from .numerals import to_chinese
from .reference import Reference

__all__ = ["CATALOGUE_FILE", "LOCAL_CATALOGUE_NAMES", "Catalogue", "CitationProblem"]

#: The shipped catalogue, inside the package.
CATALOGUE_FILE = Path(__file__).resolve().parent / "catalogue.yaml"
#: File names of a rule author's own catalogue in a pack folder (never read as packs).
LOCAL_CATALOGUE_NAMES = ("laws.yaml", "laws.yml")

_PREFIX = "中华人民共和国"
_TRAILING_NOTE = re.compile(r"（[^（）]*）$")


@dataclass(frozen=True)
class CitationProblem:
    """What is wrong with one reference; ``field`` is the part of it at fault."""

    code: str
    message: str
    field: Literal["law", "article", "version", "part"] = "law"


class Catalogue:
    """Laws and standards by every name they are cited under."""

    def __init__(self, laws: Iterable[LawEntry] = (), standards: Iterable[StandardEntry] = ()) -> None:
        self.laws: dict[str, LawEntry] = {}
        self.standards: dict[str, StandardEntry] = {}
        self._names: dict[str, LawEntry] = {}
        self._replaced: dict[str, tuple[LawEntry, Superseded]] = {}
        for entry in laws:
            self._add_law(entry)
        for standard in standards:
            self._add_standard(standard)

    def _add_standard(self, standard: StandardEntry) -> None:
        for code in (standard.code, *standard.former_codes):
            self.standards[code] = standard

    def _add_law(self, entry: LawEntry) -> None:
        # a later file's entry of the same name replaces the earlier one (a local correction)
        self.laws[entry.name] = entry
        for name in (entry.name, *entry.aliases):
            self._names[_key(name)] = entry
        for old in entry.superseded:
            self._replaced[_key(old.name)] = (entry, old)

    # -- building ---------------------------------------------------------------------

    @classmethod
    def shipped(cls) -> Catalogue:
        """The catalogue shipped with riskscreen (read once per process)."""
        return _shipped()

    @classmethod
    def from_spec(cls, spec: CatalogueSpec) -> Catalogue:
        """A catalogue of one file's entries."""
        return cls(spec.laws, spec.standards)

    def extended(self, files: Sequence[Path]) -> Catalogue:
        """This catalogue plus the entries of local ``laws.yaml`` files.

        Raises :class:`~riskscreen.errors.RuleLoadError` naming ``path:line:col`` of every
        entry that does not follow the format.
        """
        problems: list[Problem] = []
        specs = [spec for spec in (read_catalogue(f, problems) for f in files) if spec is not None]
        if problems:
            raise RuleLoadError(problems)
        merged = Catalogue(self.laws.values(), {id(s): s for s in self.standards.values()}.values())
        for spec in specs:
            for entry in spec.laws:
                merged._add_law(entry)
            for standard in spec.standards:
                merged._add_standard(standard)
        return merged

    # -- looking up -------------------------------------------------------------------

    def law(self, name: str) -> LawEntry | None:
        """The entry cited as ``name`` (full title, 《》 and a trailing note in （） allowed)."""
        for key in _keys(name):
            if key in self._names:
                return self._names[key]
        return None

    def replaced(self, name: str) -> tuple[LawEntry, Superseded] | None:
        """For a superseded name, the entry that replaced it and the replacement record."""
        for key in _keys(name):
            if key in self._replaced:
                return self._replaced[key]
        return None

    def standard(self, code: str) -> StandardEntry | None:
        """A standard by code without its year (``GB 12523``)."""
        return self.standards.get(code)

    def resolves(self, reference: Reference, today: date | None = None) -> bool:
        """Whether the reference names a known, current instrument and an article it has."""
        return not self.check(reference, today)

    def suggestion(self, name: str) -> str | None:
        """The closest known name, for did-you-mean."""
        options = [*self._names, *(f"{s.code} {s.title}" for s in self.standards.values())]
        close = difflib.get_close_matches(_key(name), options, n=1, cutoff=0.5)
        return close[0] if close else None

    # -- checking ---------------------------------------------------------------------

    def check(self, reference: Reference, today: date | None = None) -> list[CitationProblem]:
        """What is wrong with a reference; an empty list when nothing is."""
        today = today or date.today()
        standard = reference.standard
        if standard is not None:
            return self._check_standard(reference, standard[0], standard[1], today)
        replaced = self.replaced(reference.law)
        if replaced is not None and self.law(reference.law) is None:
            successor, old = replaced
            when = f" on {old.until.isoformat()}" if old.until else ""
            return [
                CitationProblem(
                    "RS522",
                    f"{reference.law} was replaced by {successor.name}{when}; cite the current text "
                    f"({successor.name}{_current(successor)}) and check the article, the numbering differs",
                )
            ]
        entry = self.law(reference.law)
        if entry is None:
            close = self.suggestion(reference.law)
            hint = f"; did you mean {close}?" if close else "; add it to a laws.yaml beside the pack"
            return [CitationProblem("RS520", f"{reference.law} is not in the law catalogue{hint}")]
        return self._check_law(reference, entry)

    def _check_law(self, reference: Reference, entry: LawEntry) -> list[CitationProblem]:
        problems: list[CitationProblem] = []
        articles = entry.articles
        if reference.version is not None and entry.version is not None:
            year = int(reference.version[:4])
            older = [o for o in entry.older if o.version.year == year]
            if year == entry.version.year:
                pass
            elif older:
                articles = older[0].articles
                problems.append(
                    CitationProblem(
                        "RS523",
                        f"{entry.name}（{reference.version}） is an earlier text; the current text is of "
                        f"{entry.version.isoformat()}",
                        "version",
                    )
                )
            else:
                problems.append(
                    CitationProblem(
                        "RS523",
                        f"{entry.name} has no text of {reference.version} in the catalogue; the current "
                        f"text is of {entry.version.isoformat()}",
                        "version",
                    )
                )
        if reference.article is not None and articles is not None and reference.article > articles:
            problems.append(
                CitationProblem(
                    "RS521",
                    f"{entry.name} has {articles} articles; there is no article {reference.article} "
                    f"(第{to_chinese(reference.article)}条)",
                    "article",
                )
            )
        return problems

    def _check_standard(
        self, reference: Reference, code: str, year: str | None, today: date
    ) -> list[CitationProblem]:
        standard = self.standard(code)
        if standard is None:
            close = self.suggestion(reference.law)
            hint = f"; did you mean {close}?" if close else "; add it to a laws.yaml beside the pack"
            return [CitationProblem("RS520", f"{code} is not in the law catalogue{hint}")]
        if year is None:
            return []
        current = standard.current()
        cited = f"{code}-{year}"
        now = f"{standard.code}-{current.year} {standard.title}"
        edition = next((e for e in standard.editions if e.year == int(year)), None)
        if edition is None:
            return [
                CitationProblem(
                    "RS523",
                    f"{cited} is not a known edition of {standard.code} {standard.title}; "
                    f"the current edition is {now}",
                    "version",
                )
            ]
        if edition.withdrawn is not None and edition.withdrawn <= today:
            return [
                CitationProblem(
                    "RS523",
                    f"{cited} was withdrawn on {edition.withdrawn.isoformat()}; cite {now}",
                    "version",
                )
            ]
        return []


def read_catalogue(path: Path, problems: list[Problem]) -> CatalogueSpec | None:
    """One catalogue file, or None with its problems (at ``path:line:col``) added to ``problems``."""
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(SourceLocation(shown), f"cannot read the law catalogue: {exc}", "RS524"))
        return None
    document, found = load_yaml(text, shown)
    if found or document is None:
        problems.extend(Problem(p.location, p.message, "RS524") for p in found)
        return None
    try:
        return CatalogueSpec.model_validate(document.data if document.data is not None else {})
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            where = ".".join(str(p) for p in loc) or "(file)"
            message = str(error["msg"]).removeprefix("Value error, ")
            problems.append(
                Problem(document.source.location(loc), f"law catalogue: {where}: {message}", "RS524")
            )
        return None


@lru_cache(maxsize=1)
def _shipped() -> Catalogue:
    problems: list[Problem] = []
    spec = read_catalogue(CATALOGUE_FILE, problems)
    if spec is None:  # a packaging error, not a user's: fail loudly
        raise RuleLoadError(problems)
    return Catalogue.from_spec(spec)


def _key(name: str) -> str:
    name = " ".join(name.split()).strip("《》")
    return name.removeprefix(_PREFIX)


def _keys(name: str) -> list[str]:
    """The name, then without a trailing note: 地方规定（群体纠纷认定） -> 地方规定."""
    first = _key(name)
    keys = [first]
    stripped = _TRAILING_NOTE.sub("", first)
    if stripped and stripped != first:
        keys.append(_key(stripped))
    return keys


def _current(entry: LawEntry) -> str:
    return f"（{entry.version.year}）" if entry.version else ""
