"""What went wrong in an expression, from rule-engine's exception: offset, message, code.

rule-engine reports problems as exceptions of several classes, each carrying different
details (a token with an offset, a symbol name with a suggestion, a bare message). This
turns each into the offset in the expression's text where the problem is, a message a
rule author can act on, and the problem code. The loader adds the file position.
"""

from __future__ import annotations

import re
from typing import Any

import rule_engine

from ..engine.regex import UnsafeRegexError
from . import problem_codes as codes
from .diagnose import describe_engine_error

__all__ = ["expression_problem"]


def expression_problem(text: str, context: Any, exc: Exception) -> tuple[int, str, str] | None:
    """(offset into ``text``, message, code) for an exception parsing ``text``, or ``None``.

    ``None`` means the exception is not a problem of the expression (let it propagate).
    """
    if isinstance(exc, UnsafeRegexError):
        offset = max(0, min((i for i in (text.find("=~"), text.find("!~")) if i >= 0), default=0))
        return offset, str(exc), codes.SLOW_REGEX
    if isinstance(exc, rule_engine.errors.RuleSyntaxError):
        token = exc.token
        # the token is None at the end of the text; lexpos is an offset into this text
        offset = len(text.rstrip()) if token is None else int(token.lexpos)
        shown = "end of expression" if token is None else repr(str(token.value))
        return offset, f"syntax error at {shown}", codes.SYNTAX_ERROR
    if isinstance(exc, rule_engine.errors.SymbolResolutionError):
        message = f"unknown symbol {exc.symbol_name!r}{_hint(exc.suggestion)}"
        return _find_word(text, exc.symbol_name), message, codes.UNKNOWN_SYMBOL
    if isinstance(exc, rule_engine.errors.AttributeResolutionError):
        message = f"unknown attribute {exc.attribute_name!r}{_hint(exc.suggestion)}"
        return _find_word(text, exc.attribute_name, dotted=True), message, codes.UNKNOWN_ATTRIBUTE
    if isinstance(exc, rule_engine.errors.EngineError):
        offset, message = 0, _engine_message(exc)
        described = describe_engine_error(text, context, exc)
        if described is not None:
            offset, message = described
        return offset, message, codes.EXPRESSION_ERROR
    if isinstance(exc, (RecursionError, ValueError, TypeError)):
        return 0, f"cannot parse expression: {exc}", codes.EXPRESSION_ERROR
    return None


def _engine_message(exc: Any) -> str:
    text = str(getattr(exc, "message", "") or type(exc).__name__)
    if text == "data type mismatch":
        return (
            "type mismatch: the expression compares or combines values of different types "
            "(e.g. a number with a string); check the declared attribute types"
        )
    return text


def _hint(suggestion: str | None) -> str:
    return f"; did you mean {suggestion!r}?" if suggestion else ""


def _find_word(text: str, word: str, *, dotted: bool = False) -> int:
    pattern = (r"\.\s*" if dotted else r"(?<![\w.])") + re.escape(word) + r"(?!\w)"
    match = re.search(pattern, text)
    if match is None:
        return 0
    return match.end() - len(word)
