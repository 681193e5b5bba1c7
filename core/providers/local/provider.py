"""Local files and folders: anything in the library, or any video on disk.

`ItemParser` for absolute paths and file:// URLs (a folder becomes one item whose parts are
its videos), `PlayableResolver` (the path itself, plus subtitle files next to it) and
`FolderBrowser` over folders (the library root when no folder is given).
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import urllib.parse
from pathlib import Path
from typing import Any

from core.config import Config
from core.errors import LinkError, PlaybackError
from core.playback.playable import Playable
from core.providers.protocols import (
    FolderEntry,
    FolderPage,
    MediaItem,
    MediaPart,
    Playback,
    ProviderSession,
    Stream,
    SubtitleTrack,
)

NAME = "local"
VIDEO_SUFFIXES = frozenset({".mp4", ".mkv", ".webm", ".mov", ".avi", ".flv", ".ts", ".m4v", ".wmv", ".m2ts",
                            ".mpg", ".mpeg", ".mp3", ".m4a", ".flac", ".ogg", ".opus", ".wav"})  # fmt: skip
SUBTITLE_SUFFIXES = (".ass", ".ssa", ".srt", ".vtt")
LINK_HELP = """\
Local files:
  a file        /path/to/video.mp4, file:///path/to/video.mp4
  a folder      /path/to/folder (its videos become the parts)"""


class LocalSession:
    @property
    def api_calls(self) -> int:
        return 0

    async def aclose(self) -> None:
        pass


def as_path(text: str) -> Path | None:
    """The absolute path a text names (a path or a file:// URL), or None."""
    text = text.strip()
    if not text or "\n" in text or len(text) > 4096:
        return None
    if text.lower().startswith("file://"):
        parts = urllib.parse.urlsplit(text)
        if parts.netloc not in ("", "localhost"):
            return None
        text = urllib.parse.unquote(parts.path)
    path = Path(text).expanduser()
    return path if path.is_absolute() else None


def is_video(path: Path) -> bool:
    return path.suffix.lower() in VIDEO_SUFFIXES


def _duration(path: Path) -> int:
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return 0
    try:
        out = subprocess.run([ffprobe, "-v", "error", "-show_entries", "format=duration", "-of", "json", str(path)],
                             capture_output=True, text=True, timeout=20, check=True).stdout  # fmt: skip
        return round(float(json.loads(out)["format"]["duration"]))
    except (OSError, subprocess.SubprocessError, ValueError, KeyError):
        return 0


def _videos(folder: Path) -> list[Path]:
    return sorted((p for p in folder.iterdir() if p.is_file() and is_video(p)), key=lambda p: p.name.lower())


def _part(path: Path, number: int) -> MediaPart:
    return MediaPart(key=path.name, number=number, title=path.stem, duration=_duration(path),
                     details={"path": str(path)})  # fmt: skip


def _item(path: Path) -> MediaItem:
    if path.is_dir():
        parts = tuple(_part(video, number) for number, video in enumerate(_videos(path), 1))
        if not parts:
            raise LinkError(f"{path} holds no video or audio files")
    elif path.is_file():
        if not is_video(path):
            raise LinkError(f"{path} is not a video or audio file SyncDeck can play")
        parts = (_part(path, 1),)
    else:
        raise LinkError(f"{path} does not exist")
    return MediaItem(key=str(path), title=path.name if path.is_dir() else path.stem,
                     duration=sum(p.duration for p in parts), part_count=len(parts), parts=parts, complete=True,
                     url=path.as_uri(), details={"path": str(path)})  # fmt: skip


def sibling_subtitles(video: Path) -> list[SubtitleTrack]:
    """Subtitle files named after the video: `name.srt`, `name.zh-CN.srt`, `name.en.default.ass`…"""
    tracks: list[SubtitleTrack] = []
    try:
        siblings = sorted(video.parent.iterdir())
    except OSError:
        return tracks
    for path in siblings:
        if path.suffix.lower() not in SUBTITLE_SUFFIXES or not path.name.startswith(video.stem + "."):
            continue
        middle = path.name[len(video.stem) + 1 : -len(path.suffix)]
        lang = middle.split(".")[0] if middle else ""
        tracks.append(SubtitleTrack(lang=lang, label=middle or path.suffix[1:].upper(), url=str(path)))
    return tracks


class LocalProvider:
    name = NAME
    display_name = "Local files"
    login_variable = ""
    item_help = LINK_HELP

    def __init__(self, config: Config) -> None:
        self.config = config

    async def open_session(self, secret: str | None) -> LocalSession:
        return LocalSession()

    def secret_from_environment(self) -> str | None:
        return None

    async def fetch_image(self, session: ProviderSession, url: str) -> bytes:
        path = as_path(url)
        if path is None:
            raise PlaybackError(f"not a local image: {url}")
        return await asyncio.to_thread(path.read_bytes)

    def template_variables(self, item: MediaItem, part: MediaPart | None) -> dict[str, Any]:
        return {}

    # ---- ItemParser -------------------------------------------------------------------------

    def claims_item(self, text: str) -> bool:
        return as_path(text) is not None

    async def parse_item(self, session: ProviderSession, text: str) -> MediaItem:
        path = as_path(text)
        if path is None:
            raise LinkError(f"{text[:200]!r} is not an absolute path or file:// URL.\n{LINK_HELP}")
        return await asyncio.to_thread(_item, path)

    # ---- playback ---------------------------------------------------------------------------

    async def resolve(self, session: ProviderSession, item: MediaItem, part: MediaPart) -> Playback:
        return (await self.resolve_playable(session, item, part)).playback

    async def resolve_playable(
        self, session: ProviderSession, item: MediaItem, part: MediaPart, *, quality: str | None = None
    ) -> Playable:
        path = Path(str(part.details.get("path") or item.details.get("path") or item.key))
        if not path.is_file():
            raise PlaybackError(f"{path} is no longer there")
        stream = Stream(kind="muxed", urls=(str(path),), size=path.stat().st_size)
        playback = Playback(streams=(stream,), subtitles=tuple(await asyncio.to_thread(sibling_subtitles, path)))
        return Playable(playback=playback, format="file", duration=float(part.duration or item.duration))

    # ---- FolderBrowser ----------------------------------------------------------------------

    async def browse(self, session: ProviderSession, folder: str, page: int, per_page: int) -> FolderPage:
        root = as_path(folder) if folder else self.config.library_root
        if root is None or not root.is_dir():
            raise LinkError(f"{folder or root} is not a folder")
        return await asyncio.to_thread(_browse, root, max(1, page), per_page)


def _browse(root: Path, page: int, per_page: int) -> FolderPage:
    children = sorted((p for p in root.iterdir() if p.is_dir() or is_video(p)),
                      key=lambda p: (not p.is_dir(), p.name.lower()))  # fmt: skip
    chosen = children if per_page <= 0 else children[(page - 1) * per_page : page * per_page]
    entries = []
    for path in chosen:
        if path.is_dir():
            entries.append(FolderEntry(key=str(path), title=path.name, is_folder=True))
        else:
            item = MediaItem(key=str(path), title=path.stem, part_count=1, url=path.as_uri(),
                             parts=(MediaPart(key=path.name, number=1, title=path.stem, details={"path": str(path)}),),
                             complete=True, details={"path": str(path)})  # fmt: skip
            entries.append(FolderEntry(key=str(path), title=path.name, is_folder=False, size=path.stat().st_size,
                                       item=item))  # fmt: skip
    return FolderPage(entries=tuple(entries), total=len(children), page=page)
