"""One playlist entry downloaded into the library, as a task the Tasks panel shows.

A provider whose items the library already downloads for sources (Bilibili: separate video
and audio, danmaku, NFOs) goes through the same item pipeline, into <library>/Playlists/ laid
out like a synced video. Any other stream that is one file over HTTP (Alist/OpenList, Emby/
Jellyfin, a direct link) is fetched by the range downloader into <library>/Downloads/, which
keeps a .part beside the target, so asking again after an interruption resumes it. A local
file is already on this computer: asking to download it is refused with a clear message.

These tasks belong to no source, so sync rounds never run them: pausing one stops its work
(registered with the engine's RunningWork, which the task verbs stop), and `restart` starts
them again — after a resume or retry, and when the window or the daemon starts — from what
each task keeps in its details (RECORD): the account, and for a file the item and part.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import ConfigError, PlaybackError, SyncDeckError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from core.config import Config
    from core.engine.accounts.book import AccountBook
    from core.engine.playlists.views import PlayRef
    from core.engine.tasks.running import RunningWork
    from core.events import EventBus
    from core.providers.protocols import MediaItem, MediaPart, Playback, Provider, ProviderSession, Stream
    from core.providers.registry import ProviderRegistry
    from core.store.db import Database

log = logging.getLogger(__name__)

# (provider, session, item, part key) → the part chosen and its streams (the playback service's)
PartResolver = Callable[["Provider", "ProviderSession", "MediaItem", "str | None"],
                        Awaitable[tuple["MediaPart", "Playback"]]]  # fmt: skip

FILE_KIND = "file"  # a task of one downloaded file
FILE_STEP = "download"
FILES_FOLDER = "Downloads"
ITEMS_FOLDER = "Playlists"  # the source name items downloaded from playlists are laid out under
LOCAL_PROVIDERS = frozenset({"local"})
KINDS = ("video", FILE_KIND)
RECORD = "library_download"  # the key in a task's details of what starting it again needs
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class LibraryDownload:
    """A download started by `download_to_library`: its task and where it lands."""

    task_id: int
    title: str
    kind: str  # "video" (the item pipeline) or "file"
    path: str  # the file, or the video's folder once it is known ("" before)
    state: str = "queued"  # "queued" while it runs in the background, then "done" or "failed"
    error: str = ""


def _safe_name(text: str) -> str:
    return _UNSAFE.sub("_", text).strip(" .") or "download"


def _file_name(item: MediaItem, part: MediaPart, stream: Stream) -> str:
    url_name = stream.urls[0].split("?", 1)[0].rsplit("/", 1)[-1]
    suffix = Path(url_name).suffix if 1 < len(Path(url_name).suffix) <= 6 else ""
    name = Path(part.title or item.title or url_name).name
    if not Path(name).suffix and suffix:
        name += suffix
    elif not Path(name).suffix:
        name += ".mp4"
    return _safe_name(name)


class LibraryDownloads:
    """Starts and tracks one-off downloads; held by the playback service."""

    def __init__(self, config: Config, db: Database, bus: EventBus, registry: ProviderRegistry,
                 accounts: AccountBook, resolve: PartResolver, running: RunningWork | None = None) -> None:  # fmt: skip
        self.config = config
        self.db = db
        self.bus = bus
        self.registry = registry
        self.accounts = accounts
        self._resolve = resolve
        self.running = running  # the engine's: task listings show these as running, pause stops them
        self._running: dict[int, asyncio.Task[LibraryDownload]] = {}

    def _launch(self, task_id: int, work: Callable[[], Awaitable[LibraryDownload]]) -> asyncio.Task[LibraryDownload]:
        job = self._running.get(task_id)
        if job is not None:  # already downloading here (asked twice: one download)
            return job
        job = asyncio.ensure_future(work())
        self._running[task_id] = job
        if self.running is not None:
            self.running.started(task_id, job)  # type: ignore[arg-type]

        def ended(_job: asyncio.Task[LibraryDownload]) -> None:
            if self._running.get(task_id) is job:
                self._running.pop(task_id, None)
            if self.running is not None and self.running.jobs.get(task_id) is job:
                self.running.ended(task_id)

        job.add_done_callback(ended)
        return job

    async def restart(self, task_ids: Sequence[int] | None = None) -> list[int]:
        """Start one-off downloads again in the background: those of `task_ids` that are not
        done, paused or cancelled (after a resume or retry), or, without ids, every one left
        queued when the app last stopped. Returns the ids started."""
        from core.store.models import Task

        rows = await self.db.run(_restartable, list(task_ids) if task_ids is not None else None)
        started = []
        for row in rows:
            assert isinstance(row, Task)
            task_id = int(row.id or 0)
            record = json.loads(row.details or "{}").get(RECORD)
            if task_id in self._running:
                continue
            if not isinstance(record, dict):
                log.warning("task #%s cannot start again on its own; download its playlist entry again", task_id)
                continue
            try:
                provider = self.registry.for_stored(row.provider)
            except ConfigError as exc:
                log.warning("task #%s: %s", task_id, exc)
                continue
            if row.kind == FILE_KIND:
                view = LibraryDownload(task_id, row.title, FILE_KIND, row.path)
                self._launch(task_id, lambda v=view, p=provider, r=record: self._refetch_file(v, p, r))
            else:
                view = LibraryDownload(task_id, row.title, "video", "")
                account_id = record.get("account_id")
                self._launch(task_id, lambda v=view, p=provider, a=account_id: self._run_item(v, p, a))
            started.append(task_id)
        if started:
            log.info("%d downloads into the library started again", len(started))
        return started

    async def _remember(self, task_id: int, record: dict[str, Any]) -> None:
        """Keep in the task what starting it again needs (the window may quit mid-download)."""
        from core.store import repo
        from core.store.models import Task

        def merge(session: Any) -> None:
            task = session.get(Task, task_id)
            if task is not None:
                details = {**json.loads(task.details or "{}"), RECORD: record}
                repo.update_task(session, task_id, details=json.dumps(details, ensure_ascii=False))

        await self.db.run(merge)

    async def wait_stopped(self, task_ids: Sequence[int]) -> None:
        """Until the stopped downloads of these tasks have recorded their progress and ended."""
        jobs = [self._running[task_id] for task_id in task_ids if task_id in self._running]
        if jobs:
            await asyncio.wait(jobs, timeout=10)

    def stop_all(self) -> None:
        for work in self._running.values():
            work.cancel()  # the downloader records its progress; the task stays queued

    async def close(self) -> None:
        for work in list(self._running.values()):
            work.cancel()
        await asyncio.gather(*self._running.values(), return_exceptions=True)
        self._running.clear()

    async def _item_of(self, ref: PlayRef | int) -> tuple[str, int | None, dict[str, Any], str | None]:
        from core.engine.playlists import rows

        if isinstance(ref, int) or getattr(ref, "entry_id", None) is not None:
            entry_id = ref if isinstance(ref, int) else int(ref.entry_id or 0)
            row = await self.db.run(rows.get_entry, entry_id)
            if row is None:
                raise ConfigError(f"there is no playlist entry {entry_id} (`syncdeck playlist show ID` lists them)")
            return row.provider, row.account_id, json.loads(row.item_json), row.part_key
        if ref.item_json is None:
            raise ConfigError(f"“{ref.title}” names nothing to download")
        return ref.provider, ref.account_id, dict(ref.item_json), ref.part_key

    async def start(self, ref: PlayRef | int, *, wait: bool = False) -> LibraryDownload:
        """Create the task and download in the background (`wait`: until it ends)."""
        from core.providers.serial import item_from_dict

        provider_name, account_id, item_json, part_key = await self._item_of(ref)
        if provider_name in LOCAL_PROVIDERS:
            raise PlaybackError("this entry is a file on this computer already; there is nothing to download")
        provider = self.registry.for_stored(provider_name)
        try:
            item = item_from_dict(dict(item_json))
        except (KeyError, TypeError, ValueError) as exc:
            raise PlaybackError(f"the stored item cannot be read ({exc}); add it again") from None
        session = await self.accounts.session(provider, account_id)
        part, playback = await self._resolve(provider, session, item, part_key)
        if self._needs_pipeline(provider, playback):
            view, work = await self._start_item(provider, account_id, item)
            await self._remember(view.task_id, {"account_id": account_id})
        else:
            view, work = await self._start_file(provider, account_id, item, part, playback)
            await self._remember(view.task_id, {"account_id": account_id, "item": item_json, "part_key": part.key})
        task = self._launch(view.task_id, work)
        if not wait:
            return view
        try:
            return await task
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if task.cancelled() and (current is None or not current.cancelling()):
                return LibraryDownload(view.task_id, view.title, view.kind, view.path, "paused")  # paused meanwhile
            raise

    def _needs_pipeline(self, provider: Provider, playback: Playback) -> bool:
        """Video and audio apart (Bilibili's DASH): only the item pipeline that downloads a
        source's items merges them (and adds its danmaku, subtitles and NFOs)."""
        from core.providers.protocols import SourceScanner

        separate = any(s.kind == "audio" for s in playback.streams)
        return separate and isinstance(provider, SourceScanner)

    async def _existing(self, kind: str, provider: str, key: str) -> Any:
        from sqlmodel import col, select

        from core.store.models import Task

        def find(session: Any) -> Any:
            query = select(Task).where(Task.kind == kind, Task.provider == provider, Task.key == key,
                                       col(Task.source_id).is_(None), col(Task.parent_id).is_(None))  # fmt: skip
            return session.exec(query).first()

        return await self.db.run(find)

    # ---- one file over HTTP -------------------------------------------------------------------

    async def _start_file(
        self, provider: Provider, account_id: int | None, item: MediaItem, part: MediaPart, playback: Playback
    ) -> tuple[LibraryDownload, Any]:
        from core.events import TaskAdded
        from core.store.models import Task, utcnow
        from core.tasks import steps as stp

        stream = next((s for s in playback.streams if s.kind == "muxed" and s.urls), None)
        if stream is None:
            raise PlaybackError(f"{provider.display_name} offers no single file of {item.title} to download")
        if not stream.urls[0].lower().startswith(("http://", "https://")):
            raise PlaybackError(f"{item.title} is not served over HTTP; it cannot be downloaded")
        target = self.config.library_root / FILES_FOLDER / _safe_name(provider.display_name) / \
            _file_name(item, part, stream)  # fmt: skip
        key = f"{item.key}#{part.key}"
        title = item.title if len(item.parts) <= 1 else f"{item.title} - {part.title or part.number}"
        existing = await self._existing(FILE_KIND, provider.name, key)
        if existing is not None:
            task_id = int(existing.id)
            target = Path(existing.path) if existing.path else target
            if task_id not in self._running:
                await self.db.run(_restart, task_id)
        else:
            now = utcnow()

            def add(db_session: Any) -> int:
                row = Task(kind=FILE_KIND, provider=provider.name, key=key, title=title, cover=item.cover or "",
                           path=str(target), steps=stp.dumps({FILE_STEP: stp.NOT_STARTED}), state="queued",
                           bytes_total=int(stream.size or 0), added_at=now, order_at=now, complete=True,
                           duration=int(part.duration or item.duration or 0),
                           details=json.dumps({"url": item.url or ""}))  # fmt: skip
                db_session.add(row)
                db_session.flush()
                return int(row.id or 0)

            task_id = await self.db.run(add)
            self.bus.publish(TaskAdded(task_id, None, FILE_KIND, title))
        view = LibraryDownload(task_id, title, FILE_KIND, str(target))
        return view, lambda: self._fetch_file(view, provider, account_id, item, part.key, stream, target)

    async def _refetch_file(self, view: LibraryDownload, provider: Provider, record: dict[str, Any]) -> LibraryDownload:
        """A file task started again: its stream resolved afresh (signed links expire)."""
        from core.providers.serial import item_from_dict

        account_id = record.get("account_id")
        try:
            item = item_from_dict(dict(record["item"]))
            session = await self.accounts.session(provider, account_id)
            part, playback = await self._resolve(provider, session, item, record.get("part_key"))
            stream = next((s for s in playback.streams if s.kind == "muxed" and s.urls), None)
            if stream is None:
                raise PlaybackError(f"{provider.display_name} no longer offers {item.title} as one file")
        except (KeyError, TypeError, ValueError) as exc:
            return await self._file_failed(view, PlaybackError(f"the stored item cannot be read ({exc})"))
        except SyncDeckError as exc:
            return await self._file_failed(view, exc)
        target = Path(view.path) if view.path else self.config.library_root / FILES_FOLDER / \
            _safe_name(provider.display_name) / _file_name(item, part, stream)  # fmt: skip
        return await self._fetch_file(view, provider, account_id, item, part.key, stream, target)

    async def _file_failed(self, view: LibraryDownload, exc: Exception, done: int | None = None) -> LibraryDownload:
        from core.events import TaskFinished
        from core.store import repo
        from core.tasks import steps as stp

        extra = {} if done is None else {"bytes_done": done}
        await self.db.run(repo.set_steps, view.task_id, {FILE_STEP: stp.GAVE_UP}, last_error=str(exc), **extra)
        log.warning("downloading %s failed: %s", view.title, exc)
        self.bus.publish(TaskFinished(view.task_id, False))
        return LibraryDownload(view.task_id, view.title, FILE_KIND, view.path, "failed", str(exc))

    async def _fetch_file(
        self, view: LibraryDownload, provider: Provider, account_id: int | None, item: MediaItem, part_key: str,
        stream: Stream, target: Path,
    ) -> LibraryDownload:  # fmt: skip
        from core.download import RangeDownloader
        from core.engine.library.progress import ProgressTracker
        from core.events import StateChanged, TaskFinished
        from core.net import make_client, net_options
        from core.store import repo
        from core.tasks import steps as stp

        done = 0
        tracker = ProgressTracker(self.bus, view.task_id, None)  # speed and ETA in the Tasks panel
        tracker.plan([int(stream.size or 0)], [0])

        def progress(delta: int) -> None:
            nonlocal done
            done += delta
            tracker.add(0, delta)

        async def refresh() -> list[str]:
            session = await self.accounts.session(provider, account_id)
            _, fresh = await self._resolve(provider, session, item, part_key)
            again = next((s for s in fresh.streams if s.kind == "muxed" and s.urls), None)
            return list(again.urls) if again is not None else []

        def started(size: int, saved: int) -> None:
            nonlocal done
            done = saved
            tracker.started(0, size, saved)

        async def report() -> None:
            while True:
                await asyncio.sleep(1.0)
                await self.db.run(repo.update_task, view.task_id, bytes_done=done)
                self.bus.publish(StateChanged("tasks", (view.task_id,)))

        try:
            await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
        except OSError as exc:  # a file where the folder goes, no permission…
            why = ConfigError(f"{target.parent}: {exc.strerror or exc}")
            return await self._file_failed(replace(view, path=str(target)), why)
        client = make_client(net_options(self.config), headers=dict(stream.headers))
        downloader = RangeDownloader(client, connections=self.config["limits.connections"],
                                     min_chunk=int(self.config["limits.chunk_min_mib"] * 1024 * 1024),
                                     on_progress=progress, on_start=started)  # fmt: skip
        reporter = asyncio.ensure_future(report())
        try:
            size = await downloader.download(list(stream.urls), target, refresh=refresh, size=int(stream.size or 0))
        except (SyncDeckError, OSError) as exc:
            return await self._file_failed(replace(view, path=str(target)), exc, done)
        finally:  # also when paused (cancelled): the .part stays for the next start
            reporter.cancel()
            await client.aclose()
        steps = stp.record({FILE_STEP: stp.NOT_STARTED}, FILE_STEP, stp.Outcome.SUCCEEDED)
        await self.db.run(repo.set_steps, view.task_id, steps, bytes_done=size, bytes_total=size, last_error="")
        tracker.finish()
        log.info("downloaded %s to %s", view.title, target)
        self.bus.publish(TaskFinished(view.task_id, True))
        return LibraryDownload(view.task_id, view.title, FILE_KIND, str(target), "done")

    # ---- an item laid out like a synced video -------------------------------------------------

    async def _start_item(
        self, provider: Provider, account_id: int | None, item: MediaItem
    ) -> tuple[LibraryDownload, Any]:
        from core.engine.items import item_fields, part_fields
        from core.engine.library.pipeline import ITEM_STEPS, PART_STEPS
        from core.events import TaskAdded
        from core.store import repo
        from core.store.models import Task, utcnow
        from core.tasks import steps as stp

        if not item.parts:
            raise PlaybackError(f"{item.title or item.key} has no part to download")
        existing = await self._existing("video", provider.name, item.key)
        if existing is not None:
            task_id = int(existing.id)
            if task_id not in self._running:
                await self.db.run(_restart, task_id)
        else:
            now = utcnow()

            def add(db_session: Any) -> int:
                row = Task(**{**item_fields(item), "kind": "video", "provider": provider.name,
                              "steps": stp.dumps(stp.new(ITEM_STEPS)), "complete": True,
                              "added_at": now, "order_at": now})  # fmt: skip
                db_session.add(row)
                db_session.flush()
                repo.save_parts(db_session, row, [part_fields(p) for p in item.parts], PART_STEPS)
                db_session.flush()
                repo.refresh_parts_step(db_session, int(row.id or 0), "parts")
                return int(row.id or 0)

            task_id = await self.db.run(add)
            self.bus.publish(TaskAdded(task_id, None, "video", item.title))
        view = LibraryDownload(task_id, item.title, "video", "")
        return view, lambda: self._run_item(view, provider, account_id)

    async def _run_item(self, view: LibraryDownload, provider: Provider, account_id: int | None) -> LibraryDownload:
        from core.engine.library.pipeline import ItemJob, PipelineContext
        from core.library.files import check_writable
        from core.library.media import find_ffmpeg
        from core.store import repo
        from core.store.models import Source

        root = self.config.library_root / ITEMS_FOLDER
        try:
            await asyncio.to_thread(root.mkdir, parents=True, exist_ok=True)
            await asyncio.to_thread(check_writable, root)
            ffmpeg = await asyncio.to_thread(find_ffmpeg, self.config["ffmpeg.path"])
            session = await self.accounts.session(provider, account_id)
            task = await self.db.run(repo.get_task, view.task_id)
            # never stored: where the pipeline lays the item out, and the name it files it under
            source = Source(provider=provider.name, kind="playlist", locator="", name=ITEMS_FOLDER, path=str(root),
                            account_id=account_id)  # fmt: skip
            ctx = PipelineContext(self.config, self.db, self.bus, ffmpeg)
            try:
                ok = await ItemJob(ctx, source, task, provider, session).run(self.config["limits.pages"])
            finally:
                await ctx.aclose()
        except SyncDeckError as exc:
            return LibraryDownload(view.task_id, view.title, "video", "", "failed", str(exc))
        task = await self.db.run(repo.get_task, view.task_id)
        path = task.path if task is not None else ""
        if ok:
            return LibraryDownload(view.task_id, view.title, "video", path, "done")
        return LibraryDownload(view.task_id, view.title, "video", path, "failed", "some steps failed (see the task)")


def _restart(session: Any, task_id: int) -> None:
    """A task asked for again: failed steps start over (what is done stays done)."""
    from core.store import repo
    from core.store.models import Task
    from core.tasks import steps as stp

    for task in [session.get(Task, task_id), *repo.parts_of(session, task_id)]:
        if task is not None:
            steps = stp.reset_failed(stp.loads(task.steps))
            repo.set_steps(session, task.id, steps, cancelled=False, paused=False)


def _restartable(session: Any, task_ids: list[int] | None) -> list[Any]:
    """One-off downloads (no source, top level) not done, paused or cancelled: those of
    `task_ids`, or else the ones still queued (a failed one waits for a retry)."""
    from sqlmodel import col, select

    from core.store.models import Task
    from core.tasks import states

    query = select(Task).where(col(Task.source_id).is_(None), col(Task.parent_id).is_(None),
                               col(Task.kind).in_(KINDS), col(Task.paused).is_(False),
                               col(Task.cancelled).is_(False), Task.state != states.DONE)  # fmt: skip
    wanted = Task.state == states.QUEUED if task_ids is None else col(Task.id).in_(task_ids)
    return list(session.exec(query.where(wanted).order_by(col(Task.id))))
