"""Every site's spatial bucket on the fixed grid of 50 m buckets.

Buckets used to be as wide as the merging radius a store was written with, so a store
written with a radius other than 50 m lost its sites by lat/lon when a later run merged
with another radius. The grid is now fixed at 50 m whatever the radius; this moves the
buckets of sites written with another width (sites written at 50 m stay where they are).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from riskscreen.store.sites import CELL_M, GeoGrid

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_BATCH = 10_000

_sites = sa.table(
    "sites",
    sa.column("id", sa.Integer),
    sa.column("lat", sa.Float),
    sa.column("lon", sa.Float),
    sa.column("cell", sa.String),
)


def upgrade() -> None:
    bind = op.get_bind()
    grid = GeoGrid(CELL_M)
    move = sa.update(_sites).where(_sites.c.id == sa.bindparam("site")).values(cell=sa.bindparam("bucket"))
    last = 0
    while True:
        # batches by id: a city's sites need not fit in memory, and no cursor stays open
        # on the table while it is updated
        rows = bind.execute(
            sa.select(_sites.c.id, _sites.c.lat, _sites.c.lon, _sites.c.cell)
            .where(_sites.c.id > last, _sites.c.lat.is_not(None), _sites.c.lon.is_not(None))
            .order_by(_sites.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        moved = [
            {"site": row.id, "bucket": bucket}
            for row in rows
            if (bucket := grid.cell(row.lat, row.lon)) != row.cell
        ]
        if moved:
            bind.execute(move, moved)
        last = rows[-1].id


def downgrade() -> None:
    # the fixed grid is the grid of a 50 m radius, which the previous version reads as is
    pass
