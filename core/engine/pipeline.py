"""The download stage for one video: its own sub-tasks, then its pages (a few at a time).

Each sub-task's outcome is written to the database as soon as it is known, so a kill at
any moment loses at most the sub-task in flight (and the downloader keeps its .part).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.config import Config
from core.config.settings import AUDIO_NAMES, QUALITY_NAMES
from core.download import RangeDownloader, part_path, sidecar_path
from core.engine import status as st
from core.engine.progress import ProgressTracker
from core.errors import (
    DiskFullError,
    LoginExpiredError,
    RiskControlError,
    TransientError,
    UnavailableError,
)
from core.events import EventBus, SubtaskDone, SubtaskFailed, VideoFinished
from core.library import danmaku as danmaku_writer
from core.library import layout, nfo
from core.library.files import write_bytes_atomic, write_text_atomic
from core.library.media import merge_av, merge_temp_path
from core.library.naming import render, resolve_inside
from core.library.subtitles import write_srt
from core.providers.bilibili import api
from core.providers.bilibili.client import BiliClient
from core.providers.bilibili.models import PlayInfo
from core.providers.bilibili.streams import StreamPrefs, is_hevc, select_streams
from core.store import repo
from core.store.db import Database
from core.store.models import Page, Source, Video

log = logging.getLogger(__name__)

V_POSTER, V_TVSHOW, V_AVATAR, V_PERSON, V_PAGES = range(5)
P_POSTER, P_VIDEO, P_NFO, P_DANMAKU, P_SUBTITLES = range(5)


async def write_file(path: Path, content: bytes | str) -> None:
    """Atomic, durable writes off the event loop (fsync can take a while on slow disks)."""
    if isinstance(content, str):
        await asyncio.to_thread(write_text_atomic, path, content)
    else:
        await asyncio.to_thread(write_bytes_atomic, path, content)


class StopVideo(Exception):
    """The video turned out to be unavailable: stop its work without counting attempts."""


# Errors that end the whole round (see `attempt`); a task group re-raises the first of them.
ROUND_ENDING = (RiskControlError, LoginExpiredError, DiskFullError)


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
        for kind in (*ROUND_ENDING, StopVideo):
            for leaf in leaves:
                if isinstance(leaf, kind):
                    raise leaf from None
        raise


def stream_prefs(config: Config) -> StreamPrefs:
    return StreamPrefs(
        video_max_qn=QUALITY_NAMES[config["quality.video_max"]],
        video_min_qn=QUALITY_NAMES[config["quality.video_min"]],
        audio_max=AUDIO_NAMES[config["quality.audio_max"]],
        audio_min=AUDIO_NAMES[config["quality.audio_min"]],
        codecs=tuple(config["quality.codecs"]),
        no_dolby_video=config["quality.no_dolby_video"],
        no_dolby_audio=config["quality.no_dolby_audio"],
        no_hdr=config["quality.no_hdr"],
        no_hires=config["quality.no_hires"],
    )


@dataclass
class PipelineContext:
    config: Config
    db: Database
    bus: EventBus
    ffmpeg: str
    prefs: StreamPrefs

    @property
    def attempts(self) -> int:
        return int(self.config["limits.attempts"])


def _vars(video: Video, source: Source) -> dict[str, Any]:
    return {
        "bvid": video.bvid, "title": video.title, "upper_name": video.upper_name, "upper_mid": video.upper_mid,
        "pubtime": video.pubtime, "fav_time": video.fav_time or video.pubtime, "source_name": source.name,
        "series_title": video.series_title or video.title, "season": video.season_number or 1,
        "season_pad": f"{video.season_number or 1:02d}", "episode": video.episode_number or 1,
        "episode_pad": f"{video.episode_number or 1:02d}", "ep_id": video.ep_id or "",
    }  # fmt: skip


def video_folder(config: Config, source: Source, video: Video) -> Path:
    """The video's folder (chosen and stored in `video.path` on first use); a bangumi source's
    folder is the show itself, shared by all its episodes."""
    root = Path(source.path)
    if not video.path:
        if video.ep_id is not None:
            video.path = "."
        else:
            rendered = render(
                config["library.video_name"], _vars(video, source), time_format=config["library.time_format"]
            )
            video.path = str(resolve_inside(root, rendered).relative_to(root))
    return resolve_inside(root, video.path)


def page_files(config: Config, source: Source, video: Video, page: Page) -> layout.MovieFiles | layout.EpisodeFiles:
    fmt = config["library.time_format"]
    folder = video_folder(config, source, video)
    values = _vars(video, source)
    if video.ep_id is not None:
        name = render(config["library.episode_name"], values, time_format=fmt)
        season, episode = video.season_number or 1, video.episode_number or 1
        return layout.bangumi_episode_files(folder, name, season, episode)
    values = {**values, "ptitle": page.title, "pid": page.pid, "pid_pad": f"{page.pid:02d}"}
    name = render(config["library.page_name"], values, time_format=fmt)
    if video.page_count <= 1:
        return layout.movie_files(folder, name)
    return layout.page_episode_files(folder, name, page.pid)


def unfinished_files(config: Config, source: Source, video: Video, pages: list[Page]) -> list[Path]:
    """What an unfinished download of these pages leaves: the streams, their .part and sidecar
    files and ffmpeg's temporary output. In a bangumi show folder only these pages' own names,
    so cancelling one episode never touches another episode's download."""
    if not video.path:
        return []  # nothing was ever written
    found: list[Path] = []
    for page in pages:
        files = page_files(config, source, video, page)
        for stream in (files.video_stream, files.audio_stream):
            found += [stream, part_path(stream), sidecar_path(stream)]
        found.append(merge_temp_path(files.video))
    folder = video_folder(config, source, video)
    if video.ep_id is None and folder.is_dir():  # the video's own folder: sweep it (names may have changed)
        found += [path for pattern in ("*.part", "*.part.json", "*.m4s") for path in folder.rglob(pattern)]
    return found


