"""What the command line and the window get about note batches (plain data, no database rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

BATCH_STATES = ("queued", "running", "paused", "done", "failed", "cancelled")
TASK_STATES = ("pending", "running", "done", "failed", "skipped", "cancelled")
FINISHED_TASK_STATES = frozenset({"done", "failed", "skipped", "cancelled"})


def cost_text(cost: float) -> str:
    """A cost as people read it: 12.50, 0.0123, 0.00042 (small costs keep their digits)."""
    if cost >= 1:
        return f"{cost:.2f}"
    text = f"{cost:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "0") else f"{cost:.1e}"


@dataclass(frozen=True)
class NoteTaskView:
    id: int
    batch_id: int
    position: int
    input: str
    title: str
    video_path: str
    state: str  # one of TASK_STATES
    stage: str  # fetch (a link not in the library) | transcript | writing | frames | files | waiting while running
    progress: float  # 0..1
    attempts: int
    error: str  # why it failed
    transcript_source: str  # subtitles | transcription | video
    outputs: tuple[str, ...]
    prompt_tokens: int
    completion_tokens: int
    cost: float
    seconds: float
    started_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True)
class NoteBatchView:
    id: int
    name: str
    state: str  # one of BATCH_STATES
    template: str
    llm: str
    model: str
    formats: tuple[str, ...]
    out_dir: str
    workers: int
    language: str
    inputs: tuple[str, ...]
    total: int
    done: int  # written (skipped ones included: their notes exist)
    failed: int
    skipped: int
    cancelled: int
    running: int
    pending: int
    progress: float  # 0..1 of the whole batch
    eta: float | None  # seconds to go, from the average task time; None before one finished
    prompt_tokens: int
    completion_tokens: int
    cost: float
    active: bool  # some process works on it right now
    created_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True)
class TemplateView:
    name: str
    title: str
    description: str
    version: str
    language: str
    built_in: bool
    path: str
    parameters: dict[str, str] = field(default_factory=dict)
