"""A rule's legal reference, structured: which law, which article, paragraph and item.

A pack may cite in either form; both mean the same reference::

    references:
      - 地下水管理条例 第三十五条                       # the plain form
      - {law: 取水许可和水资源费征收管理条例, article: 20, item: 5}
      - 突发事件应对法（2024） 第六十条                  # the text of a given year

Every reference has one display form (:attr:`Reference.text`), which alerts, ``explain``
and ``riskscreen rules`` show: the law's name, the year of its text in full-width
parentheses when one is named, then ``第N条``, ``第N款``, ``第（N）项`` in Chinese numerals,
then any other part (a standard's clause, an annex, a table) after a space, then a note on
when the citation applies in full-width parentheses: ``长江保护法 第九十一条（长江流域）``
(after a space when nothing but the law's name precedes it, since names may end in （…）).
Reading a display form back gives the same reference.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .numerals import from_chinese, to_chinese

__all__ = ["STANDARD_CODE", "Reference", "reference_text"]

_NUMBER = r"[0-9零〇一二两三四五六七八九十百千]+"
#: A standard's code at the start of a reference: GB 12523-2025, GB/T 50493-2019, JGJ 46.
STANDARD_CODE = re.compile(
    r"^(?P<prefix>GB/[TZ]|GB|[A-Z]{2,4}(?:/T)?|DB\d{2}(?:/T)?)\s*(?P<number>\d+(?:\.\d+)*)"
    r"(?:-(?P<year>\d{4}))?"
)
# The year of a law's text, after its name: （2024） （2024年） （2024年修订） （2024年修正）
_VERSION = re.compile(r"（(?P<version>\d{4}(?:-\d{2}-\d{2})?)(?:年)?(?:修订|修正|版|文本)?）$")
_LOCATOR = re.compile(
    rf"^第(?P<article>{_NUMBER})条(?:第(?P<clause>{_NUMBER})款)?(?:第?[（(](?P<item>{_NUMBER})[）)]项|第(?P<item2>{_NUMBER})项)?"
)
# A note on when the citation applies, closing the text: （长江流域）
_NOTE = re.compile(r"（(?P<note>[^（）]+)）$")
# The first article marker inside an unspaced reference: 土地管理法第六十二条
_INLINE_ARTICLE = re.compile(rf"第{_NUMBER}条")


class Reference(BaseModel):
    """One citation: a law (regulation, interpretation, standard) and where in it.

    ``law`` is the name as cited (for a standard, its code, edition and title).
    ``article`` (条), ``clause`` (款) and ``item`` (项) are numbers; ``version`` names the
    year (or date) of the text meant when it is not the current one; ``part`` holds
    anything else that locates the passage (a standard's clause ``4.1``, ``附件一``);
    ``note`` says when the citation applies (``长江流域``).
    """

    # built on first use: screening reads a reference only for a plugin check's findings
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    law: str = Field(min_length=1, description="法规、司法解释或标准的名称 / the law, regulation or standard")
    article: int | None = Field(default=None, ge=1, le=9999, description="条 / article number")
    clause: int | None = Field(default=None, ge=1, le=99, description="款 / paragraph of the article")
    item: int | None = Field(default=None, ge=1, le=99, description="项 / item of the article or paragraph")
    version: str | None = Field(
        default=None,
        pattern=r"^\d{4}(-\d{2}-\d{2})?$",
        description="文本的年份或日期（缺省为现行文本） / year or date of the text meant; omitted = current",
    )
    part: str | None = Field(
        default=None, min_length=1, description="其他位置，如标准条款 4.1、附件一 / another part: 4.1, 附件一"
    )
    note: str | None = Field(
        default=None,
        min_length=1,
        description="适用条件等说明，如 长江流域 / when the citation applies, e.g. 长江流域",
    )

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            return _parse(value)
        return value

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        # YAML reads ``version: 2024`` as a number and ``version: 2024-06-28`` as a date
        if isinstance(value, (int, date)) and not isinstance(value, bool):
            return str(value)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Reference:
        law = self.law.strip()
        if law != self.law or not law:
            raise ValueError("the law's name must not start or end with spaces")
        if self.clause is not None and self.article is None:
            raise ValueError("a clause (款) needs an article (条)")
        if self.item is not None and self.article is None:
            raise ValueError("an item (项) needs an article (条)")
        if self.standard is not None:
            if self.version is not None:
                raise ValueError("a standard's edition is the year in its code (GB 12523-2025), not version")
            if self.article is not None:
                raise ValueError("a standard's clause goes in part (4.1), not article")
        return self

    @classmethod
    def parse(cls, text: str) -> Reference:
        """Read the plain form: ``地下水管理条例 第三十五条``, ``取水许可…条例 第二十条第（五）项``."""
        return cls.model_validate(text)

    @property
    def text(self) -> str:
        """The display form: ``取水许可和水资源费征收管理条例 第二十条第（五）项``."""
        out = self.law
        if self.version:
            out += f"（{self.version}）"
        if self.article is not None:
            out += f" 第{to_chinese(self.article)}条"
            if self.clause is not None:
                out += f"第{to_chinese(self.clause)}款"
            if self.item is not None:
                out += f"第（{to_chinese(self.item)}）项"
        if self.part:
            out += f" {self.part}"
        if self.note:
            # a law's name may end in （…） itself (地方规定（…）), so a note straight after
            # the name is set off by a space; a standard's title never is
            bare = self.article is None and self.part is None and self.standard is None
            out += f"{' ' if bare else ''}（{self.note}）"
        return out

    @property
    def standard(self) -> tuple[str, str | None] | None:
        """For a standard, its code without the edition and the edition year (``("GB 12523", "2025")``)."""
        match = STANDARD_CODE.match(self.law)
        if match is None:
            return None
        return f"{match.group('prefix')} {match.group('number')}", match.group("year")

    def __str__(self) -> str:
        return self.text


def reference_text(value: str | Reference) -> str:
    """The display form of a reference; text that does not read as one is kept as written."""
    if isinstance(value, Reference):
        return value.text
    try:
        return Reference.parse(value).text
    except ValueError:  # pydantic's ValidationError is a ValueError
        return value


def _parse(text: str) -> dict[str, Any]:
    text = " ".join(text.split())
    if not text:
        raise ValueError("a reference must name a law")
    standard = STANDARD_CODE.match(text)
    if standard is not None:
        return _standard(text, standard)
    head, _, rest = text.partition(" ")
    inline = _INLINE_ARTICLE.search(head)
    if inline is not None and inline.start() > 0:
        head, rest = head[: inline.start()], (head[inline.start() :] + " " + rest).strip()
    fields: dict[str, Any] = {"law": head}
    version = _VERSION.search(head)
    if version is not None and version.start() > 0:
        fields["law"], fields["version"] = head[: version.start()], version.group("version")
    locator = _LOCATOR.match(rest)
    if locator is not None:
        fields["article"] = _number(locator.group("article"))
        if locator.group("clause"):
            fields["clause"] = _number(locator.group("clause"))
        item = locator.group("item") or locator.group("item2")
        if item:
            fields["item"] = _number(item)
        rest = rest[locator.end() :].strip()
    fields.update(_part_and_note(rest))
    return fields


def _part_and_note(rest: str) -> dict[str, Any]:
    """What follows the article: a part, then a note in full-width parentheses."""
    fields: dict[str, Any] = {}
    note = _NOTE.search(rest)
    if note is not None:
        fields["note"] = note.group("note")
        rest = rest[: note.start()].strip()
    if rest:
        fields["part"] = rest
    return fields


def _standard(text: str, match: re.Match[str]) -> dict[str, Any]:
    # a standard's code and title, then its clause: GB 12523-2025 建筑施工场界环境噪声排放标准 4.1
    law = match.group(0)
    rest = text[match.end() :].strip()
    title, _, after = rest.partition(" ")
    if title and not re.match(r"^(第|表|附|\d|（)", title):
        note = _NOTE.search(title)
        if note is not None and note.start() > 0:  # GB 12523-2025 建筑施工…标准（限值以配置为准）
            title, after = title[: note.start()], f"{title[note.start() :]} {after}".strip()
        law, rest = f"{law} {title}", after.strip()
    return {"law": law, **_part_and_note(rest)}


def _number(text: str) -> int:
    try:
        return from_chinese(text)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not an article, paragraph or item number") from exc
