"""Safe YAML loading that remembers where every key and value came from.

Rule authors are told ``path:line:col`` for every problem, including positions inside an
expression, so the loader keeps each node's span. Only PyYAML's safe constructors are used:
no tag can build a Python object.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import Problem, SourceLocation

__all__ = ["Path", "SourceMap", "YamlDocument", "load_yaml"]

Path = tuple[Hashable, ...]

#: Upper bound on nodes built from one document; aliases can multiply a small file
#: ("billion laughs"), so the walk stops with an error instead of exhausting memory.
MAX_NODES = 200_000


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    line: int
    column: int
    style: str | None


@dataclass
class SourceMap:
    """Positions of the keys and values of one YAML document, by path."""

    path: str
    text: str
    keys: dict[Path, _Span] = field(default_factory=dict)
    values: dict[Path, _Span] = field(default_factory=dict)
    data: Any = None
    _line_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        starts = [0]
        starts.extend(i + 1 for i, ch in enumerate(self.text) if ch == "\n")
        self._line_starts = starts

    def _from_index(self, index: int) -> SourceLocation:
        line = bisect.bisect_right(self._line_starts, index) - 1
        return SourceLocation(self.path, line + 1, index - self._line_starts[line] + 1)

    def location(self, where: Path, *, key: bool = False) -> SourceLocation:
        """The location of the value (or key) at ``where``, or its nearest recorded ancestor."""
        probe = tuple(where)
        while True:
            table = self.keys if key and probe in self.keys else self.values
            span = table.get(probe)
            if span is not None:
                return SourceLocation(self.path, span.line, span.column)
            if not probe:
                return SourceLocation(self.path, 1, 1)
            probe = probe[:-1]

    def key_location(self, where: Path) -> SourceLocation:
        """The location of the key that introduces ``where`` (falls back to the value)."""
        return self.location(where, key=True)

    def offset_location(self, where: Path, offset: int) -> SourceLocation:
        """The file position of character ``offset`` inside the string value at ``where``.

        Quoted, folded and block scalars put the value's characters at different places
        in the file; the value is aligned with its raw source text character by character,
        which holds for every scalar style except escape sequences.
        """
        span = self.values.get(tuple(where))
        if span is None:
            return self.location(where)
        raw = self.text[span.start : span.end]
        j = 0
        if span.style in ("|", ">"):
            newline = raw.find("\n")
            j = newline + 1 if newline >= 0 else len(raw)
        elif span.style in ("'", '"'):
            j = 1
        value = self._scalar_text(where)
        target = max(0, min(offset, len(value)))
        for ch in value[:target]:
            found = raw.find(ch, j)
            if found < 0:
                break
            j = found + 1
        while j < len(raw) and raw[j] in " \t\r\n":
            j += 1
        return self._from_index(span.start + min(j, max(len(raw) - 1, 0)))

    def _scalar_text(self, where: Path) -> str:
        data: Any = self.data
        for part in where:
            data = data[part]
        return str(data)


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML document and the positions of its parts."""

    data: Any
    source: SourceMap


class _Loader(yaml.SafeLoader):
    """YAML 1.2 booleans: only ``true`` and ``false``.

    Editors read YAML 1.2, where ``yes``, ``no``, ``on`` and ``off`` are text; reading them
    as booleans here would let ``enabled: yes`` pass the loader while the JSON Schema in the
    editor flags it. Read as text, the loader refuses it exactly as the schema does.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(text: str, path: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse ``text`` safely; return the document or the problems that stopped it."""
    source = SourceMap(path, text)
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return YamlDocument({}, source), []
            builder = _Builder(loader, source)
            data = builder.build(node, ())
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = SourceLocation(path, mark.line + 1, mark.column + 1) if mark else SourceLocation(path)
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return None, [Problem(where, f"YAML syntax error: {message}", "RS101")]
    except yaml.YAMLError as exc:
        return None, [Problem(SourceLocation(path), f"YAML error: {exc}", "RS101")]
    except _TooLargeError:
        return None, [
            Problem(
                SourceLocation(path, 1, 1),
                f"document expands to more than {MAX_NODES} nodes (too many aliases?)",
                "RS102",
            )
        ]
    source.data = data
    # duplicate keys and bad scalars are reported, and the rest of the file is still checked
    return YamlDocument(data, source), builder.problems


_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)


class _TooLargeError(Exception):
    pass


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, source: SourceMap) -> None:
        self.loader = loader
        self.source = source
        self.count = 0
        self.problems: list[Problem] = []

    def _span(self, node: yaml.Node) -> _Span:
        start, end = node.start_mark, node.end_mark
        style = getattr(node, "style", None)
        return _Span(start.index, end.index, start.line + 1, start.column + 1, style)

    def build(self, node: yaml.Node, where: Path) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLargeError
        self.source.values.setdefault(where, self._span(node))
        if node.tag not in _PLAIN_TAGS:
            # only plain data: no tag may ask for an object to be built
            span = self._span(node)
            self.problems.append(
                Problem(
                    SourceLocation(self.source.path, span.line, span.column),
                    f"YAML tag {node.tag!r} is not allowed in rule files",
                    "RS101",
                )
            )
            return None
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.loader.construct_object(key_node, deep=True)
                if not isinstance(key, Hashable) or isinstance(key, (list, dict)):
                    key = str(key)
                child = (*where, key)
                if key in result:
                    span = self._span(key_node)
                    self.problems.append(
                        Problem(
                            SourceLocation(self.source.path, span.line, span.column),
                            f"duplicate key {key!r}",
                            "RS103",
                        )
                    )
                    continue
                self.source.keys[child] = self._span(key_node)
                result[key] = self.build(value_node, child)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*where, i)) for i, item in enumerate(node.value)]
        try:
            return self.loader.construct_object(node, deep=True)
        except ValueError:
            # e.g. an unquoted impossible date (2026-02-30): keep the text, so the schema
            # reports it where a date is expected and accepts it where text is
            return node.value
