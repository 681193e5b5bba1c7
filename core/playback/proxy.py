"""The local stream proxy: 127.0.0.1 on a free port, one random token per stream.

A player that cannot send Referer, cookies or tokens (or a playlist whose segments need
them) gets `http://127.0.0.1:PORT/s/TOKEN/0/name.mp4` instead of the upstream URL. The proxy
adds the stream's headers, passes Range through (206, Content-Range, 416), answers HEAD,
rewrites HLS playlists so that every segment and key comes back through it, renews an expired
upstream URL from the provider and retries, and shares one upstream fetch between identical
requests in flight. It serves nothing else: an unknown token or resource is a 404, and the
only upstream addresses it ever contacts are the ones registered for a token and the URIs
found inside playlists it served for that token.

Written on asyncio streams rather than an ASGI server (starlette/uvicorn are test-only
dependencies): it needs GET and HEAD of one path shape, and streaming with backpressure is
simplest with a StreamWriter's `drain()`. Upstream requests go through httpx, except a plain
GET of a whole http file, relayed socket to socket (`core/playback/splice.py`).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import re
import secrets
import time
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import httpx

# Imported for its read caps: it raises httpcore's (64 KiB) and asyncio's selector transport's
# (256 KiB) per-read limits to 1 MiB, which decides a loopback relay's rate (see there).
from core.download import range_downloader  # noqa: F401
from core.playback import hls
from core.playback.shared_fetch import Head, SharedFetch
from core.playback.source import ByteSource
from core.playback.splice import RELAY_CHUNK, SPLICE, splice_body

log = logging.getLogger(__name__)

READ_LIMIT = 64 * 1024  # request head
SOURCE_CHUNK = 512 * 1024  # bytes asked of a ByteSource at a time
RENEW_MARGIN_S = 30.0  # renew this long before an upstream URL expires
KEEP_PLAYLISTS = 3  # a refreshed playlist's URIs stay served for this many of its latest fetches
# Upstream headers handed to the player unchanged.
PASSED_HEADERS = ("content-type", "content-length", "content-range", "accept-ranges", "last-modified", "etag",
                  "cache-control", "content-disposition")  # fmt: skip
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


@dataclass(frozen=True)
class UpstreamTarget:
    """Where a stream's bytes are now: an URL, the headers it needs, when it stops working."""

    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    expires_at: float | None = None  # unix seconds


Renewer = Callable[[], Awaitable[UpstreamTarget]]


@dataclass
class _Stream:
    """What one token may serve: resource 0 is the registered URL (or a ByteSource), the rest
    are URIs found in playlists served for it.

    A live playlist names new segments at every fetch: each playlist remembers the resources
    of its last KEEP_PLAYLISTS fetches, and a resource no remembered fetch names is dropped,
    so a stream played for hours keeps a bounded list. Ids are never reused."""

    token: str
    target: UpstreamTarget | None
    source: ByteSource | None = None
    renew: Renewer | None = None
    name: str = "stream"
    resources: dict[int, str] = field(default_factory=dict)
    known: dict[str, int] = field(default_factory=dict)
    renewing: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_id: int = 0
    # playlist resource → what its latest fetches named; resource → how many of those name it
    fetches: dict[int, collections.deque[set[int]]] = field(default_factory=dict)
    named: collections.Counter[int] = field(default_factory=collections.Counter)

    def resource_id(self, url: str) -> int:
        if url not in self.known:
            self.known[url] = self.next_id
            self.resources[self.next_id] = url
            self.next_id += 1
        return self.known[url]

    def playlist_served(self, playlist: int, named: set[int]) -> None:
        """`playlist` was fetched and named `named`: forget what none of the latest fetches name."""
        latest = self.fetches.setdefault(playlist, collections.deque())
        latest.append(named)
        self.named.update(named)
        while len(latest) > KEEP_PLAYLISTS:
            for resource in latest.popleft():
                self.named[resource] -= 1
                if self.named[resource] <= 0:
                    del self.named[resource]
                    self._drop(resource)

    def _drop(self, resource: int) -> None:
        if resource == 0 or resource in self.fetches:  # the registered URL and playlists stay
            return
        url = self.resources.pop(resource, None)
        if url is not None and self.known.get(url) == resource:
            del self.known[url]


class _Request:
    def __init__(self, method: str, target: str, version: str, headers: dict[str, str]) -> None:
        self.method, self.target, self.version, self.headers = method, target, version, headers

    @property
    def keep_alive(self) -> bool:
        connection = self.headers.get("connection", "").lower()
        return connection != "close" if self.version == "HTTP/1.1" else connection == "keep-alive"


