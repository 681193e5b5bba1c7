"""One small async function per Bilibili resource: `(client, ids…) -> typed result`.

All times come back as timezone-aware UTC datetimes. A `since` given without a timezone
is taken as UTC.
"""

from __future__ import annotations

import asyncio
import base64
import json
import math
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from typing import Any

from core.errors import InvalidResponseError, LoginExpiredError, RiskControlError
from core.providers.bilibili.client import NAV_PATH, BiliClient, absolute_url
from core.providers.bilibili.envelope import NOT_LOGGED_IN, has_voucher, unwrap
from core.providers.bilibili.models import (
    MediaStream,
    NavInfo,
    PageInfo,
    PlayInfo,
    RemoteItem,
    SourceInfo,
    SourceKind,
    SourceRef,
    SubtitleCue,
    SubtitleTrack,
    Upper,
    VideoDetail,
)

FAVORITE_PAGE_SIZE = 20  # the API refuses more
SUBMISSION_PAGE_SIZE = 30
COLLECTION_PAGE_SIZE = 30
SERIES_PAGE_SIZE = 30
DANMAKU_SEGMENT_SECONDS = 360
FAVORITE_TYPE_VIDEO = 2
BANGUMI_SECTION_PREVIEW = 1
PLAYURL_QUERY = {"qn": 127, "fnval": 4048, "fnver": 0, "fourk": 1}


def _page_fingerprint(text: str) -> str:
    """The space page sends its WebGL strings base64-encoded minus the last two characters."""
    return base64.b64encode(text.encode()).decode()[:-2]


# What the space page sends along; requests without these meet -352 more often.
SUBMISSION_FINGERPRINT = {
    "order_avoided": "true",
    "platform": "web",
    "web_location": 1550101,
    "dm_img_list": "[]",
    "dm_img_str": _page_fingerprint("WebGL 1.0 (OpenGL ES 2.0 Chromium)"),
    "dm_cover_img_str": _page_fingerprint(
        "ANGLE (NVIDIA, NVIDIA GeForce GTX 1060 Direct3D11 vs_5_0 ps_5_0), Google Inc. (NVIDIA)"
    ),
}
WATCH_LATER_TITLE = "稍后再看"


# ---- small converters ----------------------------------------------------------------------


def _time(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value or 0), tz=UTC)


def _since(since: datetime | None) -> datetime | None:
    if since is not None and since.tzinfo is None:
        return since.replace(tzinfo=UTC)
    return since


def _upper(raw: Any) -> Upper | None:
    if not isinstance(raw, dict) or not raw.get("mid"):
        return None
    return Upper(mid=int(raw["mid"]), name=str(raw.get("name") or raw.get("uname") or ""), face=raw.get("face") or "")


def _clock_seconds(text: Any) -> int:
    """Submission lengths come as "MM:SS" or "H:MM:SS"."""
    seconds = 0
    for part in str(text or "0").split(":"):
        seconds = seconds * 60 + int(part or 0)
    return seconds


def _dimension(raw: Any) -> tuple[int, int, int] | None:
    if not isinstance(raw, dict):
        return None
    return int(raw.get("width") or 0), int(raw.get("height") or 0), int(raw.get("rotate") or 0)


def _bvid(raw: dict[str, Any]) -> str:
    return str(raw.get("bvid") or raw.get("bv_id") or "")


def _nav_info(data: dict[str, Any], is_login: bool) -> NavInfo:
    wbi_img = data.get("wbi_img") or {}
    return NavInfo(
        is_login=is_login,
        mid=int(data.get("mid") or 0),
        uname=str(data.get("uname") or ""),
        face=str(data.get("face") or ""),
        vip_status=int(data.get("vipStatus") or 0),
        vip_type=int(data.get("vipType") or 0),
        img_url=str(wbi_img.get("img_url") or ""),
        sub_url=str(wbi_img.get("sub_url") or ""),
    )


# ---- account --------------------------------------------------------------------------------


