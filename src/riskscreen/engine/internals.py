"""Every private part of rule-engine riskscreen touches, in one place, each with its reason.

rule-engine has no public way to do these few things; each accessor below says why it is
needed. Nothing here imports rule-engine at module level (the import costs about half a
second, which screening from the rule-set cache avoids). They are pinned to rule-engine 5
(``rule-engine>=5.0,<6`` in pyproject.toml); ``tests/engine/test_internals.py``
fails, naming the accessor, as soon as a version changes one of them, and
``make rule-engine-next`` runs that test and the compiler's differential tests against
rule-engine's newest pre-release.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "OBJECT_TYPE_ATTRIBUTE",
    "compiled_regex",
    "context_resolver",
    "data_type_definition",
    "new_value",
    "object_type",
    "reset_regex_groups",
    "reset_regex_groups_source",
    "set_compiled_regex",
    "set_regex_groups",
    "validate_function",
]

#: ``GetAttributeExpression._object_type``: the typed object an attribute is read from.
#: The compiler reads it to know a chain of attributes is a path through an observation
#: (``attrs.depth_m``), and tree walkers must not descend into it.
OBJECT_TYPE_ATTRIBUTE = "_object_type"


def context_resolver(context: Any) -> Any:
    """The type resolver a ``Context`` was built with (``Context.__resolver``, name-mangled).

    The compiler and the rule-set cache recognise riskscreen's own contexts by it (the
    bound ``SymbolTable.resolve``); rule-engine keeps it only under a private name.
    """
    return getattr(context, "_Context__resolver", None)


def reset_regex_groups(context: Any) -> None:
    """Forget the groups of the last regex match (``context._tls.reset()``).

    rule-engine clears them at the start of ``Rule.evaluate``; code that evaluates an
    expression without that method (the compiler, the explainer) must do the same, or
    ``$re_groups`` would show a previous record's match.
    """
    context._tls.reset()


def reset_regex_groups_source(context_name: str) -> str:
    """:func:`reset_regex_groups` as generated source, over the global ``context_name``.

    Generated code calls the method directly (no extra call per evaluation).
    """
    return f"{context_name}._tls.reset()"


def set_regex_groups(context: Any, groups: Any) -> None:
    """Record a match's groups for ``$re_groups`` (``context._tls.regex_groups``), as rule-engine does."""
    context._tls.regex_groups = groups


def compiled_regex(node: Any) -> Any:
    """The compiled pattern of a regex comparison (``FuzzyComparisonExpression._right``).

    The compiler calls its ``match`` / ``search`` directly instead of walking the node.
    """
    return node._right


def set_compiled_regex(node: Any, pattern: Any) -> None:
    """Replace a regex comparison's compiled pattern (by an RE2 one: linear time on any input)."""
    node._right = pattern


def object_type(node: Any) -> Any:
    """The typed object an attribute is read from (see :data:`OBJECT_TYPE_ATTRIBUTE`), or ``None``."""
    return getattr(node, OBJECT_TYPE_ATTRIBUTE, None)


def validate_function(function_type: Any, arguments: tuple[Any, ...]) -> None:
    """rule-engine's argument checks of a typed function call (``FunctionCallExpression._validate_function``).

    Compiled code evaluates the arguments itself and leaves the checks (and their
    messages) to rule-engine. The method reads nothing of its call node, so it is called
    without one: compiled code keeps no syntax tree (a rule set read from the cache has
    none, and parsing its rules again would build rule-engine's parser).
    """
    from rule_engine.ast import FunctionCallExpression

    FunctionCallExpression._validate_function(None, function_type, arguments)


class _NodeContext:
    """What ``ExpressionBase._new_value`` reads of its node: ``node.context.default_timezone``."""

    __slots__ = ("context", "default_timezone")

    def __init__(self, default_timezone: Any) -> None:
        self.context = self
        self.default_timezone = default_timezone


def new_value(value: Any, default_timezone: Any) -> Any:
    """A Python value in rule-engine's form (``ExpressionBase._new_value``: Decimal, tuple ...).

    The method reads only its node's ``context.default_timezone`` (naive times take it),
    which is given here instead of the node, for the reason :func:`validate_function` gives.
    """
    from rule_engine.ast import ExpressionBase

    return ExpressionBase._new_value(_NodeContext(default_timezone), value)


def data_type_definition() -> type:
    """``rule_engine.types._DataTypeDef``, the class of every rule-engine type.

    The rule-set cache recognises types by it, to store them by name and parts (they do
    not pickle as they are).
    """
    from rule_engine import types

    return types._DataTypeDef  # type: ignore[no-any-return]
