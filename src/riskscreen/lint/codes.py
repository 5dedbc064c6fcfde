"""Every problem code riskscreen reports, with its severity and what it means.

Codes are stable: tools and CI configurations may match on them. ``RS1xx`` are file and
format problems, ``RS2xx`` expression problems, ``RS3xx`` problems of the rule set as a
whole (all reported by the loader, so ``riskscreen lint`` and loading agree exactly),
``RS4xx`` plugin problems, and ``RS5xx`` the linter's own checks (``RS52x``: legal references
checked against the law catalogue).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["CODES", "Code", "Severity"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Code:
    """A problem code: its severity and a one-line description."""

    code: str
    severity: Severity
    description: str


_ALL = (
    Code("RS100", "error", "a problem found while loading (any of RS1xx-RS4xx)"),
    Code("RS101", "error", "YAML syntax error"),
    Code("RS102", "error", "the document expands to too many nodes (aliases)"),
    Code("RS103", "error", "a key appears twice in one mapping"),
    Code("RS104", "error", "a file or folder cannot be found or read"),
    Code("RS105", "error", "a pack file is too large"),
    Code("RS106", "error", "a pack file is not a mapping with a 'pack' key"),
    Code("RS107", "error", "unknown key (with the closest known key)"),
    Code("RS108", "error", "a required key is missing"),
    Code("RS109", "error", "a value has the wrong type or form"),
    Code("RS110", "error", "a *.test.yaml case file does not follow the case format"),
    Code("RS201", "error", "syntax error in an expression"),
    Code("RS202", "error", "unknown symbol, macro or list in an expression (with did-you-mean)"),
    Code("RS203", "error", "unknown attribute in an expression (with did-you-mean)"),
    Code("RS204", "error", "an expression does not give true or false"),
    Code("RS205", "error", "type mismatch or another expression error"),
    Code("RS206", "error", "a regular expression that cannot run in linear time"),
    Code("RS207", "error", "a message placeholder names an unknown field or has a bad number format"),
    Code("RS301", "error", "one attribute declared with two different types"),
    Code("RS302", "error", "two packs share a pack id"),
    Code("RS303", "error", "duplicate rule id (reported at the second one)"),
    Code("RS304", "error", "applies_to is empty"),
    Code("RS305", "error", "applies_to names an unknown category"),
    Code("RS306", "error", "a list or macro name clashes with a field or with another name"),
    Code("RS307", "error", "macros that use each other in a cycle"),
    Code("RS308", "error", "an override names an unknown rule id"),
    Code("RS401", "error", "a plugin failed to load or declared something invalid"),
    Code("RS501", "warning", "a rule no regression case makes fire, or none holds silent"),
    Code("RS502", "warning", "a regular expression prone to catastrophic backtracking"),
    Code("RS503", "warning", "a message template names a field observations do not have"),
    Code("RS504", "warning", "a rule that can never fire"),
    Code("RS505", "error", "a regression case names a rule id that is not loaded"),
    Code("RS506", "warning", "two regression cases in one file share a name"),
    Code("RS507", "warning", "a pack file is a byte-for-byte copy of another loaded pack (loaded once)"),
    Code("RS510", "warning", "a rule whose closed cases are mostly false alarms (with --db)"),
    Code("RS520", "warning", "a reference names a law the law catalogue does not know (with did-you-mean)"),
    Code("RS521", "error", "a reference cites an article beyond the law's last article"),
    Code("RS522", "error", "a reference cites a law by a superseded name (信访条例, 环境噪声污染防治法)"),
    Code("RS523", "warning", "a reference cites a withdrawn standard edition or an earlier text of a law"),
    Code("RS524", "error", "a local law catalogue (laws.yaml) does not follow the catalogue format"),
    Code("RS525", "warning", "a rule tagged local cites no local basis, or cites 地方规定 without the tag"),
)

#: Code -> its description, in code order.
CODES: dict[str, Code] = {c.code: c for c in _ALL}
