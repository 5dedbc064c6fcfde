"""A record's values read path by path (``Record.present``) are those ``Record.lookup`` gives."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from riskscreen.engine.record import Record, split_paths

NAMES = st.sampled_from(["attrs", "location", "history", "id", "depth_m", "village", "x"])
LEAVES = st.one_of(
    st.none(), st.integers(), st.text(max_size=3), st.booleans(), st.lists(st.integers(), max_size=2)
)
VALUES = st.recursive(LEAVES, lambda inner: st.dictionaries(NAMES, inner, max_size=4), max_leaves=12)


@given(
    symbols=st.dictionaries(NAMES, VALUES, max_size=5),
    paths=st.lists(st.lists(NAMES, min_size=1, max_size=4).map(".".join), max_size=8, unique=True),
)
def test_present_values_are_what_lookup_gives(symbols: dict[str, Any], paths: list[str]) -> None:
    record = Record(symbols)
    expected = {p: v for p in paths if (v := record.lookup(p)) is not None}
    assert record.present(split_paths(paths)) == expected