class StreamProxy:
    """Start with `await start()`; register streams; `await close()` at the end."""

    def __init__(
        self, client: httpx.AsyncClient | None = None, *, host: str = "127.0.0.1", port: int = 0,
        owns_client: bool = False,
    ) -> None:  # fmt: skip
        self._client = client
        self._own_client = client is None or owns_client
        self.host, self.port = host, port
        self._server: asyncio.AbstractServer | None = None
        self._streams: dict[str, _Stream] = {}
        self._inflight: dict[tuple[Any, ...], SharedFetch] = {}
        self._connections: set[asyncio.Task[Any]] = set()
        self.upstream_requests = 0  # for the tests and the log

    # ---- lifecycle --------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        if self._server is not None:
            return
        if self._client is None:
            self._client = httpx.AsyncClient(
                follow_redirects=True, timeout=httpx.Timeout(30.0, connect=10.0),
                limits=httpx.Limits(max_connections=64, max_keepalive_connections=32), trust_env=True,
            )  # fmt: skip
        self._server = await asyncio.start_server(self._serve, self.host, self.port, limit=READ_LIMIT)
        self.port = self._server.sockets[0].getsockname()[1]
        log.info("stream proxy listening on %s", self.base_url)

    async def close(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
            for task in list(self._connections):
                task.cancel()
            with contextlib.suppress(Exception):
                await server.wait_closed()
        for stream in list(self._streams.values()):
            if stream.source is not None:
                with contextlib.suppress(Exception):
                    await stream.source.close()
        self._streams.clear()
        if self._own_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    # ---- registration -----------------------------------------------------------------------

    def _url(self, token: str, resource: int, name: str) -> str:
        return f"{self.base_url}/s/{token}/{resource}/{urllib.parse.quote(name or 'stream')}"

    def add_upstream(self, target: UpstreamTarget, *, renew: Renewer | None = None, name: str = "") -> str:
        """Serve `target` (renewed with `renew` when it expires); the proxy URL for the player."""
        token = secrets.token_urlsafe(18)
        name = name or _file_name(target.url)
        stream = _Stream(token=token, target=target, renew=renew, name=name)
        stream.resource_id(target.url)
        self._streams[token] = stream
        return self._url(token, 0, name)

    def add_source(self, source: ByteSource, *, name: str = "stream") -> str:
        token = secrets.token_urlsafe(18)
        self._streams[token] = _Stream(token=token, target=None, source=source, name=name)
        return self._url(token, 0, name)

    async def forget(self, url: str) -> None:
        """Stop serving the stream a proxy URL names."""
        token = _token_of(url)
        stream = self._streams.pop(token, None) if token else None
        if stream is not None and stream.source is not None:
            await stream.source.close()

    # ---- serving ----------------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    break
                keep = await self._answer(request, writer)
                if not keep or not request.keep_alive:
                    break
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            pass
        except asyncio.CancelledError:
            pass
        finally:
            self._connections.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _answer(self, request: _Request, writer: asyncio.StreamWriter) -> bool:
        """Answer one request; False when the connection must close afterwards."""
        if request.method not in ("GET", "HEAD"):
            return await _send_simple(writer, request, 405, extra={"Allow": "GET, HEAD"})
        parts = urllib.parse.urlsplit(request.target).path.split("/")
        # "", "s", token, resource, name
        if len(parts) < 4 or parts[1] != "s" or not parts[3].isdigit():
            return await _send_simple(writer, request, 404)
        stream = self._streams.get(parts[2])
        resource = int(parts[3])
        if stream is None:
            return await _send_simple(writer, request, 404)
        if stream.source is not None:
            if resource != 0:
                return await _send_simple(writer, request, 404)
            return await self._serve_source(stream.source, request, writer)
        if resource not in stream.resources:
            return await _send_simple(writer, request, 404)
        return await self._serve_upstream(parts[2], stream, resource, request, writer)

    async def _serve_source(self, source: ByteSource, request: _Request, writer: asyncio.StreamWriter) -> bool:
        size = source.size
        wanted = parse_range(request.headers.get("range", ""), size)
        headers = {"Content-Type": source.content_type, "Accept-Ranges": "bytes"}
        if wanted is False:
            return await _send_simple(writer, request, 416, extra={"Content-Range": f"bytes */{size}"})
        if wanted is None:
            status, start, end = 200, 0, size - 1
        else:
            assert isinstance(wanted, tuple)
            status, (start, end) = 206, wanted
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        headers["Content-Length"] = str(max(0, end - start + 1))
        _write_head(writer, request, status, headers)
        if request.method == "HEAD":
            await writer.drain()
            return True
        offset = start
        while offset <= end:
            data = await source.read(offset, min(SOURCE_CHUNK, end - offset + 1))
            if not data:
                return False  # the source ended early: the player sees a short body
            writer.write(data)
            await writer.drain()
            offset += len(data)
        return True

    async def _serve_upstream(
        self, token: str, stream: _Stream, resource: int, request: _Request, writer: asyncio.StreamWriter
    ) -> bool:
        range_header = request.headers.get("range", "")
        key = (token, resource, request.method, range_header)
        if key not in self._inflight and self._plain_relay_fits(stream, resource, request):
            relayed = await self._plain_relay(stream, request, writer)
            if relayed is not None:
                return relayed
        fetch = self._inflight.get(key)
        if fetch is None or not fetch.joinable:
            fetch = SharedFetch()
            self._inflight[key] = fetch
            reader_id = fetch.join()
            fetch.producer = asyncio.create_task(self._produce(key, fetch, stream, resource, request.method,
                                                               range_header))  # fmt: skip
        else:
            reader_id = fetch.join()
        try:
            try:
                head = await asyncio.shield(fetch.head)
            except Exception as exc:
                log.info("stream proxy: upstream failed for %s: %s", stream.name, exc)
                return await _send_simple(writer, request, 502)
            length_known = "Content-Length" in head.headers
            _write_head(writer, request, head.status, head.headers, close=not length_known)
            if request.method == "HEAD":
                await writer.drain()
                return True
            async for chunk in fetch.read(reader_id):
                writer.write(chunk)
                await writer.drain()
            return length_known
        finally:
            await fetch.leave(reader_id)

    def _plain_relay_fits(self, stream: _Stream, resource: int, request: _Request) -> bool:
        """A plain GET of the registered http:// file to its end, nothing to rewrite or renew first,
        and no proxy between us and the origin: relayed over bare streams (httpx's per-chunk
        work and the shared-fetch queue cost more than half the rate of a fast origin)."""
        target = stream.target
        if request.method != "GET" or resource != 0 or target is None or _expired(target):
            return False
        if not target.url.lower().startswith("http://") or hls.is_playlist("", target.url):
            return False
        # Closed ranges are what players probe with, often several alike at once: those share
        # one fetch. An open-ended one is the body being played.
        if re.fullmatch(r"(bytes=\d+-)?", request.headers.get("range", "").strip()) is None:
            return False
        return self._client is not None and not any(getattr(self._client, "_mounts", {}).values())

    async def _plain_relay(self, stream: _Stream, request: _Request, writer: asyncio.StreamWriter) -> bool | None:
        """Relay one GET; None when the answer needs the general path (a refusal to renew, a
        playlist, a chunked or encoded body), before anything was written to the player."""
        assert stream.target is not None
        parts = urllib.parse.urlsplit(stream.target.url)
        host, port = parts.hostname or "", parts.port or 80
        lines = [f"GET {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1",
                 f"Host: {parts.netloc}", "Accept-Encoding: identity", "Connection: close"]  # fmt: skip
        lines += [f"{name}: {value}" for name, value in stream.target.headers.items()
                  if name.lower() not in ("host", "connection", "accept-encoding", "range")]  # fmt: skip
        if range_header := request.headers.get("range", ""):
            lines.append(f"Range: {range_header}")
        started = False
        try:
            up_reader, up_writer = await asyncio.wait_for(asyncio.open_connection(host, port, limit=RELAY_CHUNK), 15)
        except (OSError, TimeoutError):
            return None
        try:
            self.upstream_requests += 1
            up_writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            head = await asyncio.wait_for(up_reader.readuntil(b"\r\n\r\n"), 60)
            status_line, *header_lines = head.decode("latin-1").split("\r\n")
            fields = status_line.split(" ", 2)
            status = int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else 0
            answer: dict[str, str] = {}
            for line in header_lines:
                name, sep, value = line.partition(":")
                if sep:
                    answer[name.strip().lower()] = value.strip()
            plain = answer.get("content-encoding", "identity") == "identity" and "transfer-encoding" not in answer
            if status not in (200, 206) or not plain or "content-length" not in answer or \
                    hls.is_playlist(answer.get("content-type", ""), stream.target.url):  # fmt: skip
                return None
            passed = {_title(name): answer[name] for name in PASSED_HEADERS if name in answer}
            _write_head(writer, request, status, passed)
            started = True
            left = int(answer["content-length"])
            if SPLICE and left > RELAY_CHUNK:
                return await splice_body(up_reader, up_writer, writer, left)
            while left > 0:
                data = await up_reader.read(min(RELAY_CHUNK, left))
                if not data:
                    return False  # the origin ended early: the player sees a short body
                writer.write(data)
                left -= len(data)
                await writer.drain()
            return True
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError):
            return False if started else None
        finally:
            up_writer.close()

    async def _produce(
        self, key: tuple[Any, ...], fetch: SharedFetch, stream: _Stream, resource: int, method: str, range_header: str
    ) -> None:
        try:
            # HEAD is asked upstream as a one-byte GET: some CDNs (Bilibili's m4s) answer HEAD with 404.
            upstream_range = range_header or ("bytes=0-0" if method == "HEAD" else "")
            async with self._open_upstream(stream, resource, upstream_range) as response:
                url = str(response.url)
                content_type = response.headers.get("content-type", "")
                if method == "GET" and response.status_code in (200, 206) and hls.is_playlist(content_type, url):
                    body = await _read_capped(response, hls.MAX_PLAYLIST_BYTES)
                    named: set[int] = set()

                    def register(uri: str) -> str:
                        named.add(stream.resource_id(uri))
                        return self._url(stream.token, stream.resource_id(uri), _file_name(uri))

                    text = hls.rewrite_playlist(body.decode("utf-8", "replace"), url, register)
                    stream.playlist_served(resource, named)
                    data = text.encode()
                    fetch.head.set_result(Head(200, {
                        "Content-Type": "application/vnd.apple.mpegurl", "Content-Length": str(len(data)),
                        "Cache-Control": "no-cache"}))  # fmt: skip
                    await fetch.put(data)
                else:
                    headers = {_title(name): response.headers[name] for name in PASSED_HEADERS
                               if name in response.headers}  # fmt: skip
                    if response.headers.get("content-encoding", "identity") != "identity":
                        headers["Content-Encoding"] = response.headers["content-encoding"]
                    status = response.status_code
                    if method == "HEAD" and not range_header and status == 206:
                        total = headers.pop("Content-Range", "").rpartition("/")[2]
                        status = 200
                        if total.isdigit():
                            headers["Content-Length"] = total
                        else:
                            headers.pop("Content-Length", None)
                    fetch.head.set_result(Head(status, headers))
                    if method == "GET":
                        async for chunk in response.aiter_raw():
                            await fetch.put(chunk)
            await fetch.finish()
        except asyncio.CancelledError:
            await fetch.finish(ConnectionError("every reader left"))
        except Exception as exc:
            await fetch.finish(exc)
        finally:
            if self._inflight.get(key) is fetch:
                del self._inflight[key]

    @contextlib.asynccontextmanager
    async def _open_upstream(self, stream: _Stream, resource: int, range_header: str) -> AsyncIterator[httpx.Response]:
        assert self._client is not None and stream.target is not None
        renewed = False
        if resource == 0 and _expired(stream.target) and stream.renew is not None:
            await self._renew(stream)
            renewed = True
        while True:
            target = stream.target
            url = target.url if resource == 0 else stream.resources.get(resource, "")
            if not url:
                raise ConnectionError("this part of the stream is no longer served")
            headers = {**target.headers, "Accept-Encoding": "identity"}
            # A playlist is always read whole: it is rewritten, so a byte range of it means nothing.
            if range_header and not hls.is_playlist("", url):
                headers["Range"] = range_header
            self.upstream_requests += 1
            request = self._client.build_request("GET", url, headers=headers)
            response = await self._client.send(request, stream=True)
            if response.status_code in (403, 410) and stream.renew is not None and not renewed:
                await response.aclose()
                log.info("stream proxy: %s answered %d; renewing the URL", stream.name, response.status_code)
                if resource == 0:
                    await self._renew(stream)
                else:  # a signed segment or variant: a fresh master playlist names it anew
                    await self._renew_uri(stream, resource, url)
                renewed = True
                continue
            try:
                yield response
            finally:
                await response.aclose()
            return

    async def _renew(self, stream: _Stream) -> None:
        assert stream.renew is not None
        before = stream.target
        async with stream.renewing:
            if stream.target is not before:  # another request renewed it meanwhile
                return
            target = await stream.renew()
            stream.target = target
            stream.resources[0] = target.url
            stream.known = {url: index for index, url in stream.resources.items()}

    async def _renew_uri(self, stream: _Stream, resource: int, failed: str) -> None:
        """A URI found in a playlist was refused (its signature expired): resolve the stream
        again, read the fresh master playlist (and the playlists it names, while the refused
        URI is not found) and point every known resource at its fresh URL. A URI is matched
        by its path (the signature lives in the query, and may move hosts only with the path)."""
        assert self._client is not None and stream.target is not None
        if stream.resources.get(resource) != failed:
            return  # renewed meanwhile by another request
        await self._renew(stream)
        wanted = _path_key(failed)
        fresh: dict[str, str] = {}
        pending, seen = [stream.target.url], 0
        while pending and wanted not in fresh and seen < 8:  # a master, then a few variant playlists
            playlist_url = pending.pop(0)
            seen += 1
            try:
                answer = await self._client.get(playlist_url, headers=dict(stream.target.headers))
            except httpx.HTTPError as exc:
                log.info("stream proxy: reading %s again failed: %s", stream.name, exc)
                return
            if answer.status_code != 200 or not hls.is_playlist(answer.headers.get("content-type", ""), playlist_url,
                                                                  answer.content[:16]):  # fmt: skip
                break
            for uri in _uris_of(answer.text, str(answer.url)):
                fresh.setdefault(_path_key(uri), uri)
                if hls.is_playlist("", uri):
                    pending.append(uri)
        for index, url in list(stream.resources.items()):
            if index and (new := fresh.get(_path_key(url))) is not None:
                stream.resources[index] = new
        stream.known = {url: index for index, url in stream.resources.items()}


