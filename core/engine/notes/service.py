"""Notes from videos: batches of transcribe-and-write tasks with checkpoints.

Public API (engine.notes; the command line and the window use only this and the view types):

    await notes.templates()                          -> [TemplateView]
    await notes.create_batch(inputs, template=…, params=…, llm=…, model=…, formats=…, out_dir=…,
                             workers=…, language=…, frames=…, name=…)   -> NoteBatchView
    await notes.run_batch(id)      # works in the calling task until the batch ends or pauses -> NoteBatchView
    await notes.start_batch(id)    # the same in the background (the window)                  -> NoteBatchView
    await notes.pause_batch(id) / resume_batch(id) / cancel_batch(id) / retry_failed(id)   -> NoteBatchView
    await notes.batches() / batch(id) / batch_tasks(id)
    notes.is_running_here(id)

Events on the bus: core.engine.notes.events (NoteTaskChanged, NoteBatchChanged, NoteBatchFinished).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.engine.feature import FeatureService
from core.errors import ConfigError, LlmError

if TYPE_CHECKING:
    from core.engine.notes.links import LinkFetcher
    from core.engine.notes.runner import BatchRun
    from core.engine.notes.views import NoteBatchView, NoteTaskView, TemplateView
    from core.llm.protocol import LlmClient
    from core.notes.inputs import VideoInput
    from core.notes.maker import NoteJob
    from core.notes.templates import Template
    from core.store.notes_tables import NoteTask

log = logging.getLogger(__name__)

ClientFactory = Any  # (account name, model or None) -> LlmClient, or an awaitable of one


class NotesService(FeatureService):
    """Built with every engine, so it must be cheap: heavy imports and work start on first use."""

    def __init__(self, *parts: Any) -> None:
        super().__init__(*parts)
        # Other features, bound by the engine facade (bind()); absent ones are said so when needed.
        self.llm: Any = None
        self.playlists: Any = None
        self.playback: Any = None
        self.client_factory: ClientFactory | None = None  # overrides llm.client (tests, benchmarks)
        self._runs: dict[int, BatchRun] = {}
        self._background: dict[int, asyncio.Task[Any]] = {}
        self._ffmpeg: str | None = None

    def bind(self, *, llm: Any = None, playlists: Any = None, playback: Any = None) -> None:
        self.llm = llm
        self.playlists = playlists
        self.playback = playback

    async def close(self) -> None:
        """Pause what runs here (resumable later), leaving nothing half-written."""
        for task in list(self._background.values()):
            task.cancel()
        if self._background:
            await asyncio.gather(*self._background.values(), return_exceptions=True)

    # ------------------------------------------------------------ templates

    @property
    def templates_folder(self) -> Path:
        return self.config.data_dir / "templates"

    def _template(self, name: str) -> Template:
        from core.notes.templates import find_template

        return find_template(name or self.config["notes.template"], self.templates_folder)

    async def templates(self) -> list[TemplateView]:
        from core.engine.notes.views import TemplateView
        from core.notes.templates import all_templates

        found = await asyncio.to_thread(all_templates, self.templates_folder)
        return [TemplateView(t.name, t.title, t.description, t.version, t.language, t.built_in, t.path,
                             dict(t.parameters)) for t in found]  # fmt: skip

    async def template_problems(self) -> dict[str, str]:
        from core.notes.templates import template_problems

        return await asyncio.to_thread(template_problems, self.templates_folder)

    # ------------------------------------------------------------ batches

    async def create_batch(
        self, inputs: Sequence[str], *, template: str = "", params: dict[str, str] | None = None,
        llm: str | None = None, model: str | None = None, formats: Sequence[str] | None = None,
        out_dir: str | None = None, workers: int | None = None, language: str | None = None,
        frames: int | None = None, name: str = "",
    ) -> NoteBatchView:  # fmt: skip
        """A new batch of every video the INPUTs name (queued; start it with run/start_batch).
        ConfigError for an INPUT that is not there, a template or format that does not exist."""
        from core.engine.notes import records
        from core.notes.inputs import expand_all
        from core.notes.outputs import FORMATS
        from core.store.notes_tables import NoteBatch

        if not inputs:
            raise ConfigError("give at least one INPUT: a video, a folder, a .txt list, a .csv, a link or source:ID")
        cfg = self.config
        chosen = self._template(template)  # a bad name fails here, before anything is stored
        formats = list(formats or cfg["notes.formats"])
        bad = [f for f in formats if f not in FORMATS]
        if bad or not formats:
            raise ConfigError(f"unknown note format {bad[0] if bad else ''!r}: use {', '.join(FORMATS)}")
        workers = cfg["notes.workers"] if workers is None else workers
        if not 1 <= workers <= 8:
            raise ConfigError(f"workers must be between 1 and 8, got {workers}")
        language = language or cfg["notes.language"]
        if language not in ("ui", "zh_CN", "en"):
            raise ConfigError(f"note language must be ui, zh_CN or en, got {language!r}")
        folder = out_dir if out_dir is not None else cfg["notes.out_dir"]
        if folder:
            folder = str(Path(folder).expanduser().resolve())
        videos = await self._links().expand(await expand_all(list(inputs), self._resolve))
        if not videos:
            raise ConfigError(f"no videos found in {', '.join(inputs)}")
        batch = NoteBatch(
            name=name or _name(inputs), state="queued", inputs=json.dumps(list(inputs), ensure_ascii=False),
            template=chosen.path if not chosen.built_in and template and Path(template).suffix else chosen.name,
            params=json.dumps(params or {}, ensure_ascii=False), llm=cfg["notes.llm"] if llm is None else llm,
            model=cfg["notes.model"] if model is None else model, formats=",".join(formats), out_dir=folder,
            workers=workers, language=language, frames=cfg["notes.frames"] if frames is None else frames,
        )  # fmt: skip
        rows = [_task_row(v) for v in videos]
        batch_id = await self.db.run(records.add_batch, batch, rows)
        return await self.batch(batch_id)

    async def _resolve(self, kind: str, ref: str) -> list[VideoInput]:
        from core.engine.notes import records
        from core.engine.notes.links import NO_PLAYBACK
        from core.notes.inputs import VideoInput

        if kind == "playlist":
            return await self._playlist_videos(int(ref))
        found = await self.db.run(records.library_videos, kind, ref)
        if found is None:
            if kind == "key":
                return []
            if kind == "link":  # not in the library: the task fetches it through playback
                if self.playback is None:
                    return [VideoInput(input=ref, title=ref, problem=NO_PLAYBACK)]
                return [VideoInput(input=ref, title=ref)]
            raise ConfigError(f"{kind}:{ref}: there is no such {kind}")
        return [VideoInput(input=ref if kind in ("link", "key") else f"{kind}:{ref}", video_path=f["video_path"] or "",
                           title=f["title"], library_task_id=f["library_task_id"], problem=f["problem"])
                for f in found]  # fmt: skip

    def _links(self) -> LinkFetcher:
        from core.engine.notes.links import LinkFetcher

        return LinkFetcher(self.config, self.db, self.playback)

    async def _playlist_videos(self, playlist_id: int) -> list[VideoInput]:
        """A playlist's entries that are local files or synced videos (the playlists feature's
        `entries`); other entries become tasks that fail with the reason."""
        from urllib.parse import unquote, urlparse

        from core.notes.inputs import VideoInput

        entries = getattr(self.playlists, "entries", None)
        if entries is None:
            raise ConfigError("playlist:ID needs playlists, which this SyncDeck does not have yet")
        found: list[VideoInput] = []
        after: int | None = None
        while True:
            page = await entries(playlist_id, after_position=after, limit=500)
            for entry in page:
                url = str(getattr(entry, "url", "") or "")
                title = str(getattr(entry, "title", "") or url)
                given = f"playlist:{playlist_id}"
                if url.startswith("file://"):
                    found.append(VideoInput(input=given, video_path=unquote(urlparse(url).path), title=title))
                    continue
                synced = await self._resolve("link", url) if url else []
                if synced and synced[0].video_path:
                    found += [VideoInput(given, v.video_path, title, v.library_task_id, v.problem) for v in synced]
                elif synced and not synced[0].problem:  # a link its task fetches, titled as the playlist names it
                    found.append(VideoInput(input=url, title=title))
                else:
                    problem = "not a local file nor a synced video: sync it first to make notes of it"
                    found.append(VideoInput(input=url or given, title=title, problem=problem))
            if len(page) < 500:
                return found
            after = int(getattr(page[-1], "position", 0))

    async def batches(self) -> list[NoteBatchView]:
        from core.engine.notes import records

        return await self.db.run(records.batch_views)

    async def batch(self, batch_id: int) -> NoteBatchView:
        from core.engine.notes import records

        views = await self.db.run(records.batch_views, [batch_id])
        if not views:
            raise ConfigError(f"there is no note batch {batch_id} (`syncdeck notes list` shows them)")
        return views[0]

    async def batch_tasks(self, batch_id: int, limit: int | None = None) -> list[NoteTaskView]:
        from core.engine.notes import records

        await self.batch(batch_id)
        return await self.db.run(records.task_views, batch_id, limit)

    def is_running_here(self, batch_id: int) -> bool:
        return batch_id in self._runs

    # ------------------------------------------------------------ running

    async def run_batch(self, batch_id: int) -> NoteBatchView:
        """Work on the batch in the calling task until it ends, pauses or is cancelled.
        Cancelling the caller (Ctrl+C) pauses the batch, resumable with resume_batch."""
        from core.engine.notes import records
        from core.engine.notes.runner import BatchRun, RetryPolicy

        view = await self.batch(batch_id)
        if batch_id in self._runs:
            raise ConfigError(f"note batch {batch_id} already runs")
        if view.active:
            raise ConfigError(f"note batch {batch_id} already runs in another SyncDeck process")
        if view.state in ("done", "cancelled") or (view.state == "failed" and not view.pending):
            return view
        batch = await self.db.run(records.get_batch, batch_id)
        assert batch is not None
        template = self._template(batch.template)
        client = await self._client(batch.llm, batch.model)
        ffmpeg = await self._find_ffmpeg()
        cfg = self.config
        job_for = self._job_factory(batch, template, ffmpeg)
        run = BatchRun(
            self.db, self.bus, batch_id, client=client, job_for=job_for, workers=batch.workers, links=self._links(),
            retry=RetryPolicy(attempts=cfg["notes.attempts"], wait_s=cfg["notes.retry_wait_s"]),
            on_task=lambda task: self._on_task(task, template.name, getattr(client, "model", "")),
        )  # fmt: skip
        self._runs[batch_id] = run
        try:
            await run.run()
        finally:
            self._runs.pop(batch_id, None)
        return await self.batch(batch_id)

    async def start_batch(self, batch_id: int) -> NoteBatchView:
        """run_batch in the background (the window); errors end up in the log and the batch's state."""
        view = await self.batch(batch_id)
        if batch_id in self._background:
            return view

        async def body() -> None:
            try:
                await self.run_batch(batch_id)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("note batch %d could not run: %s", batch_id, exc)
                await self._fail_to_start(batch_id, str(exc))
            finally:
                self._background.pop(batch_id, None)

        self._background[batch_id] = asyncio.ensure_future(body())
        await asyncio.sleep(0)
        return view

    async def _fail_to_start(self, batch_id: int, message: str) -> None:
        from core.engine.notes import records
        from core.engine.notes.events import NoteBatchChanged

        await self.db.run(records.update_batch, batch_id, state="paused")
        await self.db.run(records.reset_tasks, batch_id, ("pending",), error=message)
        self.bus.publish(NoteBatchChanged(batch_id, "paused"))

    async def pause_batch(self, batch_id: int) -> NoteBatchView:
        from core.engine.notes import records
        from core.engine.notes.events import NoteBatchChanged

        view = await self.batch(batch_id)
        if view.state in ("done", "failed", "cancelled") and not view.active:
            raise ConfigError(f"note batch {batch_id} has ended ({view.state}); there is nothing to pause")
        await self.db.run(records.set_state_unless, batch_id, "paused", ("done", "failed", "cancelled"))
        run = self._runs.get(batch_id)
        if run is not None:
            run.stop("paused")
        self.bus.publish(NoteBatchChanged(batch_id, "paused"))
        return await self.batch(batch_id)

    async def cancel_batch(self, batch_id: int) -> NoteBatchView:
        from core.engine.notes import records
        from core.engine.notes.events import NoteBatchChanged

        view = await self.batch(batch_id)
        if view.state in ("done", "cancelled"):
            return view
        await self.db.run(records.update_batch, batch_id, state="cancelled")
        run = self._runs.get(batch_id)
        if run is not None:
            run.stop("cancelled")
        elif not view.active:  # nobody runs it: settle its tasks here
            await self.db.run(records.reset_tasks, batch_id, ("pending", "running"), state="cancelled", stage="",
                              error="cancelled")  # fmt: skip
            await self.db.run(records.update_batch, batch_id, finished_at=_now())
            await self._links().forget_batch(batch_id)  # what its links fetched is of no use now
        self.bus.publish(NoteBatchChanged(batch_id, "cancelled"))
        return await self.batch(batch_id)

    async def resume_batch(self, batch_id: int, *, background: bool = True) -> NoteBatchView:
        """Continue a paused (or interrupted) batch where it stopped; finished tasks stay finished."""
        from core.engine.notes import records

        view = await self.batch(batch_id)
        if view.state == "cancelled":
            raise ConfigError(f"note batch {batch_id} was cancelled; start a new one with `syncdeck notes run`")
        if batch_id in self._runs or view.active:
            return view
        if not view.pending and not view.running:
            return view
        await self.db.run(records.update_batch, batch_id, state="queued")
        if background:
            return await self.start_batch(batch_id)
        return await self.run_batch(batch_id)

    async def retry_failed(self, batch_id: int) -> NoteBatchView:
        """Give the failed tasks of a batch another go (pending again; resume it to run them)."""
        from core.engine.notes import records

        await self.batch(batch_id)
        await self.db.run(records.reset_tasks, batch_id, ("failed",), state="pending", stage="", progress=0.0)
        await self.db.run(records.set_state_unless, batch_id, "paused", ("running", "paused"))
        return await self.batch(batch_id)

    # ------------------------------------------------------------ what a run needs

    async def check_llm(self, account: str | None = None, model: str | None = None) -> str:
        """The model notes would use with this account (None: the settings'); LlmError or
        ConfigError saying what is missing, before a batch is made for nothing."""
        cfg = self.config
        client = await self._client(cfg["notes.llm"] if account is None else account,
                                    cfg["notes.model"] if model is None else model)  # fmt: skip
        return str(getattr(client, "model", ""))

    async def _client(self, account: str, model: str) -> LlmClient:
        factory = self.client_factory or getattr(self.llm, "client", None)
        if factory is None:
            raise LlmError("no LLM accounts in this SyncDeck: notes need one (`syncdeck llm add`)")
        if not account and self.client_factory is None:
            accounts = await self.llm.accounts()
            if not accounts:
                raise LlmError("notes need an LLM account: add one with `syncdeck llm add openai|gemini --name NAME` "
                               "(or in Accounts)")  # fmt: skip
            account = accounts[0].name
        client = factory(account, model or None)
        if inspect.isawaitable(client):
            client = await client
        return client  # type: ignore[no-any-return]

    async def _find_ffmpeg(self) -> str:
        if self._ffmpeg is None:
            from core.library.media import find_ffmpeg

            self._ffmpeg = await asyncio.to_thread(find_ffmpeg, self.config["ffmpeg.path"])
        return self._ffmpeg

    def language(self, setting: str) -> str:
        if setting in ("zh_CN", "en"):
            return setting
        from core.engine.notify.messages import message_language

        return message_language(self.config["ui.language"])

    def _job_factory(self, batch: Any, template: Template, ffmpeg: str) -> Any:
        from core.notes.maker import NoteJob

        params = json.loads(batch.params or "{}")
        formats = [f for f in batch.formats.split(",") if f]
        out_dir = Path(batch.out_dir) if batch.out_dir else None
        language = self.language(batch.language)
        piece_s = float(self.config["notes.piece_min"]) * 60

        def job_for(row: NoteTask) -> NoteJob:
            from core.engine.notes.links import LinkFetcher
            from core.notes.remote import read_meta

            if not row.video_path:
                raise FileNotFoundError(row.error or f"no video file for {row.input}")
            fetched = read_meta(Path(row.video_path))  # a link's subtitles or sound, not a synced video
            linked = fetched is not None or LinkFetcher.wants(row)  # (a planned fetch has no meta yet)
            return NoteJob(
                video=Path(row.video_path), source=row.input, title=row.title or Path(row.video_path).stem,
                template=template, params=params, language=language, formats=formats,
                out_dir=out_dir or (self.config.library_root / "Notes" if linked else None),
                ffmpeg=ffmpeg, frames=batch.frames, library_task=row.library_task_id, piece_s=piece_s,
                duration=float(fetched.get("duration") or 0) if fetched else 0.0,
                play=str(fetched["link"]) if fetched else (row.input if linked else ""),
            )  # fmt: skip

        return job_for

    async def _on_task(self, task: NoteTaskView, template: str, model: str) -> None:
        """Plugin hooks (the LLM feature's extension point): "note_written" and "task_failed"."""
        if self.llm is None or not self.config["llm.hooks"]:
            return
        hooks = self.llm.hooks
        if task.state == "done" and hooks.has("note_written"):
            path = next((p for p in task.outputs if p.endswith(".md")), task.outputs[0] if task.outputs else "")
            await hooks.fire("note_written", {
                "path": path, "task_id": task.id, "template": template, "model": model, "batch_id": task.batch_id,
                "title": task.title, "video": task.video_path, "files": list(task.outputs),
                "transcript_source": task.transcript_source,
            })  # fmt: skip
        elif task.state == "failed" and hooks.has("task_failed"):
            await hooks.fire("task_failed", {"batch_id": task.batch_id, "task_id": task.id, "kind": "note",
                                             "title": task.title, "error": task.error})  # fmt: skip


def _now() -> Any:
    from core.store.models import utcnow

    return utcnow()


def _name(inputs: Sequence[str]) -> str:
    first = inputs[0].rstrip("/\\")
    name = Path(first).name if not first.startswith(("http://", "https://")) else first
    return name if len(inputs) == 1 else f"{name} +{len(inputs) - 1}"


def _task_row(video: VideoInput) -> dict[str, Any]:
    return {"input": video.input, "title": video.title, "video_path": video.video_path,
            "library_task_id": video.library_task_id, "error": video.problem,
            "state": "pending"}  # fmt: skip
