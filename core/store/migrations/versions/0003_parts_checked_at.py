"""when a video's parts were last compared with upstream

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import core.store.models

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("video", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parts_checked_at", core.store.models.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("video", schema=None) as batch_op:
        batch_op.drop_column("parts_checked_at")
