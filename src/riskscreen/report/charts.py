"""The report's charts as SVG text, drawn with matplotlib.

Text stays text (``svg.fonttype: none``): the Chinese labels are ``<text>`` elements the
browser or printer draws with its own fonts, so the server needs no CJK font. The same
report gives byte-identical SVG (a fixed hash salt, no creation date), so reports can be
compared and cached.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .labels import PRIORITY_COLORS, PRIORITY_COLUMNS
from .model import WeeklyReport

__all__ = ["category_chart", "trend_chart", "village_chart"]

# Chinese-capable fonts first (they only help matplotlib measure labels where installed);
# the SVG names the same list, so the reader's browser picks what it has.
_FONTS = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
    "DejaVu Sans",
]
_STYLE: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "riskscreen",
    "font.family": "sans-serif",
    "font.sans-serif": _FONTS,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    # labels are village names from reports: "$...$" in one is text, not TeX to typeset
    # (a malformed one made matplotlib raise and the report fail)
    "text.parse_math": False,
}
_MAX_VILLAGES = 15


@contextmanager
def _style() -> Iterator[None]:
    style: Any = _STYLE  # matplotlib types the keys as a Literal of every rc name
    with matplotlib.rc_context(style), warnings.catch_warnings():
        # without a CJK font matplotlib warns for every glyph it cannot measure; the
        # browser draws them, so the warning says nothing useful here
        warnings.filterwarnings("ignore", message=r".*[Gg]lyph.*missing", category=UserWarning)
        warnings.filterwarnings("ignore", message=r"findfont", category=UserWarning)
        yield


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    text = buffer.getvalue()
    # inline in HTML: drop the XML prologue, let the page size the drawing
    text = text[text.index("<svg") :]
    return re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 class="chart"', text, count=1)


def _wrap(label: str, width: int = 4) -> str:
    """A category label on lines of ``width`` Chinese characters (ids at their underscores)."""
    if label.isascii():
        return label.replace("_", "\n")
    return "\n".join(label[i : i + width] for i in range(0, len(label), width))


def _empty(axes: Axes, message: str) -> None:
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes, color="#666666")
    axes.set_xticks([])
    axes.set_yticks([])


def category_chart(report: WeeklyReport) -> str:
    """New cases per category, stacked by priority in the band colours."""
    with _style():
        figure = Figure(figsize=(7.0, 3.2))
        axes = figure.subplots()
        axes.set_title(f"{report.period} 新增案件（按类别、优先级）")
        rows = [g for g in report.by_category if g.new]
        if not rows:
            _empty(axes, "本期无新增案件")
        else:
            positions = list(range(len(rows)))
            bottom = [0] * len(rows)
            for key, name in PRIORITY_COLUMNS.items():
                values = [g.by_priority.get(key, 0) for g in rows]
                if not any(values):
                    continue
                axes.bar(positions, values, 0.6, bottom=bottom, color=PRIORITY_COLORS[key], label=name)
                bottom = [b + v for b, v in zip(bottom, values, strict=True)]
            for x, total in zip(positions, bottom, strict=True):
                axes.annotate(
                    str(total),
                    (x, total),
                    ha="center",
                    va="bottom",
                    xytext=(0, 2),
                    textcoords="offset points",
                )
            # wrapped, not rotated: level labels stay readable and never run into each other
            axes.set_xticks(positions, [_wrap(g.label) for g in rows], fontsize=9 if len(rows) <= 8 else 7.5)
            for tick in axes.get_xticklabels():
                tick.set_linespacing(1.5)  # CJK glyphs are tall: the default spacing lets lines touch
            axes.set_ylabel("案件数")
            axes.set_ylim(0, max(bottom) * 1.18)
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
            axes.legend(
                frameon=False,
                ncols=5,
                loc="upper center",
                bbox_to_anchor=(0.5, -0.16 if all(len(g.label) <= 4 for g in rows) else -0.24),
            )
        return _svg(figure)


def trend_chart(report: WeeklyReport) -> str:
    """New against resolved cases over the trend's periods, with cases in progress."""
    with _style():
        figure = Figure(figsize=(7.0, 3.0))
        axes = figure.subplots()
        axes.set_title(f"近{len(report.trend)}期趋势：新增与整改销号")
        labels = [
            p.period.split("-", 1)[1] if "-W" in p.period else p.start.strftime("%m-%d") for p in report.trend
        ]
        positions = list(range(len(labels)))
        width = 0.38
        axes.bar(
            [x - width / 2 for x in positions],
            [p.new for p in report.trend],
            width,
            color="#d62728",
            label="新增",
        )
        axes.bar(
            [x + width / 2 for x in positions],
            [p.resolved for p in report.trend],
            width,
            color="#2ca02c",
            label="整改销号",
        )
        # one scale for all three: a second axis would make the line look comparable to the bars
        axes.plot(
            positions,
            [p.in_progress for p in report.trend],
            color="#333333",
            marker="o",
            linewidth=1.2,
            label="期末在办",
        )
        axes.set_xticks(positions, labels)
        axes.set_ylabel("案件数")
        # at least 0..1, so that weeks without cases do not get fractional ticks
        peak = max((max(p.new, p.resolved, p.in_progress) for p in report.trend), default=0)
        axes.set_ylim(0, max(peak, 1) * 1.1)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend(frameon=False, ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.12))
        return _svg(figure)


