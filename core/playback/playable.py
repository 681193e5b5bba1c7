"""What a provider tells the playback service beyond `PlaybackResolver.resolve`.

`PlaybackResolver.resolve` answers the streams the download settings choose. To play, the
service also needs the qualities one may switch to, whether the stream is live and its
container (an HLS playlist, FLV, RTMP): providers that know implement `PlayableResolver`;
for the others the service wraps their `Playback` and guesses the format from the URL.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from core.providers.protocols import MediaItem, MediaPart, Playback, ProviderSession

FORMATS = ("mp4", "hls", "flv", "rtmp", "dash", "file", "")


@dataclass(frozen=True)
class Playable:
    playback: Playback
    quality: str = ""  # the chosen label
    qualities: tuple[str, ...] = ()  # best first
    live: bool = False
    format: str = ""  # one of FORMATS; "" = unknown (a progressive file)
    duration: float = 0.0


@runtime_checkable
class PlayableResolver(Protocol):
    async def resolve_playable(
        self, session: ProviderSession, item: MediaItem, part: MediaPart, *, quality: str | None = None
    ) -> Playable:
        """The streams to play at `quality` (a label from `qualities`; None = the settings' choice)."""


def guess_format(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() in ("rtmp", "rtmps"):
        return "rtmp"
    path = parts.path.lower()
    if path.endswith((".m3u8", ".m3u")):
        return "hls"
    if path.endswith(".flv"):
        return "flv"
    if path.endswith(".mpd"):
        return "dash"
    return ""
