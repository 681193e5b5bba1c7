"""An LlmClient for the Gemini Developer API (v1beta), with video through the Files API.

Video: resumable upload (start → upload, finalize; 8 MiB chunks), poll the file until ACTIVE,
generateContent with the file part before the prompt (Google's advice), delete the upload.
The file belongs to the key's project, so all four steps use one key; when that key's daily
quota runs out midway the upload is deleted and the whole flow starts again with the next key.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import mimetypes
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import httpx

from core.errors import LlmError
from core.llm import quota
from core.llm.base_client import AccountContext, HttpClient, KeySpent, read_json
from core.llm.protocol import Completion, Message, TranscriptSegment
from core.llm.ratelimit import estimate_tokens

DEFAULT_BASE = "https://generativelanguage.googleapis.com"
CHUNK = 8 * 1024 * 1024
VIDEO_TYPES = {".mp4": "video/mp4", ".mov": "video/quicktime", ".avi": "video/x-msvideo",
               ".mkv": "video/x-matroska", ".webm": "video/webm", ".m4v": "video/x-m4v",
               ".flv": "video/x-flv", ".mpg": "video/mpg", ".mpeg": "video/mpeg", ".wmv": "video/wmv",
               ".3gp": "video/3gpp",
               ".m4a": "audio/mp4"}  # fmt: skip  # the sound of a link not synced (core/notes/remote.py)
VIDEO_TOKENS_PER_S = 300  # default resolution: 258 a frame at 1 fps, 32 for audio


def _verdict(status: int, body: Any, headers: Any, attempt: int) -> quota.Verdict:
    return quota.gemini_verdict(status, body, attempt)


def api_root(base_url: str) -> str:
    """`https://generativelanguage.googleapis.com` whatever the user pasted (…/v1beta, …/v1beta/)."""
    base = (base_url or DEFAULT_BASE).strip().rstrip("/")
    for suffix in ("/v1beta/openai", "/v1beta", "/v1"):
        base = base.removesuffix(suffix)
    return base


def _contents(messages: Sequence[Message]) -> dict[str, Any]:
    system = [m.content for m in messages if m.role == "system"]
    contents = [{"role": "model" if m.role == "assistant" else "user", "parts": [{"text": m.content}]}
                for m in messages if m.role != "system"]  # fmt: skip
    body: dict[str, Any] = {"contents": contents}
    if system:
        body["systemInstruction"] = {"parts": [{"text": "\n\n".join(system)}]}
    return body


def _generation_config(max_tokens: int | None, temperature: float | None, top_p: float | None) -> dict[str, Any]:
    config: dict[str, Any] = {}
    if max_tokens:
        config["maxOutputTokens"] = max_tokens
    if temperature is not None:
        config["temperature"] = temperature
    if top_p is not None:
        config["topP"] = top_p
    return config


def _text(data: dict[str, Any]) -> tuple[str, str]:
    """The answer's text and finish reason; a blocked prompt has no candidates."""
    candidates = data.get("candidates") or []
    if not candidates:
        reason = (data.get("promptFeedback") or {}).get("blockReason")
        return "", f"BLOCKED:{reason}" if reason else ""
    first = candidates[0]
    parts = (first.get("content") or {}).get("parts") or []
    return "".join(p.get("text", "") for p in parts if not p.get("thought")), str(first.get("finishReason", ""))


def _tokens(data: dict[str, Any]) -> tuple[int, int]:
    """(prompt, completion) tokens; thinking is billed as output, so it counts as completion."""
    meta = data.get("usageMetadata") or {}
    completion = int(meta.get("candidatesTokenCount") or 0) + int(meta.get("thoughtsTokenCount") or 0)
    return int(meta.get("promptTokenCount") or 0), completion


