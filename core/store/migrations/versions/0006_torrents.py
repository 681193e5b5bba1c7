"""torrents and their resume data; what watched folders and feeds handed over

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import core.store.models

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    time = core.store.models.UTCDateTime
    op.create_table(
        "torrentrecord",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("info_hash", text(), nullable=False),
        sa.Column("magnet", text(), nullable=False),
        sa.Column("torrent", sa.LargeBinary(), nullable=False),
        sa.Column("save_path", text(), nullable=False),
        sa.Column("resume", sa.LargeBinary(), nullable=False),
        sa.Column("options", text(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("placed", sa.Boolean(), nullable=False),
        sa.Column("completed_at", time(), nullable=True),
        sa.Column("resume_saved_at", time(), nullable=True),
        sa.Column("added_at", time(), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"]),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("info_hash"),
        sa.UniqueConstraint("task_id"),
    )
    op.create_table(
        "feedentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("guid", text(), nullable=False),
        sa.Column("title", text(), nullable=False),
        sa.Column("info_hash", text(), nullable=False),
        sa.Column("outcome", text(), nullable=False),
        sa.Column("seen_at", time(), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_id", "guid", name="uq_feedentry_source_guid"),
    )
    op.create_index("ix_feedentry_source_id", "feedentry", ["source_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_feedentry_source_id", table_name="feedentry")
    op.drop_table("feedentry")
    op.drop_table("torrentrecord")
