"""What both kinds of client share: keys in turn, rate limits, retries, clean error messages."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from core.errors import LlmError
from core.llm import quota
from core.llm.keypool import KeyPool
from core.llm.protocol import Usage
from core.llm.ratelimit import RateLimiter
from core.secrets import redact

log = logging.getLogger(__name__)

T = TypeVar("T")
Verdicts = Callable[[int, Any, Any, int], quota.Verdict]


@dataclass
class AccountContext:
    """One account's shared parts: every client of the account gets the same object."""

    name: str
    kind: str
    base_url: str
    pool: KeyPool
    limiter: RateLimiter
    http: httpx.AsyncClient
    max_retries: int = 3
    max_wait_s: float = 120.0  # a per-minute wait longer than this fails instead
    poll_s: float = 5.0  # Gemini: between reads of an uploading file's state
    active_timeout_s: float = 300.0  # Gemini: how long a file may stay PROCESSING
    transcribe_model: str = ""  # OpenAI-compatible: the speech-to-text model, "" = none known
    prices: dict[str, tuple[float, float]] = field(default_factory=dict)  # upstream id → (in, out) per 1M tokens
    report: Callable[[str, str], None] = field(default=lambda model, error: None)  # error "" = success
    refused: dict[str, set[str]] = field(default_factory=dict)  # model → request fields it refused (left out)

    def usage(self, model: str, prompt_tokens: int, completion_tokens: int) -> Usage:
        """What a reply used, with its cost at the model's prices (0 when the user set none)."""
        price_in, price_out = self.prices.get(model) or self.prices.get(f"models/{model}") or (0.0, 0.0)
        cost = (prompt_tokens * price_in + completion_tokens * price_out) / 1_000_000
        return Usage(prompt_tokens, completion_tokens, round(cost, 8))


class KeySpent(Exception):
    """The key in use is spent or refused; the pool knows it, try the next one."""


def clean(text: str, *keys: str) -> str:
    """A provider's message fit for a user and a log: no key, whatever the server echoed."""
    for key in keys:
        if key:
            text = text.replace(key, "***")
    return redact(text)[:500]


def read_json(content: bytes) -> Any:
    try:
        return json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return {"error": {"message": content[:200].decode("utf-8", "replace")}}


class HttpClient:
    model: str
    ctx: AccountContext

    async def with_keys(self, flow: Callable[[str], Awaitable[T]]) -> T:
        """Run `flow(key)` with the next usable key, again with another when that one is spent."""
        for _ in range(len(self.ctx.pool.keys) + 1):
            key = self.ctx.pool.pick()
            try:
                return await flow(key)
            except KeySpent:
                log.info("LLM account %s: a key is set aside, trying the next one", self.ctx.name)
        raise LlmError(self.ctx.pool.why_none())

    async def send(
        self, key: str, make: Callable[[str], httpx.Request], verdicts: Verdicts, *,
        tokens: int = 0, stream: bool = False,
    ) -> httpx.Response:  # fmt: skip
        """One request with `key`, retried on per-minute limits, 5xx and dropped connections.

        `tokens` > 0 counts the request against the account's rate limits (model calls only).
        """
        attempt = 0
        while True:
            if tokens:
                await self.ctx.limiter.acquire(tokens)
            request = make(key)
            try:
                response = await self.ctx.http.send(request, stream=stream)
            except httpx.TransportError as exc:
                if attempt >= self.ctx.max_retries:
                    raise self.failure(f"{request.url.host} cannot be reached ({type(exc).__name__})") from None
                await asyncio.sleep(quota.backoff(attempt))
                attempt += 1
                continue
            if response.is_success:
                return response
            body = read_json(await response.aread())
            await response.aclose()
            verdict = verdicts(response.status_code, body, response.headers, attempt)
            message = clean(verdict.message, key)
            log.info("LLM account %s: HTTP %s (%s): %s", self.ctx.name, response.status_code, verdict.action, message)
            if verdict.action == quota.SPENT:
                assert verdict.until is not None
                self.ctx.pool.spend(key, verdict.until, message)
                raise KeySpent
            if verdict.action == quota.INVALID:
                self.ctx.pool.refuse(key, message)
                raise KeySpent
            if verdict.action == quota.RETRY and attempt < self.ctx.max_retries and verdict.wait <= self.ctx.max_wait_s:
                await asyncio.sleep(verdict.wait)
                attempt += 1
                continue
            quiet = self.adaptable(response.status_code, message)
            raise self.failure(f"HTTP {response.status_code}: {message}", report=not quiet)

    def adaptable(self, status: int, message: str) -> bool:
        """A refusal the client answers by changing its request (not an error of the model's)."""
        return False

    def failure(self, message: str, *, report: bool = True) -> LlmError:
        error = LlmError(f"{self.ctx.name} ({self.model or 'no model'}): {message}")
        if report:
            self.ctx.report(self.model, str(error))
        return error

    def succeeded(self) -> None:
        self.ctx.report(self.model, "")
