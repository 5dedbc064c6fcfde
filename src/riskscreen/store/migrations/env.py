"""Alembic environment: migrations run on the connection riskscreen hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from riskscreen.store.tables import metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):  # pragma: no cover - only riskscreen runs these
    raise RuntimeError("riskscreen's migrations run through `riskscreen db upgrade`, not alembic's CLI")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
