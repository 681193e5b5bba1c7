"""The download stage for one item: its own steps, then its parts (a few at a time).

Each step's outcome is written to the database as soon as it is known, so a kill at any
moment loses at most the step in flight (and the downloader keeps its .part). Everything
the provider knows (play URLs, danmaku, subtitles, images) comes through its capability
protocols; nothing here knows which service an item is from.
"""

from __future__ import annotations

import asyncio
import dataclasses
import glob
import logging
import os
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from core.config import Config
from core.download import RangeDownloader, saved_bytes
from core.engine.items import item_of, part_of
from core.engine.library import placement
from core.engine.library.claims import PathClaims, variants
from core.engine.library.progress import ProgressTracker
from core.errors import (
    DiskFullError,
    LoginExpiredError,
    RiskControlError,
    SyncDeckError,
    TransientError,
    UnavailableError,
)
from core.events import EventBus, StepDone, StepFailed, TaskFinished
from core.library import danmaku as danmaku_writer
from core.library import layout, nfo
from core.library.files import LibraryNotWritableError, not_writable, write_bytes_atomic, write_text_atomic
from core.library.media import merge_av
from core.library.subtitles import write_srt
from core.net import make_client, net_options
from core.providers.protocols import (
    DanmakuSource,
    MediaItem,
    MediaPart,
    Person,
    Playback,
    PlaybackResolver,
    Provider,
    ProviderSession,
    Stream,
    SubtitleSource,
)
from core.store import repo
from core.store.db import Database
from core.store.models import Source, Task
from core.tasks import states
from core.tasks import steps as stp

log = logging.getLogger(__name__)

ITEM_STEPS = ("poster", "show_nfo", "owner_avatar", "owner_nfo", "parts")
PART_STEPS = ("poster", "media", "nfo", "danmaku", "subtitles")


async def write_file(path: Path, content: bytes | str) -> None:
    """Atomic, durable writes off the event loop (fsync can take a while on slow disks)."""
    if isinstance(content, str):
        await asyncio.to_thread(write_text_atomic, path, content)
    else:
        await asyncio.to_thread(write_bytes_atomic, path, content)


class StopItem(Exception):
    """The item turned out to be unavailable: stop its work without counting attempts."""


# Errors that end the whole round (see `attempt`); a task group re-raises the first of them.
ROUND_ENDING = (RiskControlError, LoginExpiredError, DiskFullError, LibraryNotWritableError)


def _leaves(error: BaseException) -> list[BaseException]:
    if isinstance(error, BaseExceptionGroup):
        return [leaf for sub in error.exceptions for leaf in _leaves(sub)]
    return [error]


async def run_all(coros: Iterable[Coroutine[Any, Any, None]]) -> None:
    """Run concurrently; the first round-ending error cancels the rest and is raised as itself."""
    try:
        async with asyncio.TaskGroup() as group:
            for coro in coros:
                group.create_task(coro)
    except BaseExceptionGroup as failure:
        leaves = _leaves(failure)
        for kind in (*ROUND_ENDING, StopItem):
            for leaf in leaves:
                if isinstance(leaf, kind):
                    raise leaf from None
        raise


@dataclass
class PipelineContext:
    config: Config
    db: Database
    bus: EventBus
    ffmpeg: str
    media_clients: dict[frozenset[tuple[str, str]], httpx.AsyncClient] = field(default_factory=dict)
    claims: PathClaims = field(init=False)

    def __post_init__(self) -> None:
        self.claims = PathClaims(self.db)

    @property
    def attempts(self) -> int:
        return int(self.config["limits.attempts"])

    def media_client(self, headers: dict[str, str]) -> httpx.AsyncClient:
        """One connection pool per set of headers a CDN wants (e.g. a Referer)."""
        key = frozenset(headers.items())
        if key not in self.media_clients:
            self.media_clients[key] = make_client(net_options(self.config), headers=headers)
        return self.media_clients[key]

    async def aclose(self) -> None:
        for client in self.media_clients.values():
            await client.aclose()
        self.media_clients.clear()


