"""Links that are not in the library, as a batch sees them: looked up cheaply when the batch
is made (title, parts), fetched by the task itself as its first step, and their fetched
files removed once the note is written or the batch is cancelled (core/notes/remote.py).

A task is such a link when its INPUT is a link and no synced video is behind it; its
`video_path` is empty until the fetch puts the sound (or the stand-in path beside the
subtitles) there.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from core.engine.notes import records
from core.notes import remote
from core.notes.inputs import VideoInput, is_link
from core.store.db import Database
from core.store.notes_tables import NoteTask

log = logging.getLogger(__name__)

LOOKUPS_AT_ONCE = 4
LOOKUP_TIMEOUT_S = 15.0  # a lookup that takes longer leaves the task titled with its link
NO_PLAYBACK = "not in the library: add it as a source and sync first"


class LinkUnreadable(Exception):
    """The site will not give this link's video (a reason for the user, not worth a retry)."""


class LinkFetcher:
    def __init__(self, config: Any, db: Database, playback: Any) -> None:
        self.config, self.db, self.playback = config, db, playback
        self.cache = config.data_dir / "cache" / "notes"

    # ---- when the batch is made

    async def expand(self, videos: list[VideoInput]) -> list[VideoInput]:
        """Every link to fetch in `videos` looked up (a few at once): its title, and one entry
        per part of a several-part video when the link names no part. A failed lookup keeps
        the link as it is: its task says why when it fetches."""
        gate = asyncio.Semaphore(LOOKUPS_AT_ONCE)

        async def one(video: VideoInput) -> list[VideoInput]:
            if not self.wants(video) or video.video_path or video.problem or self.playback is None:
                return [video]
            async with gate:
                try:
                    parts = await asyncio.wait_for(remote.parts_of(self.playback, video.input), LOOKUP_TIMEOUT_S)
                except Exception as exc:  # noqa: BLE001 — any trouble here is the fetch's to report
                    log.info("looking up %s: %s", video.input, exc)
                    return [video]
            given_title = video.title if video.title and video.title != video.input else ""
            if len(parts) == 1:
                return [VideoInput(input=parts[0].link, title=given_title or parts[0].title)]
            return [VideoInput(input=p.link, title=p.title) for p in parts]

        expanded = await asyncio.gather(*(one(v) for v in videos))
        seen: set[str] = set()
        out: list[VideoInput] = []
        for video in (v for group in expanded for v in group):
            key = video.video_path or video.input
            if key not in seen:
                seen.add(key)
                out.append(video)
        return out

    @staticmethod
    def wants(row: NoteTask | VideoInput) -> bool:
        """Whether this task reads a link through its site (rather than a file or a synced video)."""
        return row.library_task_id is None and is_link(row.input)

    # ---- the task's first step

    def planned(self, row: NoteTask) -> Path | None:
        """Where the fetch will put the sound, when the task's title is known (its note's name)."""
        if not row.title or row.title == row.input:
            return None
        return remote.planned_media(self.cache, row.input, row.title)

    async def fetch(self, row: NoteTask, progress: remote.Progress) -> remote.FetchedLink:
        from core.errors import DiskFullError, SyncDeckError, TransientError
        from core.library.files import LibraryNotWritableError
        from core.net import make_client, net_options

        if self.playback is None:
            raise LinkUnreadable(NO_PLAYBACK)
        title = row.title if row.title and row.title != row.input else ""
        try:
            return await remote.fetch_link(
                self.playback, row.input, self.cache,
                lambda headers: make_client(net_options(self.config), headers=headers),
                title=title, progress=progress,
            )  # fmt: skip
        except (TransientError, DiskFullError, LibraryNotWritableError):
            raise  # tried again later by the batch, or said as it is: not the site's fault
        except SyncDeckError as exc:  # a link no provider plays, a deleted video, a refused login…
            raise LinkUnreadable(f"cannot be read from its site ({exc}); sync it first, or try again later") from exc

    # ---- cleaning up

    async def forget(self, batch_id: int, inputs: list[str]) -> None:
        """Remove the fetched files of these links unless a task of another batch still needs them."""
        for text in inputs:
            if not is_link(text) or await self.db.run(records.input_wanted_elsewhere, text, batch_id):
                continue
            await asyncio.to_thread(remote.forget, self.cache, text)

    async def forget_batch(self, batch_id: int) -> None:
        await self.forget(batch_id, await self.db.run(records.batch_inputs, batch_id))
