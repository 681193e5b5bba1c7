"""A fake OpenAI-compatible server on 127.0.0.1 (`python -m tests.fakes.openai_fake --port 0`).

Endpoints, with the JSON of the real API (reference: ai-reports.md §2b):
- `GET /v1/models` → `{"object":"list","data":[{"id","object":"model","created","owned_by"}]}`
  (`models` knob; `bare_model_list: true` answers a bare list like some servers do);
- `POST /v1/chat/completions` (with `"stream": true` → SSE `chat.completion.chunk` lines and
  `data: [DONE]`); the reply is the `reply` knob, else "Echo: <last user message>";
- `POST /v1/audio/transcriptions` (multipart) → `verbose_json` with `segments` (`segments` knob);
- errors `{"error":{"message","type","param","code"}}`: 401 invalid key, 429 with `Retry-After`
  (kind "minute": `rate_limit_exceeded`; kind "day": `insufficient_quota`), 5xx.

Control: `POST /_fake/reset`, `POST /_fake/script` (knobs: `models`, `reply`, `segments`,
`bare_model_list`, `reasoning_models`, `faults`, `key_modes`, `delay`; see fault_script.py), `GET /_fake/requests`.
Keys: any `Bearer` key is accepted unless a key mode or fault says otherwise; a missing one is 401.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.fakes.fault_script import Fault, FaultScript
from tests.fakes.loopback_server import FakeProcess, serve_main

DEFAULT_MODELS = [
    "gpt-4o-mini",
    "gpt-4o-2024-08-06",
    "openai/gpt-4.1-nano",
    "deepseek-chat",
    "qwen3-32b-latest",
    "whisper-1",
    "text-embedding-3-small",
]
DEFAULT_SEGMENTS = [
    {"id": 0, "start": 0.0, "end": 2.5, "text": " Hello and welcome."},
    {"id": 1, "start": 2.5, "end": 5.0, "text": " Today we talk about notes."},
]


class OpenAIState:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.script = FaultScript()
        self.models: list[str] = list(DEFAULT_MODELS)
        self.reply: str | None = None
        self.segments: list[dict[str, Any]] = [dict(s) for s in DEFAULT_SEGMENTS]
        self.bare_model_list = False
        self.reasoning_models: list[str] = []  # refuse max_tokens, as OpenAI's o-series and gpt-5 do

    def apply(self, knobs: dict[str, Any]) -> None:
        self.script.apply(knobs)
        for name in ("models", "reply", "segments", "bare_model_list", "reasoning_models"):
            if name in knobs:
                setattr(self, name, knobs.pop(name))
        if knobs:
            raise ValueError(f"unknown knobs: {sorted(knobs)}")

    def describe(self) -> dict[str, Any]:
        return {**self.script.describe(), "models": self.models, "reply": self.reply}


def _error(status: int, message: str, type_: str, code: str | None, headers: dict[str, str] | None = None) -> Response:
    body = {"error": {"message": message, "type": type_, "param": None, "code": code}}
    return JSONResponse(body, status_code=status, headers=headers)


def _fault_response(fault: Fault) -> Response:
    if fault.status == 401 or fault.kind == "invalid":
        return _error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key")
    if fault.status == 429 and fault.kind == "day":
        return _error(
            429,
            fault.message or "You exceeded your current quota, please check your plan and billing details.",
            "insufficient_quota",
            "insufficient_quota",
        )
    if fault.status == 429:
        return _error(
            429,
            fault.message or "Rate limit reached for requests per min (RPM). Please try again later.",
            "requests",
            "rate_limit_exceeded",
            headers={"Retry-After": f"{fault.retry_after:g}"},
        )
    return _error(fault.status, fault.message or "The server had an error while processing your request.",
                  "server_error", None)  # fmt: skip


def _bearer(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth.lower().startswith("bearer ") else ""


def _tokens(text: str) -> int:
    return max(1, len(text.split()))


def create_app(base_url: str) -> Starlette:
    state = OpenAIState()

    async def gate(request: Request, **extra: Any) -> Response | None:
        key = _bearer(request)
        state.script.record(request.method, request.url.path, key, **extra)
        if not key:
            return _error(401, "You didn't provide an API key.", "invalid_request_error", None)
        fault = state.script.fault_for(request.url.path, key)
        if fault is not None:
            return _fault_response(fault)
        if state.script.delay:
            await asyncio.sleep(state.script.delay)
        return None

    async def models(request: Request) -> Response:
        refused = await gate(request)
        if refused is not None:
            return refused
        data = [{"id": m, "object": "model", "created": 1700000000, "owned_by": "fake"} for m in state.models]
        return JSONResponse(data if state.bare_model_list else {"object": "list", "data": data})

    async def chat(request: Request) -> Response:
        body = await request.json()
        refused = await gate(request, body=body)
        if refused is not None:
            return refused
        if body.get("model") in state.reasoning_models and "max_tokens" in body:
            return _error(
                400,
                "Unsupported parameter: 'max_tokens' is not supported with this model. "
                "Use 'max_completion_tokens' instead.",
                "invalid_request_error",
                "unsupported_parameter",
            )
        for name in ("temperature", "top_p"):  # reasoning models take only the default of these
            if body.get("model") in state.reasoning_models and body.get(name, 1) != 1:
                return _error(
                    400,
                    f"Unsupported value: '{name}' does not support {body[name]} with this model. "
                    "Only the default (1) value is supported.",
                    "invalid_request_error",
                    "unsupported_value",
                )
        messages = body.get("messages") or []
        last_user = next((m for m in reversed(messages) if m.get("role") == "user"), {"content": ""})
        content = last_user["content"]
        if isinstance(content, list):
            content = " ".join(p.get("text", "") for p in content if p.get("type") == "text")
        text = state.reply if state.reply is not None else f"Echo: {content}"
        max_tokens = body.get("max_tokens") or body.get("max_completion_tokens")
        finish = "stop"
        if max_tokens and _tokens(text) > max_tokens:
            text, finish = " ".join(text.split()[:max_tokens]), "length"
        prompt_tokens = sum(_tokens(str(m.get("content", ""))) for m in messages)
        usage = {"prompt_tokens": prompt_tokens, "completion_tokens": _tokens(text),
                 "total_tokens": prompt_tokens + _tokens(text)}  # fmt: skip
        completion_id = f"chatcmpl-{len(state.script.requests)}"
        model = body.get("model", "")
        if body.get("stream"):
            return StreamingResponse(_sse(completion_id, model, text, finish, usage), media_type="text/event-stream")
        return JSONResponse({
            "id": completion_id, "object": "chat.completion", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish}],
            "usage": usage,
        })  # fmt: skip

    async def _sse(cid: str, model: str, text: str, finish: str, usage: dict[str, int]) -> AsyncIterator[bytes]:
        def chunk(delta: dict[str, Any], finish_reason: str | None = None, **extra: Any) -> bytes:
            payload = {"id": cid, "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
                       "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}], **extra}  # fmt: skip
            return f"data: {json.dumps(payload)}\n\n".encode()

        yield chunk({"role": "assistant", "content": ""})
        words = text.split(" ")
        for i, word in enumerate(words):
            yield chunk({"content": word if i == 0 else " " + word})
            await asyncio.sleep(0)
        yield chunk({}, finish, usage=usage)
        yield b"data: [DONE]\n\n"

    async def transcriptions(request: Request) -> Response:
        raw = await request.body()
        fields = _multipart_fields(raw, request.headers.get("content-type", ""))
        refused = await gate(request, fields={k: v for k, v in fields.items() if k != "file"},
                             file_bytes=len(fields.get("file", "")))  # fmt: skip
        if refused is not None:
            return refused
        if "file" not in fields:
            return _error(400, "No file was sent.", "invalid_request_error", None)
        segments = state.segments
        text = "".join(s["text"] for s in segments).strip()
        if fields.get("response_format") == "verbose_json":
            duration = segments[-1]["end"] if segments else 0.0
            return JSONResponse({"task": "transcribe", "language": fields.get("language") or "english",
                                 "duration": duration, "text": text, "segments": segments})  # fmt: skip
        return JSONResponse({"text": text})

    async def control_reset(request: Request) -> Response:
        state.reset()
        return JSONResponse({"ok": True})

    async def control_script(request: Request) -> Response:
        try:
            state.apply(await request.json())
        except (TypeError, ValueError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(state.describe())

    async def control_requests(request: Request) -> Response:
        return JSONResponse(state.script.requests)

    return Starlette(routes=[
        Route("/_fake/reset", control_reset, methods=["POST"]),
        Route("/_fake/script", control_script, methods=["POST"]),
        Route("/_fake/requests", control_requests, methods=["GET"]),
        Route("/v1/models", models, methods=["GET"]),
        Route("/v1/chat/completions", chat, methods=["POST"]),
        Route("/v1/audio/transcriptions", transcriptions, methods=["POST"]),
    ])  # fmt: skip


def _multipart_fields(raw: bytes, content_type: str) -> dict[str, str]:
    """Form fields of a multipart body (the file's content as latin-1 text, for its length)."""
    if "boundary=" not in content_type:
        return {}
    boundary = b"--" + content_type.split("boundary=", 1)[1].strip('"').encode()
    fields: dict[str, str] = {}
    for part in raw.split(boundary):
        head, sep, value = part.partition(b"\r\n\r\n")
        if not sep or b'name="' not in head:
            continue
        name = head.split(b'name="', 1)[1].split(b'"', 1)[0].decode()
        fields[name] = value.removesuffix(b"\r\n").decode("latin-1")
    return fields


class FakeOpenAI(FakeProcess):
    """`with FakeOpenAI() as fake:`; `fake.base_url + "/v1"` is the account's base URL."""

    module = "tests.fakes.openai_fake"

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/v1"


if __name__ == "__main__":
    serve_main(create_app)
