"""Clients built straight on an AccountContext, for tests that need no engine."""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from core.llm.base_client import AccountContext
from core.llm.gemini_client import GeminiClient
from core.llm.keypool import KeyPool
from core.llm.openai_client import OpenAIClient
from core.llm.ratelimit import RateLimiter


def context(
    kind: str, base_url: str, keys: Sequence[str], *, rpm: int = 0, tpm: int = 0, **extra: object
) -> AccountContext:
    http = httpx.AsyncClient(timeout=10, trust_env=False)
    return AccountContext(
        name="test", kind=kind, base_url=base_url, pool=KeyPool("test", list(keys)),
        limiter=RateLimiter(rpm, tpm), http=http, **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def openai(base_url: str, keys: Sequence[str], model: str = "gpt-4o-mini", **extra: object) -> OpenAIClient:
    return OpenAIClient(context("openai", base_url, keys, **extra), model)


def gemini(base_url: str, keys: Sequence[str], model: str = "gemini-2.5-flash", **extra: object) -> GeminiClient:
    return GeminiClient(context("gemini", base_url, keys, **extra), model)
