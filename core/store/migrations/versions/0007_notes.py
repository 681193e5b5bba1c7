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


def _llm_upgrade() -> None:
    """LLM provider accounts (llm_* tables)."""
    when = core.store.models.UTCDateTime
    op.create_table(
        "llm_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("base_url", sa.String(), nullable=False),
        sa.Column("secret_ref", sa.String(), nullable=False),
        sa.Column("key_count", sa.Integer(), nullable=False),
        sa.Column("rpm", sa.Integer(), nullable=False),
        sa.Column("tpm", sa.Integer(), nullable=False),
        sa.Column("rules", sa.String(), nullable=False),
        sa.Column("models_fetched_at", when(), nullable=True),
        sa.Column("last_error", sa.String(), nullable=False),
        sa.Column("created_at", when(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "llm_key_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(), nullable=False),
        sa.Column("exhausted_until", when(), nullable=True),
        sa.Column("invalid", sa.Boolean(), nullable=False),
        sa.Column("last_error", sa.String(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["llm_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "fingerprint", name="uq_llm_key_state"),
    )
    op.create_index("ix_llm_key_state_account_id", "llm_key_state", ["account_id"])
    op.create_table(
        "llm_model",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("upstream", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("alias", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column("auto_disabled", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", sa.String(), nullable=False),
        sa.Column("info", sa.String(), nullable=False),
        sa.Column("fetched_at", when(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["llm_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "upstream", name="uq_llm_model"),
    )
    op.create_index("ix_llm_model_account_id", "llm_model", ["account_id"])
    op.create_table(
        "llm_health",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(), nullable=False),
        sa.Column("at", when(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["llm_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_llm_health_account_id", "llm_health", ["account_id"])


def _llm_downgrade() -> None:
    for table in ("llm_health", "llm_model", "llm_key_state"):
        op.drop_index(f"ix_{table}_account_id", table_name=table)
        op.drop_table(table)
    op.drop_table("llm_account")


# ---- end of the LLM provider tables; note batches and tasks below ------------------------


def upgrade() -> None:
    _llm_upgrade()
    _create_note_tables()


def downgrade() -> None:
    _drop_note_tables()
    _llm_downgrade()


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