class ItemJob:
    """One item (a video) of a source: its folder, its own files, then its parts."""

    def __init__(
        self, ctx: PipelineContext, source: Source, task: Task, provider: Provider, session: ProviderSession
    ) -> None:
        self.ctx = ctx
        self.source = source
        self.task = task
        self.provider = provider
        self.session = session
        self.steps = stp.loads(task.steps)
        self.failures: list[str] = []  # steps of the item or its parts that failed in this run, and why
        self.parts: list[Task] = []
        self.item: MediaItem = item_of(task)
        self.extra = provider.template_variables(self.item, None)

    @property
    def show(self) -> bool:
        return self.item.part_count > 1 or self.item.episode is not None

    def folder(self) -> Path:
        if not self.task.path:
            folder = placement.item_folder(self.ctx.config, self.source.path, self.source.name, self.item, self.extra)
            self.task.path = str(folder)
        return Path(self.task.path)

    async def run(self, part_limit: int) -> bool:
        task_id = self.task.id or 0
        try:
            self.parts = await self.ctx.db.run(repo.parts_of, task_id)
            self.item = item_of(self.task, self.parts)
            await self._regroup()
            if not self.task.path:  # a folder, once stored, stays the item's
                await self._claim_folder()
            wants_owner = self.ctx.config["library.upper"] and bool(self.credited()) and not self.item.episode
            await self._step("poster", self._show_poster if self.show and self.item.cover else None)
            await self._step("show_nfo", self._show_nfo if self.show else None)
            await self._step("owner_avatar", self._owner_avatar if wants_owner else None)
            await self._step("owner_nfo", self._owner_nfo if wants_owner else None)
            gate = asyncio.Semaphore(part_limit)
            jobs = [PartJob(self, part) for part in self.parts]

            async def ready(job: PartJob) -> None:
                async with gate:
                    await job.prepare()

            async def one(job: PartJob) -> None:
                async with gate:
                    await job.run()

            # every part's size first, so the item's progress is over all it will fetch
            await run_all(ready(job) for job in jobs)
            await run_all(one(job) for job in jobs)
        except StopItem:
            pass
        self.steps = await self.ctx.db.run(repo.refresh_parts_step, task_id, "parts")
        ok = stp.state(self.steps) == states.DONE
        if stp.finished(self.steps):
            if ok:
                log.info("%s: done, in %s", self.task.title, self.task.path)
            self.ctx.bus.publish(TaskFinished(task_id, ok))
        return ok

    async def _regroup(self) -> None:
        """A movie kept under Movies/ that gained parts moves, folder and all, to Shows/; its
        parts' stored paths follow, so the movie file is then adopted as episode 1."""
        if not self.task.path:
            return
        old = Path(self.task.path)
        new = placement.regrouped_folder(self.ctx.config, self.source.path, self.item, old)
        if new is None:
            return
        await asyncio.to_thread(_move_folder, old, new)
        self.task.path = str(new)
        await self.db_update(path=str(new))
        for part in self.parts:
            if part.path and Path(part.path).is_relative_to(old):
                part.path = str(new / Path(part.path).relative_to(old))
                await self.ctx.db.run(repo.update_task, part.id, path=part.path)

    def credited(self) -> tuple[Person, ...]:
        """Who the NFOs name as actors: everyone credited, else the owner."""
        item = self.item
        return item.people or ((item.owner,) if item.owner else ())

    async def _claim_folder(self) -> None:
        """A new item's folder, distinct from every other item's (an episode shares its show's)."""
        folder = self.folder()
        if self.item.episode is not None:
            await self.ctx.db.run(repo.update_task, self.task.id, path=str(folder))
            return
        candidates = list(variants(folder))
        chosen = await self.ctx.claims.claim(self.task.id or 0, candidates, store=True)
        self.task.path = str(candidates[chosen])

    async def db_update(self, **fields: Any) -> None:
        await self.ctx.db.run(repo.update_task, self.task.id, **fields)

    async def _step(self, name: str, action: Callable[[], Awaitable[None]] | None) -> None:
        """Run one item-level step if it is owed, and record its outcome."""
        if not stp.should_run(self.steps, name, self.ctx.attempts):
            return
        outcome = await attempt(self, self.task.id or 0, name, action)
        self.steps = stp.record(self.steps, name, outcome, self.ctx.attempts)
        await self.ctx.db.run(repo.set_steps, self.task.id, self.steps)

    # ------------------------------------------------------------ item-level steps

    async def image(self, url: str) -> bytes:
        return await self.provider.fetch_image(self.session, url)

    async def _show_poster(self) -> None:
        image = await self.image(self.item.cover)
        show = layout.show_files(self.folder())
        await write_file(show.poster, image)
        await write_file(show.fanart, image)

    async def _show_nfo(self) -> None:
        await write_file(layout.show_files(self.folder()).nfo, nfo.tvshow_nfo(self.nfo_video()))

    def people_files(self) -> list[tuple[Person, layout.PersonFiles]]:
        found = []
        for person in self.credited():
            try:
                found.append((person, placement.person_files(self.ctx.config, shown_name(person))))
            except ValueError:  # a name of symbols only: no media server files pictures for it
                log.info("%s: no people folder for %r", self.task.title, person.name)
        return found

    async def _owner_avatar(self) -> None:
        for person, files in self.people_files():
            if person.face:
                await write_file(files.image, await self.image(person.face))

    async def _owner_nfo(self) -> None:
        for person, files in self.people_files():
            document = nfo.person_nfo(nfo.NfoPerson(shown_name(person), person.id, self.provider.name))
            await write_file(files.nfo, document)

    def nfo_date(self) -> datetime:
        item = self.item
        use_added = self.ctx.config["library.nfo_time"] == "favtime" and item.added_at is not None
        return (item.added_at if use_added else item.published_at) or self.task.created_at

    def nfo_video(self) -> nfo.NfoVideo:
        """The movie's, or the show's: a show of episodes (a bangumi) by the show's own id and page."""
        item = self.item
        show = item.episode
        return nfo.NfoVideo(
            uid=(show.series_key if show else "") or item.key,
            uid_type=self.provider.name,
            title=show.series_title if show else item.title,
            intro=item.intro,
            actors=[nfo.NfoActor(shown_name(p), p.role, p.face) for p in self.credited()],
            tags=list(item.tags),
            date=self.nfo_date(),
            link=(show.series_url if show else "") or item.url,
        )


