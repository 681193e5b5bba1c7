"""A video link that is not in the library, made readable for notes without syncing it.

Through playback (the provider that claims the link resolves it): its subtitles first (the
CC tracks the player shows, written as SRT beside a stand-in path), else its separate audio
stream (Bilibili's DASH audio) downloaded, for speech-to-text or a Gemini upload. What was
fetched stays in `<data>/cache/notes/<hash of the link>/` with `<stem>.json` (the link, title
and duration) while its note is not written, so a resumed or retried task finds it again
instead of asking the site twice; `forget` removes it once the note is there.

A link of a video with several parts names one of them with `?p=N`; `parts_of` lists what a
link stands for (one entry per part when it names none) from the provider's cheap lookup.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import shutil
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from core.errors import TransientError

AUDIO_SUFFIX = ".m4a"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')

Progress = Callable[[float], None]
ClientFor = Callable[[dict[str, str]], httpx.AsyncClient]  # an HTTP client sending these headers


@dataclass(frozen=True)
class FetchedLink:
    link: str
    title: str
    media: Path  # the audio file, or where it would be when subtitles were enough (not there then)
    duration: float
    transcript: str  # "subtitles" | "audio"


@dataclass(frozen=True)
class LinkPart:
    link: str  # the link of this one part (`?p=N` added for a part of a several-part video)
    title: str  # "Title", or "Title — P2 name" for a part


def stem_for(title: str) -> str:
    return (_UNSAFE.sub(" ", title).strip(" .") or "video")[:80]


def folder_for(cache: Path, link: str) -> Path:
    return cache / hashlib.sha1(link.encode("utf-8")).hexdigest()[:16]


def planned_media(cache: Path, link: str, title: str) -> Path:
    """Where `fetch_link(…, title=title)` puts the link's sound (its notes are named after it)."""
    return folder_for(cache, link) / f"{stem_for(title)}{AUDIO_SUFFIX}"


def read_meta(media: Path) -> dict[str, Any] | None:
    """The link, title and duration saved with a fetched link's files; None for a local video."""
    try:
        data = json.loads(media.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("link") else None


def page_of(link: str) -> int | None:
    """The part a link names with `?p=N`, None when it names none."""
    value = (urllib.parse.parse_qs(urllib.parse.urlsplit(link).query).get("p") or [""])[0]
    return int(value) if value.isdigit() and int(value) > 0 else None


def with_page(link: str, page: int) -> str:
    parts = urllib.parse.urlsplit(link)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if k != "p"]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode([*query, ("p", str(page))])))


async def parts_of(playback: Any, link: str) -> list[LinkPart]:
    """What `link` stands for, from the provider's lookup (no streams asked for): the video,
    the part its `?p=N` names, or every part of a several-part video when it names none.
    Raises what `playback.parse` raises."""
    parsed = await playback.parse(link)
    parts = list(parsed.parts)
    if len(parts) <= 1:
        return [LinkPart(link, parsed.title or link)]
    page = page_of(link)
    chosen = [p for p in parts if p.number == page] if page else parts
    if not chosen:  # a part that is not there: the fetch says so with the parts there are
        return [LinkPart(link, parsed.title or link)]
    return [LinkPart(link if page else with_page(link, p.number), part_title(parsed.title, p.number, p.title))
            for p in chosen]  # fmt: skip


def part_title(title: str, number: int, name: str) -> str:
    return f"{title} — P{number} {name}".strip() if name and name != title else f"{title} — P{number}"


def cached(cache: Path, link: str) -> FetchedLink | None:
    """What an earlier fetch of `link` left, when it is whole; None when it must be fetched."""
    folder = folder_for(cache, link)
    for meta_file in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        media = meta_file.with_suffix(AUDIO_SUFFIX)
        meta = read_meta(media)
        if meta is None or meta.get("link") != link:
            continue
        if meta.get("transcript") == "audio" and not media.is_file():
            continue
        if meta.get("transcript") == "subtitles" and not any(folder.glob(f"{glob_escape(media.stem)}.*.srt")):
            continue
        return FetchedLink(link, str(meta.get("title") or ""), media, float(meta.get("duration") or 0),
                           str(meta.get("transcript")))  # fmt: skip
    return None


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


async def fetch_link(
    playback: Any, link: str, cache: Path, client: ClientFor, *, title: str = "",
    progress: Progress | None = None,
) -> FetchedLink:  # fmt: skip
    """Subtitles, else the audio stream, of the video `link` names (what an earlier fetch left
    whole is used as it is). Files are named after `title` (else the site's). Raises the
    playback service's errors (LinkError, PlaybackError…), TransientError for a site that
    is busy for now, the downloader's errors (DiskFullError…) for a download that cannot go on."""
    found = await asyncio.to_thread(cached, cache, link)  # file-system work stays off the event loop
    if found is not None:
        return found
    info = await playback.resolve_link(link, mode="direct", subtitle_format="srt")
    folder = folder_for(cache, link)
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    stem = stem_for(title or info.title)
    media = folder / f"{stem}{AUDIO_SUFFIX}"
    srt = next((s for s in info.subtitles if s.format == "srt" and Path(s.url).is_file()), None)
    if srt is not None:
        await asyncio.to_thread(shutil.copyfile, srt.url, folder / f"{stem}.{srt.lang or 'cc'}.srt")
        transcript = "subtitles"
    else:
        url = info.audio_url or info.url  # a muxed stream has its sound in the video
        await _download(client, url, dict(info.headers), media, progress)
        transcript = "audio"
    meta = {"link": link, "title": title or info.title, "duration": info.duration, "transcript": transcript}
    await asyncio.to_thread(media.with_suffix(".json").write_text, json.dumps(meta, ensure_ascii=False), "utf-8")
    if progress is not None:
        progress(1.0)
    return FetchedLink(link, title or info.title, media, float(info.duration or 0), transcript)


def forget(cache: Path, link: str) -> None:
    """Remove what was fetched for `link` (its note is written, or its batch cancelled)."""
    shutil.rmtree(folder_for(cache, link), ignore_errors=True)


async def _download(
    client: ClientFor, url: str, headers: dict[str, str], target: Path, progress: Progress | None
) -> None:
    """The project's range downloader: a cut download goes on from its .part, a full disk says so."""
    from core.download import RangeDownloader
    from core.errors import RiskControlError

    total = done = 0

    def started(size: int, saved: int) -> None:
        nonlocal total, done
        total, done = max(size, 0), saved

    def moved(delta: int) -> None:
        nonlocal done
        done += delta
        if progress is not None and total:
            progress(min(done / total, 1.0))

    async with client(headers) as http:
        downloader = RangeDownloader(http, connections=1, on_start=started, on_progress=moved)
        try:
            await downloader.download([url], target)
        except RiskControlError as exc:  # the media server keeps refusing: an expired link, a busy CDN
            raise TransientError(str(exc)) from exc
