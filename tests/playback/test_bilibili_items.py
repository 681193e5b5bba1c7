"""Bilibili links to one video or episode, parsed into items that play (against the fake)."""

from __future__ import annotations

import pytest

from core.errors import LinkError, UnavailableError
from core.providers.bilibili.client import BiliClient
from core.providers.bilibili.items import aid_to_bvid, parse_video_link
from core.providers.bilibili.provider import BilibiliProvider
from tests.fakes.bilibili import world


@pytest.mark.parametrize(
    ("text", "claimed"),
    [
        (world.BVID_SPRING, True),
        (f"https://www.bilibili.com/video/{world.BVID_SPRING}/?p=2&vd_source=x", True),
        (f"https://m.bilibili.com/video/{world.BVID_SPRING}", True),
        (f"https://www.bilibili.com/bangumi/play/ep{world.EP_FIRST}", True),
        ("ep500101", True),
        ("https://b23.tv/Vid0101", True),
        (world.FAV_KEY, False),  # a source to follow, not a video to play
        ("https://space.bilibili.com/2001", False),
        ("https://example.com/video/BV1xx411c7mD", False),
    ],
)
def test_claims_videos_and_episodes_only(provider: BilibiliProvider, text: str, claimed: bool) -> None:
    assert provider.claims_item(text) is claimed


def test_av_ids_become_bv_ids() -> None:
    assert aid_to_bvid(world.AID_SPRING) == world.BVID_SPRING
    assert parse_video_link(f"av{world.AID_SPRING}") == parse_video_link(world.BVID_SPRING)
    found = parse_video_link(f"https://www.bilibili.com/video/{world.BVID_MULTIPAGE}?p=3")
    assert found is not None and found.page == 3


async def test_a_video_link_gives_every_page(provider: BilibiliProvider, session: BiliClient) -> None:
    item = await provider.parse_item(session, f"https://www.bilibili.com/video/{world.BVID_MULTIPAGE}/?p=2")
    assert item.complete and item.title == "【三集连播】多P测试视频" and len(item.parts) == 3
    assert item.details["page"] == 2 and all(part.duration > 0 for part in item.parts)


async def test_short_links_and_episodes(provider: BilibiliProvider, session: BiliClient) -> None:
    via_short = await provider.parse_item(session, "https://b23.tv/Vid0101")
    assert via_short.key == world.BVID_SPRING
    episode = await provider.parse_item(session, f"https://www.bilibili.com/bangumi/play/ep{world.EP_FIRST}")
    assert episode.title.startswith("启程") or "启程" in episode.title
    assert len(episode.parts) == 1 and episode.episode is not None


async def test_unplayable_videos_are_refused(provider: BilibiliProvider, session: BiliClient) -> None:
    with pytest.raises(UnavailableError):
        await provider.parse_item(session, world.BVID_DELETED)
    with pytest.raises(LinkError):
        await provider.parse_item(session, "https://b23.tv/Nowhere1")
