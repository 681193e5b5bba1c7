"""Log records for the window: a logging handler that hands them to the Qt thread in batches.

Records can come from any thread (the database worker, download threads). The handler only
appends to a bounded buffer under a lock and, when the buffer was empty, wakes the GUI thread
with a queued signal; the GUI takes everything buffered at once. A burst of thousands of
records therefore costs one model update, and nothing Qt-side runs on a foreign thread.

Secrets are redacted before a record is stored (the same filter the log file uses), so a
cookie or token never reaches the screen or the clipboard.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

from core.cli.logsetup import LibraryFilter
from core.secrets import SecretRedactor, redact

BUFFER_LIMIT = 5000


@dataclass(frozen=True)
class LogEntry:
    """One record as the log panel shows it; `message` already has secrets removed."""

    created: float  # seconds since the epoch
    level: int
    logger: str
    message: str  # may span several lines (a traceback is appended)

    @property
    def level_name(self) -> str:
        return logging.getLevelName(self.level)

    @property
    def first_line(self) -> str:
        return self.message.split("\n", 1)[0]


class _EntryBuffer:
    """Entries waiting for the GUI thread; the oldest are dropped if the GUI falls behind."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[LogEntry] = deque(maxlen=BUFFER_LIMIT)

    def put(self, entry: LogEntry) -> bool:
        """Store an entry; True when the buffer was empty (the GUI must be woken)."""
        with self._lock:
            was_empty = not self._entries
            self._entries.append(entry)
            return was_empty

    def take(self) -> list[LogEntry]:
        with self._lock:
            batch = list(self._entries)
            self._entries.clear()
            return batch


class LogSignals(QObject):
    """Lives in the GUI thread; `entriesArrived(list[LogEntry])` is always emitted there."""

    entriesArrived = Signal(list)
    _pending = Signal()

    def __init__(self, buffer: _EntryBuffer) -> None:
        # No parent: the handler owns this object, so it outlives any record still in flight.
        super().__init__()
        self._buffer = buffer
        # Queued even within the GUI thread: a record logged while a view updates must not
        # re-enter the model, and many records logged in one go arrive as one batch.
        self._pending.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def wake(self) -> None:
        self._pending.emit()

    @Slot()
    def _deliver(self) -> None:
        batch = self._buffer.take()
        if batch:
            self.entriesArrived.emit(batch)


class QtLogHandler(logging.Handler):
    """Forwards records to `signals.entriesArrived` on the GUI thread, secrets redacted.

    Create it on the GUI thread. `attach()` adds it to a logger (the root logger by default),
    `detach()` removes it and stops every further delivery.
    """

    def __init__(self, *, level: int = logging.DEBUG) -> None:
        super().__init__(level)
        self.addFilter(LibraryFilter())  # the user's story, not the event loop's internals
        self.addFilter(SecretRedactor())
        self._buffer = _EntryBuffer()
        self.signals = LogSignals(self._buffer)
        self._logger: logging.Logger | None = None
        self._detached = False

    def emit(self, record: logging.LogRecord) -> None:
        # Handler.handle calls this with self.lock held, after SecretRedactor rewrote the record.
        if self._detached:
            return
        try:
            message = record.getMessage()
            if record.exc_text:
                message = f"{message}\n{record.exc_text}"
            if record.stack_info:
                message = f"{message}\n{record.stack_info}"
            # Redacted once more: a secret registered by another thread after the filter ran
            # must not slip through, nor one that ended up in a logger name.
            entry = LogEntry(record.created, record.levelno, redact(record.name), redact(message))
        except Exception:
            self.handleError(record)
            return
        if self._buffer.put(entry):
            self.signals.wake()

    def attach(self, logger: logging.Logger | None = None) -> None:
        self._logger = logger or logging.getLogger()
        self._logger.addHandler(self)

    def detach(self) -> None:
        if self._logger is not None:
            self._logger.removeHandler(self)
            self._logger = None
        self.acquire()
        try:
            # Taken under the handler lock: once this returns, no emit() is running or starts.
            was_detached, self._detached = self._detached, True
        finally:
            self.release()
        self._buffer.take()
        if not was_detached and shiboken6.isValid(self.signals):
            # Deleted by the GUI thread's loop, never by whichever thread happens to free
            # the last Python reference (at exit Qt may have deleted it already).
            self.signals.deleteLater()
