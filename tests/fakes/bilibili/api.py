"""api.bilibili.com (UGC side): account, lists, video details, play URLs, subtitles, danmaku."""

from __future__ import annotations

import secrets
import time
import uuid
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from tests.fakes.bilibili import danmaku, pgc
from tests.fakes.bilibili.playurl import play_data
from tests.fakes.bilibili.responses import BiliJSON, error, ok
from tests.fakes.bilibili.routing import Call, api_route, is_bilibili_url
from tests.fakes.bilibili.state import FakeState
from tests.fakes.bilibili.wbi import key_url
from tests.fakes.bilibili.world import (
    DELETED_FAV_TITLE,
    Collection,
    FavFolder,
    Page,
    Video,
    World,
)

DELETED_COVER = "be27fd62c99036dce67efface486fb0a88ca2a9d"


# --- rendering helpers ------------------------------------------------------------------


def face_url(state: FakeState, mid: int) -> str:
    return f"{state.base_url}/bfs/face/{mid}.jpg"


def cover_url(state: FakeState, bvid: str) -> str:
    return f"{state.base_url}/bfs/archive/{bvid}.jpg"


def owner_of(state: FakeState, mid: int) -> dict[str, Any]:
    upper = state.world.uppers.get(mid)
    return {"mid": mid, "name": upper.name if upper else str(mid), "face": face_url(state, mid)}


def dimension(page: Page) -> dict[str, int]:
    return {"width": page.width, "height": page.height, "rotate": page.rotate}


def page_json(state: FakeState, video: Video, page: Page) -> dict[str, Any]:
    return {
        "cid": page.cid,
        "page": page.page,
        "from": "vupload",
        "part": page.part,
        "duration": page.duration,
        "vid": "",
        "weblink": "",
        "dimension": dimension(page),
        "first_frame": f"{state.base_url}/bfs/archive/{page.cid}_firsti.jpg",
        "ctime": video.ctime,
    }


def stat(aid: int) -> dict[str, int]:
    return {
        "aid": aid,
        "view": 1234,
        "danmaku": 8,
        "reply": 5,
        "favorite": 42,
        "coin": 7,
        "share": 3,
        "like": 99,
    }


def archive_json(state: FakeState, video: Video) -> dict[str, Any]:
    """The `archives[]` item shared by collections and series."""
    return {
        "aid": video.aid,
        "bvid": video.bvid,
        "title": video.title,
        "pic": cover_url(state, video.bvid),
        "ctime": video.ctime,
        "pubdate": video.pubdate,
        "duration": video.duration,
        "state": 0,
        "stat": {"view": 1234, "vt": 0},
        "ugc_pay": 0,
        "interactive_video": False,
        "enable_vt": 0,
        "vt_display": "",
        "playback_position": 0,
    }


def find_video(call: Call) -> Video | None:
    world = call.state.world
    bvid = call.param("bvid")
    if bvid:
        return world.videos.get(bvid)
    aid = call.int_param("aid") or call.int_param("avid")
    return world.video_by_aid(aid) if aid else None


def video_gate(video: Video | None) -> Response | None:
    """The error a missing, deleted or hidden video answers with."""
    if video is None or video.deleted:
        return error(-404)
    if video.view_code:
        return error(video.view_code)
    return None


def season_of(world: World, video: Video) -> Collection | None:
    return next((season for season in world.seasons.values() if video.bvid in season.bvids), None)


# --- account ----------------------------------------------------------------------------


async def nav(call: Call) -> Response:
    img_key, sub_key = call.state.wbi_keys()
    wbi_img = {"img_url": key_url(img_key), "sub_url": key_url(sub_key)}
    session = call.session
    if session is None:
        return BiliJSON(
            {"code": -101, "message": "账号未登录", "ttl": 1, "data": {"isLogin": False, "wbi_img": wbi_img}}
        )
    world = call.state.world
    vip = world.account_vip
    upper = world.uppers[session.mid]
    return ok(
        {
            "isLogin": True,
            "email_verified": 1,
            "face": face_url(call.state, session.mid),
            "level_info": {"current_level": 5, "current_min": 10800, "current_exp": 12000, "next_exp": 28800},
            "mid": session.mid,
            "mobile_verified": 1,
            "money": 12.5,
            "moral": 70,
            "uname": upper.name,
            "vipDueDate": int(time.time() + 30 * 86400) * 1000 if vip else 0,
            "vipStatus": 1 if vip else 0,
            "vipType": 2 if vip else 0,
            "vip_pay_type": 0,
            "vip_label": {"text": "年度大会员" if vip else "", "label_theme": "annual_vip" if vip else ""},
            "wallet": {"mid": session.mid, "bcoin_balance": 0, "coupon_balance": 0},
            "wbi_img": wbi_img,
            "is_jury": False,
        }
    )