def village_chart(report: WeeklyReport) -> str:
    """Per village: cases still in progress at the end against cases resolved in the period."""
    rows = sorted(report.by_village, key=lambda g: (-(g.in_progress + g.resolved), g.label))[:_MAX_VILLAGES]
    rows.reverse()  # the busiest village at the top of a horizontal chart
    with _style():
        # room for two bars and their value labels per village
        figure = Figure(figsize=(7.0, 1.2 + 0.38 * max(len(rows), 3)))
        axes = figure.subplots()
        more = len(report.by_village) - len(rows)
        suffix = f"（前{len(rows)}个，另有{more}个）" if more > 0 else ""
        axes.set_title(f"各村在办与销号{suffix}", pad=20)
        if not rows:
            _empty(axes, "本期无案件")
        else:
            positions = list(range(len(rows)))
            height = 0.4
            open_values = [g.in_progress for g in rows]
            done_values = [g.resolved for g in rows]
            axes.barh(
                [y + height / 2 for y in positions], open_values, height, color="#ff7f0e", label="期末在办"
            )
            axes.barh(
                [y - height / 2 for y in positions], done_values, height, color="#2ca02c", label="整改销号"
            )
            for y, value in zip(positions, open_values, strict=True):
                if value:
                    axes.annotate(
                        str(value),
                        (value, y + height / 2),
                        va="center",
                        xytext=(2, 0),
                        textcoords="offset points",
                        fontsize=7,
                    )
            for y, value in zip(positions, done_values, strict=True):
                if value:
                    axes.annotate(
                        str(value),
                        (value, y - height / 2),
                        va="center",
                        xytext=(2, 0),
                        textcoords="offset points",
                        fontsize=7,
                    )
            # a village name found in two districts is told apart by its district
            shared = {g.label for g in rows if sum(r.label == g.label for r in rows) > 1}
            names = [f"{g.district}·{g.label}" if g.label in shared else g.label for g in rows]
            axes.set_yticks(positions, names)
            axes.set_xlabel("案件数")
            axes.xaxis.set_major_locator(MaxNLocator(integer=True))
            axes.set_xlim(0, max(open_values + done_values) * 1.15 + 0.5)
            # above the bars, under the title: never on top of a long bar
            axes.legend(
                frameon=False, ncols=2, loc="lower center", bbox_to_anchor=(0.5, 1.0), borderaxespad=0.2
            )
        return _svg(figure)
