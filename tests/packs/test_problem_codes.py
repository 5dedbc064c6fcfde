"""The codes the loader emits by name are the catalogue's, and each name says what it is."""

from __future__ import annotations

import ast
from pathlib import Path

import rule_engine

from riskscreen.lint.codes import CODES
from riskscreen.packs import problem_codes
from riskscreen.packs.expression_errors import expression_problem

PACKS = Path(problem_codes.__file__).parent


def test_every_named_code_is_in_the_catalogue() -> None:
    named = {name: getattr(problem_codes, name) for name in problem_codes.__all__}
    assert len(set(named.values())) == len(named)  # one name per code
    for name, code in named.items():
        assert code in CODES, name
        assert CODES[code].severity == "error", name


def test_the_loader_writes_no_bare_code() -> None:
    for module in ("loader.py", "setchecks.py", "expression_errors.py"):
        tree = ast.parse((PACKS / module).read_text(encoding="utf-8"))
        bare = [
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value[:2] == "RS"
            and node.value[2:].isdigit()
        ]
        assert bare == [], module


def test_expression_problems_carry_offset_message_and_code() -> None:
    context = rule_engine.Context(
        type_resolver=rule_engine.type_resolver_from_dict({"depth": rule_engine.DataType.FLOAT})
    )
    cases = {
        "depth >": ("syntax error at end of expression", problem_codes.SYNTAX_ERROR, 7),
        "dept > 1": ("unknown symbol 'dept'; did you mean 'depth'?", problem_codes.UNKNOWN_SYMBOL, 0),
        "depth + 'a' > 1": (None, problem_codes.EXPRESSION_ERROR, None),
    }
    for text, (message, code, offset) in cases.items():
        try:
            rule_engine.Rule(text, context=context)
        except rule_engine.errors.EngineError as exc:
            found = expression_problem(text, context, exc)
        else:
            raise AssertionError(f"{text!r} parsed")
        assert found is not None
        assert found[2] == code, text
        if message is not None:
            assert found[1] == message and found[0] == offset, text
    assert expression_problem("x", context, KeyError("x")) is None
