"""Bytes → speed and ETA for one task, published at a bounded rate."""

from __future__ import annotations

import time

from core.events import EventBus, TaskProgress

PUBLISH_EVERY = 0.2  # seconds; the GUI bridge coalesces further


class ProgressTracker:
    def __init__(self, bus: EventBus, task_id: int, parent_id: int | None) -> None:
        self.bus = bus
        self.task_id = task_id
        self.parent_id = parent_id
        self.done = 0
        self.total = 0
        self.speed = 0.0
        self._last_time = time.monotonic()
        self._last_done = 0
        self._last_publish = 0.0

    def add_total(self, size: int) -> None:
        self.total += size

    def add(self, delta: int) -> None:
        self.done += delta
        now = time.monotonic()
        elapsed = now - self._last_time
        if elapsed >= PUBLISH_EVERY:
            instant = (self.done - self._last_done) / elapsed
            # exponential smoothing keeps the ETA steady through bursty chunks
            self.speed = instant if self.speed == 0 else 0.7 * self.speed + 0.3 * instant
            self._last_time, self._last_done = now, self.done
        if now - self._last_publish >= PUBLISH_EVERY:
            self._last_publish = now
            self.publish()

    @property
    def eta(self) -> float | None:
        if self.total <= 0 or self.speed <= 0:
            return None
        return max(self.total - self.done, 0) / self.speed

    def publish(self) -> None:
        self.bus.publish(TaskProgress(self.task_id, self.parent_id, self.done, self.total, self.speed, self.eta))
