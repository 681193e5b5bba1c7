"""What the player and `syncdeck play --print-url` get: one entry made playable.

Shared by the playback service (which fills it), the desktop player and the command line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

PlayMode = Literal["direct", "proxied"]
# auto: proxied when the upstream needs headers a player cannot send, else direct;
# prefer_proxy / proxy_only / direct_only as in SyncTV.
ProxyPolicy = Literal["auto", "prefer_proxy", "proxy_only", "direct_only"]


@dataclass(frozen=True)
class SubtitleChoice:
    lang: str
    label: str
    url: str  # a URL or local path the player can open, already in `format`
    format: str = "ass"  # "ass", "srt" or "vtt"


@dataclass(frozen=True)
class PlaybackInfo:
    title: str
    url: str  # what the player opens: a muxed stream, the video stream, or an HLS playlist
    mode: PlayMode
    audio_url: str = ""  # a separate audio stream (Bilibili's DASH), "" when `url` has sound
    headers: Mapping[str, str] = field(default_factory=dict)  # for direct mode; empty when proxied
    quality: str = ""  # the chosen label ("1080p")
    qualities: tuple[str, ...] = ()  # what else can be chosen, best first
    codec: str = ""
    size: int = 0  # bytes, 0 when unknown or live
    live: bool = False
    duration: float = 0.0  # seconds, 0 when unknown
    start_at: float = 0.0  # where playback stopped last time
    subtitles: tuple[SubtitleChoice, ...] = ()
    danmaku_url: str = ""  # an ASS file (path or URL) of the danmaku overlay; "" = none
    entry_id: int | None = None  # the playlist entry it came from, for resume positions
    # Added with the stream proxy (defaults keep older callers working):
    format: str = ""  # "hls", "dash" (separate video + audio), "flv", "rtmp", "mp4", "file", "" = a progressive file
    expires_at: float | None = None  # unix seconds when a direct URL stops working; resolve again before
    provider: str = ""  # the provider's name
    part_key: str = ""  # which part of the item plays
    parts: int = 1  # how many parts the item has


@dataclass(frozen=True)
class ParsedPart:
    key: str
    number: int
    title: str
    duration: int = 0  # seconds


@dataclass(frozen=True)
class ParsedLink:
    """A pasted link previewed before it is played or added to a playlist. `item_json` is what a
    playlist entry stores (core/providers/serial.py) and hands back to `PlaybackService.resolve`."""

    provider: str  # the provider's name, stored with the entry
    provider_display: str
    title: str
    duration: int  # seconds, all parts
    parts: tuple[ParsedPart, ...]
    item_json: Mapping[str, Any]
    account_id: int | None = None  # the account whose login parsed it (None = none)
    cover: str = ""
    url: str = ""


@dataclass(frozen=True)
class ExternalLaunch:
    """An external player started for a PlaybackInfo."""

    player: str  # "mpv", "vlc", "iina", "potplayer" or "custom"
    argv: tuple[str, ...]
    pid: int
