"""A small HTTP/1.1 file server on 127.0.0.1 that behaves like a media CDN, with fault knobs.

URLs look like `/{mirror}/{name}?deadline=<unix seconds>`: the mirror part lets a test refuse
one "CDN host" and not another, and `deadline` is checked like Bilibili's signed links. HEAD
answers 404, as it does for m4s files on the real CDN.

In tests it runs on the test's own event loop (`async with RangeServer(...)`), so knobs and
counters are plain attributes. The benchmark runs it as a separate process:
`python tests/download/range_server.py --root DIR [--throttle BYTES_PER_S]` prints
`PORT <n>` and serves every file in DIR until killed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qs, unquote, urlsplit

PIECE = 64 * 1024


@dataclass
class Knobs:
    ranges: bool = True  # False: ignore Range, always 200 with the whole file
    throttle_bps: int = 0  # per response (connection), 0 = as fast as possible
    slow_starts: dict[int, int] = field(default_factory=dict)  # range start → bytes/s for it
    truncate_after: int = 0  # close the connection after this many body bytes…
    truncate_responses: int = 0  # …on this many of the next responses (-1: all)
    refuse: dict[str, int] = field(default_factory=dict)  # mirror → HTTP status to answer
    header_delay: float = 0.0  # seconds to wait before answering…
    delayed_responses: int = 0  # …this many of the next requests (-1: all)


@dataclass
class Served:
    method: str
    mirror: str
    name: str
    range: str
    status: int
    body_bytes: int = 0  # grows while the body is sent


class RangeServer:
    def __init__(self, files: Mapping[str, Path], knobs: Knobs | None = None) -> None:
        self.files = dict(files)
        self.knobs = knobs or Knobs()
        self.log: list[Served] = []
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    def url(self, name: str, mirror: str = "main", deadline: float | None = None) -> str:
        query = "" if deadline is None else f"?deadline={int(deadline)}"
        return f"http://127.0.0.1:{self.port}/{mirror}/{name}{query}"

    @property
    def bytes_served(self) -> int:
        """Body bytes sent for the requests in `log` (responses still running keep counting)."""
        return sum(entry.body_bytes for entry in self.log)

    def reset_counters(self) -> None:
        # A new list: responses of earlier requests still being sent count into the old one.
        self.log = []

    async def __aenter__(self) -> RangeServer:
        self._server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        await self._server.wait_closed()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                request_line = await reader.readline()
                if not request_line.strip():
                    break
                headers: dict[str, str] = {}
                while True:
                    line = await reader.readline()
                    if line in (b"\r\n", b"\n", b""):
                        break
                    key, _, value = line.decode("latin-1").partition(":")
                    headers[key.strip().lower()] = value.strip()
                method, target, _ = request_line.decode("latin-1").split(" ", 2)
                if not await self._respond(method, target, headers, writer):
                    break
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    @staticmethod
    def _take(counter: int) -> tuple[bool, int]:
        """(applies, counter after) for a "next N responses, -1 all" knob."""
        if counter == 0:
            return False, 0
        return True, counter if counter < 0 else counter - 1

    async def _respond(self, method: str, target: str, headers: dict[str, str], writer: asyncio.StreamWriter) -> bool:
        knobs = self.knobs
        delayed, knobs.delayed_responses = self._take(knobs.delayed_responses)
        if delayed:
            await asyncio.sleep(knobs.header_delay)
        parts = urlsplit(target)
        mirror, _, name = unquote(parts.path).lstrip("/").partition("/")
        deadline = parse_qs(parts.query).get("deadline", [""])[0]
        range_header = headers.get("range", "")
        path = self.files.get(name)
        size = path.stat().st_size if path is not None else 0

        status = 200
        if method != "GET" or path is None:
            status = 404
        elif mirror in knobs.refuse:
            status = knobs.refuse[mirror]
        elif deadline.isdigit() and int(deadline) <= time.time():
            status = 403
        first, last = 0, size - 1
        if status == 200 and knobs.ranges and range_header.startswith("bytes="):
            start_text, _, end_text = range_header[6:].partition("-")
            first = int(start_text)
            last = min(int(end_text), size - 1) if end_text else size - 1
            status = 206 if first <= last else 416
        served = Served(method, mirror, name, range_header, status)
        self.log.append(served)

        if status not in (200, 206):
            body = f"HTTP {status}\n".encode()
            extra = f"Content-Range: bytes */{size}\r\n" if status == 416 else ""
            writer.write(f"HTTP/1.1 {status} Error\r\nContent-Length: {len(body)}\r\n{extra}\r\n".encode() + body)
            await writer.drain()
            return True

        length = last - first + 1
        head = [f"HTTP/1.1 {status} {'OK' if status == 200 else 'Partial Content'}"]
        head.append(f"Content-Length: {length}")
        head.append("Content-Type: video/mp4")
        if knobs.ranges:
            head.append("Accept-Ranges: bytes")
        if status == 206:
            head.append(f"Content-Range: bytes {first}-{last}/{size}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
        await writer.drain()

        truncate, knobs.truncate_responses = self._take(knobs.truncate_responses)
        count = min(length, knobs.truncate_after) if truncate else length
        rate = knobs.slow_starts.get(first, knobs.throttle_bps)
        assert path is not None
        with open(path, "rb") as handle:
            if rate or truncate:
                await self._send_paced(handle, first, count, rate, writer, served)
            else:
                loop = asyncio.get_running_loop()
                served.body_bytes = await loop.sendfile(writer.transport, handle, first, count)
        return not truncate  # a truncated body ends the connection

    async def _send_paced(
        self,
        handle: BinaryIO,
        first: int,
        count: int,
        rate: int,
        writer: asyncio.StreamWriter,
        served: Served,
    ) -> None:
        loop = asyncio.get_running_loop()
        began = loop.time()
        sent = 0
        fd = handle.fileno()
        while sent < count:
            piece = os.pread(fd, min(PIECE, count - sent), first + sent)
            writer.write(piece)
            await writer.drain()
            sent += len(piece)
            served.body_bytes += len(piece)
            if rate:
                ahead = began + sent / rate - loop.time()
                if ahead > 0:
                    await asyncio.sleep(ahead)


async def _serve_forever(root: Path, throttle: int) -> None:
    files = {path.name: path for path in root.iterdir() if path.is_file()}
    async with RangeServer(files, Knobs(throttle_bps=throttle)) as server:
        print(f"PORT {server.port}", flush=True)
        await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--throttle", type=int, default=0, help="bytes per second per connection")
    args = parser.parse_args()
    asyncio.run(_serve_forever(args.root, args.throttle))


if __name__ == "__main__":
    main()