def shown_name(person: Person) -> str:
    """The name media centers show for a person, and find their folder by."""
    return person.name.strip() or person.id


def _move_folder(old: Path, new: Path) -> None:
    if not old.exists():
        return  # nothing written yet: the new place is used from now on
    new.parent.mkdir(parents=True, exist_ok=True)
    if not new.exists():
        os.replace(old, new)
        return
    # an earlier move was interrupted (or another item took the name): bring over what is missing
    for entry in old.iterdir():
        if not (new / entry.name).exists():
            os.replace(entry, new / entry.name)
    try:
        old.rmdir()
    except OSError:
        log.warning("%s: kept files already present in %s", old, new)


async def attempt(job: ItemJob, task_id: int, name: str, action: Callable[[], Awaitable[None]] | None) -> stp.Outcome:
    """Run a step and translate what happened into an outcome.

    Risk control, an expired login and a full disk end the round: they propagate untouched,
    so no attempt is counted for them.
    """
    bus = job.ctx.bus
    parent = job.task.id if task_id != job.task.id else None
    if action is None:  # not needed for this layout or switched off in settings
        return stp.Outcome.SUCCEEDED
    try:
        await action()
    except (*ROUND_ENDING, asyncio.CancelledError):
        raise
    except OSError as exc:
        if not_writable(exc):
            raise LibraryNotWritableError.from_os_error(exc) from None
        return await _failed(job, task_id, name, exc)
    except UnavailableError as exc:
        log.info("%s: unavailable (%s)", job.task.title, exc)
        await job.db_update(unavailable=str(exc), last_error=str(exc))
        bus.publish(StepFailed(task_id, name, str(exc), counted=False, parent_id=parent))
        raise StopItem from exc
    except TransientError as exc:
        log.warning("%s %s: %s (will retry next round)", job.task.title, name, exc)
        bus.publish(StepFailed(task_id, name, str(exc), counted=False, parent_id=parent))
        return stp.Outcome.IGNORED
    except Exception as exc:
        return await _failed(job, task_id, name, exc)
    bus.publish(StepDone(task_id, name, parent_id=parent))
    return stp.Outcome.SUCCEEDED