async def getbuvid(call: Call) -> Response:
    return ok({"buvid": f"{str(uuid.uuid4()).upper()}{secrets.randbelow(100000):05d}infoc"})


async def card(call: Call) -> Response:
    mid = call.int_param("mid")
    upper = call.state.world.uppers.get(mid or 0)
    if upper is None:
        return error(-404)
    videos = call.state.world.submissions(upper.mid)
    return ok(
        {
            "card": {
                "mid": str(upper.mid),  # a string here, unlike everywhere else
                "name": upper.name,
                "sex": "保密",
                "face": face_url(call.state, upper.mid),
                "sign": upper.sign,
                "fans": 1000 + upper.mid % 1000,
                "attention": 10,
                "level_info": {"current_level": 6},
                "official": {"role": 0, "title": "", "desc": "", "type": -1},
                "vip": {"type": 0, "status": 0},
            },
            "following": False,
            "archive_count": len(videos),
            "article_count": 0,
            "follower": 1000 + upper.mid % 1000,
            "like_num": 5000,
        }
    )


# --- favorites --------------------------------------------------------------------------


def visible_folder(call: Call, folder: FavFolder | None) -> Response | None:
    if folder is None:
        return error(-404)
    session = call.session
    if folder.private and (session is None or session.mid != folder.mid):
        return error(-403)
    return None


def folder_json(call: Call, folder: FavFolder) -> dict[str, Any]:
    world = call.state.world
    live = [world.videos[entry.bvid] for entry in folder.entries if not world.videos[entry.bvid].deleted]
    return {
        "id": folder.media_id,
        "fid": folder.fid,
        "mid": folder.mid,
        "attr": folder.attr,
        "title": folder.title,
        "cover": cover_url(call.state, live[0].bvid) if live else "",
        "upper": {**owner_of(call.state, folder.mid), "followed": False, "vip_type": 2, "vip_statue": 1},
        "cover_type": 2,
        "cnt_info": {"collect": 0, "play": 0, "thumb_up": 0, "share": 0},
        "type": 11,
        "intro": folder.intro,
        "ctime": folder.ctime,
        "mtime": max((entry.added for entry in folder.entries), default=folder.ctime),
        "state": 0,
        "fav_state": 0,
        "like_state": 0,
        "media_count": len(folder.entries),
    }


async def fav_folder_info(call: Call) -> Response:
    folder = call.state.world.favorites.get(call.int_param("media_id") or 0)
    if (refusal := visible_folder(call, folder)) is not None:
        return refusal
    assert folder is not None
    return ok(folder_json(call, folder))


def fav_media_json(call: Call, video: Video, fav_time: int) -> dict[str, Any]:
    state = call.state
    deleted = video.deleted
    return {
        "id": video.aid,
        "type": 2,
        "title": DELETED_FAV_TITLE if deleted else video.title,
        "cover": f"{state.base_url}/bfs/archive/{DELETED_COVER}.jpg" if deleted else cover_url(state, video.bvid),
        "intro": "" if deleted else video.desc,
        "page": len(video.pages),
        "duration": video.duration,
        "upper": owner_of(state, video.owner),
        "attr": 1 if deleted else 0,
        "cnt_info": {"collect": 42, "play": 1234, "danmaku": 8, "vt": 0, "play_switch": 0, "reply": 0},
        "link": f"bilibili://video/{video.aid}",
        "ctime": video.ctime,
        "pubtime": video.pubdate,
        "fav_time": fav_time,
        "bv_id": video.bvid,
        "bvid": video.bvid,
        "season": None,
        "ogv": None,
        "ugc": {"first_cid": video.pages[0].cid if video.pages else 0},
    }


