"""A video link that is not in the library, made readable for notes without syncing it.

Through playback (the provider that claims the link resolves it): its subtitles first (the
CC tracks the player shows, written as SRT beside a stand-in path), else its separate audio
stream (Bilibili's DASH audio) downloaded, for speech-to-text or a Gemini upload. What was
fetched stays in `<data>/cache/notes/<hash of the link>/` with `<stem>.json` (the link, title
and duration), so a resumed batch finds it again instead of asking the site twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

AUDIO_SUFFIX = ".m4a"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class FetchedLink:
    link: str
    title: str
    media: Path  # the audio file, or where it would be when subtitles were enough (not there then)
    duration: float
    transcript: str  # "subtitles" | "audio"


def stem_for(title: str) -> str:
    return (_UNSAFE.sub(" ", title).strip(" .") or "video")[:80]


def folder_for(cache: Path, link: str) -> Path:
    return cache / hashlib.sha1(link.encode("utf-8")).hexdigest()[:16]


def read_meta(media: Path) -> dict[str, Any] | None:
    """The link, title and duration saved with a fetched link's files; None for a local video."""
    try:
        data = json.loads(media.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("link") else None


async def fetch_link(playback: Any, link: str, cache: Path, http: httpx.AsyncClient) -> FetchedLink:
    """Subtitles, else the audio stream, of the video `link` names. Raises the playback
    service's errors (LinkError, PlaybackError…) and httpx errors for a failed download."""
    info = await playback.resolve_link(link, mode="direct", subtitle_format="srt")
    folder = folder_for(cache, link)
    folder.mkdir(parents=True, exist_ok=True)
    stem = stem_for(info.title)
    media = folder / f"{stem}{AUDIO_SUFFIX}"
    srt = next((s for s in info.subtitles if s.format == "srt" and Path(s.url).is_file()), None)
    if srt is not None:
        await asyncio.to_thread(shutil.copyfile, srt.url, folder / f"{stem}.{srt.lang or 'cc'}.srt")
        transcript = "subtitles"
    else:
        url = info.audio_url or info.url  # a muxed stream has its sound in the video
        await _download(http, url, dict(info.headers), media)
        transcript = "audio"
    meta = {"link": link, "title": info.title, "duration": info.duration, "transcript": transcript}
    media.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return FetchedLink(link, info.title, media, float(info.duration or 0), transcript)


async def _download(http: httpx.AsyncClient, url: str, headers: dict[str, str], target: Path) -> None:
    part = target.with_name(f".{target.name}.part")
    async with http.stream("GET", url, headers=headers) as answer:
        answer.raise_for_status()
        with part.open("wb") as fh:
            async for chunk in answer.aiter_bytes(1 << 20):
                fh.write(chunk)
    part.replace(target)
