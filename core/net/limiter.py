from __future__ import annotations

import asyncio
import time
from collections import deque


class RateLimiter:
    """At most `count` acquisitions in any sliding window of `window` seconds.

    Callers wait in FIFO order, so a burst of API calls is spread out instead of
    tripping the server's frequency check (-799).
    """

    def __init__(self, count: int, window: float) -> None:
        if count < 1 or window <= 0:
            raise ValueError("rate limit needs count >= 1 and window > 0")
        self.count = count
        self.window = window
        self._stamps: deque[float] = deque()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                while self._stamps and now - self._stamps[0] >= self.window:
                    self._stamps.popleft()
                if len(self._stamps) < self.count:
                    self._stamps.append(now)
                    return
                await asyncio.sleep(self.window - (now - self._stamps[0]))

    async def __aenter__(self) -> RateLimiter:
        await self.acquire()
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None
