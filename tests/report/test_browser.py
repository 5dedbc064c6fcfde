"""The HTML report in a real browser: Chinese drawn with a font, no label over another, A4 width.

Needs Chromium and a CJK font (Debian: ``apt-get install chromium fonts-noto-cjk``; CI's
``.ci/run`` installs them and sets ``RISKSCREEN_REQUIRE_BROWSER=1``, which turns a missing
browser into a failure). ``RISKSCREEN_SCREENSHOT_DIR=folder`` keeps the screenshots to look at.
"""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from pathlib import Path

import matplotlib
import pytest

from riskscreen.report import weekly
from riskscreen.report.formats import render
from riskscreen.report.labels import CATEGORY_NAMES

from .browser import find_chromium, layout_check, screenshot
from .histories import W48, build_case, random_cases

NOW = W48 + timedelta(days=8)


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        reason = "needs Chromium and a CJK font (Debian: apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("RISKSCREEN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"RISKSCREEN_REQUIRE_BROWSER=1 but no browser: {reason}")
        pytest.skip(reason)
    return found


def keep(image: Path) -> None:
    folder = os.environ.get("RISKSCREEN_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(image, Path(folder) / image.name)


def crowded_cases() -> list:  # type: ignore[type-arg]
    """Every built-in category and fifteen villages, some with long names, in one week."""
    villages = [f"{name}村" for name in "东西南北中前后上下左右"] + [
        "东风第三村民小组",
        "马家店",
        "杨柳村",
        "孙家洼",
    ]
    cases = []
    for i in range(160):
        category = list(CATEGORY_NAMES)[i % len(CATEGORY_NAMES)]
        steps = [(30.0, "closed")] if i % 3 == 0 else [(30.0, "in_progress")]
        cases.append(
            build_case(
                i,
                W48 + timedelta(hours=1 + i),
                steps,
                category=category,
                village=villages[i % len(villages)],
                district=["北管区", "南管区", "东管区", "西管区"][i % 4],
                priority=["P1", "P2", "P3", "P4", None][i % 5],  # type: ignore[list-item]
            )
        )
    return cases


@pytest.mark.parametrize("data", ["random", "crowded", "empty"])
def test_the_report_page_renders_without_tofu_overlaps_or_overflow(
    chromium: str, tmp_path: Path, data: str
) -> None:
    cases = {"random": random_cases(5, 300), "crowded": crowded_cases(), "empty": []}[data]
    page = render(weekly(cases, "2026-W48", now=NOW), "html", tmp_path / f"report-{data}.html")
    result = layout_check(chromium, page)
    assert result["texts"] >= 10, "the charts' labels should be text the browser lays out"
    assert result["tofu"] == [], "Chinese drawn as missing-glyph boxes: install a CJK font (fonts-noto-cjk)"
    assert result["overlaps"] == [], "chart labels drawn over each other"
    assert result["overflow"] == [], "tables wider than an A4 page's text column"
    keep(screenshot(chromium, page, tmp_path / f"report-{data}.png"))


def test_the_check_sees_tofu_when_no_chinese_font_is_available(
    chromium: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a font configuration with only matplotlib's own Latin fonts: Chinese has no glyphs
    latin = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{latin}</dir>'
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    page = render(weekly(random_cases(5, 40), "2026-W48", now=NOW), "html", tmp_path / "report.html")
    assert layout_check(chromium, page)["tofu"]
