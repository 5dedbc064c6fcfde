"""``riskscreen schema``: JSON Schemas that editors use, in step with the models and the shipped files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from riskscreen import builtin_rules_dir
from riskscreen.cli.main import main
from riskscreen.schemas import SCHEMA_KINDS, json_schema

REPO = Path(__file__).parents[1]
SCHEMAS = REPO / "schemas"


class _Yaml12Loader(yaml.SafeLoader):
    """Reads YAML as editors' language server does: ``2026-07-01`` stays text."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml12Loader)


def validator(kind: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schema(kind))  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_committed_schemas_match_the_models(kind: str) -> None:
    committed = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(kind), (
        f"run: riskscreen schema {kind} --output schemas/{kind}.schema.json"
    )
    jsonschema.Draft202012Validator.check_schema(committed)


SHIPPED = sorted(builtin_rules_dir().glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_files_carry_a_modeline_and_validate(path: Path) -> None:
    kind = "tests" if path.name.endswith(".test.yaml") else "rules"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../schemas/{kind}.schema.json"
    assert (path.parent / "../schemas" / f"{kind}.schema.json").is_file()
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(kind).iter_errors(read_yaml(path))]
    assert errors == []


GOOD_PACK: dict[str, Any] = {
    "pack": "p",
    "version": 1.0,
    "applies_to": ["quarry"],
    "categories": {"quarry": {"attrs": {"depth": "float", "tools": "list[string]"}}},
    "rules": [
        {
            "id": "Q-1",
            "title": "t",
            "when": "attrs.depth > 3",
            "respond_within": "1h30m",
            "valid_from": "06-01",
            "valid_until": "2026-09-30",
            "jurisdiction": {"village": ["东村"]},
        }
    ],
}


def test_the_rules_schema_accepts_what_the_loader_accepts() -> None:
    assert list(validator("rules").iter_errors(GOOD_PACK)) == []


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda p: p["rules"][0].update(severty="high"), ["rules", 0]),
        (lambda p: p["rules"][0].update(severity="urgent"), ["rules", 0, "severity"]),
        (lambda p: p["rules"][0].update(respond_within="2 hours"), ["rules", 0, "respond_within"]),
        (lambda p: p["rules"][0].update(valid_from="June 1"), ["rules", 0, "valid_from"]),
        (lambda p: p["rules"][0].pop("when"), ["rules", 0]),
        (
            lambda p: p["categories"]["quarry"]["attrs"].update(depth="flaot"),
            ["categories", "quarry", "attrs"],
        ),
        (lambda p: p["rules"][0]["jurisdiction"].update(town=["x"]), ["rules", 0, "jurisdiction"]),
    ],
)
def test_the_rules_schema_rejects_what_the_loader_rejects(change: Any, where: list[Any]) -> None:
    pack = json.loads(json.dumps(GOOD_PACK))
    change(pack)
    errors = list(validator("rules").iter_errors(pack))
    assert errors and any(list(e.absolute_path)[: len(where)] == where for e in errors)


def test_the_tests_schema_catches_misspelt_observation_keys() -> None:
    case = {"name": "x", "observation": {"category": "flood", "atrs": {}}, "expect": {"fires": ["F-1"]}}
    errors = list(validator("tests").iter_errors({"tests": [case]}))
    assert [list(e.absolute_path) for e in errors] == [["tests", 0, "observation"]]
    case["observation"] = {"category": "flood", "attrs": {"depth": 3}}
    case["expect"] = {"score": {"min": 60}, "respond_within": "2h", "priority": "P2"}
    assert list(validator("tests").iter_errors({"tests": [case]})) == []


def test_cli_prints_and_writes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["schema", "observation"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "reported_at" in printed["required"]
    target = tmp_path / "rules.schema.json"
    assert main(["schema", "rules", "--output", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == json_schema("rules")
    assert main(["schema", "rules", "--output", str(tmp_path / "missing" / "x.json")]) == 2
