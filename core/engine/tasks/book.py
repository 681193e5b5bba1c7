"""Tasks of every kind: listing them and the verbs that work on any of them."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from pathlib import Path

from core.config import Config
from core.download.range_downloader import discard_partial
from core.engine.library.pipeline import unfinished_files
from core.engine.tasks.running import RunningWork
from core.errors import ConfigError
from core.events import EventBus, StateChanged
from core.providers.registry import ProviderRegistry
from core.store import repo
from core.store.db import Database
from core.tasks import states
from core.tasks import steps as stp
from core.tasks.views import TaskView

log = logging.getLogger(__name__)


class TaskBook:
    def __init__(
        self, config: Config, db: Database, bus: EventBus, registry: ProviderRegistry, running: RunningWork
    ) -> None:
        self.config = config
        self.db = db
        self.bus = bus
        self.registry = registry
        self.running = running
        self._display_names: dict[str, str] = {}

    def _display_name(self, provider: str) -> str:
        if provider not in self._display_names:
            try:
                self._display_names[provider] = self.registry.for_stored(provider).display_name
            except ConfigError:
                self._display_names[provider] = provider
        return self._display_names[provider]

    def _view(self, row: repo.TaskRow) -> TaskView:
        progress = self.running.progress.get(row.id)
        running = row.state in (states.QUEUED, states.FAILED) and self.running.is_running(row.id, row.parent_id)
        done, total = row.bytes_done, row.bytes_total
        if progress is not None and running:
            done, total = progress.done_bytes, progress.total_bytes
        return TaskView(
            id=row.id, kind=row.kind, provider=row.provider, provider_name=self._display_name(row.provider),
            source_id=row.source_id, parent_id=row.parent_id, key=row.key, title=row.title,
            state=states.RUNNING if running else row.state, bytes_done=done if not row.children else row.size,
            bytes_total=total if not row.children else row.size,
            speed=progress.speed if progress is not None and running else 0.0,
            eta=progress.eta if progress is not None and running else None, attempts=row.attempts,
            last_error=row.unavailable or row.last_error, steps=stp.loads(row.steps),
            children=row.children, number=row.number, cover=row.cover, path=row.path, updated_at=row.updated_at,
            details=json.loads(row.details or "{}"),
        )  # fmt: skip

    async def list(
        self, *, state: str | None = None, source_id: int | None = None, search: str | None = None,
        after_id: int | None = None, limit: int = 200,
    ) -> list[TaskView]:  # fmt: skip
        """Top-level tasks, keyset-paged by id."""
        rows = await self.db.run(
            repo.list_tasks, state=state, source_id=source_id, search=search, after_id=after_id, limit=limit
        )  # fmt: skip
        return [self._view(r) for r in rows]

    async def children(self, task_id: int) -> list[TaskView]:
        rows = await self.db.run(repo.list_tasks, parent_id=task_id, limit=100_000)
        return sorted((self._view(r) for r in rows), key=lambda t: (t.number, t.id))

    async def count(self, *, state: str | None = None, source_id: int | None = None, search: str | None = None) -> int:
        return await self.db.run(repo.count_tasks, state=state, source_id=source_id, search=search)

    async def _top_level(self, task_ids: Sequence[int]) -> list[int]:
        """The top-level tasks meant: a child stands for its parent (pause a part → its video)."""
        tasks = await self.db.run(repo.tasks_by_ids, list(task_ids))
        found = {t.id for t in tasks}
        missing = [i for i in task_ids if i not in found]
        if missing:
            raise ConfigError(f"there is no task {missing[0]} (see `syncdeck task list`)")
        return sorted({t.parent_id or t.id or 0 for t in tasks})

    async def pause(self, task_ids: Sequence[int]) -> list[int]:
        ids = await self._top_level(task_ids)
        await self.db.run(repo.update_tasks, ids, paused=True)
        for task_id in ids:
            self.running.stop(task_id)
        self.bus.publish(StateChanged("tasks", tuple(ids)))
        return ids

    async def resume(self, task_ids: Sequence[int]) -> list[int]:
        ids = await self._top_level(task_ids)
        await self.db.run(repo.update_tasks, ids, paused=False)
        self.bus.publish(StateChanged("tasks", tuple(ids)))
        return ids

    async def cancel(self, task_ids: Sequence[int]) -> list[int]:
        """Stop and drop: partial files are deleted and the task waits until retried."""
        ids = await self._top_level(task_ids)
        jobs = {task_id: job for task_id in ids if (job := self.running.jobs.get(task_id)) is not None}
        for task_id in ids:
            self.running.stop(task_id)
        await asyncio.sleep(0)  # let the stopped downloads close their files
        for task in await self.db.run(repo.tasks_by_ids, ids):
            source = await self.db.run(repo.get_source, task.source_id) if task.source_id else None
            if source is not None:
                parts = await self.db.run(repo.parts_of, task.id)
                provider = self.registry.for_stored(task.provider)
                files = unfinished_files(self.config, source, task, parts, provider)
                await asyncio.to_thread(_unlink_all, files)
            elif task.kind == "file" and task.path and task.state != states.DONE:  # a download into the library
                job = jobs.get(task.id or 0)
                if job is not None:  # it records its progress as it stops: only then is its .part gone for good
                    await asyncio.wait([job], timeout=10)
                await asyncio.to_thread(discard_partial, Path(task.path))
        await self.db.run(repo.update_tasks, ids, cancelled=True, paused=False)
        self.bus.publish(StateChanged("tasks", tuple(ids)))
        return ids

    async def retry(self, task_ids: Sequence[int]) -> list[int]:
        """Failed steps get fresh attempts; paused or cancelled tasks are wanted again."""
        ids = await self._top_level(task_ids)
        await self.db.run(repo.reset_steps, "failed", task_ids=ids)
        await self.db.run(repo.update_tasks, ids, paused=False, cancelled=False, wanted=True, last_error="")
        self.bus.publish(StateChanged("tasks", tuple(ids)))
        return ids

    async def reset(
        self, *, force: bool = False, source_id: int | None = None, key: str | None = None,
        task_ids: Sequence[int] | None = None,
    ) -> int:  # fmt: skip
        changed = await self.db.run(
            repo.reset_steps, "force" if force else "failed", source_id=source_id, key=key, task_ids=task_ids
        )  # fmt: skip
        self.bus.publish(StateChanged("tasks"))
        return changed

    async def folder(self, task_id: int) -> Path | None:
        """The folder (or file) a task writes; None until its first file was written."""
        task = await self.db.run(repo.get_task, task_id)
        if task is None or not task.path:
            return None
        return Path(task.path)

    async def totals(self) -> dict[str, int]:
        return await self.db.run(repo.state_totals)


def _unlink_all(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