class GeminiClient(HttpClient):
    can_transcribe = False
    can_watch_video = True

    def __init__(self, ctx: AccountContext, model: str = "") -> None:
        self.ctx = ctx
        self.model = model.removeprefix("models/")
        self.root = api_root(ctx.base_url)

    def _request(self, key: str, method: str, url: str, **kwargs: Any) -> httpx.Request:
        headers = {"x-goog-api-key": key, **kwargs.pop("headers", {})}
        if not url.startswith("http"):
            url = f"{self.root}{url}"
        return self.ctx.http.build_request(method, url, headers=headers, **kwargs)

    async def list_models(self) -> list[dict[str, Any]]:
        async def flow(key: str) -> list[dict[str, Any]]:
            models: list[dict[str, Any]] = []
            token = ""
            for _ in range(50):
                params = {"pageSize": 1000, **({"pageToken": token} if token else {})}
                make = lambda k, p=params: self._request(k, "GET", "/v1beta/models", params=p)  # noqa: E731
                data = read_json((await self.send(key, make, _verdict)).content)
                for item in data.get("models") or []:
                    models.append({**item, "id": str(item.get("name", ""))})
                token = data.get("nextPageToken") or ""
                if not token:
                    break
            return models

        return await self.with_keys(flow)

    def _need_model(self) -> str:
        if not self.model:
            raise LlmError(f"{self.ctx.name}: no model chosen and none enabled")
        return self.model

    async def _generate(self, key: str, body: dict[str, Any], estimate: int) -> Completion:
        model = self._need_model()
        make = lambda k: self._request(k, "POST", f"/v1beta/models/{model}:generateContent", json=body)  # noqa: E731
        data = read_json((await self.send(key, make, _verdict, tokens=estimate)).content)
        text, finish = _text(data)
        if finish.startswith("BLOCKED"):
            raise self.failure(f"the prompt was blocked ({finish.split(':', 1)[1]})")
        usage = self.ctx.usage(model, *_tokens(data))
        self.ctx.limiter.settle(estimate, usage.prompt_tokens + usage.completion_tokens or estimate)
        self.succeeded()
        return Completion(text=text, usage=usage, model=str(data.get("modelVersion") or model))

    async def complete(
        self, messages: Sequence[Message], *, max_tokens: int | None = None, temperature: float | None = None,
        top_p: float | None = None,
    ) -> Completion:  # fmt: skip
        body = _contents(messages)
        config = _generation_config(max_tokens, temperature, top_p)
        if config:
            body["generationConfig"] = config
        estimate = sum(estimate_tokens(m.content) for m in messages) + (max_tokens or 0)
        return await self.with_keys(lambda key: self._generate(key, body, estimate))

    async def stream(self, messages: Sequence[Message]) -> AsyncIterator[str]:
        model = self._need_model()
        body = _contents(messages)
        estimate = sum(estimate_tokens(m.content) for m in messages)
        path = f"/v1beta/models/{model}:streamGenerateContent"

        async def open_stream(key: str) -> httpx.Response:
            make = lambda k: self._request(k, "POST", path, params={"alt": "sse"}, json=body)  # noqa: E731
            return await self.send(key, make, _verdict, tokens=estimate, stream=True)

        response = await self.with_keys(open_stream)
        try:
            async for line in response.aiter_lines():
                if not line.startswith("data:"):
                    continue
                try:
                    text, _ = _text(json.loads(line[5:].strip()))
                except ValueError:
                    continue
                if text:
                    yield text
        except httpx.TransportError as exc:
            raise self.failure(f"the stream broke off ({type(exc).__name__})") from None
        finally:
            await response.aclose()
        self.succeeded()

    async def transcribe(self, audio: Path, *, language: str = "") -> list[TranscriptSegment]:
        raise LlmError(f"{self.ctx.name}: a Gemini account has no speech-to-text endpoint; "
                       "let it watch the video instead")  # fmt: skip

    # ---- video ---------------------------------------------------------------------------

    async def upload(self, key: str, path: Path, mime: str) -> dict[str, Any]:
        size = path.stat().st_size
        start_headers = {
            "X-Goog-Upload-Protocol": "resumable", "X-Goog-Upload-Command": "start",
            "X-Goog-Upload-Header-Content-Length": str(size), "X-Goog-Upload-Header-Content-Type": mime,
        }  # fmt: skip
        meta = {"file": {"display_name": path.stem[:100]}}
        make = lambda k: self._request(k, "POST", "/upload/v1beta/files", headers=start_headers, json=meta)  # noqa: E731
        started = await self.send(key, make, _verdict)
        session_url = started.headers.get("x-goog-upload-url")  # carries the key: never logged
        if not session_url:
            raise self.failure("the upload was not accepted (no upload URL)")
        offset = 0
        with path.open("rb") as fh:
            while True:
                chunk = fh.read(CHUNK)
                last = offset + len(chunk) >= size
                headers = {"X-Goog-Upload-Offset": str(offset),
                           "X-Goog-Upload-Command": "upload, finalize" if last else "upload"}  # fmt: skip
                make = lambda k, c=chunk, h=headers: self._request(k, "POST", session_url, content=c, headers=h)  # noqa: E731
                response = await self.send(key, make, _verdict)
                offset += len(chunk)
                if last:
                    return dict(read_json(response.content).get("file") or {})

    async def wait_active(self, key: str, file: dict[str, Any]) -> dict[str, Any]:
        deadline = time.monotonic() + self.ctx.active_timeout_s
        while file.get("state") != "ACTIVE":
            if file.get("state") == "FAILED":
                message = (file.get("error") or {}).get("message", "the video could not be processed")
                raise self.failure(f"Gemini could not process the video: {message}")
            if time.monotonic() > deadline:
                raise self.failure(f"the video was still processing after {self.ctx.active_timeout_s:g} s")
            await asyncio.sleep(self.ctx.poll_s)
            make = lambda k, n=file["name"]: self._request(k, "GET", f"/v1beta/{n}")  # noqa: E731
            file = dict(read_json((await self.send(key, make, _verdict)).content))
        return file

    async def delete(self, key: str, name: str) -> None:
        with contextlib.suppress(LlmError, KeySpent):  # it expires after 48 h anyway
            await self.send(key, lambda k: self._request(k, "DELETE", f"/v1beta/{name}"), _verdict)

    async def complete_with_video(
        self, video: Path, prompt: str, *, max_tokens: int | None = None, temperature: float | None = None,
        top_p: float | None = None,
    ) -> Completion:  # fmt: skip
        if not video.is_file():
            raise LlmError(f"{video} is not a file")
        mime = VIDEO_TYPES.get(video.suffix.lower()) or mimetypes.guess_type(video.name)[0] or "video/mp4"

        async def flow(key: str) -> Completion:
            file = await self.upload(key, video, mime)
            try:
                file = await self.wait_active(key, file)
                duration = float(str((file.get("videoMetadata") or {}).get("videoDuration", "0s")).rstrip("s") or 0)
                body: dict[str, Any] = {"contents": [{"role": "user", "parts": [
                    {"file_data": {"mime_type": mime, "file_uri": file["uri"]}}, {"text": prompt}]}]}  # fmt: skip
                config = _generation_config(max_tokens, temperature, top_p)
                if config:
                    body["generationConfig"] = config
                estimate = int(duration * VIDEO_TOKENS_PER_S) + estimate_tokens(prompt) + (max_tokens or 0)
                return await self._generate(key, body, estimate)
            finally:
                if file.get("name"):
                    await self.delete(key, str(file["name"]))

        return await self.with_keys(flow)

    async def ping(self) -> str:
        result = await self.complete([Message("user", "Say OK.")], max_tokens=1)
        return result.text
