"""A batch at work: a queue of its pending tasks, 1–8 workers, a checkpoint after every task.

Steering: the batch's `state` in the database is the one switch. `pause`/`cancel` from this
process also wake the run at once; from another process (`syncdeck notes pause 3` beside a
foreground `notes run`) the run sees the new state at its next look, every `LOOK_S`. Either
way the tasks in flight are cancelled (their ffmpeg killed, their requests dropped) and go
back to pending (pause) or to cancelled, so a pause takes well under a second.

Crash safety: a task's row says done (with its files and usage) only after its files are in
place, so a kill at any moment redoes at most the tasks that were in flight; `claim` puts
those back to pending on the next run.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from core.engine.notes import records
from core.engine.notes.events import NoteBatchChanged, NoteBatchFinished, NoteTaskChanged
from core.engine.notes.links import LinkFetcher, LinkUnreadable
from core.engine.notes.views import NoteTaskView
from core.errors import LlmError, TransientError
from core.events import EventBus
from core.llm.protocol import LlmClient
from core.notes.maker import NoteJob, NoteOutcome, make_note, note_files
from core.store.db import Database
from core.store.models import utcnow
from core.store.notes_tables import NoteTask

log = logging.getLogger(__name__)

LOOK_S = 0.2  # how often a run looks at its state in the database
PROGRESS_EVERY_S = 0.25  # a running task's progress is written at most this often
FETCH_SHARE = 0.2  # of a link's task, the part its fetch stands for in the task's progress


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # tries per task (1 = no retry)
    wait_s: float = 2.0  # before the first retry; doubles, at most `max_wait_s`
    max_wait_s: float = 60.0


# What an LLM client says when its own quick retries ran out on a passing trouble: a rate limit
# per minute, an overloaded or failing server, a connection that dropped. A spent daily quota
# or a refused key reads differently and fails the task at once.
_PASSING = re.compile(r"HTTP (?:429|5\d\d)\b|cannot be reached")


def is_transient(exc: BaseException) -> bool:
    """Errors worth another try later: the network, timeouts, rate limits, overloaded servers."""
    if isinstance(exc, (TransientError, TimeoutError, ConnectionError, httpx.TransportError)):
        return True
    if getattr(exc, "transient", False) or getattr(exc, "retry_after", None):
        return True
    return isinstance(exc, LlmError) and bool(_PASSING.search(str(exc)))


def reason(exc: BaseException) -> str:
    """One line for the user: what went wrong with this video."""
    if isinstance(exc, FileNotFoundError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename or ''}".strip(": ")
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, LlmError):
        return text
    return text if text != type(exc).__name__ else f"{type(exc).__name__}"


JobFor = Callable[[NoteTask], NoteJob]
Maker = Callable[[NoteJob, LlmClient, Callable[[str, float], None]], Awaitable[NoteOutcome]]
OnEnd = Callable[[NoteBatchFinished], Awaitable[None]]
OnTask = Callable[[NoteTaskView], Awaitable[None]]


class BatchRun:
    def __init__(
        self, db: Database, bus: EventBus, batch_id: int, *, client: LlmClient, job_for: JobFor, workers: int,
        retry: RetryPolicy, maker: Maker = make_note, on_end: OnEnd | None = None, on_task: OnTask | None = None,
        links: LinkFetcher | None = None,
    ) -> None:  # fmt: skip
        self.db, self.bus, self.batch_id = db, bus, batch_id
        self.client, self.job_for, self.maker, self.on_end, self.on_task = client, job_for, maker, on_end, on_task
        self.workers = max(1, min(8, workers))
        self.retry = retry
        self.links = links  # fetches the links that are not in the library (None: such tasks fail)
        self.pid = os.getpid()
        self._stop: str | None = None  # "paused" | "cancelled" once asked to stop
        self._stopped = asyncio.Event()
        self._in_flight: dict[int, asyncio.Task[Any]] = {}
        self._writes: set[asyncio.Future[None]] = set()  # progress written in passing
        self.final_state = "running"

    # ------------------------------------------------------------ steering from this process

    def stop(self, state: str) -> None:
        """Stop at once for `state` ("paused" or "cancelled"); the database already says so."""
        if self._stop is None:
            self._stop = state
            self._stopped.set()
            for task in list(self._in_flight.values()):
                task.cancel()

    # ------------------------------------------------------------ the run

    async def run(self) -> str:
        """Work until no task is left or the batch is paused/cancelled; the batch's state then."""
        pending = await self.db.run(records.claim, self.batch_id, self.pid)
        self.bus.publish(NoteBatchChanged(self.batch_id, "running"))
        queue: asyncio.Queue[int] = asyncio.Queue()
        for task_id in pending:
            queue.put_nowait(task_id)
        watcher = asyncio.ensure_future(self._watch())
        workers = [asyncio.ensure_future(self._worker(queue)) for _ in range(min(self.workers, max(len(pending), 1)))]
        try:
            waiting = asyncio.ensure_future(asyncio.gather(*workers))
            stopped = asyncio.ensure_future(self._stopped.wait())
            await asyncio.wait({waiting, stopped}, return_when=asyncio.FIRST_COMPLETED)
            if self._stop is not None:
                for w in workers:
                    w.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            stopped.cancel()
            waiting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await waiting
        except asyncio.CancelledError:
            # Our caller went away (Ctrl+C, the window closing): the batch pauses, resumable.
            self.stop("paused")
            for w in workers:
                w.cancel()
            await asyncio.shield(self._settle_cancelled(workers))
            raise
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
        await self._end()
        return self.final_state

    async def _settle_cancelled(self, workers: list[asyncio.Future[Any]]) -> None:
        await asyncio.gather(*workers, return_exceptions=True)
        await self._end()

    async def _end(self) -> None:
        if self._stop == "cancelled":
            await self.db.run(records.reset_tasks, self.batch_id, ("pending", "running"), state="cancelled",
                              stage="", error="cancelled")  # fmt: skip
            if self.links is not None:  # its fetches stopped with the workers: what they left is of no use
                await self.links.forget_batch(self.batch_id)
        elif self._stop == "paused":
            await self.db.run(records.reset_tasks, self.batch_id, ("running",), state="pending", stage="",
                              progress=0.0)  # fmt: skip
        views = await self.db.run(records.batch_views, [self.batch_id])
        view = views[0]
        state = self._stop or ("failed" if view.failed else "done")
        await self.db.run(records.release, self.batch_id, self.pid, state)
        self.final_state = state
        self.bus.publish(NoteBatchChanged(self.batch_id, state))
        if state in ("done", "failed", "cancelled"):
            fails = await self.db.run(records.failures, self.batch_id)
            event = NoteBatchFinished(
                self.batch_id, view.name, state, view.total, view.done, view.failed, view.cost,
                view.prompt_tokens + view.completion_tokens, tuple(fails),
            )  # fmt: skip
            self.bus.publish(event)
            if self.on_end is not None:
                try:
                    await self.on_end(event)
                except Exception:  # a hook must never spoil the batch's end
                    log.exception("a note batch's end hook failed")

    async def _watch(self) -> None:
        last_beat = 0.0
        while self._stop is None:
            await asyncio.sleep(LOOK_S)
            now = time.monotonic()
            if now - last_beat >= records.HEARTBEAT_S:
                state = await self.db.run(records.heartbeat, self.batch_id, self.pid)
                last_beat = now
            else:
                state = await self.db.run(records.batch_state, self.batch_id)
            if state in ("paused", "cancelled"):
                self.stop(state)

    # ------------------------------------------------------------ one worker

    async def _worker(self, queue: asyncio.Queue[int]) -> None:
        while self._stop is None:
            try:
                task_id = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            job = asyncio.ensure_future(self._one(task_id))
            self._in_flight[task_id] = job
            try:
                await job
            except asyncio.CancelledError:
                if self._stop is None:
                    raise
                return
            finally:
                self._in_flight.pop(task_id, None)

    async def _one(self, task_id: int) -> None:
        row = await self.db.run(records.get_task, task_id)
        if row is None or row.state != "pending":
            return
        linked = self.links is not None and self.links.wants(row)  # fetched as the task's first step
        if row.error and not row.video_path and not linked:  # an input that could not be resolved to a file
            await self._finish(row, "failed", error=row.error)
            return
        job: NoteJob | None = None
        try:
            if linked:
                assert self.links is not None
                planned = self.links.planned(row)
                probe = self.job_for(_with_video(row, planned)) if planned is not None else None
            else:
                job = probe = self.job_for(row)
        except Exception as exc:
            await self._finish(row, "failed", error=reason(exc))
            return
        if probe is not None and _written(probe):
            await self._finish(row, "skipped", outputs=[str(p) for p in note_files(probe)], error="")
            await self._forget(row, linked)
            return
        attempt = row.attempts
        started = time.monotonic()
        first = "fetch" if job is None else "transcript"
        await self.db.run(records.update_task, task_id, state="running", stage=first, progress=0.0,
                          started_at=utcnow(), error="")  # fmt: skip
        self.bus.publish(NoteTaskChanged(self.batch_id, task_id, "running", first, 0.0))
        last_write = 0.0

        def stage(name: str, done: float) -> None:
            nonlocal last_write
            self.bus.publish(NoteTaskChanged(self.batch_id, task_id, "running", name, done))
            now = time.monotonic()
            if now - last_write >= PROGRESS_EVERY_S:
                last_write = now
                write = asyncio.ensure_future(self.db.run(records.update_task, task_id, stage=name, progress=done))
                self._writes.add(write)
                write.add_done_callback(self._writes.discard)

        share = FETCH_SHARE if linked else 0.0

        def making(name: str, done: float) -> None:
            stage(name, share + (1.0 - share) * done)

        while True:
            attempt += 1
            await self.db.run(records.update_task, task_id, attempts=attempt)
            try:
                if job is None:
                    job = await self._fetch(row, lambda done: stage("fetch", share * done))
                    if _written(job):
                        await self._finish(row, "skipped", outputs=[str(p) for p in note_files(job)], error="")
                        await self._forget(row, linked)
                        return
                outcome = await self.maker(job, self.client, making)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if is_transient(exc) and attempt < self.retry.attempts + row.attempts:
                    wait = getattr(exc, "retry_after", None) or min(
                        self.retry.wait_s * 2 ** (attempt - row.attempts - 1), self.retry.max_wait_s)  # fmt: skip
                    log.info("note task %d: %s; trying again in %.1f s", task_id, reason(exc), wait)
                    self.bus.publish(NoteTaskChanged(self.batch_id, task_id, "running", "waiting", 0.0, reason(exc)))
                    await asyncio.sleep(float(wait))
                    continue
                if not isinstance(exc, (LlmError, OSError, LinkUnreadable)) and not is_transient(exc):
                    log.warning("note task %d failed", task_id, exc_info=exc)
                error = reason(exc)
                if job is None and not isinstance(exc, LinkUnreadable):
                    error = f"cannot be read from its site ({error}); sync it first, or try again later"
                await self._finish(row, "failed", error=error, seconds=time.monotonic() - started)
                return  # what was fetched stays for a retry
            break
        await self._finish(
            row, "done", outputs=outcome.files, transcript_source=outcome.transcript_source,
            prompt_tokens=outcome.usage.prompt_tokens, completion_tokens=outcome.usage.completion_tokens,
            cost=outcome.usage.cost, seconds=time.monotonic() - started, error="", progress=1.0,
        )  # fmt: skip
        await self._forget(row, linked)

    async def _fetch(self, row: NoteTask, progress: Callable[[float], None]) -> NoteJob:
        """The link's subtitles or sound, in the cache (again only when not there whole): the
        task's row then names the file, so a retry or a resumed batch finds it."""
        assert self.links is not None and row.id is not None
        fetched = await self.links.fetch(row, progress)
        row.video_path = str(fetched.media)
        row.title = row.title if row.title and row.title != row.input else fetched.title
        await asyncio.shield(self.db.run(records.update_task, row.id, video_path=row.video_path, title=row.title))
        return self.job_for(row)

    async def _forget(self, row: NoteTask, linked: bool) -> None:
        """A link's fetched files once its note is there: they are not needed again."""
        if linked and self.links is not None:
            try:
                await self.links.forget(self.batch_id, [row.input])
            except OSError as exc:
                log.warning("cannot remove what was fetched for %s: %s", row.input, exc)

    async def _finish(self, row: NoteTask, state: str, **fields: Any) -> None:
        """The checkpoint: the task's outcome, in the database before anything else happens."""
        if "outputs" in fields:
            fields["outputs"] = json.dumps(fields["outputs"], ensure_ascii=False)
        assert row.id is not None
        if self._writes:  # a late progress write must not land on the finished row
            await asyncio.gather(*list(self._writes), return_exceptions=True)
        await asyncio.shield(self.db.run(records.update_task, row.id, state=state, stage="", finished_at=utcnow(),
                                         **fields))  # fmt: skip
        self.bus.publish(NoteTaskChanged(self.batch_id, row.id, state, "", 1.0, fields.get("error", "")))
        self.bus.publish(NoteBatchChanged(self.batch_id, "running"))
        if self.on_task is not None and state in ("done", "failed"):
            try:
                done = await self.db.run(records.get_task, row.id)
                if done is not None:
                    await self.on_task(records.task_view(done))
            except Exception:  # a plugin's failure must never fail the note
                log.exception("a note hook failed")


def _with_video(row: NoteTask, video: Path) -> NoteTask:
    return NoteTask(**{**row.model_dump(), "video_path": str(video)})


def _written(job: NoteJob) -> bool:
    """The note of this job is already there (an earlier batch, or a run before a crash)."""
    files = note_files(job)
    return bool(files) and all(_non_empty(p) for p in files)


def _non_empty(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False
