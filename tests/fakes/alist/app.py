"""The fake Alist v3 / OpenList v4 as a Starlette app: the `/api` JSON envelope (HTTP 200 with
the status in `code`), raw-token auth, hashed login, guest access, paging with `content: null`
for empty folders, `fs/get` with `raw_url` and `related`, folder passwords, search that needs
an index, and signed `/d` and `/p` downloads with Range."""

from __future__ import annotations

import asyncio
import re
from typing import Any
from urllib.parse import quote, unquote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.fakes.alist.media import AlistMedia
from tests.fakes.alist.state import PASSWORD, USER, FakeState, Node, file_type, hashed, sign


def envelope(code: int = 200, message: str = "success", data: Any = None) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "data": data})


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _count(state: FakeState, request: Request) -> None:
    key = request.url.path
    state.calls[key] = state.calls.get(key, 0) + 1


def _auth(state: FakeState, request: Request) -> JSONResponse | str:
    """The user a request acts as ("guest" without a token), or the error envelope."""
    token = request.headers.get("Authorization", "")
    if not token:
        return "guest" if state.knobs.guest else envelope(401, "Guest user is disabled, login please")
    if not token.startswith("eyJ"):
        return envelope(401, "that's not even a token")
    if token not in state.tokens:
        return envelope(401, "token is invalidated")
    return USER


