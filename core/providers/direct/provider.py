"""Direct links as a provider: `ItemParser` + `PlayableResolver`, no account.

A pasted http(s) URL is probed once (a Range GET: type and size; an HLS playlist is read for
its length and whether it is live); RTMP/RTSP URLs are taken as live streams without a probe.
It claims any http(s) URL, so the registry asks it only when no other provider claims a link.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from core.config import Config
from core.errors import LinkError
from core.net import make_client, net_options
from core.playback.playable import Playable
from core.providers.direct.probe import probe
from core.providers.protocols import MediaItem, MediaPart, Playback, ProviderSession, Stream

NAME = "direct"
LINK_HELP = """\
Direct links:
  files         https://host/path/video.mp4 (any http(s) file a player can open)
  HLS           https://host/path/index.m3u8 (VOD or live)
  live          https://host/live/stream.flv, rtmp://host/app/stream"""
SCHEMES = ("http", "https", "rtmp", "rtmps", "rtsp")
MAX_LINK_LENGTH = 8192


class DirectSession:
    def __init__(self, config: Config) -> None:
        self.client = make_client(net_options(config))

    @property
    def api_calls(self) -> int:
        return 0

    async def aclose(self) -> None:
        await self.client.aclose()


def _session(session: ProviderSession) -> DirectSession:
    if not isinstance(session, DirectSession):
        raise TypeError(f"not a direct-link session: {type(session).__name__}")
    return session


class DirectProvider:
    name = NAME
    display_name = "Direct link"
    login_variable = ""
    item_help = LINK_HELP
    fallback_item_parser = True  # claims any URL: asked after every other provider

    def __init__(self, config: Config) -> None:
        self.config = config

    async def open_session(self, secret: str | None) -> DirectSession:
        return DirectSession(self.config)

    def secret_from_environment(self) -> str | None:
        return None

    async def fetch_image(self, session: ProviderSession, url: str) -> bytes:
        answer = await _session(session).client.get(url)
        answer.raise_for_status()
        return answer.content

    def template_variables(self, item: MediaItem, part: MediaPart | None) -> dict[str, Any]:
        return {}

    # ---- ItemParser -------------------------------------------------------------------------

    def claims_item(self, text: str) -> bool:
        text = text.strip()
        if not text or len(text) > MAX_LINK_LENGTH or any(c.isspace() for c in text):
            return False
        parts = urllib.parse.urlsplit(text)
        return parts.scheme.lower() in SCHEMES and bool(parts.hostname)

    async def parse_item(self, session: ProviderSession, text: str) -> MediaItem:
        url = text.strip()
        if not self.claims_item(url):
            raise LinkError(f"{url[:200]!r} is not a direct link.\n{LINK_HELP}")
        found = await probe(_session(session).client, url)
        details = {"url": url, "format": found.format, "live": found.live, "size": found.size,
                   "content_type": found.content_type}  # fmt: skip
        duration = round(found.duration)
        part = MediaPart(key="0", number=1, title=found.title, duration=duration, details=details)
        return MediaItem(key=url, title=found.title, duration=duration, part_count=1, parts=(part,), complete=True,
                         url=url, details=details)  # fmt: skip

    # ---- playback ---------------------------------------------------------------------------

    async def resolve(self, session: ProviderSession, item: MediaItem, part: MediaPart) -> Playback:
        return (await self.resolve_playable(session, item, part)).playback

    async def resolve_playable(
        self, session: ProviderSession, item: MediaItem, part: MediaPart, *, quality: str | None = None
    ) -> Playable:
        details = {**item.details, **part.details}
        url = str(details.get("url") or item.key)
        size = int(details.get("size") or 0)
        stream = Stream(kind="muxed", urls=(url,), size=size)
        return Playable(playback=Playback(streams=(stream,)), live=bool(details.get("live")),
                        format=str(details.get("format") or ""), duration=float(item.duration))  # fmt: skip
