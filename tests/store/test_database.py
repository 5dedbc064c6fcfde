"""Opening the store: schema versions, unreachable databases, crashes mid-ingest, site identity."""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from riskscreen import Screener
from riskscreen.store import SchemaOutdatedError, SchemaTooNewError, StoreUnreachableError, Tracker
from riskscreen.store.sites import METRES_PER_DEGREE, GeoGrid, distance_m, normalise_address

from .helpers import report


def _set_revision(url: str, revision: str | None) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        if revision is None:
            connection.execute(text("DELETE FROM alembic_version"))
        else:
            connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    engine.dispose()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "riskscreen", *args], capture_output=True, text=True, check=False
    )


def test_an_older_schema_asks_for_an_upgrade_and_db_upgrade_brings_it_up(
    screener: Screener, db_url: str
) -> None:
    from riskscreen.store import database

    engine = database.connect(db_url)
    database.upgrade(engine, "0001")  # the first schema, as an older riskscreen left it
    engine.dispose()
    with pytest.raises(SchemaOutdatedError, match="riskscreen db upgrade --db"):
        Tracker(None, db_url)
    listed = cli("cases", "list", "--db", db_url)
    assert listed.returncode == 2
    assert "run `riskscreen db upgrade --db" in listed.stderr
    upgraded = cli("db", "upgrade", "--db", db_url)
    assert upgraded.returncode == 0, upgraded.stderr
    assert cli("cases", "list", "--db", db_url).returncode == 0


def _bucket_as_written_before(lat: float, lon: float, radius_m: float) -> str:
    """The bucket a store written with ``radius_m`` kept before buckets were fixed at 50 m."""
    row = math.floor(lat * METRES_PER_DEGREE / radius_m)
    middle = (row + 0.5) * radius_m / METRES_PER_DEGREE
    scale = math.cos(math.radians(middle))
    return f"{row}:{math.floor(lon * METRES_PER_DEGREE * scale / (radius_m * 0.999))}"


def test_db_upgrade_moves_buckets_written_with_another_radius_so_the_sites_are_found(
    screener: Screener, db_url: str
) -> None:
    from riskscreen.store import TrackerOptions

    lat, lon = 36.60482, 116.937009
    wide = TrackerOptions(site_radius_m=200)
    with Tracker(screener, db_url, options=wide) as tracker:
        tracker.ingest([report("o1", "2026-11-02T09:00", address=None, grid_id=None, lat=lat, lon=lon)])
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:  # the store as the previous version wrote it
        connection.execute(
            text("UPDATE sites SET cell = :c"), {"c": _bucket_as_written_before(lat, lon, 200)}
        )
    engine.dispose()
    _set_revision(db_url, "0002")
    with pytest.raises(SchemaOutdatedError):
        Tracker(None, db_url)
    upgraded = cli("db", "upgrade", "--db", db_url)
    assert upgraded.returncode == 0, upgraded.stderr
    with Tracker(screener, db_url, options=wide) as tracker:
        tracker.ingest(
            [report("o2", "2026-11-02T10:00", address=None, grid_id=None, lat=lat + 0.001, lon=lon)]
        )
        assert [c.observation_ids for c in tracker.cases()] == [["o1", "o2"]]


def test_a_newer_schema_is_refused(screener: Screener, db_url: str) -> None:
    Tracker(screener, db_url).close()
    _set_revision(db_url, "9999_future")
    with pytest.raises(SchemaTooNewError, match="newer riskscreen"):
        Tracker(None, db_url)
    for args in (("cases", "list"), ("db", "upgrade")):
        done = cli(*args, "--db", db_url)
        assert done.returncode == 2
        assert "newer riskscreen" in done.stderr


@pytest.mark.parametrize(
    "url",
    ["postgresql://nobody:wrong@127.0.0.1:1/none", "sqlite:////no/such/folder/cases.db", "not a url"],
)
def test_an_unreachable_database_is_a_clear_error(url: str) -> None:
    with pytest.raises(StoreUnreachableError, match="cannot"):
        Tracker(None, url)
    done = cli("cases", "list", "--db", url)
    assert done.returncode == 2
    assert done.stderr.startswith("riskscreen: cannot")
    assert "wrong" not in done.stderr  # no password in messages


def test_db_commands_never_print_the_password(db_url: str) -> None:
    from sqlalchemy.engine import make_url

    password = make_url(db_url).password  # PostgreSQL's; a SQLite URL has none to hide
    for action in ("upgrade", "status"):
        done = cli("db", action, "--db", db_url)
        assert done.returncode == 0, done.stderr
        if password:
            assert f":{password}@" not in done.stdout + done.stderr and ":***@" in done.stdout
        else:
            assert done.stdout.startswith(db_url)


class Crash(Exception):
    pass


