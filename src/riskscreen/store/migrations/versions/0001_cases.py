"""Sites, site keys, cases, the case log and reports.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("label", sa.String(400), nullable=False),
        sa.Column("lat", sa.Float, nullable=True),
        sa.Column("lon", sa.Float, nullable=True),
        sa.Column("cell", sa.String(40), nullable=True),
    )
    op.create_index("ix_sites_cell", "sites", ["cell"])
    op.create_table(
        "site_keys",
        sa.Column("key", sa.String(400), primary_key=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("village", sa.String(200), nullable=True),
        sa.Column("district", sa.String(200), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("base_priority", sa.String(2), nullable=True),
        sa.Column("priority", sa.String(2), nullable=True),
        sa.Column("could_be", sa.String(2), nullable=True),
        sa.Column("lifted", sa.Boolean, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("escalate_to", sa.String(16), nullable=False),
        sa.Column("respond_by", UTC, nullable=True),
        sa.Column("escalated_for", UTC, nullable=True),
        sa.Column("reports", sa.Integer, nullable=False),
        sa.Column("rule_ids", sa.JSON, nullable=False),
        sa.Column("disposition", sa.String(16), nullable=True),
        sa.Column("assignee", sa.String(200), nullable=True),
        sa.Column("opened_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("closed_at", UTC, nullable=True),
        sa.Column("rectified_at", UTC, nullable=True),
    )
    op.create_index("ix_cases_site_category", "cases", ["site_id", "category", "id"])
    op.create_index("ix_cases_status_respond_by", "cases", ["status", "respond_by"])
    op.create_table(
        "case_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("what", sa.String(32), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_index("ix_case_log_case", "case_log", ["case_id", "id"])
    op.create_table(
        "reports",
        sa.Column("key", sa.String(240), primary_key=True),
        sa.Column("observation_id", sa.String(200), nullable=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=True),
        sa.Column("category", sa.String(64), nullable=True),
        sa.Column("village", sa.String(200), nullable=True),
        sa.Column("district", sa.String(200), nullable=True),
        sa.Column("reported_at", UTC, nullable=True),
        sa.Column("received_at", UTC, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("priority", sa.String(2), nullable=True),
        sa.Column("could_be", sa.String(2), nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("rule_ids", sa.JSON, nullable=False),
        sa.Column("rectified", sa.Boolean, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("findings", sa.Text, nullable=False),
    )
    op.create_index("ix_reports_site_category_time", "reports", ["site_id", "category", "reported_at"])
    op.create_index("ix_reports_case", "reports", ["case_id", "reported_at"])
    op.create_index("ix_reports_reported_at", "reports", ["reported_at"])


def downgrade() -> None:
    for table in ("reports", "case_log", "cases", "site_keys", "sites"):
        op.drop_table(table)
