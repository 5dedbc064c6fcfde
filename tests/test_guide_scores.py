"""The rule author's guide states the scores that screening gives.

Its "read an alert" section works one combination out by hand, in both languages; the
figures must be the product's, so a change of the scoring model cannot leave the guide
teaching the old one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from riskscreen import Screener

GUIDE = Path(__file__).parents[1] / "docs" / "rule-authoring.md"


@pytest.fixture(scope="module")
def screener(tmp_path_factory: pytest.TempPathFactory) -> Screener:
    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    pack = next(b for b in blocks if b.lstrip("#").split("\n", 1)[1].startswith("pack: quarry"))
    folder = tmp_path_factory.mktemp("my_packs")
    (folder / "quarry.yaml").write_text(pack, encoding="utf-8")
    return Screener([folder], builtin=False)


def _screen(screener: Screener, **attrs: object) -> tuple[float, str]:
    record = {"id": "g-1", "category": "quarry", "reported_at": "2026-07-01T09:00:00+08:00", "attrs": attrs}
    alert = screener.screen(record).alert
    assert alert is not None
    return alert.score, alert.priority


def test_the_worked_combination_in_both_languages_is_what_screening_gives(screener: Screener) -> None:
    score, priority = _screen(screener, has_permit=False, zone="水源保护区", blasting=False)
    assert (score, priority) == (89.5, "P1")
    guide = GUIDE.read_text(encoding="utf-8")
    chinese, english = guide.split("\n## English\n")
    for section in (chinese, english):
        worked = re.findall(r"QRY-002\W{1,3}85\W.{0,8}QRY-001\W{1,3}60\W.*?= (\d+(?:\.\d+)?)", section, re.S)
        assert [float(figure) for figure in worked] == [score]
