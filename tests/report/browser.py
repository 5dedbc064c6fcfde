"""Render a report page in headless Chromium: a screenshot, and a layout check run in the page.

The check runs inside the browser, after layout, and reports:

- ``overlaps``: pairs of chart labels (SVG ``<text>``) whose boxes overlap;
- ``tofu``: the Chinese characters drawn as the "missing glyph" box (none with a CJK font);
- ``overflow``: tables wider than the page's text column (A4 portrait less margins);
- ``texts``: how many chart labels were measured.

Used by ``tests/report/test_browser.py`` and ``scripts/report_screenshot.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: A4 portrait at 96 dpi is 794 px wide.
A4_WIDTH = 794

_CHECK = r"""
<script>
(function () {
  const result = {overlaps: [], overflow: [], texts: 0};
  for (const svg of document.querySelectorAll("svg.chart")) {
    const boxes = [];
    for (const text of svg.querySelectorAll("text")) {
      const label = text.textContent.trim();
      const box = text.getBoundingClientRect();
      if (label && box.width > 0) boxes.push({label, box});
    }
    result.texts += boxes.length;
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].box, b = boxes[j].box;
        const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (dx > 1 && dy > 1) result.overlaps.push([boxes[i].label, boxes[j].label]);
      }
    }
  }
  const column = document.body.getBoundingClientRect();
  for (const table of document.querySelectorAll("table")) {
    if (table.getBoundingClientRect().right > column.right + 1) result.overflow.push(table.id);
  }
  // a character without a font is drawn as the "missing glyph" box: compare the pixels of
  // Chinese labels with those of a code point no font has
  const style = getComputedStyle(document.body);
  function pixels(character) {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 48;
    const context = canvas.getContext("2d");
    context.font = "32px " + style.fontFamily;
    context.fillText(character, 4, 38);
    return Array.from(context.getImageData(0, 0, 48, 48).data).join(",");
  }
  const box = pixels("\u0378");
  result.tofu = Array.from("新增整改销号村").filter((c) => pixels(c) === box);
  const out = document.createElement("pre");
  out.id = "layout-check";
  out.textContent = JSON.stringify(result);
  document.body.appendChild(out);
})();
</script>
"""


def find_chromium() -> str | None:
    """The path of a Chromium (or Chrome) executable, or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(chromium: str, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tempfile.mkdtemp(prefix="riskscreen-chromium-")
    try:
        return subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "LANG": "C.UTF-8"},
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def layout_check(chromium: str, page: Path) -> dict[str, Any]:
    """Run the layout check in ``page`` (a copy with the check appended is what loads)."""
    html = page.read_text(encoding="utf-8")
    checked = page.with_name(f"{page.stem}.check.html")
    checked.write_text(html.replace("</body>", _CHECK + "</body>"), encoding="utf-8")
    done = _run(chromium, f"--window-size={A4_WIDTH},1200", "--dump-dom", checked.resolve().as_uri())
    match = re.search(r'<pre id="layout-check">(.*?)</pre>', done.stdout, flags=re.S)
    if match is None:
        raise RuntimeError(f"Chromium gave no layout result (exit {done.returncode}): {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    return result


def screenshot(chromium: str, page: Path, image: Path, height: int = 4800) -> Path:
    """A PNG of ``page`` at A4 width (tall enough for the whole report)."""
    done = _run(
        chromium,
        f"--window-size={A4_WIDTH},{height}",
        f"--screenshot={image.resolve()}",
        page.resolve().as_uri(),
    )
    if not image.exists():
        raise RuntimeError(f"Chromium wrote no screenshot (exit {done.returncode}): {done.stderr[-2000:]}")
    return image