async def nav(client: BiliClient) -> NavInfo:
    """Who is logged in; `is_login` is False when nobody is (that is not an error here)."""
    _, payload = await client.api_response("GET", client.hosts.api, NAV_PATH)
    assert payload is not None
    if payload["code"] == NOT_LOGGED_IN and not has_voucher(payload):
        return _nav_info(payload.get("data") or {}, is_login=False)
    data = unwrap(payload, NAV_PATH) or {}
    return _nav_info(data, is_login=bool(data.get("isLogin")))


async def ensure_login(client: BiliClient) -> NavInfo:
    info = await nav(client)
    if not info.is_login:
        raise LoginExpiredError("Not logged in to Bilibili (or the login expired); log in again")
    return info


# ---- sources --------------------------------------------------------------------------------


async def _upper_card(client: BiliClient, mid: int) -> tuple[Upper, int]:
    """An UP's name and face, and how many videos they uploaded."""
    data = await client.get_json(client.hosts.api, "/x/web-interface/card", {"mid": mid}) or {}
    upper = _upper(data.get("card")) or Upper(mid=mid, name="")
    return upper, int(data.get("archive_count") or 0)


async def _season_result(
    client: BiliClient, *, season_id: int | None = None, ep_id: int | None = None
) -> dict[str, Any]:
    params = {"season_id": season_id} if season_id is not None else {"ep_id": ep_id}
    result = await client.get_json(client.hosts.api, "/pgc/view/web/season", params, result_key="result")
    if not isinstance(result, dict) or not result.get("season_id"):
        raise InvalidResponseError(f"/pgc/view/web/season gave no season for {params}")
    return result


async def _requested_season(client: BiliClient, ref: SourceRef) -> dict[str, Any]:
    """The season a bangumi ref names, whether given as season, episode or media id."""
    if ref.id is not None:
        return await _season_result(client, season_id=ref.id)
    if ref.ep_id is not None:
        return await _season_result(client, ep_id=ref.ep_id)
    review = await client.get_json(
        client.hosts.api, "/pgc/review/user", {"media_id": ref.media_id}, result_key="result"
    )
    season_id = ((review or {}).get("media") or {}).get("season_id")
    if not season_id:
        raise InvalidResponseError(f"/pgc/review/user gave no season for media {ref.media_id}")
    return await _season_result(client, season_id=int(season_id))


async def resolve_bangumi(client: BiliClient, ref: SourceRef) -> SourceRef:
    """A bangumi ref given by episode or media id, as its season (`ss:ID`); others as they are."""
    if ref.kind is not SourceKind.BANGUMI or ref.id is not None:
        return ref
    season = await _requested_season(client, ref)
    return SourceRef(SourceKind.BANGUMI, id=int(season["season_id"]), all_seasons=ref.all_seasons)


def _main_episodes(season: dict[str, Any]) -> list[dict[str, Any]]:
    return [ep for ep in season.get("episodes") or [] if ep.get("section_type") != BANGUMI_SECTION_PREVIEW]


async def describe_source(client: BiliClient, ref: SourceRef) -> SourceInfo:
    """Title, owner and size of a source; bangumi refs come back with `id` = season_id."""
    api = client.hosts.api
    match ref.kind:
        case SourceKind.FAVORITE:
            data = await client.get_json(api, "/x/v3/fav/folder/info", {"media_id": ref.id}) or {}
            return SourceInfo(
                ref=ref,
                title=str(data.get("title") or ""),
                owner=_upper(data.get("upper")),
                count=int(data.get("media_count") or 0),
                cover=str(data.get("cover") or ""),
            )
        case SourceKind.COLLECTION:
            data = await client.get_json(
                api,
                "/x/polymer/web-space/seasons_archives_list",
                {"mid": ref.mid, "season_id": ref.id, "page_num": 1, "page_size": 1, "sort_reverse": "false"},
            )
            meta = (data or {}).get("meta") or {}
            owner, _ = await _upper_card(client, int(ref.mid or 0))
            return SourceInfo(
                ref=ref,
                title=str(meta.get("name") or ""),
                owner=owner,
                count=int(meta.get("total") or ((data or {}).get("page") or {}).get("total") or 0),
                cover=str(meta.get("cover") or ""),
            )
        case SourceKind.SERIES:
            data = await client.get_json(api, "/x/series/series", {"series_id": ref.id})
            meta = (data or {}).get("meta") or {}
            owner, _ = await _upper_card(client, int(ref.mid or 0))
            return SourceInfo(
                ref=ref,
                title=str(meta.get("name") or ""),
                owner=owner,
                count=int(meta.get("total") or 0),
                cover=str(meta.get("cover") or ""),
            )
        case SourceKind.SUBMISSION:
            owner, count = await _upper_card(client, int(ref.mid or 0))
            return SourceInfo(ref=ref, title=owner.name, owner=owner, count=count, cover=owner.face)
        case SourceKind.WATCH_LATER:
            data = await client.get_json(api, "/x/v2/history/toview") or {}
            count = int(data.get("count") or len(data.get("list") or []))
            return SourceInfo(ref=ref, title=WATCH_LATER_TITLE, owner=None, count=count)
        case SourceKind.BANGUMI:
            season = await _requested_season(client, ref)
            resolved = SourceRef(SourceKind.BANGUMI, id=int(season["season_id"]), all_seasons=ref.all_seasons)
            count = sum([len(_main_episodes(each)) async for _, each in _show_seasons(client, season, ref)])
            title = _series_title(season) if ref.all_seasons else str(season.get("title") or "")
            return SourceInfo(ref=resolved, title=title, owner=None, count=count, cover=str(season.get("cover") or ""))