async def _failed(job: ItemJob, task_id: int, name: str, exc: Exception) -> stp.Outcome:
    """A step failed for a reason of its own: one attempt counted, the reason kept."""
    message = str(exc) or type(exc).__name__
    log.warning("%s %s failed: %s", job.task.title, name, message)
    if not isinstance(exc, OSError | SyncDeckError):  # a bug: its stack goes to the log file (and -v)
        log.info("%s %s failed", job.task.title, name, exc_info=exc)
    await job.db_update(last_error=f"{name}: {message}")
    job.failures.append(f"{name}: {message}")
    parent = job.task.id if task_id != job.task.id else None
    job.ctx.bus.publish(StepFailed(task_id, name, message, counted=True, parent_id=parent))
    return stp.Outcome.FAILED


@dataclass
class _MediaPlan:
    """What a part's media step fetches: the streams and their files, sizes and progress."""

    video: Stream
    fetches: list[tuple[Stream, Path]]
    sizes: list[int]
    tracker: ProgressTracker


def _dimensions(part: MediaPart) -> tuple[int, int, int]:
    d = part.details
    return int(d.get("width", 0) or 0), int(d.get("height", 0) or 0), int(d.get("rotate", 0) or 0)


class PartJob:
    """One part (a 分P, an episode file): poster, media, NFO, danmaku, subtitles."""

    def __init__(self, job: ItemJob, task: Task) -> None:
        self.job = job
        self.task = task
        self.part = part_of(task)
        self.ctx = job.ctx
        self.steps = stp.loads(task.steps)
        extra = job.provider.template_variables(job.item, self.part)
        self.files = placement.part_files(
            self.ctx.config, job.folder(), job.source.name, job.item, self.part, extra
        )  # fmt: skip
        self._settled = False
        self._plan: _MediaPlan | None = None

    async def _claim_files(self) -> None:
        """Files no other part writes: with names that collide, a numbered variant."""
        stems = list(variants(self.files.stem))
        shapes = [dataclasses.replace(self.files, stem=stem) for stem in stems]
        chosen = await self.ctx.claims.claim(self.task.id or 0, [shape.video for shape in shapes])
        self.files = shapes[chosen]

    async def _settle_files(self) -> None:
        if self._settled:
            return
        self._settled = True
        await self._claim_files()
        if self._adopt_moved_media():
            await self.ctx.db.run(repo.update_task, self.task.id, path=self.task.path)

    async def prepare(self) -> None:
        """Learn what the media step will fetch before any part downloads: its streams and
        their sizes, and what of them is on disk already, told as the part's first progress.
        Anything that goes wrong here is met again, and reported, by the media step itself."""
        await self._settle_files()
        if not stp.should_run(self.steps, "media", self.ctx.attempts) or self._media_done():
            return
        try:
            self._plan = await self._make_plan()
        except (*ROUND_ENDING, asyncio.CancelledError):
            raise
        except Exception as exc:  # noqa: BLE001 - the media step raises it again, counted
            log.debug("%s: sizes not known ahead: %s", self.task.title, exc)
            return
        self._plan.tracker.publish()

    async def run(self) -> None:
        cfg = self.ctx.config
        provider = self.job.provider
        await self._settle_files()
        wants_danmaku = cfg["library.danmaku"] and isinstance(provider, DanmakuSource)
        wants_subtitles = (
            cfg["library.subtitles"] and isinstance(provider, SubtitleSource) and not self.job.item.episode
        )
        steps: list[tuple[str, Callable[[], Awaitable[None]] | None]] = [
            # a file from a file server has no picture: nothing to write rather than a failure
            ("poster", self._poster if self.job.item.cover or self.part.details.get("first_frame") else None),
            ("media", self._media),
            ("nfo", self._nfo),
            ("danmaku", self._danmaku if wants_danmaku else None),
            ("subtitles", self._subtitles if wants_subtitles else None),
        ]
        for name, action in steps:
            if not stp.should_run(self.steps, name, self.ctx.attempts):
                continue
            outcome = await attempt(self.job, self.task.id or 0, name, action)
            self.steps = stp.record(self.steps, name, outcome, self.ctx.attempts)
            await self.ctx.db.run(repo.set_steps, self.task.id, self.steps)

    def _adopt_moved_media(self) -> bool:
        """A single-part item that gained parts keeps its media file: move it to its new name.
        The movie's own NFO, pictures, danmaku and subtitles go: the episode's are written
        under its new name, and a media center would read a movie NFO left in a show's folder
        as a second item. True when the media file moved (its new path is to be saved)."""
        old = Path(self.task.path) if self.task.path else None
        if not old or old == self.files.video or not old.exists() or self.files.video.exists():
            return False
        self.files.video.parent.mkdir(parents=True, exist_ok=True)
        os.replace(old, self.files.video)
        self.task.path = str(self.files.video)
        if isinstance(self.files, layout.EpisodeFiles):
            movie = layout.MovieFiles(old.with_name(old.name.removesuffix(".mp4")))
            stale = [movie.nfo, movie.poster, movie.fanart, movie.danmaku]
            stale += movie.folder.glob(glob.escape(movie.stem.name) + ".*.srt")
            for path in stale:
                path.unlink(missing_ok=True)
        return True

    async def _poster(self) -> None:
        item = self.job.item
        if isinstance(self.files, layout.MovieFiles):
            image = await self.job.image(item.cover)
            await write_file(self.files.poster, image)
            await write_file(self.files.fanart, image)
        else:
            image = await self.job.image(self.part.details.get("first_frame") or item.cover)
            await write_file(self.files.thumb, image)

    async def _resolve(self) -> Playback:
        provider = self.job.provider
        if not isinstance(provider, PlaybackResolver):
            raise UnavailableError(f"{provider.display_name} cannot play this item")
        return await provider.resolve(self.job.session, self.job.item, self.part)

    def _refresher(self, stream: Stream) -> Callable[[], Awaitable[list[str]]]:
        """Fresh URLs for the same stream (same kind, quality and codec) when links expire."""

        async def refresh() -> list[str]:
            fresh = await self._resolve()
            for candidate in fresh.streams:
                if (candidate.kind, candidate.quality, candidate.codec) == (stream.kind, stream.quality, stream.codec):
                    return list(candidate.urls)
            return []

        return refresh

    def _media_done(self) -> bool:
        target = self.files.video
        return target.exists() and self.task.path == str(target)

    def _downloader(self, stream: Stream, plan: _MediaPlan | None = None, index: int = 0) -> RangeDownloader:
        cfg = self.ctx.config
        tracker = plan.tracker if plan is not None else None
        return RangeDownloader(
            self.ctx.media_client(dict(stream.headers)),
            connections=cfg["limits.connections"],
            min_chunk=int(cfg["limits.chunk_min_mib"] * 1024 * 1024),
            on_progress=(lambda delta: tracker.add(index, delta)) if tracker is not None else None,
            on_start=(lambda size, saved: tracker.started(index, size, saved)) if tracker is not None else None,
        )

    async def _make_plan(self) -> _MediaPlan:
        """The streams of the part, each with its file, its size (the provider's, else asked of
        the server) and what of it is already on disk (a finished stream, a .part)."""
        playback = await self._resolve()
        video = next((s for s in playback.streams if s.kind in ("video", "muxed")), None)
        if video is None:
            raise UnavailableError("no playable stream")
        audio = next((s for s in playback.streams if s.kind == "audio"), None) if video.kind == "video" else None
        fetches = [(video, self.files.video_stream)]
        if audio is not None:
            fetches.append((audio, self.files.audio_stream))
        sizes = []
        for stream, path in fetches:
            size = stream.size or await self._downloader(stream).size(
                list(stream.urls), path.name, refresh=self._refresher(stream)
            )  # fmt: skip
            sizes.append(max(size, 0))
        saved = [
            await asyncio.to_thread(saved_bytes, path, size) for (_, path), size in zip(fetches, sizes, strict=True)
        ]
        tracker = ProgressTracker(self.ctx.bus, self.task.id or 0, self.task.parent_id)
        tracker.plan(sizes, saved)
        return _MediaPlan(video, fetches, sizes, tracker)

    async def _media(self) -> None:
        target = self.files.video
        if self._media_done():
            return
        plan, self._plan = self._plan or await self._make_plan(), None
        for index, ((stream, path), size) in enumerate(zip(plan.fetches, plan.sizes, strict=True)):
            downloader = self._downloader(stream, plan, index)
            await downloader.download(list(stream.urls), path, refresh=self._refresher(stream), size=size)
        plan.tracker.finish()
        fetched = [path for _, path in plan.fetches]
        audio_file = fetched[1] if len(fetched) > 1 else None
        await merge_av(fetched[0], audio_file, target, hevc=plan.video.codec == "hevc", ffmpeg=self.ctx.ffmpeg)
        for path in fetched:
            path.unlink(missing_ok=True)
        size = target.stat().st_size
        self.task.path = str(target)
        await self.ctx.db.run(
            repo.update_task, self.task.id, path=str(target), bytes_done=size, bytes_total=size
        )  # fmt: skip

    async def _nfo(self) -> None:
        item = self.job.item
        if isinstance(self.files, layout.MovieFiles):
            text = nfo.movie_nfo(self.job.nfo_video())
        else:
            # an episode of a show is an item of its own (its id); a page is a part of one
            own_item = item.episode is not None
            text = nfo.episode_nfo(nfo.NfoEpisode(
                title=self.part.title,
                season=item.episode.season if item.episode else 1,
                episode=item.episode.number if item.episode else self.part.number,
                uid=item.key if own_item else self.part.key,
                uid_type=self.job.provider.name,
                intro=self.part.intro or item.intro,
                link=self.part.url or item.url,
                aired=item.published_at,
            ))  # fmt: skip
        await write_file(self.files.nfo, text)

    async def _danmaku(self) -> None:
        provider = self.job.provider
        assert isinstance(provider, DanmakuSource)
        danmaku = await provider.danmaku(self.job.session, self.job.item, self.part)
        if danmaku.format != "bilibili-protobuf":  # the only format the ASS writer reads
            log.warning("%s: danmaku in %s are not written", self.job.task.title, danmaku.format)
            return
        width, height, rotate = _dimensions(self.part)
        await asyncio.to_thread(  # biliass is CPU work: off the event loop
            danmaku_writer.write_danmaku_ass,
            list(danmaku.segments),
            width,
            height,
            rotate,
            self.files.danmaku,
            danmaku_writer.DanmakuOptions(),
        )

    async def _subtitles(self) -> None:
        provider = self.job.provider
        assert isinstance(provider, SubtitleSource)
        for track in await provider.subtitle_tracks(self.job.session, self.job.item, self.part):
            if track.generated and not self.ctx.config["library.ai_subtitles"]:
                continue
            cues = await provider.subtitle_cues(self.job.session, track)
            await asyncio.to_thread(write_srt, cues, self.files.subtitle(track.lang))


def unfinished_files(config: Config, source: Source, task: Task, parts: list[Task], provider: Provider) -> list[Path]:
    """What an unfinished download of the item leaves behind (for cancel)."""
    if not task.path:
        return []  # nothing was ever written
    item = item_of(task, parts)
    return placement.unfinished_files(
        config, Path(task.path), source.name, item, lambda part: provider.template_variables(item, part)
    )  # fmt: skip
