"""``construct.builder``: models from complete dicts, as the validating constructor makes them."""

from __future__ import annotations

from typing import Any

import pytest

from riskscreen.construct import builder, validating
from riskscreen.models import Insufficient, Provenance

_undecided = builder(Insufficient, ("rule_id", "missing", "severity", "score"))
_provenance = builder(Provenance)


def _entry(**changes: Any) -> dict[str, Any]:
    return {
        "rule_id": "R-1",
        "missing": ["attrs.depth_m"],
        "error": None,
        "severity": "high",
        "score": 60.0,
        **changes,
    }


def test_a_built_model_is_the_constructors_model() -> None:
    built = _undecided(_entry())
    made = Insufficient(rule_id="R-1", missing=["attrs.depth_m"], severity="high", score=60.0)
    assert built == made and built.model_dump_json() == made.model_dump_json()
    assert built.model_fields_set == made.model_fields_set == {"rule_id", "missing", "severity", "score"}
    assert repr(built) == repr(made)
    with validating():
        assert _undecided(_entry()) == made


def test_each_model_has_its_own_fields_set() -> None:
    first, second = _undecided(_entry()), _undecided(_entry(rule_id="R-2"))
    assert first.model_fields_set is not second.model_fields_set
    whole = _provenance(
        {"ruleset": "sha256:x", "packs": {}, "plugins": {}, "riskscreen": "1", "settings": ""}
    )
    assert whole.model_fields_set == set(Provenance.model_fields)


def test_under_validating_a_dict_out_of_layout_or_a_bad_value_is_an_error() -> None:
    with validating():
        with pytest.raises(TypeError, match="expected"):
            _undecided({"missing": [], "rule_id": "R-1", "error": None, "severity": None, "score": None})
        with pytest.raises(ValueError, match="less than or equal to 100"):
            _undecided(_entry(score=250.0))


def test_only_fields_of_the_model_can_be_given() -> None:
    with pytest.raises(TypeError, match="no fields"):
        builder(Insufficient, ("rule_id", "reason"))
