"""A fake gpt-load v1.x admin API on 127.0.0.1 (`python -m tests.fakes.gpt_load_fake --port 0`).

Follows ai-reports.md §3a: admin auth with `AUTH_KEY` (`Authorization: Bearer`, `X-Api-Key` or
`?key=`), answers `{"code":0,"message":"Success","data":…}` or `{"code":"<STRING>","message":…}`.
- `GET /health`; `GET|POST /api/groups`, `GET /api/groups/list`, `PUT|DELETE /api/groups/{id}`;
- `GET|POST /api/groups/{id}/sub-groups {sub_groups:[{group_id, weight}]}` (aggregate groups over
  standard groups of the same channel type, weights 0-1000);
- `POST /api/keys/add-multiple {group_id, keys_text}`, `GET /api/keys?group_id=`.
Group bodies are validated as gpt-load does: name `^[a-z0-9_-]{1,100}$` and unique, `upstreams`
with http(s) URLs and one weight > 0, `channel_type` among openai/openai-response/gemini/anthropic,
`test_model` required for a standard group, `validation_endpoint` starting with "/".

Control: `/_fake/reset`, `/_fake/script` (knob `faults`: `[{"path": "/api/keys/add-multiple",
"status": 500, "times": 1}]`), `/_fake/requests`, `GET /_fake/groups` (groups with their keys).
"""

from __future__ import annotations

import re
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.fault_script import FaultScript
from tests.fakes.loopback_server import FakeProcess, serve_main

AUTH_KEY = "gptload-admin-secret"
GROUP_NAME = re.compile(r"^[a-z0-9_-]{1,100}$")
CHANNEL_TYPES = {"openai", "openai-response", "gemini", "anthropic"}


class GptLoadState:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.script = FaultScript()
        self.groups: dict[int, dict[str, Any]] = {}
        self.keys: dict[int, list[str]] = {}
        self.subs: dict[int, dict[int, int]] = {}  # aggregate group → {sub-group id: weight}
        self.next_id = 1


def _ok(data: Any = None) -> Response:
    return JSONResponse({"code": 0, "message": "Success", "data": data})


def _fail(status: int, code: str, message: str) -> Response:
    return JSONResponse({"code": code, "message": message}, status_code=status)


def _validate_group(body: dict[str, Any], existing: dict[int, dict[str, Any]], own_id: int | None) -> str:
    name = body.get("name", "")
    if not GROUP_NAME.match(name or ""):
        return "无效的分组名称。只能包含小写字母、数字、中划线或下划线，长度1-100位"
    if any(g["name"] == name and gid != own_id for gid, g in existing.items()):
        return "分组名称已存在"
    group_type = body.get("group_type") or "standard"
    if group_type not in ("standard", "aggregate"):
        return "invalid group_type"
    if group_type == "standard":
        upstreams = body.get("upstreams") or []
        if not upstreams or any(not str(u.get("url", "")).startswith(("http://", "https://")) for u in upstreams):
            return "上游地址格式错误"
        if any(float(u.get("weight", 0)) < 0 for u in upstreams) or not any(
            float(u.get("weight", 0)) > 0 for u in upstreams
        ):
            return "至少需要一个权重大于0的上游"
        if not body.get("test_model"):
            return "测试模型不能为空"
    if body.get("channel_type") not in CHANNEL_TYPES:
        return f"invalid channel_type {body.get('channel_type')!r}"
    endpoint = body.get("validation_endpoint")
    if endpoint and not str(endpoint).startswith("/"):
        return "验证端点必须以 / 开头"
    if group_type == "aggregate" and body.get("model_redirect_rules"):
        return "聚合分组不支持模型重定向"
    return ""