def test_a_crash_mid_ingest_keeps_whole_chunks_and_a_rerun_completes_without_double_counting(
    screener: Screener, db_url: str
) -> None:
    from riskscreen.store import TrackerOptions

    records = [
        report(f"r{i}", f"2026-11-0{1 + i % 7}T{8 + i % 10:02d}:00", address=f"东村{i % 4}号")
        for i in range(25)
    ]

    def crashing() -> Iterator[dict[str, Any]]:
        for i, record in enumerate(records):
            if i == 17:
                raise Crash
            yield record

    tracker = Tracker(screener, db_url, options=TrackerOptions(chunk_size=5))
    with pytest.raises(Crash):
        tracker.ingest(crashing())
    stored = list(tracker.reports())
    assert len(stored) == 15  # three whole chunks; the fourth rolled back
    assert sum(c.reports for c in tracker.cases()) == 15
    rerun = tracker.ingest(records)
    assert (rerun.skipped, rerun.screened) == (15, 10)
    cases = tracker.cases()
    assert sum(c.reports for c in cases) == 25
    assert len(cases) == 4
    assert sorted(i for c in cases for i in c.observation_ids) == sorted(r["id"] for r in records)


def test_the_migrations_create_the_tables_the_code_declares(tmp_path: Path) -> None:
    from sqlalchemy import inspect

    from riskscreen.store.tables import metadata

    Tracker.upgrade(f"sqlite:///{tmp_path / 'm.db'}")
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    inspector = inspect(engine)
    for table in metadata.sorted_tables:
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        assert columns == {c.name for c in table.columns}, table.name
        indexes = {i["name"] for i in inspector.get_indexes(table.name)}
        assert indexes == {i.name for i in table.indexes}, table.name
    engine.dispose()


# -- site identity -------------------------------------------------------------------


def test_spellings_of_one_address_meet() -> None:
    spellings = ["东村3号", "东村 3号", "东村三号", "东村３号", "东村 三 号", "东村3#"]
    assert {normalise_address(s) for s in spellings} == {"东村3号"}
    assert normalise_address("东村十二号") == normalise_address("东村12号") != normalise_address("东村2号")
    assert normalise_address("东村二十三号") == "东村23号"


@given(st.text(alphabet="东西村路号一二三四五六七八九十0123456789", min_size=1, max_size=12), st.data())
def test_spaces_and_full_width_digits_never_change_a_site(address: str, data: st.DataObject) -> None:
    spaced = "".join(c + data.draw(st.sampled_from(["", " ", "　"])) for c in address)
    wide = spaced.translate({ord(str(d)): chr(0xFF10 + d) for d in range(10)})
    assert normalise_address(wide) == normalise_address(address)


@given(
    st.floats(min_value=-70, max_value=70),
    st.floats(min_value=-179, max_value=179),
    st.floats(min_value=0, max_value=2 * math.pi),
    st.floats(min_value=0, max_value=1),
    st.sampled_from([10.0, 50.0, 73.5, 200.0, 1000.0]),
)
# a point due east a hair under 50 m, two columns from the point's own: it was missed
# when the neighbourhood was the nine buckets around the point
@example(-56.09768568805128, 54.50877982252874, math.pi / 2, 0.99962, 50.0)
def test_every_point_within_the_radius_is_in_the_neighbourhood(
    lat: float, lon: float, bearing: float, fraction: float, radius: float
) -> None:
    grid = GeoGrid(radius)
    metres = radius * fraction
    other_lat = lat + metres * math.cos(bearing) / 111_195
    other_lon = lon + metres * math.sin(bearing) / (111_195 * math.cos(math.radians(lat)))
    if distance_m(lat, lon, other_lat, other_lon) <= radius:
        assert grid.cell(other_lat, other_lon) in grid.neighbourhood(lat, lon)


def test_a_point_has_one_bucket_whatever_the_radius() -> None:
    # buckets are stored with the sites: they must not move when the radius does
    assert len({GeoGrid(radius).cell(36.61020, 116.94010) for radius in (5, 50, 120, 2000)}) == 1


def test_a_reader_never_creates_a_store_where_none_is(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    with pytest.raises(StoreUnreachableError, match="no history store there"):
        Tracker(None, f"sqlite:///{missing}")
    done = cli("cases", "list", "--db", f"sqlite:///{missing}")
    assert done.returncode == 2
    assert "the file does not exist" in done.stderr
    assert not missing.exists()


def test_a_reader_never_creates_the_schema_in_an_empty_database(db_url: str, screener: Screener) -> None:
    if db_url.startswith("sqlite"):
        path = db_url.removeprefix("sqlite:///")
        Path(path).touch()  # an empty file: a database without a store
    with pytest.raises(StoreUnreachableError, match="no history store in this database yet"):
        Tracker(None, db_url)
    for command in (("cases", "list"), ("report", "--week", "2026-W27", "--format", "json")):
        done = cli(*command, "--db", db_url)
        assert done.returncode == 2, done.stderr
        assert "db upgrade" in done.stderr
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        tables = connection.dialect.get_table_names(connection)
    engine.dispose()
    assert tables == []  # nothing written
    # a writer (and db upgrade) still makes the store
    with Tracker(screener, db_url) as tracker:
        assert tracker.cases() == []


def test_a_lock_wait_that_times_out_is_a_store_error_and_keeps_nothing(
    screener: Screener, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from riskscreen.store import StoreError, database

    url = f"sqlite:///{tmp_path / 'busy.db'}"
    Tracker(screener, url).close()
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.2)
    tracker = Tracker(screener, url)
    holder = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing, and not letting go
    try:
        with pytest.raises(StoreError, match=r"database .* failed: database is locked"):
            tracker.ingest([report("r1", "2026-11-02T09:00")])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert list(tracker.reports()) == []
    assert tracker.ingest([report("r1", "2026-11-02T09:00")]).new == 1
