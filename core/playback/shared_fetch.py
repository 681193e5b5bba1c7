"""One upstream response read once and handed to every identical request in flight (the
stream proxy's shared fetches)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

SHARE_WINDOW = 64  # chunks a fast reader may run ahead of the slowest one of a shared fetch
SHARE_LIMIT = 16 * 1024 * 1024  # bytes kept for late joiners of a shared fetch


class Head:
    def __init__(self, status: int, headers: dict[str, str]) -> None:
        self.status, self.headers = status, headers


class SharedFetch:
    """One upstream response read once and handed to every identical request in flight.

    Readers take chunks by index; the producer waits while the slowest reader is more than
    SHARE_WINDOW chunks behind (backpressure), stops when every reader left, and keeps at most
    SHARE_LIMIT bytes for late joiners (beyond that it takes no more of them)."""

    def __init__(self) -> None:
        self.head: asyncio.Future[Head] = asyncio.get_running_loop().create_future()
        self.chunks: list[bytes | None] = []
        self.kept = 0
        self.done = False
        self.error: BaseException | None = None
        self.joinable = True
        self.readers: dict[int, int] = {}
        self.cond = asyncio.Condition()
        self.producer: asyncio.Task[None] | None = None
        self._next_reader = 0

    def join(self) -> int:
        reader = self._next_reader
        self._next_reader += 1
        self.readers[reader] = 0
        return reader

    async def leave(self, reader: int) -> None:
        async with self.cond:
            self.readers.pop(reader, None)
            self.cond.notify_all()
        if not self.readers and self.producer is not None and not self.done:
            self.producer.cancel()

    async def put(self, chunk: bytes) -> None:
        async with self.cond:
            self.chunks.append(chunk)
            self.kept += len(chunk)
            self.cond.notify_all()
            await self.cond.wait_for(
                lambda: not self.readers or min(self.readers.values()) >= len(self.chunks) - SHARE_WINDOW
            )
            if self.kept > SHARE_LIMIT:
                self.joinable = False
                oldest = min(self.readers.values(), default=len(self.chunks))
                for index in range(oldest):
                    if self.chunks[index] is not None:
                        self.kept -= len(self.chunks[index] or b"")
                        self.chunks[index] = None

    async def finish(self, error: BaseException | None = None) -> None:
        async with self.cond:
            self.done, self.error = True, error
            self.cond.notify_all()
        if not self.head.done():
            self.head.set_exception(error or ConnectionError("upstream ended before answering"))

    async def read(self, reader: int) -> AsyncIterator[bytes]:
        while True:
            async with self.cond:
                await self.cond.wait_for(lambda: self.readers[reader] < len(self.chunks) or self.done)
                position = self.readers[reader]
                if position >= len(self.chunks):
                    if self.error is not None:
                        raise ConnectionError(f"upstream failed: {self.error}")
                    return
                chunk = self.chunks[position]
                self.readers[reader] = position + 1
                self.cond.notify_all()
            if chunk is None:
                raise ConnectionError("joined a shared fetch too late")
            yield chunk
