"""Names say what things are: exceptions end in ``Error`` and nothing else does."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import warnings

import pytest

import riskscreen
from riskscreen import PluginFailure, UnreadableRecord


def modules() -> list[str]:
    names = ["riskscreen"]
    for info in pkgutil.walk_packages(riskscreen.__path__, "riskscreen."):
        if ".store.migrations" not in info.name and not info.name.endswith("__main__"):
            names.append(info.name)
    return names


def test_exceptions_and_only_exceptions_end_in_error() -> None:
    wrong = []
    for name in modules():
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if not inspect.isclass(value) or value.__module__ != name or attribute != value.__name__:
                continue
            is_exception = issubclass(value, BaseException)
            if is_exception != value.__name__.rstrip("_").endswith("Error"):
                wrong.append(f"{name}.{attribute}")
    assert wrong == []


@pytest.mark.parametrize(
    ("module", "old", "new"),
    [
        ("riskscreen", "InvalidInput", UnreadableRecord),
        ("riskscreen", "PluginError", PluginFailure),
        ("riskscreen.models", "PluginError", PluginFailure),
        ("riskscreen.validation", "InvalidInput", UnreadableRecord),
        ("riskscreen.screener", "InvalidInput", UnreadableRecord),
    ],
)
def test_the_earlier_names_still_work_with_a_warning(module: str, old: str, new: type) -> None:
    with pytest.warns(DeprecationWarning, match=f"{old} is deprecated; use .*{new.__name__}"):
        found = getattr(importlib.import_module(module), old)
    assert found is new


def test_plugin_failures_keep_their_json_shape() -> None:
    failure = PluginFailure(plugin="sand", hook="riskscreen_check", message="ValueError: x")
    assert failure.model_dump(mode="json") == {
        "plugin": "sand",
        "hook": "riskscreen_check",
        "message": "ValueError: x",
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        import riskscreen as fresh  # importing the package itself warns about nothing

        assert fresh.Screener