WHOLE_LIST_KINDS = frozenset({SourceKind.COLLECTION, SourceKind.SERIES, SourceKind.BANGUMI, SourceKind.WATCH_LATER})


def _reached(item: RemoteItem, since: datetime | None) -> bool:
    return since is not None and item.order_time <= since


async def scan_source(client: BiliClient, ref: SourceRef, since: datetime | None) -> AsyncIterator[RemoteItem]:
    """The source's items, newest first where the list is time-ordered.

    Favorites and submissions stop paging after the first page that reaches an item not
    newer than `since`, so a source with nothing new costs one request. Every item of the
    pages read is yielded, the older ones on the last page too: the caller can tell which
    known items vanished between the oldest and the newest item read, and compare their
    page counts. Watch later comes whole in one reply. Collections, series and bangumi are
    not time-ordered and are always listed in full (`WHOLE_LIST_KINDS` are read whole).
    """
    since = _since(since)
    match ref.kind:
        case SourceKind.FAVORITE:
            items = _scan_favorite(client, ref, since)
        case SourceKind.SUBMISSION:
            items = _scan_submissions(client, ref, since)
        case SourceKind.WATCH_LATER:
            items = _scan_watch_later(client)
        case SourceKind.COLLECTION:
            items = _scan_collection(client, ref)
        case SourceKind.SERIES:
            items = _scan_series(client, ref)
        case SourceKind.BANGUMI:
            items = _scan_bangumi(client, ref)
    async for item in items:
        yield item


async def list_keys(client: BiliClient, ref: SourceRef) -> set[str]:
    """Every item key the source holds upstream right now (to notice removed items)."""
    if ref.kind is SourceKind.FAVORITE:
        data = await client.get_json(client.hosts.api, "/x/v3/fav/resource/ids", {"media_id": ref.id})
        return {
            _bvid(entry)
            for entry in data or []
            if entry.get("type", FAVORITE_TYPE_VIDEO) == FAVORITE_TYPE_VIDEO and _bvid(entry)
        }
    return {item.key async for item in scan_source(client, ref, None)}


def _favorite_item(media: dict[str, Any]) -> RemoteItem:
    bvid = _bvid(media)
    fav_time = _time(media.get("fav_time"))
    return RemoteItem(
        key=bvid,
        bvid=bvid,
        aid=int(media.get("id") or 0),
        title=str(media.get("title") or ""),
        cover=str(media.get("cover") or ""),
        intro=str(media.get("intro") or ""),
        upper=_upper(media.get("upper")),
        pubtime=_time(media.get("pubtime") or media.get("ctime")),
        order_time=fav_time,
        fav_time=fav_time,
        duration=int(media.get("duration") or 0),
        page_count=int(media.get("page") or 0),
        # attr bit 0 marks a deleted video (attr 1 or 9); 0 and 4 are playable.
        valid=not int(media.get("attr") or 0) & 1,
    )


