"""The shape of a regular expression, enough to spot catastrophic backtracking.

A backtracking engine takes exponential time when a repeated part can match the same
text in many ways: a repetition nested in a repetition (``(a+)+``, ``(\\w+\\s?)*``) or a
repeated alternation whose branches can start alike (``(a|ab)*``, ``(.|x)+``). This
module reads a pattern into a small tree (groups, alternations, repetitions, atoms) and
names the first such construct; it never raises on a malformed pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["backtracking_risk"]

_UNBOUNDED = 1000  # a repetition allowing this many or more is treated as unbounded


@dataclass
class _Node:
    kind: str  # "seq", "alt", "group", "repeat", "atom"
    children: list[_Node] = field(default_factory=list)
    text: str = ""  # the source of an atom, or of a repeat's operator
    low: int = 1
    high: int = 1
    start: int = 0
    end: int = 0


class _Reader:
    """Recursive descent over the pattern text."""

    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.i = 0

    def peek(self) -> str:
        return self.text[self.i] if self.i < len(self.text) else ""

    def alternation(self) -> _Node:
        start = self.i
        branches = [self.sequence()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.sequence())
        if len(branches) == 1:
            return branches[0]
        return _Node("alt", branches, start=start, end=self.i)

    def sequence(self) -> _Node:
        start = self.i
        items: list[_Node] = []
        while self.peek() not in ("", "|", ")"):
            item = self.atom()
            if item is None:
                continue
            items.append(self.quantified(item))
        return _Node("seq", items, start=start, end=self.i)

    def atom(self) -> _Node | None:
        start = self.i
        ch = self.peek()
        if ch == "(":
            return self.group()
        if ch == "[":
            self.character_class()
        elif ch == "\\":
            self.i += 2
        elif ch in "^$":
            self.i += 1
            return None  # anchors match no text
        else:
            self.i += 1
        return _Node("atom", text=self.text[start : self.i], start=start, end=self.i)

    def group(self) -> _Node | None:
        start = self.i
        self.i += 1
        lookaround = False
        if self.text.startswith("?", self.i):
            head = self.text[self.i : self.i + 3]
            lookaround = head[:2] in ("?=", "?!") or head in ("?<=", "?<!")
            if self.text.startswith("?P<", self.i) or (head[:2] == "?<" and not lookaround):
                self.i = self.text.find(">", self.i) + 1 or len(self.text)
            elif lookaround:
                self.i += 3 if head.startswith("?<") else 2
            else:  # (?:...), (?i), (?i:...)
                while self.peek() not in ("", ":", ")"):
                    self.i += 1
                if self.peek() == ":":
                    self.i += 1
        inner = self.alternation()
        if self.peek() == ")":
            self.i += 1
        if lookaround:
            return None  # a lookaround consumes no text
        return _Node("group", [inner], start=start, end=self.i)

    def character_class(self) -> None:
        self.i += 1
        if self.peek() == "^":
            self.i += 1
        if self.peek() == "]":
            self.i += 1
        while self.peek() not in ("", "]"):
            self.i += 2 if self.peek() == "\\" else 1
        self.i += 1

    def quantified(self, item: _Node) -> _Node:
        ch = self.peek()
        start = self.i
        if ch and ch in "*+?":
            self.i += 1
            low, high = {"*": (0, _UNBOUNDED), "+": (1, _UNBOUNDED), "?": (0, 1)}[ch]
        elif ch == "{":
            close = self.text.find("}", self.i)
            body = self.text[self.i + 1 : close] if close > 0 else ""
            parts = body.split(",")
            if close < 0 or len(parts) > 2 or not all(p.strip().isdigit() or p.strip() == "" for p in parts):
                return item  # a literal brace
            if not parts[0].strip():
                return item
            self.i = close + 1
            low = int(parts[0])
            high = low if len(parts) == 1 else (int(parts[1]) if parts[1].strip() else _UNBOUNDED)
        else:
            return item
        if self.peek() in ("?", "+"):
            self.i += 1  # lazy or possessive: the same choices, tried in another order
        text = self.text[start : self.i]
        return _Node("repeat", [item], text=text, low=low, high=high, start=item.start, end=self.i)


def _can_be_empty(node: _Node) -> bool:
    if node.kind == "atom":
        return False
    if node.kind == "repeat":
        return node.low == 0 or _can_be_empty(node.children[0])
    if node.kind == "alt":
        return any(_can_be_empty(c) for c in node.children)
    return all(_can_be_empty(c) for c in node.children)


def _first_atoms(node: _Node) -> list[str]:
    """The atoms a match of ``node`` can start with (approximately)."""
    if node.kind == "atom":
        return [node.text]
    if node.kind == "alt":
        return [a for c in node.children for a in _first_atoms(c)]
    if node.kind in ("group", "repeat"):
        return _first_atoms(node.children[0])
    firsts: list[str] = []
    for child in node.children:
        firsts.extend(_first_atoms(child))
        if not _can_be_empty(child):
            break
    return firsts


_SAMPLES = "aZz09_ \t\n,.-:/中文"


def _atom_matches(atom: str, ch: str) -> bool:
    try:
        return re.fullmatch(atom, ch, re.DOTALL) is not None
    except re.error:
        return True  # cannot tell: assume it may


def _overlap(a: list[str], b: list[str]) -> bool:
    """Whether some character can start both an ``a`` match and a ``b`` match (by sampling)."""
    for x in a:
        for y in b:
            samples = set(_SAMPLES) | {c for c in x + y if c not in "\\[]^-"}
            if any(_atom_matches(x, c) and _atom_matches(y, c) for c in samples):
                return True
    return False


def _unwrap(node: _Node) -> _Node:
    while node.kind == "group":
        node = node.children[0]
    return node


def _trailing_repeat(node: _Node) -> _Node | None:
    """An unbounded, text-consuming repetition that can end a match of ``node``."""
    if node.kind == "repeat":
        if node.high >= _UNBOUNDED and not _can_be_empty(node.children[0]):
            return node
        return _trailing_repeat(node.children[0])
    if node.kind == "group":
        return _trailing_repeat(node.children[0])
    if node.kind == "alt":
        return next((r for r in map(_trailing_repeat, node.children) if r is not None), None)
    if node.kind == "seq":
        for child in reversed(node.children):
            found = _trailing_repeat(child)
            if found is not None:
                return found
            if not _can_be_empty(child):
                return None
    return None


def _ambiguous_repeat(body: _Node) -> _Node | None:
    """A repetition inside a repeated ``body`` whose text the next part can also claim."""
    inner = _unwrap(body)
    items = inner.children if inner.kind == "seq" else [inner]
    for index, item in enumerate(items):
        repeat = _trailing_repeat(item)
        if repeat is None:
            continue
        claims = _first_atoms(repeat.children[0])
        followers: list[str] = []
        rest = items[index + 1 :]
        for follower in rest:
            followers.extend(_first_atoms(follower))
            if not _can_be_empty(follower):
                break
        else:
            followers.extend(_first_atoms(body))  # the next round of the outer repetition
        if _overlap(claims, followers):
            return repeat
    return None


def _risk(node: _Node, pattern: str) -> str | None:
    if node.kind == "repeat" and node.high >= _UNBOUNDED:
        body = node.children[0]
        inner = _ambiguous_repeat(body)
        if inner is not None:
            return (
                f"'{pattern[node.start : node.end]}' repeats a part that itself repeats "
                f"('{pattern[inner.start : inner.end]}'), so the same text can be split in many ways"
            )
        alternation = _unwrap(body)
        if alternation.kind == "alt":
            branches = alternation.children
            for i, left in enumerate(branches):
                for right in branches[i + 1 :]:
                    if _overlap(_first_atoms(left), _first_atoms(right)):
                        return (
                            f"'{pattern[node.start : node.end]}' repeats alternatives that can match "
                            f"the same text ('{pattern[left.start : left.end]}' and "
                            f"'{pattern[right.start : right.end]}')"
                        )
    for child in node.children:
        found = _risk(child, pattern)
        if found is not None:
            return found
    return None


def backtracking_risk(pattern: str) -> str | None:
    """Why ``pattern`` can backtrack catastrophically, or None when no such shape is found."""
    reader = _Reader(pattern)
    tree = reader.alternation()
    while reader.i < len(pattern):  # an unbalanced ')' ends the tree early: read on
        reader.i += 1
        tree = _Node("seq", [tree, reader.alternation()], start=0, end=reader.i)
    return _risk(tree, pattern)
