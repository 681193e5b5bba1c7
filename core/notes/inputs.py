"""What a batch reads: INPUT texts expanded to one entry per video.

An INPUT is a video file, a folder (searched recursively), a `.txt` list (one INPUT a line,
`#` starts a comment, relative paths are relative to the list), a `.csv` with a `path` or
`url` column (and an optional `title`), a link, or `source:ID` / `playlist:ID` / `task:ID`.
Links and references need the library, so the caller resolves them (`Resolver`).

A top-level INPUT that does not exist is the user's mistake (ConfigError, exit 2); an entry
of a list that cannot be used becomes a task that fails with the reason, so one bad line
does not stop the other 99.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from core.errors import ConfigError

VIDEO_SUFFIXES = frozenset(
    {".mp4", ".mkv", ".mov", ".avi", ".webm", ".m4v", ".flv", ".ts", ".wmv", ".mpg", ".mpeg", ".3gp"}
)
_REF = re.compile(r"^(source|playlist|task):(\d+)$", re.IGNORECASE)
_LINK = re.compile(r"^https?://", re.IGNORECASE)
_BARE_KEY = re.compile(r"^[0-9A-Za-z_-]{6,}$")  # a video's id in its service, pasted alone


@dataclass(frozen=True)
class VideoInput:
    input: str  # what the user gave for this video (a path or a link)
    video_path: str = ""  # the local file to read ("" when there is none)
    title: str = ""
    library_task_id: int | None = None  # the synced video it is
    problem: str = ""  # why it cannot be read: the task fails with this reason


# (kind, number) for source:/playlist:/task:, ("link", text) for links, ("key", text) for a bare
# id → the videos ([] for a bare id the library does not know).
Resolver = Callable[[str, str], Awaitable[list[VideoInput]]]


def is_link(text: str) -> bool:
    return bool(_LINK.match(text.strip()))


def _title(path: Path) -> str:
    return path.stem


def _video(path: Path, given: str) -> VideoInput:
    return VideoInput(input=given, video_path=str(path.resolve()), title=_title(path))


def _folder(folder: Path) -> list[Path]:
    return sorted(
        (p for p in folder.rglob("*") if p.suffix.lower() in VIDEO_SUFFIXES and p.is_file()
         and not p.name.startswith(".") and ".tmp." not in p.name),
        key=lambda p: str(p).lower(),
    )  # fmt: skip


async def expand(spec: str, resolve: Resolver, *, base: Path | None = None, top: bool = True) -> list[VideoInput]:
    """The videos of one INPUT text."""
    text = spec.strip()
    if not text:
        return []
    ref = _REF.match(text)
    if ref:
        return await resolve(ref.group(1).lower(), ref.group(2))
    if is_link(text):
        return await resolve("link", text)
    path = Path(text).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    if path.is_dir():
        return [_video(p, str(p)) for p in await asyncio.to_thread(_folder, path)]
    if not path.is_file():
        if _BARE_KEY.match(text):
            found = await resolve("key", text)
            if found:
                return found
        if top:
            raise ConfigError(f"{text}: no such file or folder, and not a link or source:ID / playlist:ID")
        return [VideoInput(input=text, title=Path(text).stem or text, problem=f"no such file: {path}")]
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return await _from_list(path, resolve)
    if suffix == ".csv":
        return await _from_csv(path, resolve)
    if suffix not in VIDEO_SUFFIXES:
        if top:
            raise ConfigError(f"{text}: not a video ({', '.join(sorted(VIDEO_SUFFIXES))}), .txt list or .csv")
        return [VideoInput(input=text, title=path.stem, problem=f"not a video file: {path.name}")]
    return [_video(path, text)]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None


async def _from_list(path: Path, resolve: Resolver) -> list[VideoInput]:
    found: list[VideoInput] = []
    for line in _read(path).splitlines():
        entry = line.split(" #", 1)[0].strip()
        if entry and not entry.startswith("#"):
            found += await expand(entry, resolve, base=path.parent, top=False)
    return found


async def _from_csv(path: Path, resolve: Resolver) -> list[VideoInput]:
    rows = list(csv.DictReader(io.StringIO(_read(path))))
    columns = {c.strip().lower(): c for c in (rows[0].keys() if rows else []) if c}
    key = columns.get("path") or columns.get("url")
    if rows and key is None:
        raise ConfigError(f"{path}: the CSV needs a `path` or `url` column (it has: {', '.join(columns)})")
    found: list[VideoInput] = []
    for row in rows:
        entry = (row.get(key or "") or "").strip()
        if not entry and "url" in columns:
            entry = (row.get(columns["url"]) or "").strip()
        if not entry:
            continue
        videos = await expand(entry, resolve, base=path.parent, top=False)
        title = (row.get(columns.get("title", "")) or "").strip() if "title" in columns else ""
        if title:
            videos = [VideoInput(v.input, v.video_path, title, v.library_task_id, v.problem) for v in videos]
        found += videos
    return found


async def expand_all(specs: list[str], resolve: Resolver) -> list[VideoInput]:
    """Every video of every INPUT, each video once (the first time it appears)."""
    seen: set[str] = set()
    out = []
    for spec in specs:
        for video in await expand(spec, resolve):
            key = video.video_path or video.input
            if key not in seen:
                seen.add(key)
                out.append(video)
    return out