async def _scan_favorite(client: BiliClient, ref: SourceRef, since: datetime | None) -> AsyncIterator[RemoteItem]:
    page = 1
    while True:
        data = await client.get_json(
            client.hosts.api,
            "/x/v3/fav/resource/list",
            {
                "media_id": ref.id,
                "pn": page,
                "ps": FAVORITE_PAGE_SIZE,
                "order": "mtime",
                "type": 0,
                "tid": 0,
                "platform": "web",
            },
        )
        medias = (data or {}).get("medias") or []
        reached = False
        for media in medias:
            item = _favorite_item(media)
            reached = reached or _reached(item, since)
            # Audio (12) and collection (21) entries have no video to sync.
            if media.get("type", FAVORITE_TYPE_VIDEO) == FAVORITE_TYPE_VIDEO and item.bvid:
                yield item
        if reached or not medias or not (data or {}).get("has_more"):
            return
        page += 1


async def _scan_submissions(client: BiliClient, ref: SourceRef, since: datetime | None) -> AsyncIterator[RemoteItem]:
    page = 1
    while True:
        data = await client.get_json(
            client.hosts.api,
            "/x/space/wbi/arc/search",
            {
                "mid": ref.mid,
                "pn": page,
                "ps": SUBMISSION_PAGE_SIZE,
                "order": "pubdate",
                "tid": 0,
                "keyword": "",
                **SUBMISSION_FINGERPRINT,
            },
            wbi=True,
        )
        videos = (((data or {}).get("list") or {}).get("vlist")) or []
        reached = False
        for video in videos:
            created = _time(video.get("created"))
            item = RemoteItem(
                key=_bvid(video),
                bvid=_bvid(video),
                aid=int(video.get("aid") or 0),
                title=str(video.get("title") or ""),
                cover=str(video.get("pic") or ""),
                intro=str(video.get("description") or ""),
                upper=Upper(mid=int(video.get("mid") or ref.mid or 0), name=str(video.get("author") or "")),
                pubtime=created,
                order_time=created,
                duration=_clock_seconds(video.get("length")),
            )
            reached = reached or _reached(item, since)
            yield item
        total = int((((data or {}).get("page") or {}).get("count")) or 0)
        if reached or not videos or page * SUBMISSION_PAGE_SIZE >= total:
            return
        page += 1


async def _scan_watch_later(client: BiliClient) -> AsyncIterator[RemoteItem]:
    # One reply holds the whole list (at most 100 entries), in no promised order.
    data = await client.get_json(client.hosts.api, "/x/v2/history/toview")
    for entry in (data or {}).get("list") or []:
        added = _time(entry.get("add_at"))
        yield RemoteItem(
            key=_bvid(entry),
            bvid=_bvid(entry),
            aid=int(entry.get("aid") or 0),
            title=str(entry.get("title") or ""),
            cover=str(entry.get("pic") or ""),
            intro=str(entry.get("desc") or ""),
            upper=_upper(entry.get("owner")),
            pubtime=_time(entry.get("pubdate") or entry.get("ctime")),
            order_time=added,
            fav_time=added,
            duration=int(entry.get("duration") or 0),
            page_count=int(entry.get("videos") or 0),
            valid=int(entry.get("state") or 0) == 0,
            cid=int(entry["cid"]) if entry.get("cid") else None,
        )


def _archive_item(archive: dict[str, Any], mid: int) -> RemoteItem:
    pubdate = _time(archive.get("pubdate") or archive.get("ctime"))
    return RemoteItem(
        key=_bvid(archive),
        bvid=_bvid(archive),
        aid=int(archive.get("aid") or 0),
        title=str(archive.get("title") or ""),
        cover=str(archive.get("pic") or ""),
        intro=str(archive.get("desc") or archive.get("description") or ""),
        upper=Upper(mid=mid, name=""),
        pubtime=pubdate,
        order_time=pubdate,
        duration=int(archive.get("duration") or 0),
        valid=int(archive.get("state") or 0) == 0,
    )