class VideoJob:
    def __init__(self, ctx: PipelineContext, source: Source, video: Video, client: BiliClient) -> None:
        self.ctx = ctx
        self.source = source
        self.video = video
        self.client = client
        self.status = video.status
        self.root = Path(source.path)
        self.bangumi = video.ep_id is not None

    # ------------------------------------------------------------ layout

    def folder(self) -> Path:
        return video_folder(self.ctx.config, self.source, self.video)

    def page_files(self, page: Page) -> layout.MovieFiles | layout.EpisodeFiles:
        return page_files(self.ctx.config, self.source, self.video, page)

    # ------------------------------------------------------------ running

    async def run(self, page_limit: int) -> bool:
        vid = self.video.id or 0
        try:
            await self.db_update(path=self.video.path or str(self.folder().relative_to(self.root)))
            show = self.video.page_count > 1 or self.bangumi
            await self._step(V_POSTER, "poster", self._show_poster if show else None)
            await self._step(V_TVSHOW, "tvshow_nfo", self._tvshow_nfo if show else None)
            wants_upper = self.ctx.config["library.upper"] and self.video.upper_mid and not self.bangumi
            await self._step(V_AVATAR, "upper_avatar", self._upper_avatar if wants_upper else None)
            await self._step(V_PERSON, "upper_nfo", self._upper_nfo if wants_upper else None)
            pages = await self.ctx.db.run(repo.pages_of, vid)
            gate = asyncio.Semaphore(page_limit)

            async def one(page: Page) -> None:
                async with gate:
                    await PageJob(self, page).run()

            await run_all(one(page) for page in pages)
        except StopVideo:
            pass
        self.status = await self.ctx.db.run(repo.refresh_video_pages_slot, vid)
        ok = st.state(self.status) is st.State.DONE
        if self.status & st.COMPLETED:
            self.ctx.bus.publish(VideoFinished(vid, ok))
        return ok

    async def db_update(self, **fields: Any) -> None:
        await self.ctx.db.run(repo.update_video, self.video.id, **fields)

    async def _step(self, index: int, name: str, action: Callable[[], Awaitable[None]] | None) -> None:
        """Run one video-level sub-task if it is owed, and record its outcome."""
        if not st.should_run(self.status, index, self.ctx.attempts):
            return
        outcome = await attempt(self, None, name, action)
        self.status = st.record(self.status, index, outcome, self.ctx.attempts)
        await self.ctx.db.run(repo.set_video_status, self.video.id, self.status)

    # ------------------------------------------------------------ video-level sub-tasks

    async def _show_poster(self) -> None:
        image = await api.fetch_image(self.client, self.video.cover)
        show = layout.show_files(self.folder())
        await write_file(show.poster, image)
        await write_file(show.fanart, image)

    async def _tvshow_nfo(self) -> None:
        await write_file(layout.show_files(self.folder()).nfo, nfo.tvshow_nfo(self.nfo_video()))

    def person(self) -> layout.PersonFiles:
        return layout.person_files(self.ctx.config.people_dir, self.video.upper_mid)

    async def _upper_avatar(self) -> None:
        if self.video.upper_face:
            image = await api.fetch_image(self.client, self.video.upper_face)
            await write_file(self.person().image, image)

    async def _upper_nfo(self) -> None:
        person = nfo.NfoPerson(self.video.upper_mid, self.video.upper_name)
        await write_file(self.person().nfo, nfo.person_nfo(person))

    def nfo_video(self) -> nfo.NfoVideo:
        use_fav = self.ctx.config["library.nfo_time"] == "favtime" and self.video.fav_time is not None
        staff = json.loads(self.video.staff or "[]")
        actors = [nfo.NfoActor(s["mid"], s["name"], s.get("face", "")) for s in staff] or (
            [nfo.NfoActor(self.video.upper_mid, self.video.upper_name, self.video.upper_face)]
            if self.video.upper_mid
            else []
        )
        return nfo.NfoVideo(
            bvid=self.video.bvid,
            title=self.video.series_title if self.bangumi else self.video.title,
            intro=self.video.intro,
            actors=actors,
            tags=json.loads(self.video.tags or "[]"),
            date=(self.video.fav_time if use_fav else self.video.pubtime),
        )


