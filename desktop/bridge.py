"""The Qt side of the engine: engine events become Qt signals, engine calls become tasks.

Progress arrives far faster than a person can read (1,000 updates a second with many
downloads); the bridge keeps only the newest update per page and hands them to the views in
one batch at most ten times a second, so the window stays smooth.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from core.engine.engine import Engine
from core.errors import SyncDeckError
from core.events import (
    AccountStateChanged,
    Event,
    RiskControl,
    RoundFinished,
    RoundStarted,
    SourceDownloading,
    SourceIdle,
    SourceScanned,
    SourceScanStarted,
    StateChanged,
    StepDone,
    StepFailed,
    TaskAdded,
    TaskFinished,
    TaskProgress,
)

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_MS = 100


class EngineBridge(QObject):
    roundStarted = Signal(object)  # RoundStarted
    roundFinished = Signal(object)  # RoundFinished
    taskAdded = Signal(object)  # TaskAdded
    sourceScanned = Signal(object)  # SourceScanned
    sourceActivity = Signal(object)  # SourceScanStarted | SourceScanned | SourceDownloading | SourceIdle
    progressBatch = Signal(object)  # dict[task_id, TaskProgress]
    stepChanged = Signal(object)  # StepDone | StepFailed
    taskFinished = Signal(object)  # TaskFinished
    riskControl = Signal(object)  # RiskControl
    accountStateChanged = Signal(object)  # AccountStateChanged
    stateChanged = Signal(str)  # what changed: "sources", "tasks", "accounts", "settings", "paused"
    errorRaised = Signal(str, str)  # what was being done, the message
    busyChanged = Signal(bool)  # a sync round is running

    def __init__(self, engine: Engine, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self._pending: dict[int, TaskProgress] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._timer = QTimer(self)
        self._timer.setInterval(PROGRESS_INTERVAL_MS)
        self._timer.timeout.connect(self._flush_progress)
        self._timer.start()
        self.speeds: dict[int, tuple[int | None, float]] = {}  # task → (its parent, speed)
        self.round_running = False
        self._unsubscribe = engine.bus.subscribe(self._on_event)

    # ---------------------------------------------------------------- events

    def _on_event(self, event: Event) -> None:
        if isinstance(event, TaskProgress):
            self._pending[event.task_id] = event
            return
        if isinstance(event, RoundStarted):
            self.round_running = True
            self.busyChanged.emit(True)
            self.roundStarted.emit(event)
        elif isinstance(event, RoundFinished):
            self._flush_progress()
            self.round_running = False
            self.speeds.clear()
            self.busyChanged.emit(False)
            self.roundFinished.emit(event)
        elif isinstance(event, TaskAdded):
            self.taskAdded.emit(event)
        elif isinstance(event, SourceScanned):
            self.sourceActivity.emit(event)
            self.sourceScanned.emit(event)
        elif isinstance(event, SourceScanStarted | SourceDownloading | SourceIdle):
            self.sourceActivity.emit(event)
        elif isinstance(event, StepDone | StepFailed):
            self.stepChanged.emit(event)
        elif isinstance(event, TaskFinished):
            gone = {event.task_id}
            self.speeds = {k: v for k, v in self.speeds.items() if k not in gone and v[0] not in gone}
            self.taskFinished.emit(event)
        elif isinstance(event, RiskControl):
            self.riskControl.emit(event)
        elif isinstance(event, AccountStateChanged):
            self.accountStateChanged.emit(event)
        elif isinstance(event, StateChanged):
            self.stateChanged.emit(event.what)

    def _flush_progress(self) -> None:
        if not self._pending:
            return
        batch, self._pending = self._pending, {}
        for key, progress in batch.items():
            if progress.total_bytes and progress.done_bytes >= progress.total_bytes:
                self.speeds.pop(key, None)
            else:
                self.speeds[key] = (progress.parent_id, progress.speed)
        self.progressBatch.emit(batch)

    @property
    def total_speed(self) -> float:
        return sum(speed for _, speed in self.speeds.values())

    # ---------------------------------------------------------------- calls

    def run(
        self,
        coro: Coroutine[Any, Any, Any],
        *,
        what: str = "",
        done: Callable[[Any], None] | None = None,
        failed: Callable[[str], None] | None = None,
    ) -> asyncio.Task[Any]:
        """Run an engine coroutine on the loop; its result or its error comes back to Qt."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)

        def finished(t: asyncio.Task[Any]) -> None:
            self._tasks.discard(t)
            if t.cancelled():
                return
            error = t.exception()
            if error is None:
                if done is not None:
                    done(t.result())
                return
            message = str(error) if isinstance(error, SyncDeckError) else f"{type(error).__name__}: {error}"
            if not isinstance(error, SyncDeckError):
                log.error("%s failed", what or "engine call", exc_info=error)
            if failed is not None:
                failed(message)
            else:
                self.errorRaised.emit(what, message)

        task.add_done_callback(finished)
        return task

    async def shutdown(self) -> None:
        self._timer.stop()
        self._unsubscribe()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
