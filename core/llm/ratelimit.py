"""Per-account rate limits: requests and tokens per minute as two token buckets."""

from __future__ import annotations

import asyncio
import time


class TokenBucket:
    """`capacity` units that refill at capacity per `period` seconds; 0 = no limit."""

    def __init__(self, capacity: float, period: float = 60.0) -> None:
        self.capacity = float(capacity)
        self.rate = self.capacity / period if capacity else 0.0
        self.level = self.capacity
        self.stamp = time.monotonic()

    def _refill(self) -> None:
        now = time.monotonic()
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_time(self, amount: float) -> float:
        """Seconds until `amount` (at most the capacity) is available; 0 = now."""
        if not self.capacity:
            return 0.0
        self._refill()
        amount = min(amount, self.capacity)
        return 0.0 if self.level >= amount else (amount - self.level) / self.rate

    def take(self, amount: float) -> None:
        """Debit `amount`; the level may go below zero when a reply used more than expected."""
        if self.capacity:
            self._refill()
            self.level -= amount


class RateLimiter:
    """Both buckets of one account; every client of the account shares it."""

    def __init__(self, rpm: int = 0, tpm: int = 0) -> None:
        self.requests = TokenBucket(rpm)
        self.tokens = TokenBucket(tpm)
        self._lock = asyncio.Lock()
        self.waited = 0.0  # seconds spent waiting, for tests and the health view

    async def acquire(self, tokens: int = 1) -> None:
        async with self._lock:  # first come, first served
            while True:
                wait = max(self.requests.wait_time(1), self.tokens.wait_time(tokens))
                if wait <= 0:
                    break
                self.waited += wait
                await asyncio.sleep(wait)
            self.requests.take(1)
            self.tokens.take(tokens)

    def settle(self, estimated: int, actual: int) -> None:
        """Correct the token bucket once the reply says how many tokens were really used."""
        self.tokens.take(actual - estimated)


def estimate_tokens(text: str) -> int:
    """A rough count before sending (about 4 characters a token, CJK one a character)."""
    cjk = sum(1 for ch in text if "\u3000" <= ch <= "\u9fff")
    return max(1, cjk + (len(text) - cjk) // 4)
