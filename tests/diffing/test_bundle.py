"""Workers get the packs' contents, not paths: a bundle loads where its files never existed."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import riskscreen
from riskscreen.diffing.bundle import RuleBundle, bundle_screener
from riskscreen.settings import Settings

from .archive import HEAD, REPORTS


def test_a_bundle_screens_after_its_source_folder_is_gone(tmp_path: Path) -> None:
    packs = shutil.copytree(HEAD, tmp_path / "packs")
    bundle = RuleBundle.from_paths([packs], builtin=False, settings=Settings())
    expected = [riskscreen.Screener([packs], builtin=False).screen(r) for r in REPORTS]
    shutil.rmtree(packs)
    shipped = pickle.loads(pickle.dumps(bundle))  # what a worker receives
    assert [name for name, _ in shipped.files] == ["00000-quarry.yaml"]
    screener = bundle_screener(shipped)
    assert screener is bundle_screener(shipped)  # loaded once per process
    got = [screener.screen(r) for r in REPORTS]
    assert [r.alert.priority if r.alert else None for r in got] == [
        r.alert.priority if r.alert else None for r in expected
    ]
    assert [sorted(f.rule_id for f in r.alert.findings) for r in got if r.alert] == [
        sorted(f.rule_id for f in r.alert.findings) for r in expected if r.alert
    ]


def test_bundles_differ_when_their_contents_do(tmp_path: Path) -> None:
    one = RuleBundle.from_paths([HEAD], builtin=False, settings=Settings())
    same = RuleBundle.from_paths(
        [shutil.copytree(HEAD, tmp_path / "copy")], builtin=False, settings=Settings()
    )
    other = RuleBundle.from_paths([HEAD], builtin=False, settings=Settings(local_timezone="UTC"))
    assert one.digest == same.digest != other.digest
