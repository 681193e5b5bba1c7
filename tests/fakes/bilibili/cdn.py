"""The CDN side: DASH/durl media, cover and avatar images, subtitle bodies, comment XML, b23.

Media quirks (§3.5): 403 without a Referer under bilibili.com or without a User-Agent; HEAD
on m4s answers 404 (probe with `Range: bytes=0-0`); Range gives 206 + Content-Range; URLs
carry a signed `deadline` and stop working after it, or after `expire_media_urls`.
"""

from __future__ import annotations

import re
import time

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from tests.fakes.bilibili.api import danmaku_xml
from tests.fakes.bilibili.media import MediaFile
from tests.fakes.bilibili.playurl import AUDIO_FILES, CODEC_FILE_BASE, PROGRESSIVE_FILE
from tests.fakes.bilibili.responses import BiliJSON, BodySender, html
from tests.fakes.bilibili.routing import Call, api_route, cut_short, is_bilibili_url, run_faults
from tests.fakes.bilibili.state import FakeState

MEDIA_NAME = re.compile(r"(?P<cid>\d+)-1-(?P<number>\d+)\.(?P<ext>m4s|mp4)")
RANGE = re.compile(r"bytes=(?P<start>\d*)-(?P<end>\d*)")


def media_file(state: FakeState, number: int, extension: str) -> MediaFile | None:
    if extension == "mp4":
        return state.media.progressive if number == PROGRESSIVE_FILE else None
    if number in AUDIO_FILES:
        return state.media.audio.get(AUDIO_FILES[number])
    for codec, base in CODEC_FILE_BASE.items():
        if base < number < base + 1000:
            return state.media.video.get(codec)
    return None


def url_is_valid(state: FakeState, request: Request, canonical_path: str) -> bool:
    query = request.query_params
    deadline, trid, signature = query.get("deadline", ""), query.get("trid", ""), query.get("upsig", "")
    if not (deadline.isdigit() and len(trid) > 16) or signature != state.media_signature(
        canonical_path, deadline, trid
    ):
        return False
    if int(deadline) < time.time():
        return False
    return int(trid[:16], 16) > state.knobs.media_expired_through


