"""A media-server provider for playlist tests: links to single files, folders to browse, playback.

"toybox" is what an Alist- or Emby-like provider looks like to playlists: it claims
`toybox:/PATH` links (ItemParser), lists folders page by page (FolderBrowser) and resolves
a file to a URL (PlaybackResolver). Its server runs in a subprocess on 127.0.0.1
(`ToyboxServer`), answering JSON much like Alist's `fs/list` (`content: null` for an empty
folder) and serving the bytes.

Folders by path: /Movies (two films and a Series folder), /Movies/Series (three episodes),
/Secret (outside /Movies), /Parts (a file in two parts), /Empty, and /Big with BIG_COUNT
files (benchmarks). Folders by id, as a library server names them: `lib` → `show-1` →
`season-1` → episodes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import httpx

from core.config import Config
from core.errors import ConfigError, LinkError, UnavailableError
from core.providers.protocols import FolderEntry, FolderPage, MediaItem, MediaPart, Playback, ProviderSession, Stream

TOYBOX_URL_ENV = "SYNCDECK_TOYBOX_URL"
BIG_COUNT_ENV = "TOYBOX_BIG_COUNT"
ENTRY = "tests.playlists.toybox:ToyboxProvider"

# ------------------------------------------------------------------ the data the server serves


def _file(name: str, duration: int, parts: int = 1) -> dict[str, Any]:
    return {"name": name, "is_dir": False, "duration": duration, "parts": parts}


def _dir(name: str) -> dict[str, Any]:
    return {"name": name, "is_dir": True}


TREE: dict[str, list[dict[str, Any]]] = {
    "/": [_dir("Movies"), _dir("Secret"), _dir("Parts"), _dir("Empty"), _dir("Big")],
    "/Movies": [_file("Film A.mp4", 5400), _file("Film B.mkv", 6000), _dir("Series")],
    "/Movies/Series": [_file("Ep 1.mp4", 1500), _file("Ep 2.mp4", 1500), _file("Ep 3.mp4", 1500)],
    "/Secret": [_file("secret.mp4", 60)],
    "/Parts": [_file("Two parts.mp4", 1200, parts=2)],
    "/Empty": [],
}
IDS: dict[str, list[dict[str, Any]]] = {
    "lib": [{"id": "show-1", "name": "Show One", "is_dir": True}, {"id": "movie-9", "name": "Movie Nine",
            "is_dir": False, "duration": 4000, "parts": 1}],
    "show-1": [{"id": "season-1", "name": "Season 1", "is_dir": True}],
    "season-1": [{"id": f"ep-{n}", "name": f"Episode {n}", "is_dir": False, "duration": 1400, "parts": 1}
                 for n in (1, 2)],
    "elsewhere": [{"id": "hidden-1", "name": "Hidden", "is_dir": True}],
    "hidden-1": [{"id": "ep-x", "name": "Not yours", "is_dir": False, "duration": 10, "parts": 1}],
}  # fmt: skip


def listing(key: str, big: int) -> list[dict[str, Any]] | None:
    if key.startswith("/"):
        key = "/" + key.strip("/") if key.strip("/") else "/"
        if key == "/Big":
            return [_file(f"file-{n:05d}.mp4", 60 + n % 600) for n in range(big)]
        return TREE.get(key)
    return IDS.get(key)


def find(key: str, big: int) -> dict[str, Any] | None:
    """The file or folder a key names."""
    if key.startswith("/"):
        parent, _, name = key.rstrip("/").rpartition("/")
        return next((e for e in listing(parent or "/", big) or [] if e["name"] == name), None)
    for children in IDS.values():
        for child in children:
            if child["id"] == key:
                return child
    return None


# ------------------------------------------------------------------ the server (run in a subprocess)


def _handler(big: int) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
            pass

        def _json(self, body: Any, status: int = 200) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/api/list":
                children = listing(query.get("path", "/"), big)
                if children is None:
                    self._json({"code": 500, "message": "object not found", "data": None})
                    return
                page, per_page = int(query.get("page", 1)), int(query.get("per_page", 0))
                shown = children if per_page < 1 else children[(page - 1) * per_page : page * per_page]
                self._json({"code": 200, "data": {"content": shown or None, "total": len(children)}})
            elif url.path == "/api/get":
                found = find(query.get("path", ""), big)
                if found is None:
                    self._json({"code": 500, "message": "object not found", "data": None})
                else:
                    self._json({"code": 200, "data": found})
            elif url.path.startswith("/media/"):
                body = ("toybox media " + url.path).encode() * 8
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command == "GET":
                    self.wfile.write(body)
            else:
                self._json({"code": 404, "message": "no such route"}, status=404)

    return Handler


def serve(big: int) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(big))
    print(server.server_address[1], flush=True)
    server.serve_forever()


class ToyboxServer:
    """The toybox server in a subprocess (no Python thread beside a Qt loop)."""

    def __init__(self, big: int = 10_000) -> None:
        self.big = big
        self._proc: subprocess.Popen[str] | None = None
        self.base_url = ""

    def __enter__(self) -> ToyboxServer:
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env = {**os.environ, "PYTHONPATH": root}
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "tests.playlists.toybox", str(self.big)], stdout=subprocess.PIPE, text=True,
            env=env, cwd=root,
        )  # fmt: skip
        assert self._proc.stdout is not None
        port = int(self._proc.stdout.readline())
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.wait(timeout=10)


# ------------------------------------------------------------------ the provider

_LINK = re.compile(r"toybox:(/.*|[a-z0-9-]+)")


class ToyboxSession:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = httpx.AsyncClient(trust_env=False, timeout=10.0)
        self.api_calls = 0

    async def api(self, route: str, **params: Any) -> Any:
        self.api_calls += 1
        response = await self.http.get(self.base_url + route, params=params)
        body = response.json()
        if body.get("code") != 200:
            raise LinkError(f"toybox: {body.get('message')}")
        return body["data"]

    async def aclose(self) -> None:
        await self.http.aclose()


def _session(session: ProviderSession) -> ToyboxSession:
    assert isinstance(session, ToyboxSession)
    return session


def item_of(key: str, raw: Mapping[str, Any]) -> MediaItem:
    count = int(raw.get("parts", 1))
    each = int(raw.get("duration", 0)) // count
    parts = tuple(
        MediaPart(key=str(n), number=n, title=f"{raw['name']} part {n}" if count > 1 else raw["name"], duration=each,
                  details={"key": key, "part": n})
        for n in range(1, count + 1)
    )  # fmt: skip
    return MediaItem(
        key=key, title=raw["name"], duration=int(raw.get("duration", 0)), part_count=count, parts=parts,
        complete=True, url=f"toybox:{key}", cover="", details={"key": key},
    )  # fmt: skip


class ToyboxProvider:
    name = "toybox"
    display_name = "Toybox"
    login_variable = ""
    item_help = "toybox:/PATH/FILE (a file on the toybox server)"
    base_url = ""

    def __init__(self, config: Config) -> None:
        environ = os.environ if config.environ is None else config.environ
        self.base_url = environ.get(TOYBOX_URL_ENV) or type(self).base_url
        if not self.base_url:
            raise ConfigError(f"the toybox provider needs {TOYBOX_URL_ENV}")

    async def open_session(self, secret: str | None) -> ToyboxSession:
        return ToyboxSession(self.base_url)

    def secret_from_environment(self) -> str | None:
        return None

    async def fetch_image(self, session: ProviderSession, url: str) -> bytes:
        return b""

    def template_variables(self, item: MediaItem, part: MediaPart | None) -> dict[str, Any]:
        return {}

    # ItemParser
    def claims_item(self, text: str) -> bool:
        return _LINK.fullmatch(text.strip()) is not None

    async def parse_item(self, session: ProviderSession, text: str) -> MediaItem:
        key = text.strip().removeprefix("toybox:")
        raw = await _session(session).api("/api/get", path=key)
        if raw.get("is_dir"):
            raise LinkError(f"toybox:{key} is a folder, not a file")
        return item_of(key, raw)

    # FolderBrowser
    async def browse(self, session: ProviderSession, folder: str, page: int, per_page: int) -> FolderPage:
        data = await _session(session).api("/api/list", path=folder, page=page, per_page=per_page)
        entries = []
        for raw in data["content"] or []:  # null: an empty folder
            key = raw["id"] if "id" in raw else folder.rstrip("/") + "/" + raw["name"]
            item = None if raw["is_dir"] else item_of(key, raw)
            entries.append(FolderEntry(key=key, title=raw["name"], is_folder=raw["is_dir"], item=item))
        return FolderPage(entries=tuple(entries), total=int(data["total"]), page=page)

    # PlaybackResolver
    async def resolve(self, session: ProviderSession, item: MediaItem, part: MediaPart) -> Playback:
        key = str(item.details.get("key", ""))
        if not key:
            raise UnavailableError("not a toybox item")
        url = self.base_url + "/media/" + quote(key.lstrip("/"))
        return Playback(streams=(Stream(kind="muxed", urls=(url,)),))


def bound_toybox(base_url: str) -> type[ToyboxProvider]:
    return type("ToyboxProvider", (ToyboxProvider,), {"base_url": base_url})


if __name__ == "__main__":
    serve(int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get(BIG_COUNT_ENV, "10000")))
