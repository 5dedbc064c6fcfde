"""Every example in README.md and docs/ runs as written (see :mod:`tests.docblocks` for the rules).

Python blocks run in one namespace per page, shell lines in bash with the virtual
environment first on PATH, both in a fresh folder per page. A command may exit 0 or 1
(1 is "some records were errors", "a case failed", "lint found errors": pages show those
on purpose); 2 and above (a usage or rule-load error), or a Python traceback, fail the
page. The counts a console block quotes (``共 N 条记录…``, ``N records: …``,
``N passed, M failed``, ``rule coverage …``) must be what the command printed.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import pytest

from riskscreen.cli.main import main

from .docblocks import REPO, Block, blocks, pages

#: What a page may name from the repository root: read, never written.
_LINKED = (
    "examples",
    "rules",
    "schemas",
    "plugins",
    "tests",
    "benchmarks",
    "fuzz",
    "Makefile",
    "pyproject.toml",
    ".venv",
)
_INSTALLS = re.compile(r"^\s*(\S*pip3?\s+install|\S*python3?\s+-m\s+pip\s+install|make\b|\S*/?activate\b)")
_PRINTED = re.compile(r"^[ \t]*print\(.*\)[ \t]+#[ \t]*(.+)$", re.M)
_SHELL = frozenset({"|", "||", "&&", ";", ">", ">>", "<", "2>", "2>&1", "&"})
_FIGURES = re.compile(r"^(共 \d+ 条记录|\d+ records: |\d+ passed, \d+ failed|rule coverage \d)")


def _page_id(page: Path) -> str:
    return page.relative_to(REPO).as_posix()


def test_the_convention_is_followed() -> None:
    """A block in a language the test cannot run is data or output: it must not look runnable."""
    for page in pages():
        for block in blocks(page):
            if block.language in ("", "sh", "bash", "shell", "console", "python"):
                assert block.language or not block.text.lstrip().startswith("$ "), (
                    f"{block.where}: a block of commands needs a language (console or sh), or text"
                )


@pytest.mark.parametrize("page", pages(), ids=_page_id)
def test_every_example_of_the_page_runs(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = blocks(page)
    if not any(b.runs or b.save_as for b in found):
        return
    for name in _LINKED:
        (tmp_path / name).symlink_to(REPO / name, target_is_directory=(REPO / name).is_dir())
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RISKSCREEN_LANG", raising=False)  # pages show what a user sees: Chinese
    namespace: dict[str, object] = {"__name__": "__doc__"}
    for block in found:
        if block.save_as is not None:
            target = tmp_path / block.save_as
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.text, encoding="utf-8")
    for block in found:
        if block.save_as is not None or not block.runs:
            continue
        elif block.language == "python":
            _run_python(block, namespace)
        else:
            _run_shell(block, tmp_path)


def _run_python(block: Block, namespace: dict[str, object]) -> None:
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(block.text, block.where, "exec"), namespace)
    except Exception:
        pytest.fail(f"{block.where}: the example raised\n{traceback.format_exc(limit=3)}\n{block.text}")
    # `print(...)  # alert P2: why` states what it prints: the part before ":" must be printed
    for stated in _PRINTED.findall(block.text):
        shown = stated.split(":", 1)[0].strip()
        assert shown in printed.getvalue(), (
            f"{block.where}: the page says a print gives {shown!r}; it printed:\n{printed.getvalue()}"
        )


def _run_shell(block: Block, folder: Path) -> None:
    env = dict(os.environ)
    env.pop("RISKSCREEN_LANG", None)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["COLUMNS"] = "80"
    env["NO_COLOR"] = "1"
    printed: list[str] = []
    for command in block.commands():
        # the test must never change the environment it runs in: installing is for people
        assert not _INSTALLS.match(command), (
            f"{block.where}: `{command}` installs into the environment; mark the block notest"
        )
        inside = _in_process(command, folder)
        if inside is not None:
            code, output = inside
        else:
            done = subprocess.run(
                ["bash", "-o", "pipefail", "-c", command],
                cwd=folder,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            code, output = done.returncode, done.stdout + done.stderr
        assert code in (0, 1) and "Traceback (most recent call last)" not in output, (
            f"{block.where}: `{command}` exited {code}:\n{output[-3000:]}"
        )
        printed.extend(output.splitlines())
    for line in block.expected_lines():
        quoted = line.split("  ←", 1)[0].rstrip()
        if _FIGURES.match(quoted):
            assert quoted in printed, f"{block.where}: the page quotes {quoted!r}, the command printed:\n" + (
                "\n".join(p for p in printed if _FIGURES.match(p))
            )


def _in_process(command: str, folder: Path) -> tuple[int, str] | None:
    """Run ``riskscreen ...`` (optionally fed by ``cat FILE |``, or ``> FILE``) without a new process.

    Starting Python and loading the rule set for every line of every page would take minutes;
    the command's own ``main`` gives the same exit code and output. None: run it in bash.
    """
    words = shlex.split(command, comments=True)
    feed: str | None = None
    if len(words) > 3 and words[0] == "cat" and words[2] == "|":
        feed, words = words[1], words[3:]
    target: str | None = None
    if len(words) > 2 and words[-2] == ">":
        target, words = words[-1], words[:-2]
    if not words or words[0] != "riskscreen" or any(w in _SHELL for w in words):
        return None
    out, err = io.StringIO(), io.StringIO()
    # a binary buffer below, as a real standard input has (readers decode it themselves)
    stdin = io.TextIOWrapper(io.BytesIO((folder / feed).read_bytes())) if feed is not None else sys.stdin
    saved = os.environ.get("RISKSCREEN_LANG")
    try:
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            _stdin(stdin),
            _environment(COLUMNS="80", NO_COLOR="1"),
        ):
            try:
                code = main(words[1:])
            except SystemExit as exc:  # argparse's usage errors
                code = int(exc.code or 0)
    finally:
        if saved is None:
            os.environ.pop("RISKSCREEN_LANG", None)  # --lang sets it for the process
        else:
            os.environ["RISKSCREEN_LANG"] = saved
    if target is not None:
        (folder / target).write_text(out.getvalue(), encoding="utf-8")
        return code, err.getvalue()
    return code, out.getvalue() + err.getvalue()


@contextlib.contextmanager
def _stdin(stream: TextIO) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = stream
    try:
        yield
    finally:
        sys.stdin = saved


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
