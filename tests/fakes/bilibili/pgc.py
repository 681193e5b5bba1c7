"""PGC (bangumi) endpoints: they answer in `result` instead of `data`."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from tests.fakes.bilibili.playurl import play_data
from tests.fakes.bilibili.responses import error, pgc_ok
from tests.fakes.bilibili.routing import Call
from tests.fakes.bilibili.state import FakeState
from tests.fakes.bilibili.world import BangumiSeason, Episode, all_episodes


def episode_json(state: FakeState, season: BangumiSeason, episode: Episode) -> dict[str, Any]:
    numbered = episode.title.isdigit()
    return {
        "id": episode.ep_id,
        "ep_id": episode.ep_id,
        "aid": episode.aid,
        "bvid": episode.bvid,
        "cid": episode.cid,
        "title": episode.title,
        "long_title": episode.long_title,
        "show_title": f"第{episode.title}话 {episode.long_title}"
        if numbered
        else f"{episode.title} {episode.long_title}",
        "share_copy": f"《{season.title}》{season.season_title} 第{episode.title}话 {episode.long_title}",
        "pub_time": episode.pub_time,
        "duration": episode.duration_ms,
        "cover": f"{state.base_url}/bfs/archive/ep{episode.ep_id}.jpg",
        "badge": episode.badge,
        "badge_type": 0,
        "section_type": episode.section_type,
        "status": 13 if episode.vip_only else 2,
        "dimension": {"width": 1920, "height": 1080, "rotate": 0},
        "link": f"https://www.bilibili.com/bangumi/play/ep{episode.ep_id}",
        "release_date": "",
        "from": "bangumi",
    }


def season_result(state: FakeState, season: BangumiSeason) -> dict[str, Any]:
    world = state.world
    siblings = [other for other in world.bangumi.values() if other.title == season.title]
    last = season.episodes[-1] if season.episodes else None
    return {
        "season_id": season.season_id,
        "media_id": season.media_id,
        "title": f"{season.title} {season.season_title}",
        "season_title": season.season_title,
        "cover": f"{state.base_url}/bfs/archive/ss{season.season_id}.jpg",
        "evaluate": season.evaluate,
        "type": season.type,
        "total": season.total,
        "link": f"https://www.bilibili.com/bangumi/media/md{season.media_id}/",
        "new_ep": {"id": last.ep_id, "title": last.title, "desc": f"全{len(season.episodes)}话", "is_new": 0}
        if last
        else {},
        "publish": {"is_finish": 1 if season.total > 0 else 0, "pub_time": ""},
        "series": {"series_id": 4000, "series_title": season.title},
        "positive": {"id": season.season_id * 10, "title": "正片"},
        "seasons": [
            {
                "season_id": other.season_id,
                "season_title": other.season_title,
                "media_id": other.media_id,
                "title": other.season_title,
                "cover": f"{state.base_url}/bfs/archive/ss{other.season_id}.jpg",
                "badge": "",
            }
            for other in siblings
        ],
        "episodes": [episode_json(state, season, episode) for episode in season.episodes],
        "section": [
            {
                "id": season.season_id * 10 + index,
                "type": section_type,
                "title": title,
                "episode_id": 0,
                "episodes": [episode_json(state, season, episode) for episode in episodes],
            }
            for index, (section_type, title, episodes) in enumerate(season.sections, start=1)
        ],
        "stat": {"views": 10000, "danmakus": 100, "favorites": 500, "coins": 50},
        "status": 2,
    }


async def view_season(call: Call) -> Response:
    world = call.state.world
    season = world.bangumi.get(call.int_param("season_id") or 0)
    ep_id = call.int_param("ep_id")
    if season is None and ep_id:
        found = world.episode(ep_id)
        season = found[0] if found else None
    if season is None:
        return error(-404)
    return pgc_ok(season_result(call.state, season))


async def review_user(call: Call) -> Response:
    media_id = call.int_param("media_id") or 0
    season = next((s for s in call.state.world.bangumi.values() if s.media_id == media_id), None)
    if season is None:
        return error(-404)
    return pgc_ok(
        {
            "media": {
                "media_id": season.media_id,
                "season_id": season.season_id,
                "title": f"{season.title} {season.season_title}",
                "type": season.type,
                "type_name": "番剧",
                "cover": f"{call.state.base_url}/bfs/archive/ss{season.season_id}.jpg",
                "share_url": f"https://www.bilibili.com/bangumi/media/md{season.media_id}",
            },
            "review": {"is_coin": 0, "is_open": 1},
        }
    )


async def play_url(call: Call) -> Response:
    world = call.state.world
    found = world.episode(call.int_param("ep_id") or 0)
    if found is None:
        cid = call.int_param("cid")
        found = next(
            ((s, e) for s in world.bangumi.values() for e in all_episodes(s) if cid and e.cid == cid),
            None,
        )
    if found is None:
        return error(-404)
    _, episode = found
    located = world.page_by_cid(episode.cid)
    if located is None:
        return error(-404)
    video, page = located
    session = call.session
    login_level = call.state.login_level(session)
    result = play_data(
        call,
        video,
        page,
        duration_ms=episode.duration_ms,
        login_level=login_level,
        mid=session.mid if session else 0,
    )
    preview = episode.vip_only and login_level < 2
    result.update({"is_preview": 1 if preview else 0, "code": 0, "type": "DASH", "clip_info_list": []})
    return pgc_ok(result)
