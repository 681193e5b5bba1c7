"""A fake Gemini Developer API (v1beta) on 127.0.0.1 (`python -m tests.fakes.gemini_fake --port 0`).

Follows ai-reports.md §2a:
- `GET /v1beta/models` (pageSize/pageToken) → `{models:[{name:"models/…", displayName,
  inputTokenLimit, outputTokenLimit, supportedGenerationMethods}], nextPageToken}`;
- resumable upload: `POST /upload/v1beta/files` with `X-Goog-Upload-Command: start` answers an
  `x-goog-upload-url` header (carrying the key, like the real one); bytes go there with
  `upload` / `upload, finalize` and `X-Goog-Upload-Offset`; the finalize answers `{"file": {...}}`;
- `GET /v1beta/files/{id}`: PROCESSING for `processing_polls` reads, then ACTIVE with
  `videoMetadata.videoDuration` (or FAILED with `fail_processing`); `GET /v1beta/files`; `DELETE`;
- `POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent?alt=sse`; a file
  that is not ACTIVE yet → 400 FAILED_PRECONDITION;
- errors `{"error":{"code","message","status","details"}}`: 429 RESOURCE_EXHAUSTED with
  QuotaFailure (`…PerMinute…` or `…PerDay…` quotaId) and RetryInfo `retryDelay`; a bad key is
  400 INVALID_ARGUMENT with ErrorInfo reason API_KEY_INVALID; 5xx.

Keys come as `?key=` or `x-goog-api-key`; any key works unless `key_modes`/`faults` say otherwise.
Control: `/_fake/reset`, `/_fake/script` (knobs: `models`, `reply`, `processing_polls`,
`fail_processing`, `faults`, `key_modes`, `delay`), `/_fake/requests`, `GET /_fake/files`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.fakes.fault_script import Fault, FaultScript
from tests.fakes.loopback_server import FakeProcess, serve_main

DEFAULT_MODELS = [
    {"name": "models/gemini-2.5-flash", "displayName": "Gemini 2.5 Flash", "inputTokenLimit": 1048576,
     "outputTokenLimit": 65536, "supportedGenerationMethods": ["generateContent", "countTokens"]},
    {"name": "models/gemini-2.5-pro", "displayName": "Gemini 2.5 Pro", "inputTokenLimit": 1048576,
     "outputTokenLimit": 65536, "supportedGenerationMethods": ["generateContent", "countTokens"]},
    {"name": "models/gemini-2.5-flash-lite", "displayName": "Gemini 2.5 Flash-Lite", "inputTokenLimit": 1048576,
     "outputTokenLimit": 65536, "supportedGenerationMethods": ["generateContent"]},
    {"name": "models/text-embedding-004", "displayName": "Text Embedding 004", "inputTokenLimit": 2048,
     "outputTokenLimit": 1, "supportedGenerationMethods": ["embedContent"]},
]  # fmt: skip


@dataclass
class UploadSession:
    display_name: str
    mime_type: str
    size: int
    key: str
    data: bytearray = field(default_factory=bytearray)


@dataclass
class StoredFile:
    id: str
    display_name: str
    mime_type: str
    data: bytes
    reads: int = 0
    state: str = "PROCESSING"

    def resource(self, base_url: str) -> dict[str, Any]:
        now = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
        body: dict[str, Any] = {
            "name": f"files/{self.id}", "displayName": self.display_name, "mimeType": self.mime_type,
            "sizeBytes": str(len(self.data)), "createTime": now, "updateTime": now,
            "expirationTime": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime(time.time() + 48 * 3600)),
            "sha256Hash": hashlib.sha256(self.data).hexdigest(),
            "uri": f"{base_url}/v1beta/files/{self.id}", "state": self.state, "source": "UPLOADED",
        }  # fmt: skip
        if self.state == "ACTIVE" and self.mime_type.startswith("video/"):
            body["videoMetadata"] = {"videoDuration": "3s"}
        if self.state == "FAILED":
            body["error"] = {"code": 400, "message": "The video could not be processed."}
        return body


class GeminiState:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.reset()

    def reset(self) -> None:
        self.script = FaultScript()
        self.models: list[dict[str, Any]] = [dict(m) for m in DEFAULT_MODELS]
        self.reply: str | None = None
        self.processing_polls = 1
        self.fail_processing = False
        self.sessions: dict[str, UploadSession] = {}
        self.files: dict[str, StoredFile] = {}
        self.deleted: list[str] = []
        self._counter = 0

    def next_id(self) -> str:
        self._counter += 1
        return f"fake{self._counter:04d}"

    def apply(self, knobs: dict[str, Any]) -> None:
        self.script.apply(knobs)
        for name in ("models", "reply", "processing_polls", "fail_processing"):
            if name in knobs:
                setattr(self, name, knobs.pop(name))
        if knobs:
            raise ValueError(f"unknown knobs: {sorted(knobs)}")


def _error(code: int, status: str, message: str, details: list[dict[str, Any]] | None = None) -> Response:
    body: dict[str, Any] = {"error": {"code": code, "message": message, "status": status}}
    if details:
        body["error"]["details"] = details
    return JSONResponse(body, status_code=code)


def _quota_error(fault: Fault, model: str) -> Response:
    per_day = fault.kind == "day"
    metric = "generativelanguage.googleapis.com/generate_content_free_tier_requests"
    quota_id = ("GenerateRequestsPerDayPerProjectPerModel-FreeTier" if per_day
                else "GenerateRequestsPerMinutePerProjectPerModel-FreeTier")  # fmt: skip
    details: list[dict[str, Any]] = [
        {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [{
            "quotaMetric": metric, "quotaId": quota_id,
            "quotaDimensions": {"location": "global", "model": model or "gemini-2.5-flash"},
            "quotaValue": "250" if per_day else "10"}]},
        {"@type": "type.googleapis.com/google.rpc.Help",
         "links": [{"description": "Learn more about Gemini API quotas",
                    "url": "https://ai.google.dev/gemini-api/docs/rate-limits"}]},
        # the real API sends a retryDelay with daily violations too: clients must read the quotaId
        {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": f"{fault.retry_after:g}s"},
    ]  # fmt: skip
    message = fault.message or (
        "You exceeded your current quota, please check your plan and billing details. "
        f"* Quota exceeded for metric: {metric}, limit: {'250' if per_day else '10'}"
    )
    return _error(429, "RESOURCE_EXHAUSTED", message, details)


def _fault_response(fault: Fault, model: str) -> Response:
    if fault.kind == "invalid":
        return _error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
            {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
             "domain": "googleapis.com", "metadata": {"service": "generativelanguage.googleapis.com"}}])  # fmt: skip
    if fault.status == 429:
        return _quota_error(fault, model)
    status = {500: "INTERNAL", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}.get(fault.status, "INTERNAL")
    return _error(fault.status, status, fault.message or "The model is overloaded. Please try again later.")


def _key(request: Request) -> str:
    return request.query_params.get("key") or request.headers.get("x-goog-api-key", "")


def create_app(base_url: str) -> Starlette:
    state = GeminiState(base_url)

    async def gate(request: Request, model: str = "", **extra: Any) -> Response | None:
        key = _key(request)
        state.script.record(request.method, request.url.path, key, **extra)
        if not key:
            return _error(403, "PERMISSION_DENIED",
                          "Method doesn't allow unregistered callers. Please use API Key.")  # fmt: skip
        fault = state.script.fault_for(request.url.path, key)
        if fault is not None:
            return _fault_response(fault, model)
        if state.script.delay:
            await asyncio.sleep(state.script.delay)
        return None

    async def list_models(request: Request) -> Response:
        refused = await gate(request)
        if refused is not None:
            return refused
        size = int(request.query_params.get("pageSize") or 50)
        start = int(request.query_params.get("pageToken") or 0)
        page = state.models[start : start + size]
        body: dict[str, Any] = {"models": page}
        if start + size < len(state.models):
            body["nextPageToken"] = str(start + size)
        return JSONResponse(body)

    async def upload_start(request: Request) -> Response:
        refused = await gate(request, command=request.headers.get("x-goog-upload-command", ""))
        if refused is not None:
            return refused
        if request.headers.get("x-goog-upload-protocol") != "resumable" or \
                request.headers.get("x-goog-upload-command") != "start":  # fmt: skip
            return _error(400, "INVALID_ARGUMENT", "Only the resumable upload protocol is faked.")
        meta = (await request.json()).get("file") or {}
        session_id = state.next_id()
        state.sessions[session_id] = UploadSession(
            display_name=meta.get("display_name") or meta.get("displayName", ""),
            mime_type=request.headers.get("x-goog-upload-header-content-type", "application/octet-stream"),
            size=int(request.headers.get("x-goog-upload-header-content-length", "0")),
            key=_key(request),
        )
        url = f"{base_url}/upload/v1beta/files?key={_key(request)}&upload_id={session_id}&upload_protocol=resumable"
        return Response(status_code=200, headers={"x-goog-upload-url": url, "x-goog-upload-status": "active",
                                                  "x-goog-upload-chunk-granularity": "8388608"})  # fmt: skip

    async def upload_bytes(request: Request) -> Response:
        session = state.sessions.get(request.query_params["upload_id"])
        command = request.headers.get("x-goog-upload-command", "")
        data = await request.body()
        state.script.record(request.method, "/upload/v1beta/files#bytes", _key(request), command=command,
                            offset=request.headers.get("x-goog-upload-offset"), length=len(data))  # fmt: skip
        if session is None:
            return _error(404, "NOT_FOUND", "No such upload session.")
        offset = int(request.headers.get("x-goog-upload-offset", "-1"))
        if offset != len(session.data):
            return _error(400, "INVALID_ARGUMENT", f"Upload offset {offset} does not match {len(session.data)}.")
        session.data.extend(data)
        if "finalize" not in command:
            return Response(status_code=200, headers={"x-goog-upload-status": "active"})
        if session.size and session.size != len(session.data):
            return _error(400, "INVALID_ARGUMENT", "Uploaded size does not match the announced size.")
        file_id = state.next_id()
        stored = StoredFile(file_id, session.display_name, session.mime_type, bytes(session.data))
        if state.processing_polls <= 0 and not state.fail_processing:
            stored.state = "ACTIVE"
        state.files[file_id] = stored
        return JSONResponse({"file": stored.resource(base_url)}, headers={"x-goog-upload-status": "final"})

    async def upload(request: Request) -> Response:
        if "upload_id" in request.query_params:
            return await upload_bytes(request)
        return await upload_start(request)

    async def get_file(request: Request) -> Response:
        refused = await gate(request)
        if refused is not None:
            return refused
        stored = state.files.get(request.path_params["file_id"])
        if stored is None:
            return _error(404, "NOT_FOUND", f"File {request.path_params['file_id']} does not exist.")
        if request.method == "DELETE":
            del state.files[stored.id]
            state.deleted.append(f"files/{stored.id}")
            return JSONResponse({})
        stored.reads += 1
        if stored.state == "PROCESSING" and stored.reads >= state.processing_polls:
            stored.state = "FAILED" if state.fail_processing else "ACTIVE"
        return JSONResponse(stored.resource(base_url))

    async def list_files(request: Request) -> Response:
        refused = await gate(request)
        if refused is not None:
            return refused
        return JSONResponse({"files": [f.resource(base_url) for f in state.files.values()]})

    async def generate(request: Request) -> Response:
        model, _, method = request.path_params["call"].partition(":")
        body = await request.json()
        refused = await gate(request, model=model, body=body)
        if refused is not None:
            return refused
        if method not in ("generateContent", "streamGenerateContent"):
            return _error(404, "NOT_FOUND", f"Method {method} is not found.")
        if model not in {m["name"].removeprefix("models/") for m in state.models}:
            return _error(404, "NOT_FOUND", f"models/{model} is not found for API version v1beta.")
        texts: list[str] = []
        for content in body.get("contents") or []:
            for part in content.get("parts") or []:
                file_data = part.get("file_data") or part.get("fileData")
                if file_data:
                    uri = file_data.get("file_uri") or file_data.get("fileUri", "")
                    stored = state.files.get(uri.rsplit("/", 1)[-1])
                    if stored is None:
                        return _error(
                            403,
                            "PERMISSION_DENIED",
                            f"You do not have permission to access the File {uri} or it may not exist.",
                        )
                    if stored.state != "ACTIVE":
                        return _error(
                            400,
                            "FAILED_PRECONDITION",
                            f"The File {stored.id} is not in an ACTIVE state and usage is not allowed.",
                        )
                    texts.append(f"[video {stored.display_name} {len(stored.data)} bytes]")
                if "text" in part:
                    texts.append(part["text"])
        text = state.reply if state.reply is not None else "Echo: " + " ".join(texts)
        config = body.get("generationConfig") or body.get("generation_config") or {}
        max_tokens = config.get("maxOutputTokens") or config.get("max_output_tokens")
        finish = "STOP"
        if max_tokens and len(text.split()) > max_tokens:
            text, finish = " ".join(text.split()[:max_tokens]), "MAX_TOKENS"
        prompt_tokens = sum(len(t.split()) for t in texts) + (300 if any("[video" in t for t in texts) else 0)
        usage = {"promptTokenCount": prompt_tokens, "candidatesTokenCount": len(text.split()),
                 "totalTokenCount": prompt_tokens + len(text.split())}  # fmt: skip

        def answer(chunk: str, finish_reason: str | None) -> dict[str, Any]:
            candidate: dict[str, Any] = {"content": {"parts": [{"text": chunk}], "role": "model"}, "index": 0}
            if finish_reason:
                candidate["finishReason"] = finish_reason
            return {"candidates": [candidate], "usageMetadata": usage, "modelVersion": model,
                    "responseId": f"resp-{len(state.script.requests)}"}  # fmt: skip

        if method == "generateContent":
            return JSONResponse(answer(text, finish))

        async def sse() -> AsyncIterator[bytes]:
            words = text.split(" ")
            for i in range(0, len(words), 3):
                last = i + 3 >= len(words)
                piece = " ".join(words[i : i + 3]) + ("" if last else " ")
                yield f"data: {json.dumps(answer(piece, finish if last else None))}\r\n\r\n".encode()
                await asyncio.sleep(0)

        return StreamingResponse(sse(), media_type="text/event-stream")

    async def control_reset(request: Request) -> Response:
        state.reset()
        return JSONResponse({"ok": True})

    async def control_script(request: Request) -> Response:
        try:
            state.apply(await request.json())
        except (TypeError, ValueError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(state.script.describe())

    async def control_requests(request: Request) -> Response:
        return JSONResponse(state.script.requests)

    async def control_files(request: Request) -> Response:
        return JSONResponse({"files": [f"files/{f}" for f in state.files], "deleted": state.deleted})

    return Starlette(routes=[
        Route("/_fake/reset", control_reset, methods=["POST"]),
        Route("/_fake/script", control_script, methods=["POST"]),
        Route("/_fake/requests", control_requests, methods=["GET"]),
        Route("/_fake/files", control_files, methods=["GET"]),
        Route("/v1beta/models", list_models, methods=["GET"]),
        Route("/v1beta/models/{call}", generate, methods=["POST"]),
        Route("/upload/v1beta/files", upload, methods=["POST", "PUT"]),
        Route("/v1beta/files", list_files, methods=["GET"]),
        Route("/v1beta/files/{file_id}", get_file, methods=["GET", "DELETE"]),
    ])  # fmt: skip


class FakeGemini(FakeProcess):
    """`with FakeGemini() as fake:`; `fake.base_url` stands for https://generativelanguage.googleapis.com."""

    module = "tests.fakes.gemini_fake"

    def files(self) -> dict[str, list[str]]:
        """`{"files": [names still stored], "deleted": [names deleted]}`."""
        result: dict[str, list[str]] = self.control("GET", "files")
        return result


if __name__ == "__main__":
    serve_main(create_app)
