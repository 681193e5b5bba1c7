"""LLM accounts, note batches and their tasks

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import core.store.models

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _create_note_tables()


def downgrade() -> None:
    _drop_note_tables()


# ---- note batches and their tasks -------------------------------------------------------


def _create_note_tables() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    time = core.store.models.UTCDateTime
    op.create_table(
        "notebatch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", text(), nullable=False),
        sa.Column("state", text(), nullable=False),
        sa.Column("inputs", text(), nullable=False),
        sa.Column("template", text(), nullable=False),
        sa.Column("params", text(), nullable=False),
        sa.Column("llm", text(), nullable=False),
        sa.Column("model", text(), nullable=False),
        sa.Column("formats", text(), nullable=False),
        sa.Column("out_dir", text(), nullable=False),
        sa.Column("workers", sa.Integer(), nullable=False),
        sa.Column("language", text(), nullable=False),
        sa.Column("frames", sa.Integer(), nullable=False),
        sa.Column("runner_pid", sa.Integer(), nullable=False),
        sa.Column("heartbeat_at", time(), nullable=True),
        sa.Column("created_at", time(), nullable=False),
        sa.Column("started_at", time(), nullable=True),
        sa.Column("finished_at", time(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "notetask",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("input", text(), nullable=False),
        sa.Column("title", text(), nullable=False),
        sa.Column("video_path", text(), nullable=False),
        sa.Column("library_task_id", sa.Integer(), nullable=True),
        sa.Column("state", text(), nullable=False),
        sa.Column("stage", text(), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", text(), nullable=False),
        sa.Column("transcript_source", text(), nullable=False),
        sa.Column("outputs", text(), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("cost", sa.Float(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("started_at", time(), nullable=True),
        sa.Column("finished_at", time(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["notebatch.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notetask_batch_state", "notetask", ["batch_id", "state"])


def _drop_note_tables() -> None:
    op.drop_index("ix_notetask_batch_state", table_name="notetask")
    op.drop_table("notetask")
    op.drop_table("notebatch")
