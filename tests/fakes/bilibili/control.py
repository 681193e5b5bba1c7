"""The `/_fake/...` control API used by tests (never counted, never faulted).

- `POST /_fake/reset`: default world, default login only, knobs cleared, counters zeroed.
- `POST /_fake/scenario`: JSON knobs, see scenario.py.
- `GET /_fake/state`: counters, knobs, QR keys and sessions.
- `POST /_fake/world/{operation}` with a JSON body:
  `add_video {target, video}` → `{bvid, aid, cids}`; `add_page {bvid, part, duration}` → `{cid}`;
  `remove_item {target, bvid}`; `delete_video {bvid}`; `set_charge_only {bvid, value}`;
  `update_video {bvid, fields}`; `set_vip {value}`;
  `add_favorite_folder {title, private}` → `{media_id, fid}` (an empty folder of the account).
  `target` is a list key: `fav:ID`, `season:MID:SID`, `series:MID:SID`, `up:MID`, `watchlater`.
- `POST /_fake/qr/{scan|confirm|expire}` with `{key}`.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.bilibili.scenario import ScenarioError, apply_scenario
from tests.fakes.bilibili.state import FakeState
from tests.fakes.bilibili.world import UP_A_MID, Collection, FavFolder, ListEntry, Upper, Video, World

UPDATABLE_FIELDS = {
    "title": str,
    "desc": str,
    "pubdate": int,
    "view_code": int,
    "deleted": bool,
    "charge_only": bool,
    "durl_only": bool,
    "silent": bool,
    "dolby": bool,
    "hires": bool,
    "in_space": bool,
}


QR_ACTIONS = {"scan": "scanned", "confirm": "confirmed", "expire": "expired"}


class ControlError(ValueError):
    pass


def video_of(world: World, bvid: str) -> Video:
    video = world.videos.get(bvid)
    if video is None:
        raise ControlError(f"no video {bvid}")
    return video


def collection_of(world: World, target: str) -> Collection:
    kind, mid, list_id = target.split(":")
    collections = world.seasons if kind == "season" else world.series
    collection = collections.get(int(list_id))
    if collection is None or collection.mid != int(mid):
        raise ControlError(f"no list {target}")
    return collection


def add_video(world: World, target: str, spec: dict[str, Any]) -> Video:
    now = int(time.time())
    kind = target.split(":")[0]
    existing = world.videos.get(str(spec.get("bvid", "")))
    if kind == "up":
        mid = int(target.split(":")[1])
        world.uppers.setdefault(mid, Upper(mid, f"UP主{mid}"))
        spec = {**spec, "owner": mid}
    elif kind in ("season", "series"):
        collection = collection_of(world, target)
        spec = {"owner": collection.mid, **spec}
    elif kind == "fav":
        if int(target.split(":")[1]) not in world.favorites:
            raise ControlError(f"no list {target}")
    elif target != "watchlater":
        raise ControlError(f"unknown target {target!r}")
    video = existing or world.new_video({"pubdate": now, **spec}, default_owner=UP_A_MID)
    added = int(spec.get("added", now))
    if kind == "up":
        video.in_space = True
    elif kind in ("season", "series"):
        collection_of(world, target).bvids.append(video.bvid)
    elif kind == "fav":
        world.favorites[int(target.split(":")[1])].entries.append(ListEntry(video.bvid, added))
    else:
        world.watch_later.append(ListEntry(video.bvid, added))
    return video


def remove_item(world: World, target: str, bvid: str) -> None:
    kind = target.split(":")[0]
    if kind == "up":
        video_of(world, bvid).in_space = False
        return
    if kind in ("season", "series"):
        collection = collection_of(world, target)
        if bvid not in collection.bvids:
            raise ControlError(f"{bvid} is not in {target}")
        collection.bvids.remove(bvid)
        return
    if kind == "fav":
        folder = world.favorites.get(int(target.split(":")[1]))
        if folder is None:
            raise ControlError(f"no list {target}")
        entries = folder.entries
    elif target == "watchlater":
        entries = world.watch_later
    else:
        raise ControlError(f"unknown target {target!r}")
    kept = [entry for entry in entries if entry.bvid != bvid]
    if len(kept) == len(entries):
        raise ControlError(f"{bvid} is not in {target}")
    entries[:] = kept


def add_favorite_folder(world: World, title: str, private: bool) -> FavFolder:
    """A new, empty folder of the account, numbered as the site does: media_id = fid * 100 + mid % 100."""
    fid = max((folder.fid for folder in world.favorites.values()), default=0) + 1
    folder = FavFolder(
        media_id=fid * 100 + world.account_mid % 100,
        fid=fid,
        mid=world.account_mid,
        title=title or f"收藏夹{fid}",
        private=private,
        is_default=False,
        ctime=world.now,
    )
    world.favorites[folder.media_id] = folder
    return folder


def world_operation(state: FakeState, operation: str, body: dict[str, Any]) -> dict[str, Any]:
    world = state.world
    world.now = int(time.time())
    match operation:
        case "add_video":
            video = add_video(world, str(body["target"]), dict(body.get("video", {})))
            return {"bvid": video.bvid, "aid": video.aid, "cids": [page.cid for page in video.pages]}
        case "add_page":
            video_of(world, str(body["bvid"]))
            page = world.add_page(str(body["bvid"]), str(body["part"]), int(body.get("duration", 3)))
            return {"cid": page.cid}
        case "remove_item":
            remove_item(world, str(body["target"]), str(body["bvid"]))
        case "delete_video":
            video_of(world, str(body["bvid"])).deleted = True
        case "set_charge_only":
            video_of(world, str(body["bvid"])).charge_only = bool(body.get("value", True))
        case "update_video":
            video = video_of(world, str(body["bvid"]))
            for name, value in dict(body.get("fields", {})).items():
                if name == "qualities":
                    video.qualities = tuple(int(qn) for qn in value)
                elif name in UPDATABLE_FIELDS:
                    setattr(video, name, UPDATABLE_FIELDS[name](value))
                else:
                    raise ControlError(f"cannot update {name!r}")
        case "set_vip":
            world.account_vip = bool(body.get("value", True))
        case "add_favorite_folder":
            folder = add_favorite_folder(world, str(body.get("title", "")), bool(body.get("private", False)))
            return {"media_id": folder.media_id, "fid": folder.fid}
        case _:
            raise ControlError(f"unknown world operation {operation!r}")
    return {}


def routes(state: FakeState) -> list[Route]:
    async def reset(request: Request) -> Response:
        state.reset()
        return JSONResponse({"ok": True})

    async def scenario(request: Request) -> Response:
        body = await request.json()
        try:
            apply_scenario(state.knobs, body, state.media_serial)
        except (ScenarioError, TypeError, ValueError) as exc:
            return JSONResponse({"error": str(exc)}, 400)
        if body.get("cookie_refresh_needed"):
            state.mark_sessions_for_refresh()
        return JSONResponse({"ok": True, "knobs": state.knobs.describe()})

    async def describe(request: Request) -> Response:
        return JSONResponse(state.describe())

    async def world(request: Request) -> Response:
        try:
            result = world_operation(state, request.path_params["operation"], await request.json())
        except (ControlError, KeyError, TypeError, ValueError) as exc:
            return JSONResponse({"error": f"{type(exc).__name__}: {exc}"}, 400)
        return JSONResponse({"ok": True, **result})

    async def qr(request: Request) -> Response:
        new_state = QR_ACTIONS.get(request.path_params["action"])
        key = (await request.json()).get("key", "")
        qr_key = state.qr_keys.get(key)
        if new_state is None or qr_key is None:
            return JSONResponse({"error": f"no QR action {request.path_params['action']!r} for key {key!r}"}, 404)
        qr_key.state = new_state
        return JSONResponse({"ok": True, "state": qr_key.state})

    return [
        Route("/_fake/reset", reset, methods=["POST"]),
        Route("/_fake/scenario", scenario, methods=["POST"]),
        Route("/_fake/state", describe),
        Route("/_fake/world/{operation}", world, methods=["POST"]),
        Route("/_fake/qr/{action}", qr, methods=["POST"]),
    ]
