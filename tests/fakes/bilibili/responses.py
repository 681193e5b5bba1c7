"""Response shapes: Bilibili's JSON envelopes and a raw body sender for faults and throttling."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Any

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

MESSAGES = {
    -101: "账号未登录",
    -111: "csrf 校验失败",
    -352: "风控校验失败",
    -400: "请求错误",
    -403: "访问权限不足",
    -404: "啥都木有",
    -412: "请求被拦截",
    -500: "服务器错误",
    -503: "服务暂不可用",
    -504: "服务调用超时",
    -799: "请求过于频繁，请稍后再试",
    62002: "稿件不可见",
    62004: "稿件审核中",
    62012: "仅UP主自己可见",
    87008: "当前视频为充电专属视频，请先充电",
    86095: "refresh_csrf 错误或 refresh_token 与 cookie 不匹配",
}


class BiliJSON(Response):
    """JSON as the real API writes it: compact UTF-8, with `&`, `<`, `>` escaped as \\u00XX."""

    media_type = "application/json; charset=utf-8"

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e").encode()


def ok(data: Any) -> BiliJSON:
    return BiliJSON({"code": 0, "message": "0", "ttl": 1, "data": data})


def pgc_ok(result: Any) -> BiliJSON:
    return BiliJSON({"code": 0, "message": "success", "result": result})


def error(code: int, message: str | None = None, *, status: int = 200) -> BiliJSON:
    return BiliJSON({"code": code, "message": message or MESSAGES.get(code, str(code)), "ttl": 1}, status_code=status)


def voucher_response(code: int) -> BiliJSON:
    """-352 (or code 0) carrying a v_voucher, in the body and in x-bili-gaia-vvoucher."""
    voucher = f"voucher_{uuid.uuid4()}"
    body = {"code": code, "message": MESSAGES.get(code, "0"), "ttl": 1, "data": {"v_voucher": voucher}}
    return BiliJSON(body, headers={"x-bili-gaia-vvoucher": voucher})


def html(status: int, text: str) -> Response:
    return Response(f"<html><body><h1>{status} {text}</h1></body></html>", status, media_type="text/html")


class BodySender(Response):
    """Sends `body` by hand so it can be paced (`rate` bytes/s) or cut short (`cut_at` bytes).

    A cut body still declares the full Content-Length; returning without finishing the
    response makes the server close the connection, as a dropped CDN transfer does.
    """

    chunk_size = 64 * 1024

    def __init__(
        self,
        body: bytes | memoryview,
        status_code: int,
        headers: dict[str, str],
        *,
        rate: int = 0,
        cut_at: int | None = None,
        on_sent: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(b"", status_code, headers)
        self.headers["content-length"] = str(len(body))
        self.payload = memoryview(body)
        self.rate = rate
        self.cut_at = cut_at
        self.on_sent = on_sent

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        gone = asyncio.Event()

        async def watch_disconnect() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            gone.set()

        watcher = asyncio.create_task(watch_disconnect())
        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            if scope["method"] == "HEAD":
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            limit = len(self.payload) if self.cut_at is None else self.cut_at
            chunk = min(self.chunk_size, max(1024, self.rate // 10)) if self.rate else self.chunk_size
            sent = 0
            while sent < limit and not gone.is_set():
                piece = self.payload[sent : min(sent + chunk, limit)]
                await send({"type": "http.response.body", "body": bytes(piece), "more_body": True})
                sent += len(piece)
                if self.on_sent:
                    self.on_sent(len(piece))
                if self.rate:
                    await asyncio.sleep(len(piece) / self.rate)
            if self.cut_at is None and not gone.is_set():
                await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            watcher.cancel()
