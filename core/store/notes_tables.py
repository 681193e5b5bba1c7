"""Tables of the notes feature (kept apart from core.store.models so features do not collide)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from core.store.models import UTCDateTime, utcnow

# ---- note batches and their tasks -------------------------------------------------------


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
