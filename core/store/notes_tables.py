"""Tables of the notes feature (kept apart from core.store.models so features do not collide)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from core.store.models import UTCDateTime, utcnow

# ---- LLM provider accounts (llm_* tables) ------------------------------------------------
# API keys are never stored here: the keyring holds them under `llm/account/<id>`; a key is
# known here only by its fingerprint (the first 12 hex digits of its SHA-256).


class LlmAccount(SQLModel, table=True):
    __tablename__ = "llm_account"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=sa.Column(sa.String, unique=True, nullable=False))
    kind: str  # "openai" (any OpenAI-compatible base URL) | "gemini" (the native API)
    base_url: str = ""
    secret_ref: str = ""  # keyring reference of the newline-separated keys
    key_count: int = 0
    rpm: int = 0  # requests per minute, 0 = no limit of our own
    tpm: int = 0  # tokens per minute, 0 = no limit of our own
    rules: str = ""  # JSON: {"rename": [[regex, replacement]…], "allow": [regex…], "block": [regex…]}
    models_fetched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LlmKeyState(SQLModel, table=True):
    """Why a key is not used for now (a daily quota spent, refused as invalid)."""

    __tablename__ = "llm_key_state"
    __table_args__ = (sa.UniqueConstraint("account_id", "fingerprint", name="uq_llm_key_state"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="llm_account.id", index=True)
    fingerprint: str
    exhausted_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    invalid: bool = False
    last_error: str = ""
    requests: int = 0


class LlmModel(SQLModel, table=True):
    __tablename__ = "llm_model"
    __table_args__ = (sa.UniqueConstraint("account_id", "upstream", name="uq_llm_model"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="llm_account.id", index=True)
    upstream: str  # the id the provider lists ("models/gemini-2.5-flash", "openai/gpt-4o-2024-08-06")
    name: str  # normalised and renamed by the rules
    alias: str = ""  # the user's own name for it, shown and exported instead of `name`
    kind: str = "chat"  # chat | embedding | audio | image | other
    enabled: bool = True  # the user's checkbox
    listed: bool = True  # still in the provider's latest list
    auto_disabled: bool = False  # too many errors in a window; a good health check clears it
    disabled_reason: str = ""
    info: str = ""  # JSON: context sizes, methods…
    fetched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LlmHealth(SQLModel, table=True):
    __tablename__ = "llm_health"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="llm_account.id", index=True)
    model: str  # upstream id
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ok: bool = False
    latency_ms: int = 0
    error: str = ""


# ---- end of the LLM provider tables; note batches and tasks below ------------------------


class NoteBatch(SQLModel, table=True):
    """One `notes run`: what to read, how to write, and where it stands.

    `state` is also how other processes steer a running batch: `notes pause` writes
    "paused" and the process running it sees that within a fraction of a second.
    `runner_pid`/`heartbeat_at` say whether some process runs it right now.
    """

    id: int | None = Field(default=None, primary_key=True)
    name: str = ""
    state: str = "queued"  # queued | running | paused | done | failed | cancelled
    inputs: str = "[]"  # JSON list of the INPUT texts as given
    template: str = "summary_report"  # a template name or a template file's path
    params: str = "{}"  # JSON: template parameters
    llm: str = ""  # LLM account name ("" = the default account)
    model: str = ""
    formats: str = "md"  # comma-separated: md, json, html
    out_dir: str = ""  # "" = next to each video
    workers: int = 2
    language: str = ""  # language of the notes ("" = the interface language)
    frames: int = 0  # key frames per note (0 = none)
    runner_pid: int = 0
    heartbeat_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class NoteTask(SQLModel, table=True):
    """One video of a batch: a checkpoint row, written after every step that must not be redone."""

    __table_args__ = (sa.Index("ix_notetask_batch_state", "batch_id", "state"),)

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="notebatch.id")
    position: int = 0  # order within the batch
    input: str = ""  # the video's path or link as given
    title: str = ""
    video_path: str = ""  # absolute local file ("" for a link that is not in the library)
    library_task_id: int | None = None  # the synced video (task table) it came from
    state: str = "pending"  # pending | running | done | failed | skipped | cancelled
    stage: str = ""  # what a running task does now: transcript, writing, frames
    progress: float = 0.0  # 0..1 within the task
    attempts: int = 0
    error: str = ""  # why it failed, fit to show
    transcript_source: str = ""  # subtitles | transcription | video
    outputs: str = "[]"  # JSON list of written files
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    seconds: float = 0.0  # processing time of the last attempt
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
