"""A short link counts only when it leads to a Bilibili link: a redirect elsewhere, even to a
path shaped like a favorites folder, is refused and adds nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core.config import load_config
from core.errors import LinkError
from core.providers.bilibili.provider import BilibiliProvider

pytestmark = pytest.mark.timeout(30)

TARGETS = {
    "/Evil001": "https://evil.example/1/favlist?fid=2",
    "/Evil002": "javascript://space.bilibili.com/1/favlist?fid=2",
    "/Evil003": "https://space.bilibili.com.evil.com/1/favlist?fid=2",
    "/Good001": "https://space.bilibili.com/1/favlist?fid=2",
}


class _Redirects(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        self.send_response(302)
        self.send_header("Location", TARGETS.get(self.path, "/"))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="module")
def short_host() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Redirects)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("code", ["Evil001", "Evil002", "Evil003"])
async def test_a_short_link_leading_outside_bilibili_is_refused(tmp_path: Path, short_host: str, code: str) -> None:
    config = load_config(tmp_path / "c.toml", data_dir=tmp_path, environ={},
                         overrides={"bilibili.b23_host": short_host})  # fmt: skip
    provider = BilibiliProvider(config)
    session = await provider.open_session(None)
    try:
        with pytest.raises(LinkError, match="leads outside Bilibili"):
            await provider.resolve_link(session, f"https://b23.tv/{code}")
        target = await provider.resolve_link(session, "https://b23.tv/Good001")
    finally:
        await session.aclose()
    assert target.locator == "fav:2"