async def _scan_collection(client: BiliClient, ref: SourceRef) -> AsyncIterator[RemoteItem]:
    page = 1
    while True:
        data = await client.get_json(
            client.hosts.api,
            "/x/polymer/web-space/seasons_archives_list",
            {
                "mid": ref.mid,
                "season_id": ref.id,
                "page_num": page,
                "page_size": COLLECTION_PAGE_SIZE,
                "sort_reverse": "false",
            },
        )
        archives = (data or {}).get("archives") or []
        for archive in archives:
            yield _archive_item(archive, int(ref.mid or 0))
        total = int((((data or {}).get("page") or {}).get("total")) or 0)
        if not archives or page * COLLECTION_PAGE_SIZE >= total:
            return
        page += 1


async def _scan_series(client: BiliClient, ref: SourceRef) -> AsyncIterator[RemoteItem]:
    page = 1
    while True:
        data = await client.get_json(
            client.hosts.api,
            "/x/series/archives",
            {
                "mid": ref.mid,
                "series_id": ref.id,
                "only_normal": "true",
                "sort": "desc",
                "pn": page,
                "ps": SERIES_PAGE_SIZE,
            },
        )
        archives = (data or {}).get("archives") or []
        for archive in archives:
            yield _archive_item(archive, int(ref.mid or 0))
        total = int((((data or {}).get("page") or {}).get("total")) or 0)
        if not archives or page * SERIES_PAGE_SIZE >= total:
            return
        page += 1


def _season_ids(season: dict[str, Any]) -> list[int]:
    """Every season of the show in the order the site lists them (at least this one)."""
    ids = [int(entry["season_id"]) for entry in season.get("seasons") or [] if entry.get("season_id")]
    return ids or [int(season["season_id"])]


def _series_title(season: dict[str, Any]) -> str:
    series = season.get("series") or {}
    return str(series.get("series_title") or season.get("title") or "")


def _numbered_episodes(season: dict[str, Any]) -> list[dict[str, Any]]:
    """Main episodes in viewing order: numbered ones ("1", "2"…) by number, then odd ones
    ("中章", "终章 上", specials) by release time."""
    episodes = _main_episodes(season)
    numbered = [ep for ep in episodes if str(ep.get("title") or "").strip().isdigit()]
    others = [ep for ep in episodes if not str(ep.get("title") or "").strip().isdigit()]
    numbered.sort(key=lambda ep: int(str(ep["title"]).strip()))
    others.sort(key=lambda ep: int(ep.get("pub_time") or 0))
    return numbered + others


def _episode_title(episode: dict[str, Any]) -> str:
    if episode.get("show_title"):
        return str(episode["show_title"])
    return " ".join(str(part) for part in (episode.get("title"), episode.get("long_title")) if part)


def _bangumi_items(
    season: dict[str, Any], season_number: int, series_title: str, show_season_id: int
) -> Iterable[RemoteItem]:
    season_id = int(season["season_id"])
    for number, episode in enumerate(_numbered_episodes(season), start=1):
        released = _time(episode.get("pub_time"))
        ep_id = int(episode["id"])
        yield RemoteItem(
            key=f"ep{ep_id}",
            bvid=_bvid(episode),
            aid=int(episode.get("aid") or 0),
            title=_episode_title(episode),
            cover=str(episode.get("cover") or ""),
            intro=str(season.get("evaluate") or ""),
            upper=None,
            pubtime=released,
            order_time=released,
            # PGC episode durations are in milliseconds.
            duration=int(episode.get("duration") or 0) // 1000,
            page_count=1,
            ep_id=ep_id,
            cid=int(episode["cid"]) if episode.get("cid") else None,
            season_id=season_id,
            season_number=season_number,
            episode_number=number,
            series_title=series_title,
            dimension=_dimension(episode.get("dimension")),
            show_season_id=show_season_id,
        )


async def _show_seasons(
    client: BiliClient, requested: dict[str, Any], ref: SourceRef
) -> AsyncIterator[tuple[int, dict[str, Any]]]:
    """(season number, season) for the requested season, or for every season of the show."""
    season_ids = _season_ids(requested)
    requested_id = int(requested["season_id"])
    for season_id in season_ids if ref.all_seasons else [requested_id]:
        season = requested if season_id == requested_id else await _season_result(client, season_id=season_id)
        yield (season_ids.index(season_id) + 1 if season_id in season_ids else 1), season