def byte_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(start, end) inclusive; None = serve the whole body; False = unsatisfiable."""
    match = RANGE.fullmatch(header.strip())
    if match is None or not (match["start"] or match["end"]):
        return None
    if match["start"]:
        start = int(match["start"])
        end = min(int(match["end"]), size - 1) if match["end"] else size - 1
    else:
        start, end = max(0, size - int(match["end"])), size - 1
        if int(match["end"]) == 0:
            return False
    if start >= size or start > end:
        return False
    return start, end


def media_route(state: FakeState, prefix: str, category: str) -> Route:
    async def serve(request: Request) -> Response:
        counters = state.counters
        counters.media_requests += 1
        counters.media_paths[request.url.path] += 1
        response = await answer(request)
        counters.media_statuses[str(response.status_code)] += 1
        return response

    async def answer(request: Request) -> Response:
        forced, rules = await run_faults(state, category, category)
        if forced is not None:
            return forced
        if not request.headers.get("user-agent") or not is_bilibili_url(request.headers.get("referer", "")):
            return html(403, "Forbidden")
        name = MEDIA_NAME.fullmatch(request.path_params["name"])
        file = media_file(state, int(name["number"]), name["ext"]) if name else None
        if name is None or file is None:
            return html(404, "Not Found")
        if request.method == "HEAD" and name["ext"] == "m4s":
            return html(404, "Not Found")
        if not url_is_valid(state, request, request.url.path.removeprefix("/backup")):
            return html(403, "Forbidden")
        headers = {
            "content-type": file.mime_type,
            "accept-ranges": "bytes",
            "cache-control": "max-age=7200",
            "access-control-allow-origin": "https://www.bilibili.com",
            "etag": f'"{file.name}-{file.size}"',
        }
        wanted = byte_range(request.headers.get("range", ""), file.size)
        if wanted is False:
            return Response(b"", 416, {"content-range": f"bytes */{file.size}"})
        if wanted is None:
            status, start, end = 200, 0, file.size - 1
        else:
            assert isinstance(wanted, tuple)
            status, (start, end) = 206, wanted
            headers["content-range"] = f"bytes {start}-{end}/{file.size}"
        body = memoryview(file.data)[start : end + 1]
        truncate = next((rule for rule in rules if rule.kind == "truncate"), None)
        return BodySender(
            body,
            status,
            headers,
            rate=state.knobs.media_throttle,
            cut_at=int(len(body) * truncate.fraction) if truncate else None,
            on_sent=lambda count: setattr(state.counters, "media_bytes", state.counters.media_bytes + count),
        )

    return Route(prefix + "/upgcxcode/{a}/{b}/{cid}/{name}", serve, methods=["GET", "HEAD"])


def image_route(state: FakeState, folder: str, face: bool) -> Route:
    async def serve(request: Request) -> Response:
        state.counters.image_requests += 1
        forced, rules = await run_faults(state, "image", "image")
        if forced is not None:
            return forced
        referer = request.headers.get("referer", "")
        if referer and not is_bilibili_url(referer):
            return html(403, "Forbidden")  # hotlink protection: foreign Referers only
        if not request.path_params["name"].endswith(".jpg"):
            return html(404, "Not Found")
        body = state.media.face_jpeg if face else state.media.cover_jpeg
        return cut_short(Response(body, media_type="image/jpeg"), rules)

    return Route(f"/bfs/{folder}/{{name}}", serve, methods=["GET", "HEAD"])


def subtitle_route(state: FakeState, folder: str, ai: bool) -> Route:
    async def serve(request: Request) -> Response:
        state.counters.subtitle_requests += 1
        forced, rules = await run_faults(state, "subtitle", "subtitle")
        if forced is not None:
            return forced
        name = request.path_params["name"]
        subtitle_id = int(name.removesuffix(".json")) if name.removesuffix(".json").isdigit() else 0
        subtitle = state.world.subtitle_by_id(subtitle_id)
        if subtitle is None or subtitle.is_ai != ai:
            return html(404, "Not Found")
        body = {
            "font_size": 0.4,
            "font_color": "#FFFFFF",
            "background_alpha": 0.5,
            "background_color": "#9C27B0",
            "Stroke": "none",
            "type": "AIsubtitle" if ai else "",
            "lang": subtitle.lan,
            "version": "v1.6.0.4",
            "body": [
                {"from": start, "to": end, "sid": index, "location": 2, "content": content, "music": 0.0}
                for index, (start, end, content) in enumerate(subtitle.cues, start=1)
            ],
        }
        return cut_short(BiliJSON(body), rules)

    return Route(f"/bfs/{folder}/{{name}}", serve)


async def comment_xml(call: Call) -> Response:
    return danmaku_xml(call.state, int(call.request.path_params["cid"]))


async def b23_redirect(call: Call) -> Response:
    location = call.state.world.b23.get(call.request.path_params["code"])
    if location is None:
        return html(404, "Not Found")
    return RedirectResponse(location, status_code=302)


def routes(state: FakeState) -> list[Route]:
    """CDN routes; `b23` must come last because it matches any one-segment path."""
    return [
        media_route(state, "", "cdn"),
        media_route(state, "/backup", "backup"),
        image_route(state, "archive", face=False),
        image_route(state, "face", face=True),
        subtitle_route(state, "subtitle", ai=False),
        subtitle_route(state, "ai_subtitle", ai=True),
        api_route(state, "/{cid:int}.xml", comment_xml, counter="comment.xml"),
        api_route(state, "/{code}", b23_redirect, counter="b23", methods=("GET", "HEAD")),
    ]
