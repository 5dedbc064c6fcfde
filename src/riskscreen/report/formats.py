"""One entry point for every format: ``render(report, "html" | "xlsx" | "md" | "json")``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from .model import WeeklyReport

__all__ = ["DEFAULT_TITLE", "FORMATS", "Format", "render", "render_bytes"]

#: The heading of HTML and Markdown reports unless another is given.
DEFAULT_TITLE = "风险隐患周报表"

Format = Literal["html", "xlsx", "md", "json"]
#: The formats and their usual file suffixes.
FORMATS: dict[str, str] = {"html": ".html", "xlsx": ".xlsx", "md": ".md", "json": ".json"}


def render_bytes(report: WeeklyReport, form: Format, *, title: str = DEFAULT_TITLE) -> bytes:
    """The report in ``form`` as bytes (UTF-8 for the text formats); ``title`` heads HTML and md."""
    if form == "xlsx":
        from .xlsx import render_xlsx

        return render_xlsx(report)
    if form == "html":
        from .html import render_html

        text = render_html(report, title)
    elif form == "md":
        from .markdown import render_markdown

        text = render_markdown(report, title)
    elif form == "json":
        text = report.model_dump_json(indent=2) + "\n"
    else:
        raise ValueError(f"unknown report format {form!r}; choose one of {', '.join(FORMATS)}")
    return text.encode("utf-8")


def render(
    report: WeeklyReport, form: Format, path: str | os.PathLike[str], *, title: str = DEFAULT_TITLE
) -> Path:
    """Write the report in ``form`` to ``path`` (written whole, then renamed into place)."""
    target = Path(path)
    data = render_bytes(report, form, title=title)
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    except OSError:
        partial.unlink(missing_ok=True)  # a folder named like the report, a read-only one
        raise
    return target
