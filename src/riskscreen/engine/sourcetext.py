"""Generated source made readable: identifiers from rule names, clauses laid out by depth."""

from __future__ import annotations

import re

__all__ = ["identifier", "layout"]

_NOT_IDENTIFIER = re.compile(r"[^0-9A-Za-z_]+")


def identifier(text: str) -> str:
    """``text`` as a Python identifier: ``WELL-001 when`` -> ``WELL_001_when``."""
    name = _NOT_IDENTIFIER.sub("_", text).strip("_") or "expression"
    return f"_{name}" if name[0].isdigit() else name


def layout(expression: str, indent: str) -> str:
    """Generated source with each line after the first indented by its bracket depth.

    The generator puts a line break before each ``and``/``or`` clause; this indents the
    clauses under ``indent`` so that the code reads as written by hand. String literals
    (written by ``repr``) are skipped when counting brackets.
    """
    lines = expression.split("\n")
    out = [lines[0]]
    depth = _depth_change(lines[0])
    for line in lines[1:]:
        closing = len(line) - len(line.lstrip(")]}"))
        out.append(indent + "    " * max(depth - closing, 0) + line)
        depth += _depth_change(line)
    return "\n".join(out)


#: A complete string literal as ``repr`` writes one (a backslash escapes the next character).
_STRING = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"")


def _depth_change(line: str) -> int:
    """How much ``line`` changes the bracket depth, brackets inside string literals not counted."""
    # str.count runs in C: fused functions lay out hundreds of lines when first generated
    # in a process; a line left with a quote after its strings are taken out is counted
    # character by character
    code = line
    if "'" in code or '"' in code:
        code = _STRING.sub("", code)
        if "'" in code or '"' in code:
            return _depth_change_by_character(line)
    return (
        code.count("(")
        + code.count("[")
        + code.count("{")
        - code.count(")")
        - code.count("]")
        - code.count("}")
    )


def _depth_change_by_character(line: str) -> int:
    depth, quote, escaped = 0, "", False
    for char in line:
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
    return depth
