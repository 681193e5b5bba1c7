"""Watched folders (`watch:FOLDER`) and RSS/Atom feeds (`rss:URL`) as sources.

A scan lists what the folder or feed offers now and keeps it for the torrent service, which
adds each entry once (remembered by its GUID, or the file's name and size) after the
source's filter rules; the scan itself hands no items to the video pipeline.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from core.config.paths import user_path
from core.errors import LinkError
from core.providers.protocols import (
    Listing,
    MediaItem,
    MediaPart,
    Playback,
    SourcePreview,
    SourceTarget,
    Stream,
)
from core.providers.torrent.feed import FoundTorrent, parse_feed

log = logging.getLogger(__name__)

NAME = "torrent"
MAX_FEED_BYTES = 10 * 2**20
MAX_TORRENT_BYTES = 20 * 2**20
# A file of a torrent task, played through the stream proxy while the torrent downloads.
FILE_REF = re.compile(r"torrent:(\d+)/(\d+)")
ITEM_HELP = "A file of a torrent task:\n  torrent:TASK/FILE   e.g. torrent:12/0 (plays while it downloads)"
FileLookup = Callable[[int, int], Awaitable[tuple[str, int]]]  # (task, file) → (name, size)


def file_ref(task_id: int, file_index: int) -> str:
    return f"torrent:{task_id}/{file_index}"


def parse_file_ref(text: str) -> tuple[int, int] | None:
    match = FILE_REF.fullmatch(text.strip().lower())
    return (int(match[1]), int(match[2])) if match else None


class TorrentSession:
    """An HTTP client for feeds, opened on first use."""

    def __init__(self, config: Any) -> None:
        self.config = config
        self._client: Any = None
        self.api_calls = 0

    async def get(self, url: str) -> bytes:
        import httpx

        from core.net.client import make_client, net_options

        if self._client is None:
            self._client = make_client(net_options(self.config))
        self.api_calls += 1
        try:
            response = await self._client.get(url)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise LinkError(f"cannot read the feed {url}: {exc or type(exc).__name__}") from None
        if len(response.content) > MAX_FEED_BYTES:
            raise LinkError(f"the feed {url} is too large")
        return response.content

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()


class TorrentSourceProvider:
    name = NAME
    display_name = "BitTorrent"
    link_help = (
        "BitTorrent sources:\n  watch:FOLDER   a folder whose .torrent files are added\n"
        "  rss:URL        an RSS or Atom feed of torrents (magnet links or .torrent enclosures)"
    )

    item_help = ITEM_HELP

    def __init__(self, config: Any) -> None:
        self.config = config
        self._found: dict[str, list[FoundTorrent]] = {}  # locator → entries of its last scan
        self._files: FileLookup | None = None

    def bind_files(self, lookup: FileLookup) -> None:
        """The torrent service names the files `torrent:TASK/FILE` points at (the torrents
        live in the engine's database, which providers do not read)."""
        self._files = lookup

    async def open_session(self, secret: str | None) -> TorrentSession:
        return TorrentSession(self.config)

    def secret_from_environment(self) -> str | None:
        return None

    async def fetch_image(self, session: Any, url: str) -> bytes:
        return b""

    def template_variables(self, item: MediaItem, part: MediaPart | None) -> dict[str, Any]:
        return {"title": item.title}

    # ---- links

    def claims(self, text: str) -> bool:
        return text.strip().lower().startswith(("watch:", "rss:"))

    async def resolve_link(self, session: Any, text: str) -> SourceTarget:
        kind, _, rest = text.strip().partition(":")
        kind, rest = kind.lower(), rest.strip()
        if kind == "watch":
            if not rest:
                raise LinkError("watch: needs a folder, e.g. watch:~/Downloads/torrents")
            folder = user_path(rest)
            if not folder.is_dir():
                raise LinkError(f"{folder} is not a folder")
            return SourceTarget(NAME, f"watch:{folder.resolve()}", "watch", "Torrents")
        if not rest.lower().startswith(("http://", "https://")):
            raise LinkError(f"rss: needs an http(s) URL of a feed, not {rest!r}")
        return SourceTarget(NAME, f"rss:{rest}", "rss", "Torrents")

    async def describe(self, session: Any, target: SourceTarget) -> SourcePreview:
        if target.kind == "watch":
            folder = Path(target.locator.partition(":")[2])
            count = len(await asyncio.to_thread(lambda: list(folder.glob("*.torrent"))))
            return SourcePreview(target, f"{folder.name} (watched)", None, count)
        title, entries = parse_feed(await session.get(target.locator.partition(":")[2]))
        return SourcePreview(target, title or target.locator, None, len(entries))

    # ---- a torrent's file to play (ItemParser, PlaybackResolver)

    def claims_item(self, text: str) -> bool:
        return parse_file_ref(text) is not None

    async def parse_item(self, session: Any, text: str) -> MediaItem:
        found = parse_file_ref(text)
        if found is None:
            raise LinkError(f"{text.strip()[:200]!r} is not a torrent file reference.\n{ITEM_HELP}")
        if self._files is None:
            raise LinkError("torrents are not available in this SyncDeck")
        task_id, index = found
        name, size = await self._files(task_id, index)
        ref = file_ref(task_id, index)
        title = name.rsplit("/", 1)[-1]
        details = {"ref": ref, "size": size, "path": name}
        part = MediaPart(key="0", number=1, title=title, details=details)
        return MediaItem(key=ref, title=title, part_count=1, parts=(part,), complete=True, url=ref, details=details)

    async def resolve(self, session: Any, item: MediaItem, part: MediaPart) -> Playback:
        # The stream proxy serves the reference itself (the engine binds it to the torrent).
        ref = str(item.details.get("ref") or item.key)
        return Playback(streams=(Stream(kind="muxed", urls=(ref,), size=int(item.details.get("size") or 0)),))

    # ---- scanning

    async def scan(self, session: Any, target: SourceTarget, cursor: str | None) -> Listing:
        where = target.locator.partition(":")[2]
        if target.kind == "watch":
            found = await asyncio.to_thread(_watched, Path(where))
        else:
            _, found = parse_feed(await session.get(where))
        self._found[target.locator] = found
        return Listing(items=(), cursor=None)

    def take_found(self, locator: str) -> list[FoundTorrent]:
        """What the last scan of this source found (once: the torrent service takes it)."""
        return self._found.pop(locator, [])

    async def list_keys(self, session: Any, target: SourceTarget) -> set[str]:
        return set()

    async def complete(self, session: Any, item: MediaItem) -> MediaItem:
        return item


def _watched(folder: Path) -> list[FoundTorrent]:
    out = []
    try:
        paths = sorted(folder.glob("*.torrent"))
    except OSError as exc:
        raise LinkError(f"cannot read the watched folder {folder}: {exc.strerror or exc}") from None
    for path in paths:
        try:
            size = path.stat().st_size
            if size > MAX_TORRENT_BYTES:
                continue
            data = path.read_bytes()
        except OSError:  # still being written, or gone: next scan
            continue
        out.append(FoundTorrent(f"{path.name}:{size}", path.stem, data=data, file=str(path)))
    return out
