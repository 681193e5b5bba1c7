"""What a URL serves, found with one Range GET (and the playlist, for HLS)."""

from __future__ import annotations

import email.message
import urllib.parse
from dataclasses import dataclass

import httpx

from core.errors import PlaybackError
from core.playback import hls

PROBE_BYTES = 4096


@dataclass(frozen=True)
class Probe:
    url: str  # after redirects
    format: str  # "hls", "flv", "mp4", "rtmp" or "" (another progressive file)
    live: bool
    size: int  # 0 = unknown
    content_type: str
    title: str
    duration: float = 0.0


def _title(url: str, disposition: str) -> str:
    if disposition:
        message = email.message.Message()
        message["content-disposition"] = disposition
        name = message.get_filename()
        if name:
            return name
    parts = urllib.parse.urlsplit(url)
    name = urllib.parse.unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    return name or parts.hostname or url


def _total_size(response: httpx.Response) -> int:
    content_range = response.headers.get("content-range", "")
    if response.status_code == 206 and "/" in content_range:
        total = content_range.rsplit("/", 1)[1]
        return int(total) if total.isdigit() else 0
    length = response.headers.get("content-length", "")
    return int(length) if response.status_code == 200 and length.isdigit() else 0


async def _playlist_facts(client: httpx.AsyncClient, url: str, text: str) -> tuple[bool, float]:
    master, live, seconds, variants = hls.playlist_facts(text)
    if master and variants:
        variant = urllib.parse.urljoin(url, variants[0])
        answer = await client.get(variant)
        if answer.status_code == 200:
            _, live, seconds, _ = hls.playlist_facts(answer.text)
    return live, seconds


async def probe(client: httpx.AsyncClient, url: str) -> Probe:
    """Type, size and title of `url`; PlaybackError when it cannot be reached or refuses."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme in ("rtmp", "rtmps", "rtsp"):
        return Probe(url, "rtmp", True, 0, "", _title(url, ""))
    try:
        async with client.stream("GET", url, headers={"Range": f"bytes=0-{PROBE_BYTES - 1}"}) as response:
            if response.status_code >= 400:
                raise PlaybackError(f"{url} answered HTTP {response.status_code}: nothing to play there")
            head = b""
            async for chunk in response.aiter_bytes():
                head += chunk
                if len(head) >= PROBE_BYTES:
                    break
            final = str(response.url)
            content_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            size = _total_size(response)
            title = _title(final, response.headers.get("content-disposition", ""))
            playlist = hls.is_playlist(content_type, final, head)
    except httpx.HTTPError as exc:
        raise PlaybackError(f"cannot reach {url}: {exc or type(exc).__name__}") from None
    if playlist:
        try:
            answer = await client.get(final)
            live, seconds = await _playlist_facts(client, final, answer.text)
        except httpx.HTTPError as exc:
            raise PlaybackError(f"cannot read the playlist {url}: {exc}") from None
        return Probe(final, "hls", live, 0, content_type, title, seconds)
    if content_type in ("video/x-flv", "video/flv") or head.startswith(b"FLV") or title.lower().endswith(".flv"):
        return Probe(final, "flv", size == 0, size, content_type, title)
    if content_type.startswith(("text/html", "application/json")):
        raise PlaybackError(f"{url} is a web page ({content_type}), not a video or a stream")
    kind = "mp4" if content_type == "video/mp4" or head[4:8] == b"ftyp" else ""
    return Probe(final, kind, False, size, content_type, title)
