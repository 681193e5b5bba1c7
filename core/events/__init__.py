"""Typed engine events and the bus that delivers them (the GUI's Qt bridge subscribes here)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    pass


@dataclass(frozen=True)
class RoundStarted(Event):
    round_id: int
    source_ids: tuple[int, ...]


@dataclass(frozen=True)
class RoundFinished(Event):
    round_id: int
    outcome: str  # "done" | "failed" | "risk_control" | "login_expired" | "cancelled"
    downloaded: int
    failed: int
    new_items: int


@dataclass(frozen=True)
class SourceScanned(Event):
    source_id: int
    new_items: int
    removed: int


@dataclass(frozen=True)
class SourceScanStarted(Event):
    """A round took the source: its scan begins (SourceScanned follows)."""

    source_id: int


@dataclass(frozen=True)
class SourceDownloading(Event):
    """The round downloads the source's owed items now."""

    source_id: int
    items: int


@dataclass(frozen=True)
class SourceIdle(Event):
    """The round is through with the source (done, failed or stopped)."""

    source_id: int


@dataclass(frozen=True)
class TaskAdded(Event):
    """A source's scan found a new item (a task without a parent)."""

    task_id: int
    source_id: int | None
    kind: str
    title: str


@dataclass(frozen=True)
class TaskProgress(Event):
    """Bytes of a running task (a part, a file); `parent_id` is the task it belongs to."""

    task_id: int
    parent_id: int | None
    done_bytes: int
    total_bytes: int
    speed: float  # bytes per second, smoothed
    eta: float | None  # seconds; None when unknown


@dataclass(frozen=True)
class StepDone(Event):
    task_id: int
    step: str
    parent_id: int | None = None  # the task it belongs to (a part's video)


@dataclass(frozen=True)
class StepFailed(Event):
    task_id: int
    step: str
    error: str
    counted: bool  # False for risk control and transient errors
    parent_id: int | None = None  # the task it belongs to (a part's video)


@dataclass(frozen=True)
class TaskFinished(Event):
    """A top-level task has nothing left to do this round: all done (`ok`) or some step gave up."""

    task_id: int
    ok: bool


@dataclass(frozen=True)
class RiskControl(Event):
    source_id: int
    reason: str
    cooldown_until: datetime


@dataclass(frozen=True)
class AccountStateChanged(Event):
    """An account's login turned ok, expired or broken (`account_id` 0: the login from the
    environment)."""

    account_id: int
    state: str  # "ok" | "expired" | "error"
    message: str


# The task-model events (the engine rewrite publishes these instead of the video ones above).


@dataclass(frozen=True)
class StateChanged(Event):
    """Sources, tasks, accounts, settings or the pause switch changed outside a round."""

    what: str
    ids: tuple[int, ...] = field(default_factory=tuple)


Listener = Callable[[Event], None]


class EventBus:
    """Synchronous fan-out on the engine's loop. Listeners must be cheap and never block:
    the GUI bridge only queues and coalesces; a failing listener is logged, not fatal."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def publish(self, event: Event) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("event listener failed on %s", type(event).__name__)