async def _scan_bangumi(client: BiliClient, ref: SourceRef) -> AsyncIterator[RemoteItem]:
    requested = await _requested_season(client, ref)
    series_title = _series_title(requested) if ref.all_seasons else str(requested.get("title") or "")
    # the show is the season asked for, or with every season the first one: the same id
    # whichever season's link added it
    show_season_id = _season_ids(requested)[0] if ref.all_seasons else int(requested["season_id"])
    async for season_number, season in _show_seasons(client, requested, ref):
        for item in _bangumi_items(season, season_number, series_title, show_season_id):
            yield item


# ---- one video ------------------------------------------------------------------------------


def _tag_names(data: Any) -> list[str]:
    names: list[str] = []
    for tag in data or []:
        name = tag.get("tag_name") if isinstance(tag, dict) else tag
        if isinstance(name, str) and name:
            names.append(name)
    return names


def _page(raw: dict[str, Any]) -> PageInfo:
    width, height, rotate = _dimension(raw.get("dimension")) or (0, 0, 0)
    return PageInfo(
        cid=int(raw["cid"]),
        page=int(raw.get("page") or 1),
        part=str(raw.get("part") or ""),
        duration=int(raw.get("duration") or 0),
        width=width,
        height=height,
        rotate=rotate,
        first_frame=str(raw.get("first_frame") or ""),
    )


async def fetch_detail(client: BiliClient, bvid: str) -> VideoDetail:
    """View info plus tags; -404 and hidden videos raise UnavailableError."""
    api = client.hosts.api
    view = await client.get_json(api, "/x/web-interface/wbi/view", {"bvid": bvid}, wbi=True)
    if not isinstance(view, dict):
        raise InvalidResponseError(f"/x/web-interface/wbi/view gave no data for {bvid}")
    tags = await client.get_json(api, "/x/web-interface/view/detail/tag", {"bvid": bvid})
    owner = _upper(view.get("owner")) or Upper(mid=0, name="")
    staff = [
        Upper(
            mid=int(s["mid"]),
            name=str(s.get("name") or ""),
            face=str(s.get("face") or ""),
            role=s.get("title") or "",
        )
        for s in view.get("staff") or []
        if s.get("mid")
    ]
    return VideoDetail(
        bvid=str(view.get("bvid") or bvid),
        aid=int(view.get("aid") or 0),
        title=str(view.get("title") or ""),
        cover=str(view.get("pic") or ""),
        intro=str(view.get("desc") or ""),
        pubtime=_time(view.get("pubdate")),
        ctime=_time(view.get("ctime")),
        duration=int(view.get("duration") or 0),
        owner=owner,
        staff=staff,
        pages=[_page(raw) for raw in view.get("pages") or []],
        tags=_tag_names(tags),
        state=int(view.get("state") or 0),
        redirect_url=str(view.get("redirect_url") or ""),
        # is_upower_play: the account has charged the UP and may watch anyway.
        charge_only=bool(view.get("is_upower_exclusive")) and not bool(view.get("is_upower_play")),
    )


def _stream_urls(raw: dict[str, Any]) -> list[str]:
    main = raw.get("baseUrl") or raw.get("base_url") or raw.get("url")
    backups = raw.get("backupUrl") or raw.get("backup_url") or []
    return [url for url in [main, *backups] if url]


def _dash_stream(raw: dict[str, Any]) -> MediaStream:
    return MediaStream(
        id=int(raw.get("id") or 0),
        urls=_stream_urls(raw),
        codecid=int(raw.get("codecid") or 0),
        codecs=str(raw.get("codecs") or ""),
        bandwidth=int(raw.get("bandwidth") or 0),
        width=int(raw.get("width") or 0),
        height=int(raw.get("height") or 0),
    )


