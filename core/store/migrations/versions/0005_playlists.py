"""playlists, their folders and entries

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import core.store.models

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    time = core.store.models.UTCDateTime
    op.create_table(
        "playlist_node",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", text(), nullable=False),
        sa.Column("kind", text(), nullable=False),
        sa.Column("provider", text(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("root", text(), nullable=False),
        sa.Column("created_at", time(), nullable=False),
        sa.Column("updated_at", time(), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["playlist_node.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_playlist_node_parent", "playlist_node", ["parent_id", "position"])
    op.create_table(
        "playlist_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("playlist_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", text(), nullable=False),
        sa.Column("duration", sa.Integer(), nullable=False),
        sa.Column("cover", text(), nullable=False),
        sa.Column("url", text(), nullable=False),
        sa.Column("provider", text(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("item_json", text(), nullable=False),
        sa.Column("part_key", text(), nullable=True),
        sa.Column("resume", sa.Float(), nullable=False),
        sa.Column("added_at", time(), nullable=False),
        sa.ForeignKeyConstraint(["playlist_id"], ["playlist_node.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_playlist_entry_position", "playlist_entry", ["playlist_id", "position"])


def downgrade() -> None:
    op.drop_index("ix_playlist_entry_position", table_name="playlist_entry")
    op.drop_table("playlist_entry")
    op.drop_index("ix_playlist_node_parent", table_name="playlist_node")
    op.drop_table("playlist_node")