async def fav_resource_list(call: Call) -> Response:
    folder = call.state.world.favorites.get(call.int_param("media_id") or 0)
    if (refusal := visible_folder(call, folder)) is not None:
        return refusal
    assert folder is not None
    page_number = call.int_param("pn", 1) or 0
    page_size = call.int_param("ps", 20) or 0
    if not 1 <= page_size <= 20 or page_number < 1:
        return error(-400)
    world = call.state.world
    entries = sorted(folder.entries, key=lambda entry: entry.added, reverse=True)
    if call.param("order") == "pubtime":
        entries.sort(key=lambda entry: world.videos[entry.bvid].pubdate, reverse=True)
    keyword = call.param("keyword")
    if keyword:
        entries = [entry for entry in entries if keyword in world.videos[entry.bvid].title]
    start = (page_number - 1) * page_size
    chosen = entries[start : start + page_size]
    return ok(
        {
            "info": folder_json(call, folder),
            "medias": [fav_media_json(call, world.videos[entry.bvid], entry.added) for entry in chosen],
            "has_more": start + page_size < len(entries),
            "ttl": int(time.time()),
        }
    )


async def fav_resource_ids(call: Call) -> Response:
    folder = call.state.world.favorites.get(call.int_param("media_id") or 0)
    if (refusal := visible_folder(call, folder)) is not None:
        return refusal
    assert folder is not None
    world = call.state.world
    entries = sorted(folder.entries, key=lambda entry: entry.added, reverse=True)
    return ok(
        [{"id": world.videos[entry.bvid].aid, "type": 2, "bv_id": entry.bvid, "bvid": entry.bvid} for entry in entries]
    )


async def fav_created_list_all(call: Call) -> Response:
    up_mid = call.int_param("up_mid")
    if not up_mid:
        return error(-400)
    session = call.session
    own = session is not None and session.mid == up_mid
    folders = [
        folder for folder in call.state.world.favorites.values() if folder.mid == up_mid and (own or not folder.private)
    ]
    return ok(
        {
            "count": len(folders),
            "list": [
                {
                    "id": folder.media_id,
                    "fid": folder.fid,
                    "mid": folder.mid,
                    "attr": folder.attr,
                    "title": folder.title,
                    "fav_state": 0,
                    "media_count": len(folder.entries),
                }
                for folder in folders
            ],
            "season": None,
        }
    )


# --- collections, series, submissions, watch later --------------------------------------


def live_videos(world: World, collection: Collection) -> list[Video]:
    return [world.videos[bvid] for bvid in collection.bvids if not world.videos[bvid].deleted]


async def seasons_archives_list(call: Call) -> Response:
    if not is_bilibili_url(call.request.headers.get("referer", "")):
        return error(-352)  # this endpoint checks the Referer
    world = call.state.world
    season = world.seasons.get(call.int_param("season_id") or 0)
    if season is None or season.mid != call.int_param("mid"):
        return error(-404)
    page_number = call.int_param("page_num", 1) or 1
    page_size = call.int_param("page_size", 30) or 30
    if not 1 <= page_size <= 100:
        return error(-400)
    videos = sorted(live_videos(world, season), key=lambda video: video.pubdate, reverse=True)
    if call.param("sort_reverse") == "true":
        videos.reverse()
    start = (page_number - 1) * page_size
    chosen = videos[start : start + page_size]
    return ok(
        {
            "aids": [video.aid for video in chosen],
            "archives": [archive_json(call.state, video) for video in chosen],
            "meta": {
                "category": 0,
                "cover": cover_url(call.state, videos[0].bvid) if videos else "",
                "description": season.description,
                "mid": season.mid,
                "name": season.name,
                "ptime": max((video.pubdate for video in videos), default=season.ctime),
                "season_id": season.id,
                "total": len(videos),
            },
            "page": {"page_num": page_number, "page_size": page_size, "total": len(videos)},
        }
    )


async def series_meta(call: Call) -> Response:
    world = call.state.world
    series = world.series.get(call.int_param("series_id") or 0)
    if series is None:
        return error(-404)
    videos = live_videos(world, series)
    last_update = max((video.pubdate for video in videos), default=series.ctime)
    return ok(
        {
            "meta": {
                "series_id": series.id,
                "mid": series.mid,
                "name": series.name,
                "description": series.description,
                "keywords": [""],
                "creator": "",
                "state": 2,
                "last_update_ts": last_update,
                "total": len(videos),
                "ctime": series.ctime,
                "mtime": last_update,
                "raw_keywords": "",
                "category": 1,
            },
            "recent_aids": [video.aid for video in sorted(videos, key=lambda v: v.pubdate, reverse=True)][:5],
        }
    )