async def attempt(
    job: VideoJob, page: Page | None, name: str, action: Callable[[], Awaitable[None]] | None
) -> st.Outcome:
    """Run a sub-task and translate what happened into a status outcome.

    Risk control, an expired login and a full disk end the round: they propagate untouched,
    so no attempt is counted for them.
    """
    vid, pid = job.video.id or 0, page.id if page else None
    bus = job.ctx.bus
    if action is None:  # not needed for this layout or switched off in settings
        return st.Outcome.SUCCEEDED
    try:
        await action()
    except (*ROUND_ENDING, asyncio.CancelledError):
        raise
    except UnavailableError as exc:
        await job.db_update(valid=False, unavailable=str(exc), last_error=str(exc))
        bus.publish(SubtaskFailed(vid, pid, name, str(exc), counted=False))
        raise StopVideo from exc
    except TransientError as exc:
        log.warning("%s %s: %s (will retry next round)", job.video.key, name, exc)
        bus.publish(SubtaskFailed(vid, pid, name, str(exc), counted=False))
        return st.Outcome.IGNORED
    except Exception as exc:
        message = str(exc) or type(exc).__name__
        log.warning("%s %s failed: %s", job.video.key, name, message, exc_info=not isinstance(exc, OSError))
        await job.db_update(last_error=f"{name}: {message}")
        bus.publish(SubtaskFailed(vid, pid, name, message, counted=True))
        return st.Outcome.FAILED
    bus.publish(SubtaskDone(vid, pid, name))
    return st.Outcome.SUCCEEDED


