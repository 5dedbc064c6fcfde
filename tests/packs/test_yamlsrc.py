"""Reading YAML with positions: every key and value where it is written, problems at their place."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from riskscreen.packs.yamlsrc import MAX_NODES, load_yaml

TEXT = """\
pack: demo
rules:
  - id: R-1
    when: attrs.depth_m > 10
    enabled: yes
"""


def test_values_and_keys_are_found_where_they_are_written() -> None:
    document, problems = load_yaml(TEXT, "demo.yaml")
    assert problems == [] and document is not None
    source = document.source
    assert str(source.location(("pack",))) == "demo.yaml:1:7"
    assert str(source.location(("rules", 0, "when"))) == "demo.yaml:4:11"
    assert str(source.location(("rules", 0, "when"), key=True)) == "demo.yaml:4:5"
    # a path the document lacks is placed at its nearest written ancestor
    assert str(source.location(("rules", 0, "title"))) == str(source.location(("rules", 0)))


def test_yaml_1_2_booleans_only_true_and_false_are_booleans() -> None:
    document, _ = load_yaml(TEXT + "    other: true\n", "demo.yaml")
    assert document is not None
    rule = document.data["rules"][0]
    assert rule["enabled"] == "yes" and rule["other"] is True


def test_a_syntax_error_is_reported_at_its_line_and_column() -> None:
    document, problems = load_yaml("pack: demo\nrules: [\n", "bad.yaml")
    assert document is None
    assert [(p.code, p.location.path, p.location.line) for p in problems] == [("RS101", "bad.yaml", 3)]


def test_a_duplicate_key_is_reported_and_the_rest_still_read() -> None:
    document, problems = load_yaml("pack: a\ntitle: x\npack: b\n", "dup.yaml")
    assert document is not None
    assert [(p.code, p.location.line) for p in problems] == [("RS103", 3)]


def test_an_alias_bomb_is_refused() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [{', '.join(['*' + chr(96 + i)] * 10)}]")
    document, problems = load_yaml("\n".join(lines) + "\n", "bomb.yaml")
    assert document is None and [p.code for p in problems] == ["RS102"]
    assert str(MAX_NODES) in problems[0].message


@given(st.lists(st.text(alphabet="abc东村 ", min_size=1, max_size=8), min_size=1, max_size=6))
def test_every_list_item_is_located_on_its_own_line(items: list[str]) -> None:
    text = "items:\n" + "".join(f"  - {item!r}\n" for item in items)
    document, problems = load_yaml(text, "list.yaml")
    assert problems == [] and document is not None
    assert document.data["items"] == items
    for index in range(len(items)):
        assert document.source.location(("items", index)).line == index + 2
