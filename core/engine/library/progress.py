"""Bytes → speed and ETA for one task, published at a bounded rate.

The total is everything the task will fetch (every stream of a part), known before the first
byte, and what is already on disk counts as done from the start; so a bar never runs
backwards when a second stream starts or a paused download resumes. Should a server's answer
later differ from what was known up front, the shown numbers still only ever grow.
"""

from __future__ import annotations

import time

from core.events import EventBus, TaskProgress

PUBLISH_EVERY = 0.2  # seconds; the GUI bridge coalesces further


class ProgressTracker:
    def __init__(self, bus: EventBus, task_id: int, parent_id: int | None) -> None:
        self.bus = bus
        self.task_id = task_id
        self.parent_id = parent_id
        self._sizes: list[int] = []  # per stream: its size (0 when unknown)
        self._held: list[int] = []  # per stream: its bytes on disk
        self.done = 0  # what is shown: never less than before
        self.total = 0
        self.speed = 0.0
        self._fetched = 0  # bytes transferred in this run (for the speed)
        self._last_time = time.monotonic()
        self._last_fetched = 0
        self._last_publish = 0.0

    def plan(self, sizes: list[int], saved: list[int]) -> None:
        """The streams to fetch, their sizes and what of each is on disk already."""
        self._sizes = [max(size, 0) for size in sizes]
        self._held = [max(count, 0) for count in saved]
        self._update()

    def started(self, index: int, size: int, saved: int) -> None:
        """The downloader's own view as a stream starts (the server's size, what it resumes)."""
        if size > 0:
            self._sizes[index] = size
        self._held[index] = saved
        self._update()

    def add(self, index: int, delta: int) -> None:
        self._held[index] += delta
        self._fetched += delta
        self._update()
        now = time.monotonic()
        elapsed = now - self._last_time
        if elapsed >= PUBLISH_EVERY:
            instant = max(self._fetched - self._last_fetched, 0) / elapsed
            # exponential smoothing keeps the ETA steady through bursty chunks
            self.speed = instant if self.speed == 0 else 0.7 * self.speed + 0.3 * instant
            self._last_time, self._last_fetched = now, self._fetched
        if now - self._last_publish >= PUBLISH_EVERY:
            self._last_publish = now
            self.publish()

    def finish(self) -> None:
        """Everything is on disk: the bar ends full, whatever the sizes said."""
        self.done = self.total = max(self.total, self.done, sum(self._held))
        self.publish()

    def _update(self) -> None:
        # A restart from zero (a server without Range support) or a size that turned out
        # smaller holds the numbers where they were rather than moving them back.
        self.done = max(self.done, sum(self._held))
        self.total = max(self.total, sum(self._sizes), self.done)

    @property
    def eta(self) -> float | None:
        if self.total <= 0 or self.speed <= 0:
            return None
        return max(self.total - self.done, 0) / self.speed

    def publish(self) -> None:
        self.bus.publish(TaskProgress(self.task_id, self.parent_id, self.done, self.total, self.speed, self.eta))