def create_app(base_url: str) -> Starlette:
    state = GptLoadState()

    async def gate(request: Request) -> Response | None:
        auth = request.headers.get("authorization", "")
        key = (auth[7:] if auth.lower().startswith("bearer ") else "") or request.headers.get("x-api-key", "") \
            or request.query_params.get("key", "")  # fmt: skip
        body: Any = None
        if request.method in ("POST", "PUT"):
            body = await request.json()
        state.script.record(request.method, request.url.path, "admin" if key == AUTH_KEY else key, body=body)
        if key != AUTH_KEY:
            return _fail(401, "UNAUTHORIZED", "Authentication failed")
        fault = state.script.fault_for(request.url.path, "admin")
        if fault is not None:
            return _fail(fault.status, "INTERNAL_SERVER", fault.message or "database error")
        return None

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "healthy", "uptime": "1s"})

    async def groups(request: Request) -> Response:
        refused = await gate(request)
        if refused is not None:
            return refused
        if request.method == "GET":
            return _ok(list(state.groups.values()))
        body = await request.json()
        problem = _validate_group(body, state.groups, None)
        if problem:
            return _fail(400, "VALIDATION_ERROR", problem)
        group_id = state.next_id
        state.next_id += 1
        group = {"id": group_id, "group_type": "standard", "sort": 0, **body}
        state.groups[group_id] = group
        state.keys[group_id] = []
        return _ok(group)

    async def group_by_id(request: Request) -> Response:
        refused = await gate(request)
        if refused is not None:
            return refused
        group_id = int(request.path_params["group_id"])
        if group_id not in state.groups:
            return _fail(404, "NOT_FOUND", "Group not found")
        if request.method == "DELETE":
            del state.groups[group_id]
            state.keys.pop(group_id, None)
            state.subs.pop(group_id, None)
            for members in state.subs.values():
                members.pop(group_id, None)
            return _ok(None)
        body = {**state.groups[group_id], **(await request.json())}
        problem = _validate_group(body, state.groups, group_id)
        if problem:
            return _fail(400, "VALIDATION_ERROR", problem)
        state.groups[group_id] = body
        return _ok(body)

    async def sub_groups(request: Request) -> Response:
        refused = await gate(request)
        if refused is not None:
            return refused
        group_id = int(request.path_params["group_id"])
        group = state.groups.get(group_id)
        if group is None:
            return _fail(404, "NOT_FOUND", "Group not found")
        members = state.subs.setdefault(group_id, {})
        if request.method == "GET":
            return _ok([{"group_id": gid, "weight": w} for gid, w in members.items()])
        if group.get("group_type") != "aggregate":
            return _fail(400, "VALIDATION_ERROR", "只有聚合分组才能添加子分组")
        for item in (await request.json()).get("sub_groups") or []:
            sub = state.groups.get(int(item.get("group_id") or 0))
            weight = int(item.get("weight", -1))
            if sub is None or sub.get("group_type") == "aggregate":
                return _fail(400, "VALIDATION_ERROR", "子分组必须是标准分组")
            if sub.get("channel_type") != group.get("channel_type"):
                return _fail(400, "VALIDATION_ERROR", "子分组的渠道类型必须与聚合分组一致")
            if not 0 <= weight <= 1000:
                return _fail(400, "VALIDATION_ERROR", "权重必须在0-1000之间")
            if sub["id"] in members:
                return _fail(400, "VALIDATION_ERROR", "子分组已存在")
            members[sub["id"]] = weight
        return _ok([{"group_id": gid, "weight": w} for gid, w in members.items()])

    async def add_keys(request: Request) -> Response:
        refused = await gate(request)
        if refused is not None:
            return refused
        body = await request.json()
        group_id = int(body.get("group_id") or 0)
        if group_id not in state.groups:
            return _fail(404, "NOT_FOUND", "Group not found")
        new = [k.strip() for k in re.split(r"[\n,]", body.get("keys_text", "")) if k.strip()]
        added = [k for k in new if k not in state.keys[group_id]]
        state.keys[group_id].extend(added)
        return _ok({"added_count": len(added), "ignored_count": len(new) - len(added),
                    "total_in_group": len(state.keys[group_id])})  # fmt: skip

    async def list_keys(request: Request) -> Response:
        refused = await gate(request)
        if refused is not None:
            return refused
        group_id = int(request.query_params.get("group_id") or 0)
        items = [{"id": i, "key_value": k, "status": "active"} for i, k in enumerate(state.keys.get(group_id, []))]
        return _ok({"items": items, "pagination": {"page": 1, "page_size": 100, "total_items": len(items)}})

    async def control_reset(request: Request) -> Response:
        state.reset()
        return JSONResponse({"ok": True})

    async def control_script(request: Request) -> Response:
        knobs = await request.json()
        state.script.apply(knobs)
        if knobs:
            return JSONResponse({"error": f"unknown knobs: {sorted(knobs)}"}, status_code=400)
        return JSONResponse(state.script.describe())

    async def control_requests(request: Request) -> Response:
        return JSONResponse(state.script.requests)

    async def control_groups(request: Request) -> Response:
        return JSONResponse([{**g, "keys": state.keys.get(gid, []), "sub_groups": state.subs.get(gid, {})}
                             for gid, g in state.groups.items()])  # fmt: skip

    return Starlette(routes=[
        Route("/_fake/reset", control_reset, methods=["POST"]),
        Route("/_fake/script", control_script, methods=["POST"]),
        Route("/_fake/requests", control_requests, methods=["GET"]),
        Route("/_fake/groups", control_groups, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/api/groups", groups, methods=["GET", "POST"]),
        Route("/api/groups/list", groups, methods=["GET"]),
        Route("/api/groups/{group_id:int}", group_by_id, methods=["PUT", "DELETE"]),
        Route("/api/groups/{group_id:int}/sub-groups", sub_groups, methods=["GET", "POST"]),
        Route("/api/keys/add-multiple", add_keys, methods=["POST"]),
        Route("/api/keys", list_keys, methods=["GET"]),
    ])  # fmt: skip


class FakeGptLoad(FakeProcess):
    """`with FakeGptLoad() as fake:`; admin key `FakeGptLoad.AUTH_KEY`."""

    module = "tests.fakes.gpt_load_fake"
    AUTH_KEY = AUTH_KEY

    def groups(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.control("GET", "groups")
        return result


if __name__ == "__main__":
    serve_main(create_app)