class PageJob:
    def __init__(self, job: VideoJob, page: Page) -> None:
        self.job = job
        self.page = page
        self.ctx = job.ctx
        self.status = page.status
        self.files = job.page_files(page)

    async def run(self) -> None:
        cfg = self.ctx.config
        self._adopt_moved_media()
        steps: list[tuple[int, str, Callable[[], Awaitable[None]] | None]] = [
            (P_POSTER, "poster", self._poster),
            (P_VIDEO, "video", self._video),
            (P_NFO, "nfo", self._nfo),
            (P_DANMAKU, "danmaku", self._danmaku if cfg["library.danmaku"] else None),
            (
                P_SUBTITLES,
                "subtitles",
                self._subtitles if cfg["library.subtitles"] and not self.job.bangumi else None,
            ),
        ]
        for index, name, action in steps:
            if not st.should_run(self.status, index, self.ctx.attempts):
                continue
            outcome = await attempt(self.job, self.page, name, action)
            self.status = st.record(self.status, index, outcome, self.ctx.attempts)
            await self.ctx.db.run(repo.set_page_status, self.page.id, self.status)

    def _adopt_moved_media(self) -> None:
        """A single-page video that gained parts keeps its media file: move it to its new name."""
        old = Path(self.page.path) if self.page.path else None
        if old and old != self.files.video and old.exists() and not self.files.video.exists():
            self.files.video.parent.mkdir(parents=True, exist_ok=True)
            os.replace(old, self.files.video)
            self.page.path = str(self.files.video)

    async def _poster(self) -> None:
        video = self.job.video
        if isinstance(self.files, layout.MovieFiles):
            image = await api.fetch_image(self.job.client, video.cover)
            await write_file(self.files.poster, image)
            await write_file(self.files.fanart, image)
        else:
            image = await api.fetch_image(self.job.client, self.page.first_frame or video.cover)
            await write_file(self.files.thumb, image)

    async def _playinfo(self) -> PlayInfo:
        video = self.job.video
        return await api.fetch_playinfo(self.job.client, bvid=video.bvid, cid=self.page.cid, ep_id=video.ep_id)

    async def _video(self) -> None:
        target = self.files.video
        if target.exists() and self.page.path == str(target):
            return
        play = await self._playinfo()
        choice = select_streams(play, self.ctx.prefs)
        tracker = ProgressTracker(self.ctx.bus, self.job.video.id or 0, self.page.id or 0)
        cfg = self.ctx.config
        downloader = RangeDownloader(
            self.job.client.media,
            connections=cfg["limits.connections"],
            min_chunk=int(cfg["limits.chunk_min_mib"] * 1024 * 1024),
            on_progress=tracker.add,
            on_total=tracker.add_total,
        )

        def refresher(kind: str, stream_id: int, codecid: int) -> Callable[[], Awaitable[list[str]]]:
            async def refresh() -> list[str]:
                fresh = await self._playinfo()
                pool = fresh.video if kind == "video" else [*fresh.audio, *fresh.dolby, *filter(None, [fresh.flac])]
                for candidate in pool:
                    if candidate.id == stream_id and candidate.codecid == codecid:
                        return candidate.urls
                return []

            return refresh

        parts: list[Path] = []
        video_file = self.files.video_stream
        await downloader.download(
            choice.video.urls, video_file, refresh=refresher("video", choice.video.id, choice.video.codecid)
        )
        parts.append(video_file)
        audio_file = None
        if choice.audio is not None:
            audio_file = self.files.audio_stream
            await downloader.download(
                choice.audio.urls,
                audio_file,
                refresh=refresher("audio", choice.audio.id, choice.audio.codecid),
            )
            parts.append(audio_file)
        tracker.publish()
        await merge_av(video_file, audio_file, target, hevc=is_hevc(choice.video), ffmpeg=self.ctx.ffmpeg)
        for part in parts:
            part.unlink(missing_ok=True)
        size = target.stat().st_size
        self.page.path = str(target)
        await self.ctx.db.run(repo.set_page_status, self.page.id, self.status, path=str(target), size=size)

    async def _nfo(self) -> None:
        video = self.job.nfo_video()
        if isinstance(self.files, layout.MovieFiles):
            text = nfo.movie_nfo(video)
        else:
            season = self.job.video.season_number or 1 if self.job.bangumi else 1
            episode = self.job.video.episode_number or 1 if self.job.bangumi else self.page.pid
            text = nfo.episode_nfo(nfo.NfoEpisode(title=self.page.title, season=season, episode=episode))
        await write_file(self.files.nfo, text)

    async def _danmaku(self) -> None:
        segments = await api.fetch_danmaku_segments(self.job.client, self.page.cid, self.page.duration or 1)
        await asyncio.to_thread(  # biliass is CPU work: off the event loop
            danmaku_writer.write_danmaku_ass,
            segments,
            self.page.width,
            self.page.height,
            self.page.rotate,
            self.files.danmaku,
            danmaku_writer.DanmakuOptions(),
        )

    async def _subtitles(self) -> None:
        tracks = await api.fetch_subtitle_tracks(self.job.client, self.job.video.bvid, self.page.cid)
        for track in tracks:
            if track.is_ai and not self.ctx.config["library.ai_subtitles"]:
                continue
            cues = await api.fetch_subtitle_cues(self.job.client, track)
            await asyncio.to_thread(write_srt, cues, self.files.subtitle(track.lan))
