"""Direct links probed over real HTTP: an MP4 file, an HLS playlist (VOD and live), FLV, RTMP;
what is not a video is refused with a clear message."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.config import Config, load_config
from core.errors import LinkError, PlaybackError
from core.providers.direct.provider import DirectProvider, DirectSession
from tests.playback.upstream import Origin


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return load_config(tmp_path / "c.toml", data_dir=tmp_path / "data", environ={})


@pytest.fixture
async def direct(config: Config) -> AsyncIterator[tuple[DirectProvider, DirectSession]]:
    provider = DirectProvider(config)
    session = await provider.open_session(None)
    session.client._trust_env = False  # noqa: SLF001 — no proxy from the environment between us and 127.0.0.1
    yield provider, session
    await session.aclose()


async def test_an_mp4_file_is_probed_for_type_and_size(origin: Origin, direct) -> None:  # type: ignore[no-untyped-def]
    provider, session = direct
    url = f"{origin.base_url}/public/clip.mp4"
    assert provider.claims_item(url)
    item = await provider.parse_item(session, url)
    size = (origin.media / "public" / "clip.mp4").stat().st_size
    assert item.title == "clip.mp4" and item.details["format"] == "mp4" and item.details["size"] == size
    seen = origin.seen_headers("/public/clip.mp4")[-1]
    assert seen["range"].startswith("bytes=0-")  # a Range GET, not the whole file
    playable = await provider.resolve_playable(session, item, item.parts[0])
    assert playable.playback.streams[0].urls == (url,) and not playable.live


async def test_hls_vod_and_live_playlists(origin: Origin, direct) -> None:  # type: ignore[no-untyped-def]
    provider, session = direct
    vod = await provider.parse_item(session, f"{origin.base_url}/open-hls/master.m3u8")
    assert vod.details["format"] == "hls" and vod.details["live"] is False and vod.duration == 2
    live = await provider.parse_item(session, f"{origin.base_url}/live/index.m3u8")
    assert live.details["format"] == "hls" and live.details["live"] is True


async def test_flv_and_rtmp(origin: Origin, direct) -> None:  # type: ignore[no-untyped-def]
    provider, session = direct
    flv = await provider.parse_item(session, f"{origin.base_url}/public/clip.flv")
    assert flv.details["format"] == "flv" and flv.details["live"] is False
    rtmp = await provider.parse_item(session, "rtmp://live.example/app/stream")
    assert rtmp.details == {**rtmp.details, "format": "rtmp", "live": True}


async def test_what_is_not_a_video_is_refused_clearly(origin: Origin, direct) -> None:  # type: ignore[no-untyped-def]
    provider, session = direct
    with pytest.raises(PlaybackError, match="web page"):
        await provider.parse_item(session, f"{origin.base_url}/page.html")
    with pytest.raises(PlaybackError, match="404"):
        await provider.parse_item(session, f"{origin.base_url}/public/missing.mp4")
    with pytest.raises(PlaybackError, match="cannot reach"):
        await provider.parse_item(session, "http://127.0.0.1:1/clip.mp4")
    assert not provider.claims_item("ftp://host/file.mp4") and not provider.claims_item("just text")
    with pytest.raises(LinkError):
        await provider.parse_item(session, "just text")
