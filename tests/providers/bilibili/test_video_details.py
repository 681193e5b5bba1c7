"""One video against the fake: details, play info and stream choice, subtitles, danmaku, images."""

from __future__ import annotations

import pytest

from core.errors import ApiError, DownloadError, RiskControlError, UnavailableError
from core.providers.bilibili import api
from core.providers.bilibili.client import BiliClient
from core.providers.bilibili.links import parse_link
from core.providers.bilibili.streams import StreamPrefs, codec_of, is_hevc, select_streams
from tests.fakes.bilibili import FakeBilibili, world


def cid_of(aid: int, page: int = 1) -> int:
    """The fake's cid rule for default videos."""
    return aid + 4_000_000 + (page - 1) * 10_000


async def test_detail_of_a_multi_page_joint_upload(bili: BiliClient) -> None:
    detail = await api.fetch_detail(bili, world.BVID_MULTIPAGE)
    assert detail.title == "【三集连播】多P测试视频" and detail.aid == world.AID_MULTIPAGE
    assert [page.part for page in detail.pages] == ["第一集：出发", "第二集：路上", "第三集：到达"]
    assert [page.page for page in detail.pages] == [1, 2, 3]
    assert detail.pages[2].duration == 725
    assert (detail.pages[0].width, detail.pages[0].height, detail.pages[0].rotate) == (1920, 1080, 0)
    assert detail.pages[0].first_frame.endswith("_firsti.jpg")
    assert [(upper.name, upper.role) for upper in detail.staff] == [("甲UP主", "UP主"), ("丙UP主", "剪辑")]
    assert detail.owner.mid == world.UP_A_MID
    assert detail.tags == ["旅行", "合作"]
    assert detail.charge_only is False and detail.redirect_url == ""
    assert detail.pubtime.tzinfo is not None and detail.ctime < detail.pubtime


async def test_detail_flags_charge_only_and_pgc(bili: BiliClient) -> None:
    assert (await api.fetch_detail(bili, world.BVID_CHARGE_ONLY)).charge_only is True
    pgc = await api.fetch_detail(bili, world.aid_to_bvid(1000601))
    assert pgc.redirect_url.endswith(f"/bangumi/play/ep{world.EP_FIRST}")


@pytest.mark.parametrize(("bvid", "code"), [(world.BVID_DELETED, -404), (world.BVID_PRIVATE, 62012)])
async def test_gone_videos_are_unavailable(bili: BiliClient, bvid: str, code: int) -> None:
    with pytest.raises(UnavailableError) as caught:
        await api.fetch_detail(bili, bvid)
    assert caught.value.code == code


