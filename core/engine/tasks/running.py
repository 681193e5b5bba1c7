"""What the engine is working on right now: the only place "running" is known."""

from __future__ import annotations

import asyncio

from core.events import Event, TaskProgress


class RunningWork:
    """The asyncio task working on each top-level task, and the newest progress of each
    task (so a listing shows speed and ETA). Fed by the event bus and the round runner."""

    def __init__(self) -> None:
        self.jobs: dict[int, asyncio.Task[bool]] = {}
        self.progress: dict[int, TaskProgress] = {}

    def on_event(self, event: Event) -> None:
        if isinstance(event, TaskProgress):
            self.progress[event.task_id] = event

    def started(self, task_id: int, job: asyncio.Task[bool]) -> None:
        self.jobs[task_id] = job

    def ended(self, task_id: int, part_ids: list[int] | None = None) -> None:
        self.jobs.pop(task_id, None)
        for part_id in part_ids or ():
            self.progress.pop(part_id, None)

    def is_running(self, task_id: int, parent_id: int | None = None) -> bool:
        return task_id in self.jobs or (parent_id is not None and parent_id in self.jobs and task_id in self.progress)

    def stop(self, task_id: int) -> None:
        job = self.jobs.get(task_id)
        if job is not None:
            job.cancel()  # the downloader keeps its .part files; resume continues them

    def __len__(self) -> int:
        return len(self.jobs)
