"""A provider made for tests: proof that one registry line is all a new provider needs.

"toy" claims `toy:NAME` links, lists the shelves a tiny HTTP server on 127.0.0.1 serves as
JSON, and resolves each item to a file that server hands out (with Range support, like a
CDN). It can parse links, scan sources and resolve playback, nothing else: no login, no
danmaku, no subtitles.

The server address comes from the class attribute `base_url` (see `bound_toy_provider`) or
the `SYNCDECK_TOY_URL` environment variable, so a registry line such as
`"tests.providers.toy_provider:ToyProvider"` also works in a child process.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import httpx

from core.config import Config
from core.errors import ConfigError, LinkError, UnavailableError
from core.providers.protocols import (
    Listing,
    MediaItem,
    MediaPart,
    Playback,
    ProviderSession,
    SourcePreview,
    SourceTarget,
    Stream,
)

TOY_URL_ENV = "SYNCDECK_TOY_URL"
_LINK = re.compile(r"toy:([a-z0-9-]{1,40})", re.A)


@dataclass(frozen=True)
class ToyEntry:
    key: str
    title: str
    added: int  # unix seconds
    body: bytes


def default_shelves() -> dict[str, list[ToyEntry]]:
    return {
        "shelf": [
            ToyEntry("one", "Toy one", 1_700_000_300, b"toy media one " * 64),
            ToyEntry("two", "Toy two", 1_700_000_200, b"toy media two " * 128),
            ToyEntry("three", "Toy three", 1_700_000_100, b"toy media three " * 32),
        ],
        "empty": [],
    }


class ToyServer:
    """`GET /shelves/NAME` (JSON) and `GET /media/NAME/KEY` (bytes, Range aware) on 127.0.0.1."""

    def __init__(self, shelves: Mapping[str, list[ToyEntry]] | None = None) -> None:
        self.shelves = dict(shelves if shelves is not None else default_shelves())
        self.requests: list[str] = []
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> ToyServer:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._http.shutdown()
        self._http.server_close()

    def shelf_json(self, name: str) -> dict[str, Any] | None:
        entries = self.shelves.get(name)
        if entries is None:
            return None
        return {
            "title": f"Toy shelf {name}",
            "items": [{"key": e.key, "title": e.title, "added": e.added, "size": len(e.body)} for e in entries],
        }

    def media(self, name: str, key: str) -> bytes | None:
        return next((e.body for e in self.shelves.get(name, []) if e.key == key), None)


def _handler(server: ToyServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
            pass

        def do_HEAD(self) -> None:
            self._answer(send_body=False)

        def do_GET(self) -> None:
            self._answer(send_body=True)

        def _answer(self, *, send_body: bool) -> None:
            server.requests.append(self.path)
            parts = self.path.split("?", 1)[0].strip("/").split("/")
            body: bytes | None = None
            content_type = "application/octet-stream"
            if len(parts) == 2 and parts[0] == "shelves":
                shelf = server.shelf_json(parts[1])
                body = None if shelf is None else json.dumps(shelf).encode()
                content_type = "application/json"
            elif len(parts) == 3 and parts[0] == "media":
                body = server.media(parts[1], parts[2])
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status, start, end = 200, 0, len(body) - 1
            if match := re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", "")):
                start = int(match.group(1))
                end = min(int(match.group(2) or end), end)
                status = 206
            chunk = body[start : end + 1]
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(chunk)))
            self.send_header("Accept-Ranges", "bytes")
            if status == 206:
                self.send_header("Content-Range", f"bytes {start}-{end}/{len(body)}")
            self.end_headers()
            if send_body:
                self.wfile.write(chunk)

    return Handler


class ToySession:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = httpx.AsyncClient(trust_env=False, timeout=5.0)
        self.api_calls = 0

    async def get(self, path: str) -> httpx.Response:
        self.api_calls += 1
        return await self.http.get(self.base_url + path)

    async def aclose(self) -> None:
        await self.http.aclose()


def _session(session: ProviderSession) -> ToySession:
    assert isinstance(session, ToySession)
    return session


class ToyProvider:
    """Links, sources and playback for the toy server; no login."""

    name = "toy"
    display_name = "Toy"
    login_variable = ""
    link_help = "Accepted toy sources:\n  shelves       toy:NAME"
    base_url = ""

    def __init__(self, config: Config) -> None:
        environ = os.environ if config.environ is None else config.environ
        self.base_url = environ.get(TOY_URL_ENV) or type(self).base_url
        if not self.base_url:
            raise ConfigError(f"the toy provider needs {TOY_URL_ENV} (the toy server's address)")

    async def open_session(self, secret: str | None) -> ToySession:
        return ToySession(self.base_url)

    def secret_from_environment(self) -> str | None:
        return None

    async def fetch_image(self, session: ProviderSession, url: str) -> bytes:
        response = await _session(session).http.get(url)
        return response.content

    def template_variables(self, item: MediaItem, part: MediaPart | None) -> dict[str, Any]:
        return {}

    # ---- links

    def claims(self, text: str) -> bool:
        return _LINK.fullmatch(text.strip()) is not None

    async def _shelf(self, session: ProviderSession, name: str) -> dict[str, Any]:
        response = await _session(session).get(f"/shelves/{name}")
        if response.status_code == 404:
            raise LinkError(f"there is no toy shelf {name!r}")
        response.raise_for_status()
        shelf: dict[str, Any] = response.json()
        return shelf

    async def resolve_link(self, session: ProviderSession, text: str) -> SourceTarget:
        match = _LINK.fullmatch(text.strip())
        if match is None:
            raise LinkError(f"{text!r} is not a toy link.\n{self.link_help}")
        await self._shelf(session, match.group(1))
        return SourceTarget(provider=self.name, locator=f"toy:{match.group(1)}", kind="shelf", kind_label="Toys")

    async def describe(self, session: ProviderSession, target: SourceTarget) -> SourcePreview:
        shelf = await self._shelf(session, target.locator.removeprefix("toy:"))
        return SourcePreview(target=target, title=shelf["title"], owner=None, count=len(shelf["items"]))

    # ---- sources

    async def scan(self, session: ProviderSession, target: SourceTarget, cursor: str | None) -> Listing:
        name = target.locator.removeprefix("toy:")
        shelf = await self._shelf(session, name)
        return Listing(items=[_item(name, raw) for raw in shelf["items"]], cursor=None, whole=True)

    async def list_keys(self, session: ProviderSession, target: SourceTarget) -> set[str]:
        return {item.key for item in (await self.scan(session, target, None)).items}

    async def complete(self, session: ProviderSession, item: MediaItem) -> MediaItem:
        return item  # the shelf lists everything there is

    # ---- playback

    async def resolve(self, session: ProviderSession, item: MediaItem, part: MediaPart) -> Playback:
        url = self.base_url + str(part.details["path"])
        response = await _session(session).http.head(url)
        if response.status_code == 404:
            raise UnavailableError(f"{item.title} is no longer on the toy server")
        stream = Stream(kind="muxed", urls=(url,), quality="original", size=int(part.details["size"]))
        return Playback(streams=(stream,))


def _item(shelf: str, raw: dict[str, Any]) -> MediaItem:
    added = datetime.fromtimestamp(int(raw["added"]), tz=UTC)
    path = f"/media/{shelf}/{raw['key']}"
    part = MediaPart(key="1", number=1, title=raw["title"], details={"path": path, "size": raw["size"]})
    return MediaItem(
        key=raw["key"],
        title=raw["title"],
        added_at=added,
        order_at=added,
        part_count=1,
        parts=(part,),
        complete=True,
        details={"path": path},
    )


def bound_toy_provider(base_url: str) -> type[ToyProvider]:
    """ToyProvider talking to the server at `base_url` (what a registry entry is given)."""
    return type("ToyProvider", (ToyProvider,), {"base_url": base_url})
