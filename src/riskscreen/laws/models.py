"""The law catalogue's file format: laws, regulations, interpretations and standards.

The shipped catalogue (``riskscreen/laws/catalogue.yaml``) and a rule author's own
``laws.yaml`` beside their packs follow this format; ``riskscreen schema laws`` prints
its JSON Schema.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["CatalogueSpec", "Edition", "LawEntry", "LawKind", "OlderText", "StandardEntry", "Superseded"]

#: What kind of instrument a catalogue entry is.
LawKind = Literal[
    "law",  # 法律 (全国人大及其常委会)
    "administrative_regulation",  # 行政法规 (国务院)
    "departmental_rule",  # 部门规章
    "local_regulation",  # 地方性法规、地方政府规章
    "judicial_interpretation",  # 司法解释
    "party_regulation",  # 党内法规 (e.g. 信访工作条例, issued jointly with the State Council)
    "normative_document",  # 规范性文件 (通知、办法)
    "method",  # an assessment method, not a legal instrument (LEC)
    "local",  # a local rule or convention named only generically (地方规定)
]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Superseded(_Spec):
    """An earlier instrument the entry replaced: citing it is an error."""

    name: str = Field(min_length=1, description="旧名称 / the replaced instrument's name")
    until: date | None = Field(default=None, description="失效日期 / the day it stopped applying")
    note: str | None = None


class OlderText(_Spec):
    """An earlier text of the same law, with its own article count (numbering may differ)."""

    version: date = Field(description="该文本的通过或修订日期 / date of that text")
    articles: int | None = Field(default=None, ge=1)
    note: str | None = None


class LawEntry(_Spec):
    """A law, regulation, judicial interpretation, document or local basis the packs cite."""

    name: str = Field(min_length=1, description="引用时使用的名称 / the name references use")
    kind: LawKind
    aliases: list[str] = Field(
        default_factory=list, description="其他写法，如全称 / other names, e.g. the full title"
    )
    issuer: str | None = Field(default=None, description="制定机关 / issuing body")
    document: str | None = Field(default=None, description="文号，如 国务院令第748号 / document number")
    version: date | None = Field(default=None, description="现行文本的日期 / date of the current text")
    effective: date | None = Field(
        default=None, description="现行文本施行日期 / when the current text took effect"
    )
    articles: int | None = Field(
        default=None, ge=1, description="现行文本条数（最后一条的编号） / number of the last article"
    )
    older: list[OlderText] = Field(default_factory=list, description="较早的文本 / earlier texts")
    superseded: list[Superseded] = Field(
        default_factory=list, description="被本法规取代的旧法规 / what it replaced"
    )
    cited: dict[int, str] = Field(
        default_factory=dict, description="被引用条文的要旨 / what each cited article says, by number"
    )
    verified: bool = Field(
        default=False, description="条数和被引条文是否已对照文本核实 / checked against the text"
    )
    note: str | None = None


class Edition(_Spec):
    """One edition of a standard."""

    year: int = Field(ge=1950, le=2100)
    effective: date | None = None
    withdrawn: date | None = Field(default=None, description="废止日期 / the day it was withdrawn")
    note: str | None = None


class StandardEntry(_Spec):
    """A national, industry or local standard, by code, with its editions."""

    code: str = Field(
        pattern=r"^[A-Z]+(/[TZ])?\d* \d+(\.\d+)*$", description="编号（不含年份） / code, e.g. GB 12523"
    )
    title: str = Field(min_length=1)
    former_codes: list[str] = Field(
        default_factory=list, description="旧编号，如 JGJ 46（现 JGJ/T 46） / codes of earlier editions"
    )
    former_titles: list[str] = Field(default_factory=list, description="旧名称 / titles of earlier editions")
    editions: list[Edition] = Field(min_length=1)
    verified: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _distinct_years(self) -> StandardEntry:
        years = [e.year for e in self.editions]
        if len(set(years)) != len(years):
            raise ValueError(f"{self.code}: an edition year is listed twice")
        return self

    def current(self) -> Edition:
        """The edition in force: the newest one not withdrawn (else the newest)."""
        live = [e for e in self.editions if e.withdrawn is None]
        return max(live or self.editions, key=lambda e: e.year)


class CatalogueSpec(_Spec):
    """A catalogue file: laws and standards."""

    laws: list[LawEntry] = Field(default_factory=list)
    standards: list[StandardEntry] = Field(default_factory=list)