async def series_archives(call: Call) -> Response:
    world = call.state.world
    series = world.series.get(call.int_param("series_id") or 0)
    if series is None or series.mid != call.int_param("mid"):
        return error(-404)
    page_number = call.int_param("pn", 1) or 1
    page_size = call.int_param("ps", 20) or 20
    if not 1 <= page_size <= 100:
        return error(-400)
    videos = sorted(live_videos(world, series), key=lambda video: video.pubdate, reverse=call.param("sort") != "asc")
    start = (page_number - 1) * page_size
    chosen = videos[start : start + page_size]
    return ok(
        {
            "aids": [video.aid for video in chosen],
            "page": {"num": page_number, "size": page_size, "total": len(videos)},
            "archives": [archive_json(call.state, video) for video in chosen],
        }
    )


def length_text(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


async def arc_search(call: Call) -> Response:
    world = call.state.world
    mid = call.int_param("mid")
    if not mid:
        return error(-400)
    if mid not in world.uppers:
        return error(-404)
    page_number = call.int_param("pn", 1) or 1
    page_size = call.int_param("ps", 30) or 30
    if not 1 <= page_size <= 50:
        return error(-400)
    videos = world.submissions(mid)
    keyword = call.param("keyword")
    if keyword:
        videos = [video for video in videos if keyword in video.title]
    start = (page_number - 1) * page_size
    chosen = videos[start : start + page_size]
    upper = world.uppers[mid]
    vlist = []
    for video in chosen:
        season = season_of(world, video)
        vlist.append(
            {
                "comment": 5,
                "typeid": video.tid,
                "play": 1234,
                "pic": cover_url(call.state, video.bvid),
                "subtitle": "",
                "description": video.desc,
                "copyright": "1",
                "title": video.title,
                "review": 0,
                "author": upper.name,
                "mid": mid,
                "created": video.pubdate,
                "length": length_text(video.duration),
                "video_review": 8,
                "aid": video.aid,
                "bvid": video.bvid,
                "hide_click": False,
                "is_pay": 0,
                "is_union_video": 1 if video.staff else 0,
                "is_steins_gate": 0,
                "is_live_playback": 0,
                "is_lesson_video": 0,
                "meta": {"id": season.id, "title": season.name, "mid": season.mid} if season else None,
                "is_avoided": 0,
                "season_id": season.id if season else 0,
                "attribute": 0,
                "is_charging_arc": video.charge_only,
                "elec_arc_type": 1 if video.charge_only else 0,
                "vt": 0,
                "enable_vt": 0,
                "vt_display": "",
                "playback_position": 0,
            }
        )
    return ok(
        {
            "list": {
                "tlist": {
                    str(video.tid): {"tid": video.tid, "count": len(videos), "name": video.tname}
                    for video in chosen[:1]
                },
                "vlist": vlist,
                "slist": [],
            },
            "page": {"pn": page_number, "ps": page_size, "count": len(videos)},
            "episodic_button": {"text": "播放全部", "uri": f"//www.bilibili.com/medialist/play/{mid}"},
            "is_risk": False,
            "gaia_res_type": 0,
            "gaia_data": None,
        }
    )


async def toview(call: Call) -> Response:
    if call.session is None:
        return error(-101)
    world = call.state.world
    entries = sorted(world.watch_later, key=lambda entry: entry.added, reverse=True)
    items = []
    for entry in entries:
        video = world.videos[entry.bvid]
        first = video.pages[0]
        items.append(
            {
                "aid": video.aid,
                "videos": len(video.pages),
                "tid": video.tid,
                "tname": video.tname,
                "copyright": 1,
                "pic": cover_url(call.state, video.bvid),
                "title": video.title,
                "pubdate": video.pubdate,
                "ctime": video.ctime,
                "desc": video.desc,
                "state": -100 if video.deleted else 0,
                "duration": video.duration,
                "owner": owner_of(call.state, video.owner),
                "stat": stat(video.aid),
                "dimension": dimension(first),
                "first_frame": f"{call.state.base_url}/bfs/archive/{first.cid}_firsti.jpg",
                "cid": first.cid,
                "pages": [page_json(call.state, video, page) for page in video.pages],
                "add_at": entry.added,
                "bvid": video.bvid,
                "progress": 0,
                "is_pgc": bool(video.redirect_url),
                "is_upower_exclusive": video.charge_only,
            }
        )
    return ok({"count": len(items), "list": items})


# --- video details ----------------------------------------------------------------------


async def view(call: Call) -> Response:
    video = find_video(call)
    if (refusal := video_gate(video)) is not None:
        return refusal
    assert video is not None
    state = call.state
    world = state.world
    first = video.pages[0]
    data: dict[str, Any] = {
        "bvid": video.bvid,
        "aid": video.aid,
        "videos": len(video.pages),
        "tid": video.tid,
        "tname": video.tname,
        "copyright": 1,
        "pic": cover_url(state, video.bvid),
        "title": video.title,
        "pubdate": video.pubdate,
        "ctime": video.ctime,
        "desc": video.desc,
        "desc_v2": [{"raw_text": video.desc, "type": 1, "biz_id": 0}] if video.desc else None,
        "state": 0,
        "duration": video.duration,
        "rights": {
            "bp": 0,
            "elec": 0,
            "download": 1,
            "movie": 0,
            "pay": 0,
            "hd5": 0,
            "no_reprint": 1,
            "autoplay": 1,
            "ugc_pay": 0,
            "is_cooperation": 1 if video.staff else 0,
            "is_stein_gate": 0,
        },
        "owner": owner_of(state, video.owner),
        "stat": stat(video.aid),
        "dynamic": "",
        "cid": first.cid,
        "dimension": dimension(first),
        "pages": [page_json(state, video, page) for page in video.pages],
        "subtitle": {"allow_submit": False, "list": []},
        "is_upower_exclusive": video.charge_only,
        "is_upower_play": False,
        "is_upower_preview": False,
        "is_season_display": False,
    }
    if video.staff:
        data["staff"] = [
            {
                "mid": mid,
                "title": role,
                "name": owner_of(state, mid)["name"],
                "face": face_url(state, mid),
                "vip": {"type": 0, "status": 0},
                "official": {"role": 0, "title": "", "desc": "", "type": -1},
                "follower": 1000,
                "label_style": 0,
            }
            for mid, role in video.staff
        ]
    if video.redirect_url:
        data["redirect_url"] = video.redirect_url
    season = season_of(world, video)
    if season is not None:
        members = live_videos(world, season)
        data["season_id"] = season.id
        data["is_season_display"] = True
        data["ugc_season"] = {
            "id": season.id,
            "title": season.name,
            "cover": cover_url(state, members[0].bvid),
            "mid": season.mid,
            "intro": season.description,
            "ep_count": len(members),
            "sections": [
                {
                    "season_id": season.id,
                    "id": season.id * 10,
                    "title": "正片",
                    "episodes": [
                        {
                            "aid": member.aid,
                            "bvid": member.bvid,
                            "cid": member.pages[0].cid,
                            "title": member.title,
                        }
                        for member in members
                    ],
                }
            ],
        }
    return ok(data)


async def view_tags(call: Call) -> Response:
    video = find_video(call)
    if video is None or video.deleted:
        return error(-404)
    return ok(
        [
            {"tag_id": tag_id, "tag_name": name, "music_id": "", "tag_type": "old_channel", "jump_url": ""}
            for tag_id, name in video.tags
        ]
    )


async def pagelist(call: Call) -> Response:
    video = find_video(call)
    if (refusal := video_gate(video)) is not None:
        return refusal
    assert video is not None
    return ok([page_json(call.state, video, page) for page in video.pages])


# --- play URLs --------------------------------------------------------------------------


async def playurl(call: Call) -> Response:
    video = find_video(call)
    if (refusal := video_gate(video)) is not None:
        return refusal
    assert video is not None
    page = next((page for page in video.pages if page.cid == call.int_param("cid")), None)
    if page is None:
        return error(-400)
    if video.charge_only:
        return error(87008)
    session = call.session
    return ok(
        play_data(
            call,
            video,
            page,
            duration_ms=page.duration * 1000,
            login_level=call.state.login_level(session),
            mid=session.mid if session else 0,
        )
    )


# --- subtitles and danmaku --------------------------------------------------------------


async def player_v2(call: Call) -> Response:
    video = find_video(call)
    if (refusal := video_gate(video)) is not None:
        return refusal
    assert video is not None
    page = next((page for page in video.pages if page.cid == call.int_param("cid")), None)
    if page is None:
        return error(-400)
    session = call.session
    host = call.state.base_url.removeprefix("http:")
    subtitles = []
    if session is not None:
        for subtitle in page.subtitles:
            folder = "ai_subtitle" if subtitle.is_ai else "subtitle"
            auth_key = f"{int(time.time())}-{secrets.token_hex(16)}-0-{secrets.token_hex(16)}"
            subtitles.append(
                {
                    "id": subtitle.id,
                    "lan": subtitle.lan,
                    "lan_doc": subtitle.lan_doc,
                    "is_lock": False,
                    "subtitle_url": f"{host}/bfs/{folder}/{subtitle.id}.json?auth_key={auth_key}",
                    "type": 1 if subtitle.is_ai else 0,
                    "id_str": str(subtitle.id),
                    "ai_type": 0,
                    "ai_status": 2 if subtitle.is_ai else 0,
                }
            )
    return ok(
        {
            "aid": video.aid,
            "bvid": video.bvid,
            "cid": page.cid,
            "login_mid": session.mid if session else 0,
            "login_mid_hash": "",
            "is_owner": False,
            "name": call.state.world.uppers[session.mid].name if session else "",
            "permission": "10000",
            "subtitle": {"allow_submit": False, "lan": "", "lan_doc": "", "subtitles": subtitles},
            "view_points": [],
            "is_upower_exclusive": video.charge_only,
            "is_upower_play": False,
            "online_count": 1,
        }
    )


async def dm_segment(call: Call) -> Response:
    if call.param("type", "1") != "1":
        return error(-400)
    segment_index = call.int_param("segment_index", 1) or 1
    located = call.state.world.page_by_cid(call.int_param("oid") or 0)
    comments = located[1].danmaku if located else []
    return Response(danmaku.segment_protobuf(comments, segment_index), media_type="application/octet-stream")


def danmaku_xml(state: FakeState, cid: int) -> Response:
    located = state.world.page_by_cid(cid)
    body = danmaku.deflated_xml(cid, located[1].danmaku if located else [])
    return Response(body, media_type="text/xml", headers={"content-encoding": "deflate"})


async def dm_list(call: Call) -> Response:
    return danmaku_xml(call.state, call.int_param("oid") or 0)


def routes(state: FakeState) -> list[Route]:
    def get(path: str, handler: Any, *, wbi_signed: bool = False) -> Route:
        return api_route(state, path, handler, wbi_signed=wbi_signed)

    return [
        get("/x/web-interface/nav", nav),
        get("/x/web-frontend/getbuvid", getbuvid),
        get("/x/web-interface/card", card),
        get("/x/v3/fav/folder/info", fav_folder_info),
        get("/x/v3/fav/resource/list", fav_resource_list),
        get("/x/v3/fav/resource/ids", fav_resource_ids),
        get("/x/v3/fav/folder/created/list-all", fav_created_list_all),
        get("/x/polymer/web-space/seasons_archives_list", seasons_archives_list),
        get("/x/series/series", series_meta),
        get("/x/series/archives", series_archives),
        get("/x/space/wbi/arc/search", arc_search, wbi_signed=True),
        get("/x/v2/history/toview", toview),
        get("/x/web-interface/wbi/view", view, wbi_signed=True),
        get("/x/web-interface/view/detail/tag", view_tags),
        get("/x/player/pagelist", pagelist),
        get("/x/player/wbi/playurl", playurl, wbi_signed=True),
        get("/x/player/wbi/v2", player_v2, wbi_signed=True),
        get("/x/v2/dm/wbi/web/seg.so", dm_segment, wbi_signed=True),
        get("/x/v1/dm/list.so", dm_list),
        get("/pgc/view/web/season", pgc.view_season),
        get("/pgc/review/user", pgc.review_user),
        get("/pgc/player/web/playurl", pgc.play_url),
    ]
