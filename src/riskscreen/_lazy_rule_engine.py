"""rule-engine without its parser until something needs one.

Importing ``rule_engine`` runs its package ``__init__``, which imports ``rule_engine.engine``,
whose ``Rule`` class builds the grammar's parser tables as a class attribute: about half a
second on a slow machine, on every start, although screening with a cached rule set never
parses an expression (the compiled rules need rule-engine's types, errors and tree classes,
not its parser).

:func:`install` (run when riskscreen is imported) puts the ``rule_engine`` package in
``sys.modules`` *without running its ``__init__``*: its submodules (``rule_engine.types``,
``rule_engine.errors``, ``rule_engine.ast``, ...) import normally and are the very modules
rule-engine itself uses. The first time anything asks the package for a name its
``__init__`` defines (``rule_engine.Rule``, ``rule_engine.Context``, ...), the ``__init__``
runs in place, exactly as an ordinary import would have run it, and the name is returned.
Names that are re-exports of a submodule (``DataType``, the error classes) are answered from
that submodule without it. If rule-engine was imported before riskscreen, nothing is done.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any

__all__ = ["install", "loaded"]

_NAME = "rule_engine"


def loaded() -> bool:
    """Whether rule-engine's package ``__init__`` (and so its parser) has run."""
    module = sys.modules.get(_NAME)
    return module is not None and not getattr(module, "__riskscreen_deferred__", False)


def install() -> None:
    """Register ``rule_engine`` with its ``__init__`` deferred (once; never over a real import)."""
    if _NAME in sys.modules:
        return
    spec = importlib.util.find_spec(_NAME)
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return  # not installed as a package: let the ordinary import report it
    module = importlib.util.module_from_spec(spec)
    module.__dict__["__riskscreen_deferred__"] = True

    def __getattr__(name: str) -> Any:
        if module.__dict__.get("__riskscreen_deferred__"):
            if name == "DataType":
                return importlib.import_module(f"{_NAME}.types").DataType
            if name.endswith("Error"):
                errors = importlib.import_module(f"{_NAME}.errors")
                if hasattr(errors, name):
                    return getattr(errors, name)
            if importlib.util.find_spec(f"{_NAME}.{name}") is not None:
                return importlib.import_module(f"{_NAME}.{name}")  # a submodule, as `from . import`
            _initialise(module, spec)
            if name in module.__dict__:
                return module.__dict__[name]
        raise AttributeError(f"module {_NAME!r} has no attribute {name!r}")

    module.__dict__["__getattr__"] = __getattr__
    sys.modules[_NAME] = module


def _initialise(module: ModuleType, spec: Any) -> None:
    module.__dict__["__riskscreen_deferred__"] = False
    try:
        spec.loader.exec_module(module)
    except BaseException:
        module.__dict__["__riskscreen_deferred__"] = True
        raise
