"""HLS playlists rewritten so that every URI in them goes back through the stream proxy.

Media lines (segments, variant playlists) and the `URI="…"` attribute of tags (keys, init
maps, renditions, parts, preload hints) are resolved against the playlist's own URL and
handed to `register`, which answers the proxy URL that will serve them. URIs that are not
http(s) (`data:`, `skd:`) are left alone: the proxy never fetches anything but what the
provider gave and what playlists it served name.
"""

from __future__ import annotations

import contextlib
import re
import urllib.parse
from collections.abc import Callable

PLAYLIST_TYPES = ("application/vnd.apple.mpegurl", "application/x-mpegurl", "audio/mpegurl", "audio/x-mpegurl")
MAX_PLAYLIST_BYTES = 8 * 1024 * 1024
_URI_ATTRIBUTE = re.compile(r'URI="([^"]*)"')


def is_playlist(content_type: str, url: str, head: bytes = b"") -> bool:
    """An HLS playlist, judged by its type, its name or its first bytes."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind in PLAYLIST_TYPES:
        return True
    if urllib.parse.urlsplit(url).path.lower().endswith((".m3u8", ".m3u")):
        return True
    return head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"#EXTM3U")


def _proxiable(url: str) -> bool:
    return urllib.parse.urlsplit(url).scheme.lower() in ("http", "https")


def rewrite_playlist(text: str, base_url: str, register: Callable[[str], str]) -> str:
    """The playlist with each http(s) URI replaced by `register(absolute_uri)`."""

    def swap(uri: str) -> str:
        absolute = urllib.parse.urljoin(base_url, uri.strip())
        return register(absolute) if _proxiable(absolute) else uri

    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            lines.append(line)
        elif stripped.startswith("#"):
            lines.append(_URI_ATTRIBUTE.sub(lambda m: f'URI="{swap(m.group(1))}"', line))
        else:
            lines.append(swap(stripped))
    return "\n".join(lines) + "\n"


def playlist_facts(text: str) -> tuple[bool, bool, float, list[str]]:
    """(is a master playlist, is live, seconds of media, variant URIs as written)."""
    variants: list[str] = []
    master = live = False
    seconds = 0.0
    expect_variant = False
    ended = False
    media = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#EXT-X-STREAM-INF"):
            master, expect_variant = True, True
        elif line.startswith("#EXTINF:"):
            media = True
            with contextlib.suppress(ValueError):
                seconds += float(line[len("#EXTINF:") :].split(",", 1)[0])
        elif line.startswith("#EXT-X-ENDLIST"):
            ended = True
        elif line and not line.startswith("#") and expect_variant:
            variants.append(line)
            expect_variant = False
    live = media and not ended
    return master, live, seconds, variants
