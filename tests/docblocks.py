"""The code blocks of README.md and docs/: which run, which are files, which are only shown.

The convention every page follows:

* ```` ```python ```` blocks run, in page order, in one namespace per page; a ``print(...)``
  with a trailing comment states what it prints (``print(x)  # P2 76.0: why``): the part
  of the comment before any ``:`` must appear in what the block printed;
* ```` ```sh ```` blocks run line by line in bash; ```` ```console ```` blocks run their
  ``$ `` lines (a line ending in ``\\`` continues on the next);
* a block whose info string has ``notest`` after the language (```` ```sh notest ````) and
  ```` ```text ```` blocks are shown only (a server, a cluster, the network, or output);
* a block right after an HTML comment ``<!-- file: PATH -->`` is a file the page asks the
  reader to save: every such file is written before the page's blocks run (a page may
  use a file in its reference part that its worked example shows in full further down).

Every page runs in a fresh folder where the repository's ``examples/``, ``rules/``,
``tests/``, ``Makefile``, ``.venv`` and a few more are linked, so commands read the
bundled sample as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUNNABLE = frozenset({"python", "sh", "bash", "shell", "console"})
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>```+|~~~+)(?P<info>[^`\n]*)$")
_FILE = re.compile(r"<!--\s*file:\s*(?P<path>\S+)\s*-->")


@dataclass(frozen=True)
class Block:
    """One fenced block: its page, the line of its opening fence, its language and text."""

    page: Path
    line: int
    language: str
    words: tuple[str, ...]
    text: str
    save_as: str | None = None

    @property
    def where(self) -> str:
        """``docs/page.md:12``, for failure messages."""
        return f"{self.page.relative_to(REPO).as_posix()}:{self.line}"

    @property
    def runs(self) -> bool:
        """Whether the doc test runs this block."""
        return self.language in RUNNABLE and "notest" not in self.words

    def commands(self) -> list[str]:
        """The shell commands of an ``sh`` or ``console`` block."""
        lines = self.text.splitlines()
        if self.language == "console":
            lines = [line[2:] for line in _console_commands(lines)]
        joined: list[str] = []
        for line in lines:
            if joined and joined[-1].endswith("\\"):
                joined[-1] = joined[-1][:-1] + " " + line.strip()
            elif line.strip() and not line.lstrip().startswith("#"):
                joined.append(line)
        return joined

    def expected_lines(self) -> list[str]:
        """Output lines a ``console`` block shows (for the figures the page quotes)."""
        if self.language != "console":
            return []
        return [line for line in self.text.splitlines() if not line.startswith("$ ")]


def _console_commands(lines: list[str]) -> list[str]:
    commands: list[str] = []
    continuing = False
    for line in lines:
        if line.startswith("$ ") or continuing:
            commands.append(line if line.startswith("$ ") else "$ " + line)
            continuing = line.rstrip().endswith("\\")
    return commands


def pages() -> list[Path]:
    """README.md and every page under docs/."""
    return [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]


def blocks(page: Path) -> list[Block]:
    """Every fenced block of ``page``, in order."""
    found: list[Block] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match is None:
            i += 1
            continue
        fence, words = match.group("fence"), tuple(match.group("info").split())
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence):
            body.append(lines[j])
            j += 1
        above = "\n".join(lines[max(0, i - 2) : i])
        saved = _FILE.search(above)
        found.append(
            Block(
                page,
                i + 1,
                words[0] if words else "",
                words[1:],
                "\n".join(body) + "\n",
                saved.group("path") if saved else None,
            )
        )
        i = j + 1
    return found
