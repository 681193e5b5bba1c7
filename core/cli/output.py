"""What every command group prints the same way: JSON, times, exit codes, progress."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

from core.events import Event, EventBus, RoundFinished, RoundStarted, SourceScanned, TaskFinished, TaskProgress

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_RISK, EXIT_BUSY = 0, 1, 2, 3, 4
# What a shell reports for a program ended by SIGPIPE / SIGTERM (128 + the signal number):
# scripts already read these as "the reader went away" and "stopped on request".
EXIT_BROKEN_PIPE, EXIT_TERMINATED = 141, 143


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value))


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))


def when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "-"


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


class ProgressLine:
    """One self-rewriting status line on a terminal for long foreground work (a sync round):
    sources scanned, items finished, bytes and speed. Silent when stderr is not a terminal,
    so scripts and logs see only the summary."""

    def __init__(self, bus: EventBus, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.sources = self.scanned = self.finished = 0
        self.bytes: dict[int, tuple[int | None, int, float]] = {}  # part → (item, bytes, speed)
        self._unsubscribe = bus.subscribe(self._on_event) if self.enabled else None

    def _on_event(self, event: Event) -> None:
        if isinstance(event, RoundStarted):
            self.sources = len(event.source_ids)
        elif isinstance(event, SourceScanned):
            self.scanned += 1
        elif isinstance(event, TaskFinished):
            self.finished += 1
            done = sum(b for parent, b, _ in self.bytes.values() if parent == event.task_id)
            self.bytes = {k: v for k, v in self.bytes.items() if v[0] != event.task_id}
            self.bytes[-event.task_id] = (None, done, 0.0)  # its bytes still count, its speed no more
        elif isinstance(event, TaskProgress):
            self.bytes[event.task_id] = (event.parent_id, event.done_bytes, event.speed)
        elif isinstance(event, RoundFinished):
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            return
        else:
            return
        done = sum(b for _, b, _ in self.bytes.values())
        speed = sum(s for _, _, s in self.bytes.values())
        line = (f"scanned {self.scanned}/{self.sources} sources · {self.finished} finished · "
                f"{human_bytes(done)} at {human_bytes(speed)}/s")  # fmt: skip
        self.stream.write("\r\x1b[K" + line[:200])
        self.stream.flush()

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
