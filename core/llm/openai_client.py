"""An LlmClient for any OpenAI-compatible server (OpenAI, DeepSeek, Groq, a local llama.cpp…)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import httpx

from core.errors import LlmError
from core.llm import quota
from core.llm.base_client import AccountContext, HttpClient, read_json
from core.llm.protocol import Completion, Message, TranscriptSegment
from core.llm.ratelimit import estimate_tokens

_VERSIONED = re.compile(r"/v\d+[a-z0-9]*(?:/openai)?$|/openai$")


def api_base(base_url: str) -> str:
    """The URL that `/models` and `/chat/completions` hang from.

    People paste `https://host`, `https://host/v1`, `…/v1/chat/completions` or Gemini's
    `…/v1beta/openai/`; a base without a version gets `/v1`.
    """
    base = base_url.strip().rstrip("/")
    base = base.removesuffix("/chat/completions").removesuffix("/models").rstrip("/")
    return base if _VERSIONED.search(base) else f"{base}/v1"


def _verdict(status: int, body: Any, headers: Any, attempt: int) -> quota.Verdict:
    return quota.openai_verdict(status, body, headers, attempt)


def parse_models(body: Any) -> list[dict[str, Any]]:
    """`{"data": [...]}`, `{"models": [...]}` or a bare list; items as objects or bare ids."""
    items = body.get("data", body.get("models", [])) if isinstance(body, dict) else body
    out = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str):
            out.append({"id": item})
        elif isinstance(item, dict) and (item.get("id") or item.get("name")):
            out.append({**item, "id": str(item.get("id") or item.get("name"))})
    return out


def _refused_fields(message: str) -> set[str]:
    """Request fields a 400 refusal names as unsupported by the model.

    Reasoning models (o1, o3, gpt-5…) refuse max_tokens and name its successor, and accept only
    their default temperature and top_p: the request is sent again without them rather than the
    note failing."""
    found = {"max_tokens"} if "max_completion_tokens" in message else set()
    return found | {name for name in ("temperature", "top_p") if f"'{name}'" in message}


class OpenAIClient(HttpClient):
    can_watch_video = False

    def __init__(self, ctx: AccountContext, model: str = "") -> None:
        self.ctx = ctx
        self.model = model
        self.base = api_base(ctx.base_url)
        self.can_transcribe = bool(ctx.transcribe_model)

    def _request(self, key: str, method: str, path: str, **kwargs: Any) -> httpx.Request:
        headers = {"Authorization": f"Bearer {key}", **kwargs.pop("headers", {})}
        return self.ctx.http.build_request(method, f"{self.base}{path}", headers=headers, **kwargs)

    async def list_models(self) -> list[dict[str, Any]]:
        async def flow(key: str) -> list[dict[str, Any]]:
            response = await self.send(key, lambda k: self._request(k, "GET", "/models"), _verdict)
            return parse_models(read_json(response.content))

        return await self.with_keys(flow)

    def _body(
        self, messages: Sequence[Message], max_tokens: int | None, stream: bool, temperature: float | None = None,
        top_p: float | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        if not self.model:
            raise LlmError(f"{self.ctx.name}: no model chosen and none enabled")
        body: dict[str, Any] = {"model": self.model, "messages": [{"role": m.role, "content": m.content}
                                                                  for m in messages]}  # fmt: skip
        refused = self.ctx.refused.get(self.model, set())
        if max_tokens:
            body["max_completion_tokens" if "max_tokens" in refused else "max_tokens"] = max_tokens
        if temperature is not None and "temperature" not in refused:
            body["temperature"] = temperature
        if top_p is not None and "top_p" not in refused:
            body["top_p"] = top_p
        if stream:
            body["stream"] = True
        return body

    async def complete(
        self, messages: Sequence[Message], *, max_tokens: int | None = None, temperature: float | None = None,
        top_p: float | None = None,
    ) -> Completion:  # fmt: skip
        body = self._body(messages, max_tokens, False, temperature, top_p)
        estimate = sum(estimate_tokens(m.content) for m in messages) + (max_tokens or 0)

        async def flow(key: str) -> Completion:
            make = lambda k: self._request(k, "POST", "/chat/completions", json=body)  # noqa: E731
            response = await self.send(key, make, _verdict, tokens=estimate)
            data = read_json(response.content)
            try:
                text = data["choices"][0]["message"].get("content") or ""
            except (KeyError, IndexError, TypeError, AttributeError):
                raise self.failure("the reply has no choices") from None
            usage = data.get("usage") or {}
            used = self.ctx.usage(self.model, int(usage.get("prompt_tokens") or 0),
                                  int(usage.get("completion_tokens") or 0))  # fmt: skip
            self.ctx.limiter.settle(estimate, used.prompt_tokens + used.completion_tokens or estimate)
            self.succeeded()
            return Completion(text=text, usage=used, model=str(data.get("model") or self.model))

        for _ in range(3):
            try:
                return await self.with_keys(flow)
            except LlmError as exc:
                refused = _refused_fields(str(exc)) & set(body) if "HTTP 400" in str(exc) else set()
                if not refused:
                    raise
                self.ctx.refused.setdefault(self.model, set()).update(refused)  # every later request too
                if "max_tokens" in refused:
                    body["max_completion_tokens"] = body.pop("max_tokens")
                for name in refused - {"max_tokens"}:
                    del body[name]
        return await self.with_keys(flow)

    def adaptable(self, status: int, message: str) -> bool:
        return status == 400 and bool(_refused_fields(message))

    async def stream(self, messages: Sequence[Message]) -> AsyncIterator[str]:
        body = self._body(messages, None, stream=True)
        estimate = sum(estimate_tokens(m.content) for m in messages)

        async def open_stream(key: str) -> httpx.Response:
            make = lambda k: self._request(k, "POST", "/chat/completions", json=body)  # noqa: E731
            return await self.send(key, make, _verdict, tokens=estimate, stream=True)

        response = await self.with_keys(open_stream)
        try:
            async for line in response.aiter_lines():
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    break
                try:
                    chunk = json.loads(data)
                except ValueError:
                    continue
                for choice in chunk.get("choices") or []:
                    piece = (choice.get("delta") or {}).get("content")
                    if piece:
                        yield piece
        except httpx.TransportError as exc:
            raise self.failure(f"the stream broke off ({type(exc).__name__})") from None
        finally:
            await response.aclose()
        self.succeeded()

    async def transcribe(self, audio: Path, *, language: str = "") -> list[TranscriptSegment]:
        if not self.ctx.transcribe_model:
            raise LlmError(f"{self.ctx.name}: this account lists no speech-to-text model (such as whisper-1)")
        data = {"model": self.ctx.transcribe_model, "response_format": "verbose_json"}
        if language:
            data["language"] = language
        content = audio.read_bytes()

        def make(key: str) -> httpx.Request:
            files = {"file": (audio.name, content, "application/octet-stream")}
            return self._request(key, "POST", "/audio/transcriptions", data=data, files=files)

        async def flow(key: str) -> list[TranscriptSegment]:
            response = await self.send(key, make, _verdict, tokens=1)
            body = read_json(response.content)
            segments = body.get("segments") if isinstance(body, dict) else None
            if segments:
                return [
                    TranscriptSegment(float(s.get("start", 0)), float(s.get("end", 0)), str(s.get("text", "")).strip())
                    for s in segments
                ]
            text = str(body.get("text", "")) if isinstance(body, dict) else ""
            duration = float(body.get("duration") or 0) if isinstance(body, dict) else 0.0
            return [TranscriptSegment(0.0, duration, text.strip())] if text.strip() else []

        return await self.with_keys(flow)

    async def complete_with_video(
        self, video: Path, prompt: str, *, max_tokens: int | None = None, temperature: float | None = None,
        top_p: float | None = None,
    ) -> Completion:  # fmt: skip
        raise LlmError(f"{self.ctx.name}: an OpenAI-compatible account cannot watch a video; "
                       "send a transcript instead (or use a Gemini account)")  # fmt: skip

    async def ping(self) -> str:
        """The smallest real request: one word asked, one token allowed. Returns the reply."""
        result = await self.complete([Message("user", "Say OK.")], max_tokens=1)
        return result.text
