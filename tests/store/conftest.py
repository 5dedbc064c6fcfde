"""Fixtures for the history store: the same tests run on SQLite and on PostgreSQL.

PostgreSQL tests need ``RISKSCREEN_TEST_PG_URL`` (a database the tests may wipe); without
it they skip and say why, unless ``RISKSCREEN_REQUIRE_PG=1`` (set in CI), which turns the
skip into a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from riskscreen import Screener

PACKS = Path(__file__).parent / "packs"
PG_ENV = "RISKSCREEN_TEST_PG_URL"


def wipe_postgres(url: str) -> None:
    """Drop everything in the test database's public schema."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL for each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cases.db'}"
        return
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("RISKSCREEN_REQUIRE_PG") == "1":
            pytest.fail(f"{PG_ENV} is not set but RISKSCREEN_REQUIRE_PG=1: PostgreSQL tests must run")
        pytest.skip(
            f"PostgreSQL tests need {PG_ENV}=postgresql://USER:PASSWORD@HOST/DB (a database they may wipe)"
        )
    wipe_postgres(url)
    yield url


@pytest.fixture(scope="session")
def screener() -> Screener:
    """A screener with only the store tests' pack."""
    return Screener([PACKS], builtin=False)