async def test_under_review_is_unavailable(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    fake_bili.update_video(world.BVID_SPRING, view_code=62004)
    with pytest.raises(UnavailableError) as caught:
        await api.fetch_detail(bili, world.BVID_SPRING)
    assert caught.value.code == 62004


async def test_playinfo_of_an_ordinary_video(bili: BiliClient) -> None:
    play = await api.fetch_playinfo(bili, bvid=world.BVID_SPRING, cid=cid_of(world.AID_SPRING))
    assert max(stream.id for stream in play.video) == 80
    assert {stream.id for stream in play.audio} == {30216, 30232, 30280}
    assert play.dolby == [] and play.flac is None and play.durl == []
    assert all(len(stream.urls) == 2 for stream in play.video + play.audio)  # base + backup
    choice = select_streams(play, StreamPrefs())
    assert (choice.video.id, codec_of(choice.video)) == (80, 7)
    assert choice.audio is not None and choice.audio.id == 30280


async def test_playinfo_with_dolby_and_hires_audio(bili: BiliClient) -> None:
    play = await api.fetch_playinfo(bili, bvid=world.BVID_DOLBY, cid=cid_of(world.AID_DOLBY))
    assert [stream.id for stream in play.dolby] == [30250]
    assert play.flac is not None and play.flac.id == 30251
    assert select_streams(play, StreamPrefs()).audio.id == 30251  # type: ignore[union-attr]
    assert select_streams(play, StreamPrefs(no_hires=True)).audio.id == 30250  # type: ignore[union-attr]
    both_off = StreamPrefs(no_hires=True, no_dolby_audio=True)
    assert select_streams(play, both_off).audio.id == 30280  # type: ignore[union-attr]
    # 8K and Dolby Vision come without AVC: an AVC-only preference lands on the best AVC stream.
    avc_only = select_streams(play, StreamPrefs(codecs=("avc",)))
    assert codec_of(avc_only.video) == 7 and avc_only.video.id == 120


async def test_hevc_preference_reaches_8k(bili: BiliClient) -> None:
    play = await api.fetch_playinfo(bili, bvid=world.BVID_DOLBY, cid=cid_of(world.AID_DOLBY))
    if not any(is_hevc(stream) for stream in play.video):
        pytest.skip("this ffmpeg cannot encode HEVC, so the fake offers none")
    best = select_streams(play, StreamPrefs(codecs=("hevc", "avc")))
    assert is_hevc(best.video) and best.video.id == 127
    assert select_streams(play, StreamPrefs(codecs=("hevc", "avc"), no_dolby_video=True)).video.id == 127
    assert select_streams(play, StreamPrefs(codecs=("hevc",), video_max_qn=126, no_dolby_video=True)).video.id == 125


async def test_logged_out_playinfo_is_capped_at_480p(anon: BiliClient) -> None:
    play = await api.fetch_playinfo(anon, bvid=world.BVID_SPRING, cid=cid_of(world.AID_SPRING))
    assert max(stream.id for stream in play.video) == 32
    with pytest.raises(DownloadError, match="no stream matches"):
        select_streams(play, StreamPrefs(video_min_qn=64))


async def test_progressive_only_video_falls_back_to_durl(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    fake_bili.update_video(world.BVID_SPRING, durl_only=True)
    play = await api.fetch_playinfo(bili, bvid=world.BVID_SPRING, cid=cid_of(world.AID_SPRING))
    assert play.video == [] and len(play.durl) == 1
    choice = select_streams(play, StreamPrefs())
    assert choice.video.kind == "durl" and choice.video.size > 0 and choice.audio is None
    assert len(choice.video.urls) == 2


async def test_silent_video_has_no_audio_stream(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    fake_bili.update_video(world.BVID_SPRING, silent=True)
    play = await api.fetch_playinfo(bili, bvid=world.BVID_SPRING, cid=cid_of(world.AID_SPRING))
    assert select_streams(play, StreamPrefs()).audio is None


async def test_empty_dash_is_risk_control(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    fake_bili.scenario(risk={"endpoint": "/x/player/wbi/playurl", "kind": "empty_dash"})
    with pytest.raises(RiskControlError, match="empty"):
        await api.fetch_playinfo(bili, bvid=world.BVID_SPRING, cid=cid_of(world.AID_SPRING))


async def test_charge_only_playinfo_is_refused(bili: BiliClient) -> None:
    with pytest.raises(ApiError) as caught:
        await api.fetch_playinfo(bili, bvid=world.BVID_CHARGE_ONLY, cid=cid_of(world.AID_CHARGE_ONLY))
    assert caught.value.code == 87008


async def test_bangumi_playinfo_and_trial_clips(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    items = [item async for item in api.scan_source(bili, parse_link(f"ss:{world.BANGUMI_SEASON_1}"), None)]
    vip_episode = items[1]
    assert vip_episode.cid is not None
    play = await api.fetch_playinfo(bili, bvid=vip_episode.bvid, cid=vip_episode.cid, ep_id=vip_episode.ep_id)
    assert play.is_preview is False and play.video
    fake_bili.set_vip(False)
    trial = await api.fetch_playinfo(bili, bvid=vip_episode.bvid, cid=vip_episode.cid, ep_id=vip_episode.ep_id)
    assert trial.is_preview is True
    assert fake_bili.calls("/pgc/player/web/playurl") == 2
    assert fake_bili.calls("/x/player/wbi/playurl") == 0


async def test_subtitle_tracks_and_cues(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    tracks = await api.fetch_subtitle_tracks(bili, world.BVID_SPRING, cid_of(world.AID_SPRING))
    assert [(track.lan, track.is_ai) for track in tracks] == [("zh-CN", False), ("en", False)]
    # The fake's URLs are protocol-relative, like the real ones; they take the API's scheme.
    assert all(track.url.startswith(fake_bili.base_url + "/bfs/subtitle/") for track in tracks)
    cues = await api.fetch_subtitle_cues(bili, tracks[1])
    assert [cue.content for cue in cues] == ["Hello, world.", "This is a test subtitle.", "Bye!"]
    assert (cues[0].start, cues[0].end) == (0.0, 1.2)
    chinese = await api.fetch_subtitle_cues(bili, tracks[0])
    assert chinese[1].content == "这是一条测试字幕，\n分两行。"


async def test_ai_subtitles_are_flagged(bili: BiliClient) -> None:
    tracks = await api.fetch_subtitle_tracks(bili, world.BVID_MULTIPAGE, cid_of(world.AID_MULTIPAGE))
    assert [(track.lan, track.is_ai) for track in tracks] == [("zh-CN", False), ("ai-zh", True)]


async def test_no_subtitles_when_logged_out(anon: BiliClient) -> None:
    assert await api.fetch_subtitle_tracks(anon, world.BVID_SPRING, cid_of(world.AID_SPRING)) == []


async def test_danmaku_segments_cover_the_page(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    long_page = cid_of(world.AID_MULTIPAGE, page=3)  # 725 s: three 6-minute segments
    segments = await api.fetch_danmaku_segments(bili, long_page, 725)
    assert len(segments) == 3 and all(segments)
    assert fake_bili.calls("/x/v2/dm/wbi/web/seg.so") == 3
    short = await api.fetch_danmaku_segments(bili, cid_of(world.AID_SPRING), world.MEDIA_DURATION)
    assert len(short) == 1 and "第一！".encode() in short[0]


async def test_fetch_image_through_the_media_client(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    detail = await api.fetch_detail(bili, world.BVID_SPRING)
    calls_before = bili.api_calls
    image = await api.fetch_image(bili, detail.cover)
    assert image[:3] == b"\xff\xd8\xff"  # a JPEG
    assert bili.api_calls == calls_before  # images are not API calls
    assert "Cookie" not in bili.media.headers and bili.media.headers["Referer"] == "https://www.bilibili.com/"
