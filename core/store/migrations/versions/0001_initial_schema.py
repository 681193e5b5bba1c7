"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import core.store.models

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("mid", sa.Integer(), nullable=False),
        sa.Column("uname", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("face", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("vip_type", sa.Integer(), nullable=False),
        sa.Column("vip_status", sa.Integer(), nullable=False),
        sa.Column("secret_ref", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("last_check_at", core.store.models.UTCDateTime(), nullable=True),
        sa.Column("last_refresh_at", core.store.models.UTCDateTime(), nullable=True),
        sa.Column("created_at", core.store.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_mid"), ["mid"], unique=False)

    op.create_table(
        "roundrecord",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", core.store.models.UTCDateTime(), nullable=False),
        sa.Column("finished_at", core.store.models.UTCDateTime(), nullable=True),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sources", sa.Integer(), nullable=False),
        sa.Column("new_items", sa.Integer(), nullable=False),
        sa.Column("downloaded", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("api_calls", sa.Integer(), nullable=False),
        sa.Column("message", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("path", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("rules", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("latest_row_at", core.store.models.UTCDateTime(), nullable=True),
        sa.Column("last_scan_at", core.store.models.UTCDateTime(), nullable=True),
        sa.Column("last_removal_check_at", core.store.models.UTCDateTime(), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("cooldown_until", core.store.models.UTCDateTime(), nullable=True),
        sa.Column("cooldown_level", sa.Integer(), nullable=False),
        sa.Column("created_at", core.store.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "video",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("bvid", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("aid", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("cover", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("intro", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("upper_mid", sa.Integer(), nullable=False),
        sa.Column("upper_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("upper_face", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("staff", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("tags", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("pubtime", core.store.models.UTCDateTime(), nullable=True),
        sa.Column("fav_time", core.store.models.UTCDateTime(), nullable=True),
        sa.Column("order_time", core.store.models.UTCDateTime(), nullable=True),
        sa.Column("duration", sa.Integer(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("ep_id", sa.Integer(), nullable=True),
        sa.Column("cid", sa.Integer(), nullable=True),
        sa.Column("season_id", sa.Integer(), nullable=True),
        sa.Column("season_number", sa.Integer(), nullable=True),
        sa.Column("episode_number", sa.Integer(), nullable=True),
        sa.Column("series_title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("detail_fetched", sa.Boolean(), nullable=False),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("unavailable", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("should_download", sa.Boolean(), nullable=False),
        sa.Column("removed_at", core.store.models.UTCDateTime(), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("path", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("bytes_done", sa.Integer(), nullable=False),
        sa.Column("created_at", core.store.models.UTCDateTime(), nullable=False),
        sa.Column("updated_at", core.store.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_id", "key"),
    )
    with op.batch_alter_table("video", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_video_bvid"), ["bvid"], unique=False)
        batch_op.create_index("ix_video_source_state", ["source_id", "state"], unique=False)
        batch_op.create_index("ix_video_state_id", ["state", "id"], unique=False)

    op.create_table(
        "page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("video_id", sa.Integer(), nullable=False),
        sa.Column("cid", sa.Integer(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("duration", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("rotate", sa.Integer(), nullable=False),
        sa.Column("first_frame", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("path", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", core.store.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["video_id"],
            ["video.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("video_id", "cid"),
    )
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_page_video_id"), ["video_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_page_video_id"))

    op.drop_table("page")
    with op.batch_alter_table("video", schema=None) as batch_op:
        batch_op.drop_index("ix_video_state_id")
        batch_op.drop_index("ix_video_source_state")
        batch_op.drop_index(batch_op.f("ix_video_bvid"))

    op.drop_table("video")
    op.drop_table("source")
    op.drop_table("roundrecord")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_mid"))

    op.drop_table("account")
