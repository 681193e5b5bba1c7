"""Listing every kind of source against the fake, incremental stops and call counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import LoginExpiredError
from core.providers.bilibili import api
from core.providers.bilibili.client import BiliClient
from core.providers.bilibili.links import parse_link
from core.providers.bilibili.models import RemoteItem, SourceKind, SourceRef
from tests.fakes.bilibili import FakeBilibili, world


async def scan(client: BiliClient, key: str, since: datetime | None = None) -> list[RemoteItem]:
    return [item async for item in api.scan_source(client, parse_link(key), since)]


async def test_favorites_list_newest_fav_first_with_deleted_marked(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    items = await scan(bili, FakeBilibili.FAV_KEY)
    assert [item.key for item in items] == [
        world.BVID_SPRING,
        world.BVID_MULTIPAGE,
        world.BVID_HOSTILE,
        world.BVID_DELETED,
        world.BVID_CHARGE_ONLY,
        world.BVID_PRIVATE,
    ]
    assert [item.order_time for item in items] == sorted((item.order_time for item in items), reverse=True)
    spring, multipage, _, deleted = items[:4]
    assert spring.title == "春日散步 Vlog" and spring.upper is not None and spring.upper.name == "甲UP主"
    assert spring.fav_time == spring.order_time and spring.order_time.tzinfo is not None
    assert spring.pubtime < spring.fav_time  # published 50 h ago, favorited 1 h ago
    assert multipage.page_count == 3
    assert deleted.valid is False and deleted.title == "已失效视频"
    assert all(item.valid for item in items if item is not deleted)
    assert fake_bili.calls("/x/v3/fav/resource/list") == 1


async def test_favorites_stop_after_the_page_that_reaches_the_high_water_mark(
    bili: BiliClient, fake_bili: FakeBilibili
) -> None:
    now = int(datetime.now(UTC).timestamp())
    for index in range(20):
        fake_bili.add_video(FakeBilibili.FAV_KEY, {"title": f"批量 {index}", "added": now + index})
    everything = await scan(bili, FakeBilibili.FAV_KEY)
    calls_before = fake_bili.calls("/x/v3/fav/resource/list")
    newer = await scan(bili, FakeBilibili.FAV_KEY, since=everything[2].order_time)
    # The whole first page, older items included; the second page is not read.
    assert [item.key for item in newer] == [item.key for item in everything[:20]]
    assert fake_bili.calls("/x/v3/fav/resource/list") - calls_before == 1


async def test_favorites_pick_up_a_new_item_after_the_last_scan(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    high_water = (await scan(bili, FakeBilibili.FAV_KEY))[0].order_time
    added = fake_bili.add_video(FakeBilibili.FAV_KEY, {"title": "新收藏的视频"})
    calls_before = bili.api_calls
    new_items = await scan(bili, FakeBilibili.FAV_KEY, since=high_water)
    assert [item.key for item in new_items if item.order_time > high_water] == [added["bvid"]]
    assert new_items[0].title == "新收藏的视频" and len(new_items) == 7
    assert bili.api_calls - calls_before == 1


async def test_favorites_page_through_more_than_twenty(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    now = int(datetime.now(UTC).timestamp())
    for index in range(20):
        fake_bili.add_video(FakeBilibili.FAV_KEY, {"title": f"批量 {index}", "added": now + index})
    items = await scan(bili, FakeBilibili.FAV_KEY)
    assert len(items) == 26
    assert items[0].title == "批量 19"
    assert fake_bili.calls("/x/v3/fav/resource/list") == 2


@pytest.mark.parametrize("key", [FakeBilibili.FAV_KEY, FakeBilibili.UP_B_KEY, FakeBilibili.WATCH_LATER_KEY])
async def test_nothing_new_costs_one_api_call(bili: BiliClient, fake_bili: FakeBilibili, key: str) -> None:
    await bili.wbi_keys.get()  # keys are fetched once a day, not per scan
    calls_before = bili.api_calls
    since = datetime.now(UTC) + timedelta(minutes=1)
    assert all(item.order_time <= since for item in await scan(bili, key, since=since))
    assert bili.api_calls - calls_before == 1


async def test_submissions_page_through_all_uploads_newest_first(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    items = await scan(bili, FakeBilibili.UP_B_KEY)
    assert len(items) == 35
    assert items[0].title == "乙的投稿 第35期" and items[-1].title == "乙的投稿 第01期"
    assert [item.key for item in items] == list(reversed(world.BVIDS_UP_B))
    assert items[0].upper is not None and items[0].upper.name == "乙UP主"
    assert items[0].duration == world.MEDIA_DURATION
    assert fake_bili.calls("/x/space/wbi/arc/search") == 2


async def test_submissions_stop_on_the_first_page_when_caught_up(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    everything = await scan(bili, FakeBilibili.UP_B_KEY)
    calls_before = fake_bili.calls("/x/space/wbi/arc/search")
    # No reset between the scans: a reset rebuilds the world from the clock, which may have ticked.
    newer = await scan(bili, FakeBilibili.UP_B_KEY, since=everything[4].order_time)
    assert [item.title for item in newer[:4]] == [f"乙的投稿 第{n}期" for n in (35, 34, 33, 32)]
    assert len(newer) == 30  # the whole first page
    assert fake_bili.calls("/x/space/wbi/arc/search") - calls_before == 1


async def test_watch_later_comes_whole_in_one_call(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    items = await scan(bili, FakeBilibili.WATCH_LATER_KEY)
    assert [item.key for item in items] == [world.BVID_DOLBY, world.BVIDS_SEASON[0]]
    assert items[0].order_time > items[1].order_time
    assert items[0].cid is not None and items[0].page_count == 1
    again = await scan(bili, FakeBilibili.WATCH_LATER_KEY, since=items[1].order_time)
    assert [item.key for item in again] == [item.key for item in items]
    assert fake_bili.calls("/x/v2/history/toview") == 2


async def test_watch_later_needs_a_login(anon: BiliClient) -> None:
    with pytest.raises(LoginExpiredError):
        await scan(anon, FakeBilibili.WATCH_LATER_KEY)


async def test_collection_and_series_are_always_listed_in_full(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    future = datetime.now(UTC) + timedelta(days=1)
    season = await scan(bili, FakeBilibili.SEASON_KEY, since=future)
    assert {item.key for item in season} == set(world.BVIDS_SEASON)
    assert all(item.upper is not None and item.upper.mid == world.UP_A_MID for item in season)
    series = await scan(bili, FakeBilibili.SERIES_KEY, since=future)
    assert {item.title for item in series} == {"料理笔记：番茄炒蛋", "料理笔记：红烧肉"}
    assert series[0].order_time == series[0].pubtime


async def test_collection_pages_of_thirty(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    for index in range(30):
        fake_bili.add_video(FakeBilibili.SEASON_KEY, {"title": f"城市漫游 加更{index}"})
    items = await scan(bili, FakeBilibili.SEASON_KEY)
    assert len(items) == 33 and len({item.key for item in items}) == 33
    assert fake_bili.calls("/x/polymer/web-space/seasons_archives_list") == 2


async def test_bangumi_season_skips_previews_and_numbers_episodes(bili: BiliClient) -> None:
    items = await scan(bili, f"ss:{world.BANGUMI_SEASON_1}")
    assert [item.key for item in items] == [f"ep{world.EP_FIRST}", f"ep{world.EP_VIP}"]
    first = items[0]
    assert (first.season_number, first.episode_number) == (1, 1)
    assert items[1].episode_number == 2
    assert first.ep_id == world.EP_FIRST and first.cid and first.bvid
    assert first.duration == world.MEDIA_DURATION  # PGC durations come in milliseconds
    assert first.series_title == "测试番剧 第一季"
    assert "启程" in first.title
    assert first.dimension == (1920, 1080, 0)


async def test_bangumi_all_seasons(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    items = await scan(bili, f"ep:{world.EPS_SEASON_2[0]}+all")
    assert [item.ep_id for item in items] == [world.EP_FIRST, world.EP_VIP, *world.EPS_SEASON_2]
    assert [(item.season_number, item.episode_number) for item in items] == [(1, 1), (1, 2), (2, 1), (2, 2)]
    assert {item.series_title for item in items} == {"测试番剧"}
    assert {item.season_id for item in items} == {world.BANGUMI_SEASON_1, world.BANGUMI_SEASON_2}
    assert fake_bili.calls("/pgc/view/web/season") == 2


async def test_describe_every_kind(bili: BiliClient) -> None:
    favorite = await api.describe_source(bili, parse_link(FakeBilibili.FAV_KEY))
    assert (favorite.title, favorite.count) == ("同步测试收藏夹", 6)
    assert favorite.owner is not None and favorite.owner.mid == FakeBilibili.MID
    season = await api.describe_source(bili, parse_link(FakeBilibili.SEASON_KEY))
    assert (season.title, season.count) == ("城市漫游", 3)
    assert season.owner is not None and season.owner.name == "甲UP主"
    series = await api.describe_source(bili, parse_link(FakeBilibili.SERIES_KEY))
    assert (series.title, series.count) == ("料理笔记", 2)
    upper = await api.describe_source(bili, parse_link(FakeBilibili.UP_B_KEY))
    assert (upper.title, upper.count) == ("乙UP主", 35)
    assert upper.owner is not None and upper.owner.mid == world.UP_B_MID
    later = await api.describe_source(bili, parse_link("watchlater"))
    assert later.count == 2


@pytest.mark.parametrize(
    "text",
    [
        f"ep:{world.EP_VIP}",
        f"md:{world.BANGUMI_MEDIA_1}",
        f"https://www.bilibili.com/bangumi/play/ss{world.BANGUMI_SEASON_1}",
    ],
)
async def test_describe_bangumi_resolves_to_the_season(bili: BiliClient, text: str) -> None:
    info = await api.describe_source(bili, parse_link(text))
    assert info.ref == SourceRef(SourceKind.BANGUMI, id=world.BANGUMI_SEASON_1)
    assert info.ref.key == f"ss:{world.BANGUMI_SEASON_1}"
    assert (info.title, info.count) == ("测试番剧 第一季", 2)


async def test_describe_all_seasons_counts_every_season(bili: BiliClient) -> None:
    info = await api.describe_source(bili, parse_link(f"ss:{world.BANGUMI_SEASON_2}+all"))
    assert info.ref.key == f"ss:{world.BANGUMI_SEASON_2}+all"
    assert (info.title, info.count) == ("测试番剧", 4)


async def test_list_keys_of_favorites_uses_the_id_list(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    keys = await api.list_keys(bili, parse_link(FakeBilibili.FAV_KEY))
    assert world.BVID_SPRING in keys and len(keys) == 6
    fake_bili.remove_item(FakeBilibili.FAV_KEY, world.BVID_SPRING)
    assert world.BVID_SPRING not in await api.list_keys(bili, parse_link(FakeBilibili.FAV_KEY))
    assert fake_bili.calls("/x/v3/fav/resource/ids") == 2
    assert fake_bili.calls("/x/v3/fav/resource/list") == 0


async def test_list_keys_of_other_kinds_list_everything(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    assert await api.list_keys(bili, parse_link(FakeBilibili.SERIES_KEY)) == set(world.BVIDS_SERIES)
    assert len(await api.list_keys(bili, parse_link(FakeBilibili.UP_B_KEY))) == 35
    fake_bili.remove_item(FakeBilibili.SEASON_KEY, world.BVIDS_SEASON[1])
    assert await api.list_keys(bili, parse_link(FakeBilibili.SEASON_KEY)) == {
        world.BVIDS_SEASON[0],
        world.BVIDS_SEASON[2],
    }
    assert await api.list_keys(bili, parse_link(f"ss:{world.BANGUMI_SEASON_1}")) == {
        f"ep{world.EP_FIRST}",
        f"ep{world.EP_VIP}",
    }
