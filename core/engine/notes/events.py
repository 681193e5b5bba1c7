"""What note batches tell the bus (the window's Notes panel and the notifications listen)."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.events import Event


@dataclass(frozen=True)
class NoteTaskChanged(Event):
    """A task of a batch moved on: a new state or stage, or its progress within the task."""

    batch_id: int
    task_id: int
    state: str
    stage: str = ""
    progress: float = 0.0
    error: str = ""


@dataclass(frozen=True)
class NoteBatchChanged(Event):
    """A batch started, paused, resumed, was cancelled, or finished a task."""

    batch_id: int
    state: str


@dataclass(frozen=True)
class NoteBatchFinished(Event):
    """A batch ran out of work: every task is done, skipped, failed or cancelled."""

    batch_id: int
    name: str
    state: str  # done | failed | cancelled
    total: int
    done: int
    failed: int
    cost: float
    tokens: int
    failures: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (title, reason), the first few
