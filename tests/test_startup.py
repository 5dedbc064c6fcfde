"""Start-up does only what the command needs: no timings here, only what gets imported.

``riskscreen --version`` imports no part of the screener; a rule set read from the cache
screens records, complete or not, without rule-engine's package being initialised (its
parser tables are what make a cold start slow; settling a rule that read a missing value
runs code generated when the rule was compiled), with the same results as a fresh load;
and rule-engine works in full as soon as something needs its parser (an explanation, a
new pack). The ``screen`` command with a cached rule set imports neither the pack loader
nor rule-engine's syntax tree nor other commands' machinery, and leaves the result
models it has no result for unbuilt.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parents[1]

_SCREEN = """
import json, sys
import riskscreen._lazy_rule_engine as lazy
from riskscreen import Screener
screener = Screener([sys.argv[1]], builtin=False)
built = lazy.loaded()
records = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8")]
complete = [r for r in records if len(r["attrs"]) == int(sys.argv[3])]
results = [r.model_dump(mode="json") for r in screener.iter_screen(complete)]
screened = lazy.loaded()
results += [r.model_dump(mode="json") for r in screener.iter_screen(records)]
settled = lazy.loaded()
print(json.dumps({"built": built, "screened": screened, "settled": settled, "results": results}))
"""


def _python(code: str, *arguments: str, env: dict[str, str] | None = None) -> str:
    environment = {**os.environ, **(env or {})}
    done = subprocess.run(
        [sys.executable, "-c", code, *arguments], capture_output=True, text=True, env=environment, check=True
    )
    return done.stdout


def test_version_imports_nothing_of_the_screener() -> None:
    code = (
        "import sys\nfrom riskscreen.cli.main import main\nmain(['--version'])\n"
        "heavy = ('pydantic', 'riskscreen.screener', 'rich', 'rule_engine.engine')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = _python(code).splitlines()
    assert out[0].startswith("riskscreen ")
    assert out[1] == "[]"


def test_a_cached_rule_set_screens_without_rule_engines_parser(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import workload

    workload.write_packs(workload.generate_rules(60, 3), tmp_path / "packs")
    data = workload.write_observations(tmp_path / "records.jsonl", 150, 3)
    env = {"RISKSCREEN_CACHE_DIR": str(tmp_path / "cache")}
    arguments = (str(tmp_path / "packs"), str(data), str(len(workload.ATTRIBUTES)))
    cold = json.loads(_python(_SCREEN, *arguments, env=env))
    warm = json.loads(_python(_SCREEN, *arguments, env=env))
    assert cold["built"] is True  # a first load parses every expression
    assert (warm["built"], warm["screened"], warm["settled"]) == (False, False, False)
    assert warm["results"] == cold["results"]
    assert any(r["alert"] for r in warm["results"]) and len(warm["results"]) > 150
    # records lacking values were screened: rules read missing values and were settled
    assert any(r["insufficient"] for r in warm["results"])


#: What screening with a cached rule set must not import: rule-engine's parser and syntax
#: tree (with dateutil and ply), the pack loader with its YAML reader and schema, the
#: other commands' machinery (store, report, diff, lint, explain, the law catalogue), the
#: table's rich, and libraries only tests or other extras use.
_NOT_FOR_SCREENING = (
    "rule_engine.engine",
    "rule_engine.parser",
    "rule_engine.ast",
    "dateutil",
    "yaml",
    "riskscreen.packs.loader",
    "riskscreen.packs.schema",
    "riskscreen.packs.yamlsrc",
    "riskscreen.engine.codegen",
    "riskscreen.store.models",
    "riskscreen.store.tracker",
    "sqlalchemy",
    "riskscreen.report",
    "riskscreen.diffing",
    "riskscreen.lint",
    "riskscreen.explain",
    "riskscreen.laws.catalogue",
    "rich",
    "hypothesis",
    "matplotlib",
    "openpyxl",
    "pyarrow",
    "dask",
)

#: Models the command never validates or serialises when nothing is screened: pydantic
#: builds them on first use, not when ``riskscreen.models`` is imported.
_NOT_BUILT = ("Alert", "Finding", "Insufficient", "Provenance", "ScreenResult", "BatchResult")

_COMMAND = """
import json, sys
from riskscreen.cli.main import main
from riskscreen import models
code = main(["screen", *sys.argv[1:], "--no-builtin", "--format", "jsonl"])
heavy = sorted(m for m in json.loads(sys.stdin.read()) if m in sys.modules)
built = sorted(name for name in NOT_BUILT if getattr(models, name).__pydantic_complete__)
print(json.dumps({"code": code, "imported": heavy, "built": built}))
""".replace("NOT_BUILT", repr(_NOT_BUILT))


def _screen_command(*arguments: str, env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _COMMAND, *arguments],
        input=json.dumps(_NOT_FOR_SCREENING),
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_the_screen_command_imports_only_what_screening_needs(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import workload

    packs = tmp_path / "packs"
    workload.write_packs(workload.generate_rules(60, 3), packs)
    data = workload.write_observations(tmp_path / "records.jsonl", 150, 3)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    env = {"RISKSCREEN_CACHE_DIR": str(tmp_path / "cache")}
    cold = _screen_command(str(empty), "--rules", str(packs), env=env)
    assert "riskscreen.packs.loader" in cast(list[str], cold["imported"])  # a first load reads the YAML
    warm = _screen_command(str(empty), "--rules", str(packs), env=env)
    assert warm == {"code": 0, "imported": [], "built": []}
    # records screened, complete or lacking values (settled by generated code): still none of them
    screened = _screen_command(str(data), "--rules", str(packs), env=env)
    assert screened["code"] == 0 and screened["imported"] == []


def test_the_shipped_packs_screen_the_sample_without_rule_engines_parser(tmp_path: Path) -> None:
    # their rules call the plugins' functions: compiled calls keep the call's types, not
    # rule-engine's tree, so a cached rule set runs them without parsing a rule again
    code = (
        "import riskscreen._lazy_rule_engine as lazy\n"
        "from riskscreen.cli.main import main\n"
        "code = main(['screen', sys.argv[1], '--format', 'jsonl'])\n"
        "print(code, lazy.loaded())"
    )
    sample = str(ROOT / "examples" / "observations.jsonl")
    env = {"RISKSCREEN_CACHE_DIR": str(tmp_path / "cache")}
    cold = _python("import sys\n" + code, sample, env=env).splitlines()[-1]
    warm = _python("import sys\n" + code, sample, env=env).splitlines()[-1]
    assert (cold, warm) == ("1 True", "1 False")  # exit code 1: the sample holds broken records


def test_rule_engine_is_whole_once_asked_for() -> None:
    code = (
        "import riskscreen, riskscreen._lazy_rule_engine as lazy\n"
        "import rule_engine\n"
        "from rule_engine import ast, DataType\n"
        "before = lazy.loaded()\n"
        "matched = rule_engine.Rule('a > 1').matches({'a': 2})\n"
        "print(before, matched, lazy.loaded(), DataType.FLOAT is not None)"
    )
    assert _python(code).split() == ["False", "True", "True", "True"]