def _uris_of(text: str, base_url: str) -> list[str]:
    """The absolute http(s) URIs a playlist names, in order."""
    found: list[str] = []

    def note(uri: str) -> str:
        found.append(uri)
        return uri

    hls.rewrite_playlist(text, base_url, note)
    return found


def _path_key(url: str) -> str:
    return urllib.parse.urlsplit(url).path


def _expired(target: UpstreamTarget) -> bool:
    return target.expires_at is not None and time.time() >= target.expires_at - RENEW_MARGIN_S


def _title(name: str) -> str:
    return "-".join(part.capitalize() for part in name.split("-")).replace("Etag", "ETag")


def _file_name(url: str) -> str:
    path = urllib.parse.urlsplit(url).path
    name = urllib.parse.unquote(path.rsplit("/", 1)[-1]) if path else ""
    return name or "stream"


def _token_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url).path.split("/")
    return parts[2] if len(parts) > 2 and parts[1] == "s" else ""


async def _read_capped(response: httpx.Response, limit: int) -> bytes:
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > limit:
            raise ValueError("playlist too large")
    return bytes(body)


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """A single `bytes=` range as (start, end) inclusive; None = the whole body; False = 416."""
    match = _RANGE.fullmatch(header.strip()) if header else None
    if match is None or not (match.group(1) or match.group(2)):
        return None
    first, last = match.group(1), match.group(2)
    if first:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    else:
        if int(last) == 0:
            return False
        start, end = max(0, size - int(last)), size - 1
    if start >= size or start > end:
        return False
    return start, end


async def _read_request(reader: asyncio.StreamReader) -> _Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, version = lines[0].split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    if headers.get("content-length", "0") not in ("", "0") or "transfer-encoding" in headers:
        raise ValueError("request bodies are not accepted")
    return _Request(method, target, version, headers)


def _write_head(
    writer: asyncio.StreamWriter, request: _Request, status: int, headers: Mapping[str, str], *, close: bool = False
) -> None:
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
    lines = [f"HTTP/1.1 {status} {phrase}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append("Connection: close" if close or not request.keep_alive else "Connection: keep-alive")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))


async def _send_simple(
    writer: asyncio.StreamWriter, request: _Request, status: int, *, extra: Mapping[str, str] | None = None
) -> bool:
    body = b"" if request.method == "HEAD" else f"{status} {HTTPStatus(status).phrase}\n".encode()
    headers = {"Content-Type": "text/plain", "Content-Length": str(len(body)), **(extra or {})}
    _write_head(writer, request, status, headers)
    writer.write(body)
    await writer.drain()
    return True