def parse_playinfo(data: dict[str, Any], what: str) -> PlayInfo:
    """A UGC `data` or PGC `result` of playurl → PlayInfo; no stream at all is risk control."""
    video_info = data.get("video_info")  # the v2 PGC endpoint nests the streams one level down
    body: dict[str, Any] = video_info if isinstance(video_info, dict) else data
    dash = body.get("dash") or {}
    dolby = dash.get("dolby") or {}
    flac = (dash.get("flac") or {}).get("audio")
    durl = [
        MediaStream(
            id=int(body.get("quality") or 0),
            urls=_stream_urls(part),
            codecid=int(body.get("video_codecid") or 0),
            size=int(part.get("size") or 0),
            kind="durl",
        )
        for part in sorted(body.get("durl") or [], key=lambda part: int(part.get("order") or 0))
    ]
    play = PlayInfo(
        video=[_dash_stream(raw) for raw in dash.get("video") or []],
        audio=[_dash_stream(raw) for raw in dash.get("audio") or []],
        dolby=[_dash_stream(raw) for raw in dolby.get("audio") or []],
        flac=_dash_stream(flac) if isinstance(flac, dict) else None,
        durl=durl,
        is_preview=bool(body.get("is_preview") or data.get("is_preview")),
    )
    if not play.video and not play.durl:
        reason = "empty stream list (dash.video is empty and there is no durl)"
        raise RiskControlError(f"Bilibili applied risk control to {what}: {reason}", reason=reason)
    return play


async def fetch_playinfo(client: BiliClient, *, bvid: str, cid: int, ep_id: int | None = None) -> PlayInfo:
    """Stream URLs (valid about two hours: fetch right before downloading)."""
    if ep_id is None:
        path = "/x/player/wbi/playurl"
        params = {"bvid": bvid, "cid": cid, **PLAYURL_QUERY, "otype": "json"}
        data = await client.get_json(client.hosts.api, path, params, wbi=True)
    else:
        path = "/pgc/player/web/playurl"
        params = {"ep_id": ep_id, "cid": cid, **PLAYURL_QUERY}
        if bvid:
            params["bvid"] = bvid
        data = await client.get_json(client.hosts.api, path, params, result_key="result")
    if not isinstance(data, dict):
        raise InvalidResponseError(f"{path} gave no play info for {bvid or ep_id}")
    return parse_playinfo(data, path)


async def fetch_subtitle_tracks(client: BiliClient, bvid: str, cid: int) -> list[SubtitleTrack]:
    """CC subtitle tracks of one page, AI ones flagged (the list is empty when logged out)."""
    data = await client.get_json(client.hosts.api, "/x/player/wbi/v2", {"bvid": bvid, "cid": cid}, wbi=True)
    subtitles = (((data or {}).get("subtitle") or {}).get("subtitles")) or []
    tracks: list[SubtitleTrack] = []
    for raw in subtitles:
        url = str(raw.get("subtitle_url") or "")
        if not url:
            continue
        lan = str(raw.get("lan") or "")
        tracks.append(
            SubtitleTrack(
                lan=lan,
                lan_doc=str(raw.get("lan_doc") or lan),
                url=absolute_url(url, client.hosts.api),
                is_ai="ai_subtitle" in url or lan.startswith("ai-"),
            )
        )
    return tracks


async def fetch_subtitle_cues(client: BiliClient, track: SubtitleTrack) -> list[SubtitleCue]:
    body = await client.media_bytes(track.url)
    try:
        document = json.loads(body)
        return [
            SubtitleCue(start=float(cue["from"]), end=float(cue["to"]), content=str(cue.get("content") or ""))
            for cue in document.get("body") or []
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InvalidResponseError(f"subtitle {track.lan} is not the expected JSON: {exc}") from exc


async def fetch_danmaku_segments(client: BiliClient, cid: int, duration: int) -> list[bytes]:
    """The protobuf danmaku segments (6 minutes each) of a page, in order."""
    count = max(1, math.ceil(duration / DANMAKU_SEGMENT_SECONDS))
    return list(
        await asyncio.gather(
            *(
                client.get_bytes(
                    client.hosts.api,
                    "/x/v2/dm/wbi/web/seg.so",
                    {"type": 1, "oid": cid, "segment_index": index},
                    wbi=True,
                )
                for index in range(1, count + 1)
            )
        )
    )


async def fetch_image(client: BiliClient, url: str) -> bytes:
    return await client.media_bytes(absolute_url(url, client.hosts.api))
