"""A small origin server on 127.0.0.1 for the stream proxy's tests: files with Range, signed
URLs that expire, a slow file, an encrypted HLS made by ffmpeg, and a record of every request.

It runs under uvicorn on the test session's loop (`serve_upstream`)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from core.playback.proxy import parse_range

REFERER = "https://origin.example/watch"
FILE_SIZE = 3 * 1024 * 1024 + 123


@dataclass
class Origin:
    base_url: str = ""
    media: Path = Path()
    blob: bytes = b""
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    paths: Counter[str] = field(default_factory=Counter)
    revoked: set[str] = field(default_factory=set)

    def count(self, path: str) -> int:
        return self.paths[path]

    def seen_headers(self, path: str) -> list[dict[str, str]]:
        return [headers for seen, headers in self.requests if seen == path]


def make_hls(folder: Path) -> None:
    """Two seconds of video + tone as AES-128 HLS with one-second segments and a master list."""
    if (folder / "done").exists():
        return
    (folder / "v").mkdir(parents=True, exist_ok=True)
    (folder / "v" / "key.bin").write_bytes(bytes(range(16)))
    (folder / "keyinfo").write_text(f"key.bin\n{folder / 'v' / 'key.bin'}\n")
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=160x90:r=10:d=2",
         "-f", "lavfi", "-i", "sine=f=440:d=2", "-c:v", "libx264", "-g", "10", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-shortest", "-hls_time", "1", "-hls_list_size", "0",
         "-hls_key_info_file", str(folder / "keyinfo"), "-hls_segment_filename", str(folder / "v" / "seg%d.ts"),
         str(folder / "v" / "index.m3u8")],
        check=True, timeout=60,
    )  # fmt: skip
    (folder / "master.m3u8").write_text("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=300000,RESOLUTION=160x90\nv/index.m3u8\n")
    public = folder.parent / "public"
    public.mkdir(exist_ok=True)
    for name, extra in (("clip.mp4", ["-movflags", "+faststart"]), ("clip.flv", [])):
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=160x90:r=10:d=2", "-f", "lavfi",
             "-i", "sine=f=440:d=2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", *extra,
             str(public / name)],
            check=True, timeout=60,
        )  # fmt: skip
    (folder / "done").write_text("")


def create_app(origin: Origin) -> Starlette:
    def ranged(request: Request, data: bytes, content_type: str = "video/mp4") -> Response:
        wanted = parse_range(request.headers.get("range", ""), len(data))
        if wanted is False:
            return Response(b"", 416, {"content-range": f"bytes */{len(data)}"})
        headers = {"accept-ranges": "bytes", "content-type": content_type}
        if wanted is None:
            return Response(data, 200, headers)
        start, end = wanted  # type: ignore[misc]
        headers["content-range"] = f"bytes {start}-{end}/{len(data)}"
        return Response(data[start : end + 1], 206, headers)

    async def record(request: Request) -> None:
        origin.requests.append((request.url.path, dict(request.headers)))
        origin.paths[request.url.path] += 1

    async def file(request: Request) -> Response:
        await record(request)
        if request.headers.get("referer") != REFERER:
            return PlainTextResponse("no referer", 403)
        return ranged(request, origin.blob)

    async def signed(request: Request) -> Response:
        await record(request)
        expires = request.query_params.get("exp", "0")
        if int(expires) < time.time() or request.query_params.get("sig", "") in origin.revoked:
            return PlainTextResponse("expired", 403)
        return ranged(request, origin.blob)

    async def slow(request: Request) -> Response:
        await record(request)
        wanted = parse_range(request.headers.get("range", ""), len(origin.blob))
        start, end = wanted if isinstance(wanted, tuple) else (0, len(origin.blob) - 1)

        async def body():  # type: ignore[no-untyped-def]
            await asyncio.sleep(0.4)
            for offset in range(start, end + 1, 65536):
                yield origin.blob[offset : min(end + 1, offset + 65536)]

        headers = {"content-length": str(end - start + 1), "content-range": f"bytes {start}-{end}/{len(origin.blob)}"}
        return StreamingResponse(body(), 206, headers, media_type="video/mp4")

    async def hls(request: Request) -> Response:
        await record(request)
        if request.headers.get("referer") != REFERER:
            return PlainTextResponse("no referer", 403)
        path = (origin.media / "hls" / request.path_params["path"]).resolve()
        if not path.is_relative_to(origin.media / "hls") or not path.is_file():
            return PlainTextResponse("not found", 404)
        kind = "application/vnd.apple.mpegurl" if path.suffix == ".m3u8" else "video/mp2t"
        return FileResponse(path, media_type=kind)

    async def public(request: Request) -> Response:
        await record(request)
        path = origin.media / "public" / request.path_params["name"]
        if not path.is_file():
            return PlainTextResponse("not found", 404)
        kind = "video/x-flv" if path.suffix == ".flv" else "video/mp4"
        return ranged(request, path.read_bytes(), kind)

    async def public_hls(request: Request) -> Response:
        await record(request)
        path = (origin.media / "hls" / request.path_params["path"]).resolve()
        if not path.is_relative_to(origin.media / "hls") or not path.is_file():
            return PlainTextResponse("not found", 404)
        kind = "application/vnd.apple.mpegurl" if path.suffix == ".m3u8" else "video/mp2t"
        return FileResponse(path, media_type=kind)

    async def live(request: Request) -> Response:
        await record(request)
        return PlainTextResponse(
            "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:7\n#EXTINF:1.0,\nseg7.ts\n#EXTINF:1.0,\nseg8.ts\n",
            media_type="application/vnd.apple.mpegurl")  # fmt: skip

    async def rolling(request: Request) -> Response:
        """A live playlist that moves on by one segment at every fetch."""
        await record(request)
        first = origin.count("/rolling/index.m3u8")
        lines = ["#EXTM3U", "#EXT-X-TARGETDURATION:1", f"#EXT-X-MEDIA-SEQUENCE:{first}"]
        for n in range(first, first + 3):
            lines += ["#EXTINF:1.0,", f"seg{n}.ts"]
        return PlainTextResponse("\n".join(lines) + "\n", media_type="application/vnd.apple.mpegurl")

    async def signed_hls(request: Request) -> Response:
        """Master, variant and segments all signed with `sig`, refused once it is revoked."""
        await record(request)
        sig = request.query_params.get("sig", "")
        if sig in origin.revoked:
            return PlainTextResponse("expired", 403)
        name = request.path_params["name"]
        kind = "application/vnd.apple.mpegurl"
        if name == "master.m3u8":
            return PlainTextResponse(f"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8?sig={sig}\n", media_type=kind)
        if name == "v.m3u8":
            body = "".join(f"#EXTINF:1.0,\nseg{n}.ts?sig={sig}\n" for n in (0, 1))
            return PlainTextResponse(f"#EXTM3U\n#EXT-X-TARGETDURATION:1\n{body}#EXT-X-ENDLIST\n", media_type=kind)
        return Response(f"segment {name}".encode(), media_type="video/mp2t")

    async def page(request: Request) -> Response:
        await record(request)
        return Response("<html><body>not a video</body></html>", 200, media_type="text/html")

    async def anything(request: Request) -> Response:
        await record(request)
        return PlainTextResponse("you should never see this", 200)

    return Starlette(routes=[
        Route("/files/{name}", file, methods=["GET", "HEAD"]),
        Route("/signed/{name}", signed, methods=["GET", "HEAD"]),
        Route("/slow/{name}", slow),
        Route("/hls/{path:path}", hls),
        Route("/public/{name}", public, methods=["GET", "HEAD"]),
        Route("/open-hls/{path:path}", public_hls),
        Route("/live/index.m3u8", live),
        Route("/rolling/index.m3u8", rolling),
        Route("/signed-hls/{name}", signed_hls),
        Route("/page.html", page),
        Route("/{path:path}", anything),
    ])  # fmt: skip


async def serve_upstream(media: Path) -> tuple[Origin, uvicorn.Server, asyncio.Task[None]]:
    origin = Origin(media=media, blob=os.urandom(FILE_SIZE))
    make_hls(media / "hls")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    origin.base_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    config = uvicorn.Config(create_app(origin), log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[listener]))
    while not server.started:
        await asyncio.sleep(0.01)
    return origin, server, task
