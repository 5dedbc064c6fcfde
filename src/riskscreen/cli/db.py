"""``riskscreen db``: the history store's schema — upgrade it, or see where it stands."""

from __future__ import annotations

import argparse

from ..store.messages import say
from .common import EXIT_OK
from .dbopts import add_db_options, handles_store_errors, store_url

__all__ = ["add_parser"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``db``."""
    parser = commands.add_parser(
        "db",
        help="upgrade the history store's schema, or show its version",
        description="Manage the history store's schema. Back the database up before an upgrade. Exit code: "
        "0 done, 2 when the database cannot be reached or was written by a newer riskscreen.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    upgrade = actions.add_parser(
        "upgrade",
        help="apply the migrations the database lacks",
        description="Apply the migrations the database lacks; an empty database gets the whole schema. "
        "Back the database up first.",
    )
    add_db_options(upgrade, now=False)
    upgrade.set_defaults(handler=_upgrade)
    status = actions.add_parser(
        "status",
        help="the database's schema version and this riskscreen's",
        description="The database's schema version and this riskscreen's: up to date, empty, older "
        "(run `riskscreen db upgrade`) or newer.",
    )
    add_db_options(status, now=False)
    status.set_defaults(handler=_status)


@handles_store_errors
def _upgrade(args: argparse.Namespace) -> int:
    from ..store.database import shown_url
    from ..store.tracker import Tracker

    before, after = Tracker.upgrade(store_url(args))
    url = shown_url(store_url(args))  # never the password
    if before == after:
        print(say("db.up_to_date", url=url, head=after))
    else:
        print(say("db.upgraded", url=url, before=before or say("none"), after=after))
    return EXIT_OK


@handles_store_errors
def _status(args: argparse.Namespace) -> int:
    from ..store import database

    engine = database.connect(store_url(args), create=False)
    try:
        with engine.connect() as connection:
            current = None if database.is_empty(connection) else database.current_revision(connection)
    finally:
        engine.dispose()
    head = database.head_revision()
    if current == head:
        state = say("db.state.current")
    elif current is None:
        state = say("db.state.empty")
    elif current in database.known_revisions():
        state = say("db.state.older")
    else:
        state = say("db.state.newer")
    url = database.shown_url(store_url(args))  # never the password
    print(say("db.status", url=url, current=current or say("none"), head=head, state=state))
    return EXIT_OK
