"""Each private part of rule-engine riskscreen relies on is still there and means the same.

When rule-engine changes one of them, the failing test names the accessor in
:mod:`riskscreen.engine.internals` to adapt. ``make rule-engine-next`` runs this module
against rule-engine's newest pre-release.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from importlib import metadata
from zoneinfo import ZoneInfo

import pytest
import rule_engine
from rule_engine import ast as re_ast

from riskscreen.engine import internals
from riskscreen.engine.symbols import SymbolTable


def context() -> rule_engine.Context:
    resolver = rule_engine.type_resolver_from_dict(
        {"text": rule_engine.DataType.STRING, "n": rule_engine.DataType.FLOAT}
    )
    return rule_engine.Context(type_resolver=resolver)


def test_the_installed_rule_engine_is_the_pinned_major_version() -> None:
    version = metadata.version("rule-engine")
    assert version.split(".")[0] == "5", (
        f"rule-engine {version}: check every accessor of riskscreen.engine.internals"
    )


def test_context_resolver_is_the_resolver_the_context_was_built_with() -> None:
    table = SymbolTable(
        category="other", attrs={}, derived={}, lists={}, macro_names=(), timezone=timezone.utc
    )
    resolver = internals.context_resolver(table.context)
    assert getattr(resolver, "__self__", None) is table
    assert getattr(resolver, "__func__", None) is SymbolTable.resolve


def test_regex_groups_are_kept_per_thread_and_reset() -> None:
    ctx = context()
    rule = rule_engine.Rule("text =~ '(a)(b)'", context=ctx)
    assert rule.matches({"text": "ab", "n": 1})
    assert ctx._tls.regex_groups == ("a", "b")  # what set_regex_groups writes
    internals.reset_regex_groups(ctx)
    assert ctx._tls.regex_groups is None
    internals.set_regex_groups(ctx, ("x",))
    assert rule_engine.Rule("$re_groups[0] == 'x'", context=ctx).statement.expression.evaluate(None) is True
    assert internals.reset_regex_groups_source("ctx") == "ctx._tls.reset()"


def test_a_regex_nodes_compiled_pattern_can_be_read_and_replaced() -> None:
    rule = rule_engine.Rule("text =~ 'a+'", context=context())
    node = rule.statement.expression
    assert isinstance(node, re_ast.FuzzyComparisonExpression)
    pattern = internals.compiled_regex(node)
    assert pattern.match("aa") is not None and hasattr(pattern, "search")
    replaced = type(pattern)  # any object with match/search is used from then on
    internals.set_compiled_regex(node, pattern)
    assert isinstance(internals.compiled_regex(node), replaced)
    assert rule.matches({"text": "aa", "n": 1})


def test_an_attribute_of_a_typed_object_knows_its_object_type() -> None:
    obj = rule_engine.DataType.OBJECT("thing", attributes={"size": rule_engine.DataType.FLOAT})
    resolver = rule_engine.type_resolver_from_dict({"thing": obj})
    rule = rule_engine.Rule("thing.size > 1", context=rule_engine.Context(type_resolver=resolver))
    attribute = rule.statement.expression.left
    assert isinstance(attribute, re_ast.GetAttributeExpression)
    assert internals.object_type(attribute) is obj
    assert hasattr(attribute, internals.OBJECT_TYPE_ATTRIBUTE)


def test_function_calls_validate_and_convert_as_rule_engine_does() -> None:
    function = rule_engine.DataType.FUNCTION(
        "half", return_type=rule_engine.DataType.FLOAT, argument_types=(rule_engine.DataType.FLOAT,)
    )
    resolver = rule_engine.type_resolver_from_dict({"half": function, "n": rule_engine.DataType.FLOAT})
    rule = rule_engine.Rule("half(n) > 1", context=rule_engine.Context(type_resolver=resolver))
    call = rule.statement.expression.left
    assert isinstance(call, re_ast.FunctionCallExpression)
    # called without the node (compiled code keeps none): the same checks and conversions
    internals.validate_function(function, (Decimal(4),))
    for wrong in (("four",), (Decimal(4), Decimal(5))):
        with pytest.raises(rule_engine.errors.FunctionCallError) as without_node:
            internals.validate_function(function, wrong)
        with pytest.raises(rule_engine.errors.FunctionCallError) as with_node:
            call._validate_function(function, wrong)
        assert str(without_node.value) == str(with_node.value)
    zone = call.context.default_timezone
    for value in (2, 2.5, [1, "a"], datetime(2026, 7, 1, 9, 0), "x", None):
        assert internals.new_value(value, zone) == call._new_value(value)
    assert internals.new_value(2, zone) == Decimal(2)
    assert internals.new_value([1, "a"], zone) == (Decimal(1), "a")
    shanghai = ZoneInfo("Asia/Shanghai")
    assert internals.new_value(datetime(2026, 7, 1, 9, 0), shanghai).tzinfo is shanghai


def test_every_rule_engine_type_is_a_data_type_definition() -> None:
    for name in ("FLOAT", "STRING", "BOOLEAN", "DATETIME"):
        assert isinstance(getattr(rule_engine.DataType, name), internals.data_type_definition())
    assert isinstance(
        rule_engine.DataType.ARRAY(rule_engine.DataType.STRING), internals.data_type_definition()
    )
