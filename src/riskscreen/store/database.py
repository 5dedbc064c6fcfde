"""Opening the database: engines for SQLite and PostgreSQL, schema version checks, upgrades.

SQLite runs in WAL mode with a busy timeout, and a writing transaction starts with
``BEGIN IMMEDIATE`` so that processes writing at once queue for the lock instead of
failing half-way. PostgreSQL writers take one transaction-level advisory lock (see
:func:`write_lock`), which gives the same order: one writer at a time, readers never wait.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import NullPool

from .errors import SchemaOutdatedError, SchemaTooNewError, StoreError, StoreUnreachableError
from .messages import say

__all__ = [
    "BUSY_TIMEOUT_S",
    "check_schema",
    "connect",
    "current_revision",
    "database_errors",
    "head_revision",
    "is_empty",
    "known_revisions",
    "shown_url",
    "upgrade",
    "write_lock",
    "writer",
]

MIGRATIONS = Path(__file__).parent / "migrations"
#: Seconds a SQLite writer waits for another process's write lock before giving up.
BUSY_TIMEOUT_S = 60.0
#: The advisory lock key PostgreSQL writers share (any constant; "rsk1" in ASCII).
ADVISORY_KEY = 0x72736B31
_WRITE = "riskscreen_write"


def _alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The schema revision this version of riskscreen writes."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> list[str]:
    """Revisions shipped with this version, oldest first."""
    script = ScriptDirectory.from_config(_alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def connect(url: str, *, create: bool = True) -> Engine:
    """An engine for ``url``; raises :class:`StoreUnreachableError` when it cannot connect.

    With ``create=False`` a SQLite file that does not exist is an error rather than a new,
    empty store (a mistyped path must not look like a store without cases).
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreUnreachableError(say("bad_url", url=url)) from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_S}
        kwargs["poolclass"] = NullPool if parsed.database in (None, "", ":memory:") else None
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).expanduser().resolve().parent
            if not folder.is_dir():
                raise StoreUnreachableError(say("no_folder", url=url, folder=folder))
            if not create and not Path(parsed.database).expanduser().exists():
                raise StoreUnreachableError(say("no_store", url=url))
    elif parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")  # psycopg 3, not psycopg2
    try:
        engine = create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreUnreachableError(say("no_driver", url=url, reason=exc)) from None
    if engine.dialect.name == "sqlite":
        _sqlite_setup(engine)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        raise StoreUnreachableError(say("unreachable", url=_safe(url), reason=reason)) from None
    return engine


def shown_url(url: str) -> str:
    """``url`` as output shows it: without its password."""
    return _safe(url)


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # take over transaction control from the sqlite3 module (it would defer BEGIN)
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # a writer takes the lock at BEGIN: two writers never both read then both write
        immediate = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def writer(engine: Engine) -> Connection:
    """A connection whose transactions write (SQLite: ``BEGIN IMMEDIATE``)."""
    return engine.connect().execution_options(**{_WRITE: True})


def write_lock(connection: Connection) -> None:
    """Serialise writers for the rest of the transaction (PostgreSQL; SQLite locks at BEGIN)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_KEY})


def current_revision(connection: Connection) -> str | None:
    """The database's schema revision; ``None`` for an empty database."""
    return MigrationContext.configure(connection).get_current_revision()


def is_empty(connection: Connection) -> bool:
    """True when the database has none of the store's tables (a new file or database)."""
    names = set(inspect(connection).get_table_names())
    return not names & {"alembic_version", "cases", "reports", "sites"}


def check_schema(engine: Engine, url: str, *, create: bool = True) -> None:
    """Create the schema in an empty database (``create``); refuse an older or newer one.

    Raises :class:`SchemaOutdatedError` (run ``riskscreen db upgrade``),
    :class:`SchemaTooNewError` (written by a newer riskscreen) or, for an empty database
    and ``create=False``, :class:`StoreUnreachableError`: a reader writes nothing, and an
    empty database is as much not a store as a missing SQLite file is.
    """
    with engine.connect() as connection:
        empty = is_empty(connection)
        revision = None if empty else current_revision(connection)
    if empty:
        if not create:
            raise StoreUnreachableError(say("empty_store", url=_safe(url)))
        upgrade(engine)
        return
    head = head_revision()
    if revision == head:
        return
    known = known_revisions()
    if revision is None or revision in known:
        raise SchemaOutdatedError(say("schema_outdated", url=_safe(url), revision=revision or "-", head=head))
    raise SchemaTooNewError(say("schema_too_new", url=_safe(url), revision=revision, head=head))


def upgrade(engine: Engine, target: str = "head") -> tuple[str | None, str]:
    """Apply every migration the database lacks; returns (revision before, revision after).

    Raises :class:`SchemaTooNewError` for a database at a revision this version does not know.
    """
    from alembic import command

    with writer(engine) as connection, connection.begin():
        # under the write lock: processes opening a new database at once migrate it once
        write_lock(connection)
        before = None if is_empty(connection) else current_revision(connection)
        if before is not None and before not in known_revisions():
            raise SchemaTooNewError(
                say(
                    "schema_too_new",
                    url=engine.url.render_as_string(hide_password=True),
                    revision=before,
                    head=head_revision(),
                )
            )
        command.upgrade(_alembic_config(connection), target)
        after = current_revision(connection)
    return before, after or head_revision()


@contextmanager
def database_errors(url: str) -> Iterator[None]:
    """Turn the driver's errors (a lost connection, a lock wait that timed out) into store errors.

    A failed write has rolled back by the time this reports it: nothing of it was kept.
    """
    try:
        yield
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        if isinstance(exc, OperationalError):
            raise StoreUnreachableError(say("failed", url=_safe(url), reason=reason)) from exc
        raise StoreError(say("refused", url=_safe(url), reason=reason)) from exc
    except _DRIVER_ERRORS as exc:  # raised on ingest's own cursor, past SQLAlchemy
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise StoreUnreachableError(say("failed", url=_safe(url), reason=reason)) from exc


def _driver_errors() -> tuple[type[Exception], ...]:
    errors: list[type[Exception]] = [sqlite3.Error]
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg comes with the store extra
        return tuple(errors)
    errors.append(psycopg.Error)
    return tuple(errors)


_DRIVER_ERRORS = _driver_errors()