def routes(state: FakeState) -> list[Route]:
    wrong_login = {"alist": (400, "password is incorrect"), "openlist": (401, "Invalid username or password")}

    async def login(request: Request, *, hashed_form: bool) -> Response:
        _count(state, request)
        body = await _body(request)
        if not body.get("username"):
            return envelope(400, "Key: 'LoginReq.Username' Error:Field validation for 'Username' failed")
        expected = hashed(PASSWORD) if hashed_form else PASSWORD
        if body["username"] != USER or body.get("password") != expected:
            return envelope(*wrong_login[state.knobs.flavour])
        state.logins += 1
        return envelope(data={"token": state.new_token()})

    async def login_plain(request: Request) -> Response:
        return await login(request, hashed_form=False)

    async def login_hash(request: Request) -> Response:
        if not state.knobs.hash_login:
            return Response("404 page not found", status_code=404, media_type="text/plain")
        return await login(request, hashed_form=True)

    async def me(request: Request) -> Response:
        _count(state, request)
        user = _auth(state, request)
        if isinstance(user, Response):
            return user
        role = 1 if user == "guest" else 0
        return envelope(data={"id": 1 + role, "username": user, "password": "", "base_path": "/", "role": role,
                              "disabled": False, "permission": 0, "sso_id": "", "otp": False})  # fmt: skip

    async def public_settings(request: Request) -> Response:
        openlist = state.knobs.flavour == "openlist"
        return envelope(data={"site_title": "OpenList" if openlist else "AList",
                              "version": "v4.2.5" if openlist else "v3.38.0", "allow_indexed": "false"})  # fmt: skip

    def _guard(path: str, password: str) -> JSONResponse | None:
        needed = state.meta_password(path)
        if needed and password != needed:
            return envelope(403, "password is incorrect or you have no permission")
        return None

    async def fs_list(request: Request) -> Response:
        _count(state, request)
        user = _auth(state, request)
        if isinstance(user, Response):
            return user
        body = await _body(request)
        path = "/" + str(body.get("path") or "/").strip("/")
        if refused := _guard(path, str(body.get("password") or "")):
            return refused
        node = state.find(path)
        if node is None or not node.is_dir:
            return envelope(500, "failed get objs: object not found")
        children = [child.item(path) for child in sorted(node.children.values(), key=lambda n: (not n.is_dir, n.name))]
        page, per_page = max(int(body.get("page") or 1), 1), int(body.get("per_page") or 0)
        shown: list[dict[str, Any]] | None = children
        if per_page >= 1:
            shown = children[(page - 1) * per_page : page * per_page]
        if not children:
            shown = None  # Go's nil slice
        provider = "unknown" if state.knobs.flavour == "openlist" else "Local"
        return envelope(data={"content": shown, "total": len(children), "readme": "", "header": "",
                              "write": False, "provider": provider})  # fmt: skip

    async def fs_get(request: Request) -> Response:
        _count(state, request)
        user = _auth(state, request)
        if isinstance(user, Response):
            return user
        body = await _body(request)
        path = "/" + str(body.get("path") or "/").strip("/")
        if refused := _guard(path, str(body.get("password") or "")):
            return refused
        node = state.find(path)
        if node is None:
            return envelope(500, "failed get objs: object not found")
        parent = path.rsplit("/", 1)[0] or "/"
        data = node.item(parent)
        data["type"] = file_type(node.name, False)  # fs/get types a folder by its extension too
        data["raw_url"] = "" if node.is_dir else f"{state.base_url}/p{quote(path)}?sign={sign(path)}"
        data.update(readme="", header="", provider="Local")
        related = None
        if not node.is_dir:
            stem = node.name.rsplit(".", 1)[0]
            folder = state.find(parent)
            siblings = [c for c in (folder.children.values() if folder else []) if c.name != node.name]
            related = [c.item(parent) for c in siblings if c.name.startswith(stem)] or None
        data["related"] = related
        return envelope(data=data)

    async def fs_search(request: Request) -> Response:
        _count(state, request)
        user = _auth(state, request)
        if isinstance(user, Response):
            return user
        body = await _body(request)
        if int(body.get("page") or 0) < 1 or int(body.get("per_page") or 0) < 1:
            return envelope(400, "page can't < 1")
        if not state.knobs.search_index:
            return envelope(500, "search not available")
        parent = "/" + str(body.get("parent") or "/").strip("/")
        words = str(body.get("keywords") or "").lower()
        scope = int(body.get("scope") or 0)
        found: list[dict[str, Any]] = []

        def walk(node: Node, path: str) -> None:
            for child in node.children.values():
                child_path = path.rstrip("/") + "/" + child.name
                if child.is_dir and child.password:
                    continue  # search drops what a folder password protects
                wanted = scope == 0 or (scope == 1) == child.is_dir
                if words in child.name.lower() and wanted:
                    found.append({"parent": path, "name": child.name, "is_dir": child.is_dir,
                                  "size": 0 if child.is_dir else len(child.data),
                                  "type": file_type(child.name, child.is_dir)})  # fmt: skip
                if child.is_dir:
                    walk(child, child_path)

        start = state.find(parent)
        if start is not None and start.is_dir:
            walk(start, parent)
        page, per_page = int(body["page"]), int(body["per_page"])
        return envelope(data={"content": found[(page - 1) * per_page : page * per_page], "total": len(found)})

    async def download(request: Request) -> Response:
        path = unquote(request.path_params["path"])
        path = "/" + path.strip("/")
        if request.query_params.get("sign", "") != sign(path):
            if state.knobs.flavour == "openlist":
                return HTMLResponse("<html><body><h1>401</h1><p>sign invalid</p></body></html>", status_code=401)
            return envelope(401, "sign invalid")
        node = state.find(path)
        if node is None or node.is_dir:
            return envelope(500, "failed get objs: object not found")
        state.downloads.append({"path": path, "range": request.headers.get("Range", ""),
                                "user_agent": request.headers.get("User-Agent", "")})  # fmt: skip
        data, size = node.data, len(node.data)
        start, end, status = 0, size - 1, 200
        headers = {"Accept-Ranges": "bytes", "Content-Type": "video/mp4" if node.name.endswith(".mp4") else
                   "application/octet-stream",
                   "Content-Disposition": f"attachment; filename*=UTF-8''{quote(node.name)}",
                   "Last-Modified": node.modified.strftime("%a, %d %b %Y %H:%M:%S GMT")}  # fmt: skip
        if match := re.fullmatch(r"bytes=(\d*)-(\d*)", request.headers.get("Range", "")):
            first, last = match.groups()
            if first:
                start, end = int(first), min(int(last), size - 1) if last else size - 1
            else:
                start, end = max(size - int(last or 0), 0), size - 1
            if start >= size or start > end:
                return Response(status_code=416, headers={"Content-Range": f"bytes */{size}"})
            status = 206
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        headers["Content-Length"] = str(end - start + 1)
        if request.method == "HEAD":
            return Response(status_code=status, headers=headers)
        chunk = data[start : end + 1]
        rate = state.knobs.rate
        if not rate:
            return Response(chunk, status_code=status, headers=headers)

        async def trickle() -> Any:
            step = max(rate // 10, 1)
            for offset in range(0, len(chunk), step):
                yield chunk[offset : offset + step]
                await asyncio.sleep(0.1)

        return StreamingResponse(trickle(), status_code=status, headers=headers)

    api = ["GET", "POST", "PUT"]
    return [
        Route("/api/auth/login", login_plain, methods=["POST"]),
        Route("/api/auth/login/hash", login_hash, methods=["POST"]),
        Route("/api/me", me, methods=["GET"]),
        Route("/api/public/settings", public_settings, methods=["GET"]),
        Route("/api/fs/list", fs_list, methods=api),
        Route("/api/fs/get", fs_get, methods=api),
        Route("/api/fs/search", fs_search, methods=api),
        Route("/d/{path:path}", download, methods=["GET", "HEAD"]),
        Route("/p/{path:path}", download, methods=["GET", "HEAD"]),
    ]


def control_routes(state: FakeState) -> list[Route]:
    async def reset(request: Request) -> Response:
        state.reset()
        return JSONResponse({"ok": True})

    async def knobs(request: Request) -> Response:
        for key, value in (await _body(request)).items():
            if not hasattr(state.knobs, key):
                return JSONResponse({"error": f"no knob {key!r}"}, status_code=400)
            setattr(state.knobs, key, value)
        return JSONResponse({"knobs": vars(state.knobs)})

    async def restart(request: Request) -> Response:
        state.restart()
        return JSONResponse({"ok": True})

    async def put(request: Request) -> Response:
        body = await _body(request)
        state.put(body["path"], body.get("media", "clip"), body.get("text"))
        return JSONResponse({"ok": True})

    async def remove(request: Request) -> Response:
        state.remove((await _body(request))["path"])
        return JSONResponse({"ok": True})

    async def show(request: Request) -> Response:
        return JSONResponse({"calls": state.calls, "logins": state.logins, "downloads": state.downloads,
                             "tokens": len(state.tokens)})  # fmt: skip

    return [
        Route("/_fake/reset", reset, methods=["POST"]),
        Route("/_fake/knobs", knobs, methods=["POST"]),
        Route("/_fake/restart", restart, methods=["POST"]),
        Route("/_fake/put", put, methods=["POST"]),
        Route("/_fake/remove", remove, methods=["POST"]),
        Route("/_fake/state", show, methods=["GET"]),
    ]


def create_app(base_url: str, media: AlistMedia) -> Starlette:
    state = FakeState(base_url, media)
    app = Starlette(routes=control_routes(state) + routes(state))
    app.state.fake = state
    return app
