"""The Bilibili provider against the fake: links, listings, details, streams, danmaku, subtitles."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from core.config import load_config
from core.errors import LinkError, LoginExpiredError, UnavailableError
from core.providers.bilibili.client import BiliClient
from core.providers.bilibili.provider import BilibiliProvider
from core.providers.protocols import (
    Authenticator,
    DanmakuSource,
    Episode,
    LinkParser,
    MediaItem,
    PlaybackResolver,
    SourceScanner,
    SourceTarget,
    SubtitleSource,
)
from tests.fakes.bilibili import FakeBilibili, world
from tests.providers.bilibili.conftest import account_secret

FAV_LIST = "/x/v3/fav/resource/list"


def target(locator: str) -> SourceTarget:
    kind = {"fav": "favorite", "up": "submission", "watchlater": "watch_later", "season": "collection"}
    return SourceTarget("bilibili", locator, kind.get(locator.split(":")[0], "bangumi"), "")


def test_every_capability_but_browse_and_search(provider: BilibiliProvider) -> None:
    for protocol in (LinkParser, SourceScanner, PlaybackResolver, DanmakuSource, SubtitleSource, Authenticator):
        assert isinstance(provider, protocol)


# ---- links ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "locator", "kind", "label"),
    [
        (f"https://space.bilibili.com/{world.ACCOUNT_MID}/favlist?fid={world.FAV_ID}", "fav:101", "favorite", "收藏夹"),
        ("https://b23.tv/Col3001", world.SEASON_KEY, "collection", "合集"),
        (world.SERIES_KEY, world.SERIES_KEY, "series", "列表"),
        (f"https://space.bilibili.com/{world.UP_B_MID}", world.UP_B_KEY, "submission", "投稿"),
        (f"https://www.bilibili.com/bangumi/play/ep{world.EP_VIP}", "ss:401", "bangumi", "番剧"),
        (f"md:{world.BANGUMI_MEDIA_2}+all", "ss:402+all", "bangumi", "番剧"),
    ],
)
async def test_links_become_targets(
    provider: BilibiliProvider, session: BiliClient, text: str, locator: str, kind: str, label: str
) -> None:
    found = await provider.resolve_link(session, text)
    assert (found.provider, found.locator, found.kind, found.kind_label) == ("bilibili", locator, kind, label)
    assert found.shared_folder is (kind == "bangumi") and found.needs_login is False


async def test_watch_later_needs_a_login(provider: BilibiliProvider, session: BiliClient) -> None:
    found = await provider.resolve_link(session, "https://www.bilibili.com/watchlater/#/list")
    assert (found.locator, found.needs_login, found.kind_label) == ("watchlater", True, "稍后再看")


async def test_a_link_it_does_not_claim_is_refused_without_a_request(
    provider: BilibiliProvider, session: BiliClient, fake_bili: FakeBilibili
) -> None:
    with pytest.raises(LinkError, match="not a Bilibili link"):
        await provider.resolve_link(session, "https://evil.example/1001/favlist?fid=101")
    assert fake_bili.calls() == 0


def test_claims_the_configured_hosts_too(provider: BilibiliProvider, fake_bili: FakeBilibili) -> None:
    assert provider.claims(f"{fake_bili.base_url}/1001/favlist?fid=101")
    assert not provider.claims("http://127.0.0.2:1/1001/favlist?fid=101")


async def test_describe_a_source(provider: BilibiliProvider, session: BiliClient) -> None:
    preview = await provider.describe(session, target(f"ep:{world.EP_VIP}"))
    assert (preview.target.locator, preview.title, preview.count) == ("ss:401", "测试番剧 第一季", 2)
    favorites = await provider.describe(session, target(world.FAV_KEY))
    assert (favorites.title, favorites.count) == ("同步测试收藏夹", 6)
    assert favorites.owner is not None and favorites.owner.id == str(world.ACCOUNT_MID)


# ---- listings -------------------------------------------------------------------------------


async def test_first_favorites_scan_is_whole_with_part_counts_and_a_span(
    provider: BilibiliProvider, session: BiliClient
) -> None:
    listing = await provider.scan(session, target(world.FAV_KEY), None)
    items = {item.key: item for item in listing.items}
    assert list(items) == [
        world.BVID_SPRING,
        world.BVID_MULTIPAGE,
        world.BVID_HOSTILE,
        world.BVID_DELETED,
        world.BVID_CHARGE_ONLY,
        world.BVID_PRIVATE,
    ]
    assert listing.whole
    assert items[world.BVID_MULTIPAGE].part_count == 3 and items[world.BVID_SPRING].part_count == 1
    times = [item.order_at for item in listing.items]
    assert listing.span == (min(times), max(times)) and listing.cursor == max(times).isoformat()  # type: ignore[type-var]
    spring = items[world.BVID_SPRING]
    assert spring.added_at == spring.order_at and spring.published_at is not None and not spring.complete
    assert spring.owner is not None and (spring.owner.id, spring.owner.name) == (str(world.UP_A_MID), "甲UP主")
    assert spring.details["bvid"] == world.BVID_SPRING and spring.details["aid"] == world.AID_SPRING
    assert items[world.BVID_DELETED].unavailable == "deleted or invalid upstream"
    assert spring.url == f"https://www.bilibili.com/video/{world.BVID_SPRING}/"


async def test_incremental_favorites_scan_reads_one_page_and_shows_what_vanished(
    provider: BilibiliProvider, session: BiliClient, fake_bili: FakeBilibili
) -> None:
    first = await provider.scan(session, target(world.FAV_KEY), None)
    known = {item.key: item for item in first.items}
    fake_bili.remove_item(world.FAV_KEY, world.BVID_HOSTILE)
    added = fake_bili.add_video(world.FAV_KEY, {"title": "新收藏的视频", "pages": 2})
    calls = fake_bili.calls(FAV_LIST)

    listing = await provider.scan(session, target(world.FAV_KEY), first.cursor)

    assert fake_bili.calls(FAV_LIST) - calls == 1
    assert not listing.whole and listing.span is not None
    keys = [item.key for item in listing.items]
    assert keys[0] == added["bvid"] and listing.items[0].part_count == 2
    assert world.BVID_SPRING in keys and world.BVID_PRIVATE in keys  # known ones are listed too
    vanished = [key for key, item in known.items() if key not in keys and listing.span[0] <= item.order_at]  # type: ignore[operator]
    assert vanished == [world.BVID_HOSTILE]
    assert listing.cursor == listing.items[0].order_at.isoformat()  # type: ignore[union-attr]


async def test_nothing_new_keeps_the_cursor(provider: BilibiliProvider, session: BiliClient) -> None:
    cursor = datetime(2100, 1, 1, tzinfo=UTC).isoformat()
    listing = await provider.scan(session, target(world.UP_B_KEY), cursor)
    assert listing.cursor == cursor and not listing.whole and len(listing.items) == 30


async def test_an_unreadable_cursor_lists_from_the_start(provider: BilibiliProvider, session: BiliClient) -> None:
    listing = await provider.scan(session, target(world.UP_B_KEY), "yesterday-ish")
    assert listing.whole and len(listing.items) == 35


async def test_watch_later_is_whole_and_needs_a_login(
    provider: BilibiliProvider, session: BiliClient, anon_session: BiliClient
) -> None:
    listing = await provider.scan(session, target("watchlater"), datetime(2100, 1, 1, tzinfo=UTC).isoformat())
    assert listing.whole and [item.key for item in listing.items] == [world.BVID_DOLBY, world.BVIDS_SEASON[0]]
    assert listing.items[0].part_count == 1 and listing.span is not None
    with pytest.raises(LoginExpiredError):
        await provider.scan(anon_session, target("watchlater"), None)


async def test_collections_are_whole_without_a_cursor(provider: BilibiliProvider, session: BiliClient) -> None:
    listing = await provider.scan(session, target(world.SEASON_KEY), datetime(2100, 1, 1, tzinfo=UTC).isoformat())
    assert listing.whole and listing.cursor is None and listing.span is None
    assert {item.key for item in listing.items} == set(world.BVIDS_SEASON)


async def test_bangumi_episodes_come_complete(provider: BilibiliProvider, session: BiliClient) -> None:
    listing = await provider.scan(session, target(f"ss:{world.BANGUMI_SEASON_2}+all"), None)
    assert listing.whole and listing.cursor is None
    assert [item.key for item in listing.items] == [
        f"ep{world.EP_FIRST}",
        f"ep{world.EP_VIP}",
        *(f"ep{ep}" for ep in world.EPS_SEASON_2),
    ]
    first = listing.items[0]
    # the show is the first season whichever season's link added it: one id for its tvshow.nfo
    show = f"ss{world.BANGUMI_SEASON_1}", f"https://www.bilibili.com/bangumi/play/ss{world.BANGUMI_SEASON_1}"
    assert first.complete and first.part_count == 1 and first.episode == Episode("测试番剧", 1, 1, *show)
    assert listing.items[2].episode == Episode("测试番剧", 2, 1, *show)
    (part,) = first.parts
    assert part.url == first.url and part.intro == ""
    assert part.key == str(first.details["cid"]) and part.number == 1 and part.duration == world.MEDIA_DURATION
    assert (part.details["width"], part.details["height"]) == (1920, 1080)
    assert first.details["ep_id"] == world.EP_FIRST and first.details["season_id"] == world.BANGUMI_SEASON_1
    assert first.url == f"https://www.bilibili.com/bangumi/play/ep{world.EP_FIRST}"
    assert await provider.complete(session, first) == first


async def test_list_keys(provider: BilibiliProvider, session: BiliClient, fake_bili: FakeBilibili) -> None:
    fake_bili.remove_item(world.FAV_KEY, world.BVID_SPRING)
    keys = await provider.list_keys(session, target(world.FAV_KEY))
    assert len(keys) == 5 and world.BVID_SPRING not in keys


# ---- details --------------------------------------------------------------------------------


async def listed(provider: BilibiliProvider, session: BiliClient, key: str) -> MediaItem:
    listing = await provider.scan(session, target(world.FAV_KEY), None)
    return next(item for item in listing.items if item.key == key)


async def test_complete_fills_parts_tags_and_people(provider: BilibiliProvider, session: BiliClient) -> None:
    item = await provider.complete(session, await listed(provider, session, world.BVID_MULTIPAGE))
    assert item.complete and not item.unavailable and item.part_count == 3
    assert [part.title for part in item.parts] == ["第一集：出发", "第二集：路上", "第三集：到达"]
    assert [part.number for part in item.parts] == [1, 2, 3]
    third = item.parts[2]
    assert third.key == str(third.details["cid"]) and third.duration == 725
    assert {"width", "height", "rotate", "first_frame"} <= set(third.details)
    assert third.url == f"https://www.bilibili.com/video/{world.BVID_MULTIPAGE}/?p=3", "each page links to itself"
    assert item.tags == ("旅行", "合作")
    assert [(p.id, p.role) for p in item.people] == [(str(world.UP_A_MID), "UP主"), (str(world.UP_C_MID), "剪辑")]
    assert item.added_at is not None  # the listing's own facts stay


async def test_complete_asks_again_for_a_complete_item_so_new_parts_show(
    provider: BilibiliProvider, session: BiliClient, fake_bili: FakeBilibili
) -> None:
    item = await provider.complete(session, await listed(provider, session, world.BVID_MULTIPAGE))
    new_cid = fake_bili.add_page(world.BVID_MULTIPAGE, "第四集：加更")
    again = await provider.complete(session, item)
    assert [part.key for part in again.parts][-1] == str(new_cid) and again.part_count == 4


async def test_an_episode_stored_without_its_part_gets_it_back_without_a_request(
    provider: BilibiliProvider, session: BiliClient, fake_bili: FakeBilibili
) -> None:
    listing = await provider.scan(session, target(f"ss:{world.BANGUMI_SEASON_1}"), None)
    assert listing.items[0].episode and listing.items[0].episode.series_key == f"ss{world.BANGUMI_SEASON_1}"
    stored = replace(listing.items[0], parts=(), complete=False)  # as a task row gives it back
    calls = fake_bili.calls()
    again = await provider.complete(session, stored)
    assert fake_bili.calls() == calls
    assert again.complete and [part.key for part in again.parts] == [part.key for part in listing.items[0].parts]


async def test_complete_explains_what_cannot_be_downloaded(
    provider: BilibiliProvider, session: BiliClient, fake_bili: FakeBilibili
) -> None:
    charge = await provider.complete(session, await listed(provider, session, world.BVID_CHARGE_ONLY))
    assert charge.complete and charge.unavailable == "charge-only video (充电专属)"
    private = await provider.complete(session, await listed(provider, session, world.BVID_PRIVATE))
    assert private.unavailable and not private.complete
    deleted = await listed(provider, session, world.BVID_DELETED)
    calls = fake_bili.calls()
    assert await provider.complete(session, deleted) is deleted and fake_bili.calls() == calls
    pgc_bvid = world.aid_to_bvid(1000601)
    episode = await provider.complete(session, MediaItem(key=pgc_bvid, title="", details={"bvid": pgc_bvid}))
    assert episode.unavailable.startswith("bangumi/film episode")
    fake_bili.update_video(world.BVID_SPRING, view_code=62002)
    hidden = await provider.complete(session, await listed(provider, session, world.BVID_SPRING))
    assert hidden.unavailable and not hidden.complete


# ---- playback -------------------------------------------------------------------------------

ProviderFactory = Callable[..., BilibiliProvider]


@pytest.fixture
def make_provider(fake_bili: FakeBilibili, tmp_path: Path) -> ProviderFactory:
    def factory(**settings: str) -> BilibiliProvider:
        hosts = {f"bilibili.{name}_host": url for name, url in fake_bili.hosts().items()}
        overrides = {**hosts, "limits.api_calls": "1000", "limits.api_window_ms": "1000", **settings}
        return BilibiliProvider(load_config(tmp_path / "c.toml", data_dir=tmp_path, environ={}, overrides=overrides))

    return factory


@pytest.fixture
async def dolby(provider: BilibiliProvider, session: BiliClient) -> AsyncIterator[MediaItem]:
    listing = await provider.scan(session, target("watchlater"), None)
    yield await provider.complete(session, listing.items[0])


async def resolved_labels(provider: BilibiliProvider, item: MediaItem) -> list[tuple[str, str, str]]:
    session = await provider.open_session(account_secret())
    try:
        playback = await provider.resolve(session, item, item.parts[0])
    finally:
        await session.aclose()
    return [(stream.kind, stream.quality, stream.codec) for stream in playback.streams]


async def test_resolve_follows_the_quality_settings(make_provider: ProviderFactory, dolby: MediaItem) -> None:
    capped = make_provider(**{"quality.video_max": "1080p", "quality.codecs": "avc"})
    assert await resolved_labels(capped, dolby) == [("video", "1080p", "avc"), ("audio", "hires", "flac")]
    no_hires = make_provider(**{"quality.video_max": "720p", "quality.codecs": "avc", "quality.no_hires": "true"})
    assert await resolved_labels(no_hires, dolby) == [("video", "720p", "avc"), ("audio", "dolby", "eac3")]
    plain = make_provider(
        **{"quality.video_max": "480p", "quality.codecs": "avc", "quality.no_hires": "1", "quality.no_dolby_audio": "1"}
    )
    assert await resolved_labels(plain, dolby) == [("video", "480p", "avc"), ("audio", "192k", "aac")]


async def test_resolve_gives_urls_that_work_and_labels_that_stay(
    provider: BilibiliProvider, session: BiliClient, dolby: MediaItem
) -> None:
    playback = await provider.resolve(session, dolby, dolby.parts[0])
    again = await provider.resolve(session, dolby, dolby.parts[0])
    labels = [(s.kind, s.quality, s.codec) for s in playback.streams]
    assert labels == [(s.kind, s.quality, s.codec) for s in again.streams]
    assert [kind for kind, _, _ in labels] == ["video", "audio"]
    assert playback.danmaku and playback.subtitles == ()
    assert playback.expires_at is not None and playback.expires_at > datetime.now(UTC)
    video = playback.streams[0]
    assert video.headers["Referer"].startswith("https://www.bilibili.com")
    assert len(video.urls) >= 2 and video.urls[0] != again.streams[0].urls[0]
    async with httpx.AsyncClient(trust_env=False) as http:
        reply = await http.get(video.urls[0], headers={**video.headers, "Range": "bytes=0-15"})
    assert reply.status_code == 206 and len(reply.content) == 16


async def test_resolve_progressive_and_silent_videos(
    provider: BilibiliProvider, session: BiliClient, fake_bili: FakeBilibili
) -> None:
    progressive = fake_bili.add_video(world.FAV_KEY, {"title": "只有 mp4", "durl_only": True})
    silent = fake_bili.add_video(world.FAV_KEY, {"title": "无声", "silent": True})
    listing = await provider.scan(session, target(world.FAV_KEY), None)
    items = {item.key: item for item in listing.items}
    muxed_item = await provider.complete(session, items[progressive["bvid"]])
    (muxed,) = (await provider.resolve(session, muxed_item, muxed_item.parts[0])).streams
    assert muxed.kind == "muxed" and muxed.size > 0 and muxed.quality == "720p"
    silent_item = await provider.complete(session, items[silent["bvid"]])
    streams = (await provider.resolve(session, silent_item, silent_item.parts[0])).streams
    assert [stream.kind for stream in streams] == ["video"]


async def test_bangumi_trial_clips_are_unavailable(
    provider: BilibiliProvider, session: BiliClient, anon_session: BiliClient
) -> None:
    listing = await provider.scan(session, target(f"ss:{world.BANGUMI_SEASON_1}"), None)
    first, vip_only = listing.items
    assert [s.kind for s in (await provider.resolve(session, vip_only, vip_only.parts[0])).streams] == [
        "video",
        "audio",
    ]
    assert (await provider.resolve(anon_session, first, first.parts[0])).streams
    with pytest.raises(UnavailableError, match="trial clip"):
        await provider.resolve(anon_session, vip_only, vip_only.parts[0])


async def test_danmaku_segments_by_duration(provider: BilibiliProvider, session: BiliClient) -> None:
    item = await provider.complete(session, await listed(provider, session, world.BVID_MULTIPAGE))
    long_part = await provider.danmaku(session, item, item.parts[2])  # 725 s: three 6-minute segments
    short_part = await provider.danmaku(session, item, item.parts[0])
    assert long_part.format == "bilibili-protobuf"
    assert len(long_part.segments) == 3 and len(short_part.segments) == 1
    assert all(segment for segment in long_part.segments)


async def test_subtitle_tracks_and_cues(provider: BilibiliProvider, session: BiliClient) -> None:
    spring = await provider.complete(session, await listed(provider, session, world.BVID_SPRING))
    tracks = await provider.subtitle_tracks(session, spring, spring.parts[0])
    assert [(t.lang, t.label, t.generated) for t in tracks] == [
        ("zh-CN", "中文（中国）", False),
        ("en", "English", False),
    ]
    cues = await provider.subtitle_cues(session, tracks[1])
    assert [cue.text for cue in cues] == ["Hello, world.", "This is a test subtitle.", "Bye!"]
    assert (cues[0].start, cues[0].end) == (0.0, 1.2)
    multipage = await provider.complete(session, await listed(provider, session, world.BVID_MULTIPAGE))
    generated = await provider.subtitle_tracks(session, multipage, multipage.parts[0])
    assert [(t.lang, t.generated) for t in generated] == [("zh-CN", False), ("ai-zh", True)]


async def test_subtitles_need_a_login(provider: BilibiliProvider, anon_session: BiliClient) -> None:
    listing = await provider.scan(anon_session, target(world.FAV_KEY), None)
    spring = await provider.complete(anon_session, listing.items[0])
    assert await provider.subtitle_tracks(anon_session, spring, spring.parts[0]) == []


# ---- images and names -----------------------------------------------------------------------


async def test_cover_image_and_template_variables(provider: BilibiliProvider, session: BiliClient) -> None:
    spring = await listed(provider, session, world.BVID_SPRING)
    assert (await provider.fetch_image(session, spring.cover))[:3] == b"\xff\xd8\xff"  # a JPEG
    assert provider.template_variables(spring, None) == {"bvid": world.BVID_SPRING, "ep_id": ""}
    episodes = await provider.scan(session, target(f"ss:{world.BANGUMI_SEASON_1}"), None)
    first = episodes.items[0]
    assert provider.template_variables(first, first.parts[0]) == {
        "bvid": first.details["bvid"],
        "ep_id": world.EP_FIRST,
    }
