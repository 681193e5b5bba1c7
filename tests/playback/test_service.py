"""The playback service in-process against the fake Bilibili and local files: a BV link to a
PlaybackInfo with separate DASH video and audio, Referer and UA in direct mode, the same bytes
through the proxy, qualities, renewal of expired CDN URLs, CC subtitles and danmaku."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pysubs2
import pytest
from keyring.backends.null import Keyring as NullKeyring

from core.config import load_config
from core.engine.engine import Engine
from core.engine.playback.service import choose_mode
from core.errors import LinkError, PlaybackError
from core.secrets import SecretStore
from tests.fakes.bilibili import FakeBilibili, world

pytestmark = pytest.mark.timeout(120)


def make_engine(fake: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **settings: str) -> Engine:
    monkeypatch.setenv("SYNCDECK_BILIBILI_COOKIE", world.COOKIE)
    environ = {f"SYNCDECK_BILIBILI_{name.upper()}_HOST": url for name, url in fake.hosts().items()}
    environ.update(SYNCDECK_LIBRARY_ROOT=str(tmp_path / "lib"))
    environ.update({f"SYNCDECK_{key.upper()}": value for key, value in settings.items()})
    config = load_config(tmp_path / "none.toml", data_dir=tmp_path / "data", environ=environ)
    return Engine(config, secrets=SecretStore(NullKeyring()))


@pytest.fixture
async def engine(fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Engine]:
    engine = make_engine(fake_bili, tmp_path, monkeypatch)
    yield engine
    await engine.close()


def plain() -> httpx.AsyncClient:
    return httpx.AsyncClient(trust_env=False, timeout=10)


async def test_a_bv_link_parses_to_a_video_with_its_parts(engine: Engine) -> None:
    parsed = await engine.playback.parse(f"https://www.bilibili.com/video/{world.BVID_MULTIPAGE}/?p=2")
    assert parsed.provider == "bilibili" and parsed.title == "【三集连播】多P测试视频"
    assert [p.number for p in parsed.parts] == [1, 2, 3] and parsed.duration > 0
    info = await engine.playback.resolve(parsed.item_json, parsed.provider, parsed.account_id, mode="direct")
    assert info.part_key == parsed.parts[1].key and info.parts == 3  # ?p=2 plays the second part


async def test_direct_mode_gives_dash_video_and_audio_with_referer(engine: Engine, fake_bili: FakeBilibili) -> None:
    info = await engine.playback.resolve_link(world.BVID_SPRING, mode="direct")
    assert info.mode == "direct" and info.format == "dash" and info.provider == "bilibili"
    assert info.url.startswith(fake_bili.base_url) and info.audio_url.startswith(fake_bili.base_url)
    assert info.url != info.audio_url and ".m4s" in info.url
    assert info.headers["Referer"].startswith("https://www.bilibili.com") and info.headers["User-Agent"]
    assert info.qualities and info.quality == info.qualities[0] and info.expires_at
    async with plain() as http:
        assert (await http.get(info.url)).status_code == 403  # the CDN refuses a player without the headers
        with_headers = await http.get(info.url, headers={**info.headers, "Range": "bytes=0-999"})
        assert with_headers.status_code == 206


async def test_proxied_mode_serves_the_same_bytes_without_headers(engine: Engine) -> None:
    direct = await engine.playback.resolve_link(world.BVID_SPRING, mode="direct")
    info = await engine.playback.resolve_link(world.BVID_SPRING)  # auto: headers needed → proxied
    assert info.mode == "proxied" and info.headers == {}
    port = (await engine.playback.stream_proxy()).port
    assert info.url.startswith(f"http://127.0.0.1:{port}/s/") and info.audio_url.startswith(f"http://127.0.0.1:{port}/")
    async with plain() as http:
        for proxied, upstream in ((info.url, direct.url), (info.audio_url, direct.audio_url)):
            through = await http.get(proxied)
            origin = await http.get(upstream, headers=direct.headers)
            assert through.status_code == 200 and through.content == origin.content and len(origin.content) > 1000
            seek = await http.get(proxied, headers={"Range": "bytes=500-1499"})
            assert seek.status_code == 206 and seek.content == origin.content[500:1500]


async def test_expired_cdn_urls_are_renewed_from_bilibili(engine: Engine, fake_bili: FakeBilibili) -> None:
    info = await engine.playback.resolve_link(world.BVID_SPRING, mode="proxied")
    before = fake_bili.calls("/x/player/wbi/playurl")
    fake_bili.scenario(expire_media_urls=True)
    async with plain() as http:
        answer = await http.get(info.url, headers={"Range": "bytes=0-99"})
        audio = await http.get(info.audio_url, headers={"Range": "bytes=0-99"})
    assert answer.status_code == 206 and len(answer.content) == 100
    assert audio.status_code == 206 and len(audio.content) == 100
    assert fake_bili.calls("/x/player/wbi/playurl") == before + 1  # one renewal for both streams


async def test_a_lower_quality_can_be_chosen(engine: Engine) -> None:
    best = await engine.playback.resolve_link(world.BVID_SPRING, mode="direct")
    lowest = best.qualities[-1]
    info = await engine.playback.resolve_link(world.BVID_SPRING, mode="direct", quality=lowest)
    assert info.quality == lowest and info.url != best.url
    with pytest.raises(PlaybackError, match="not offered"):
        await engine.playback.resolve_link(world.BVID_SPRING, quality="16k")
    hevc = await engine.playback.resolve_link(world.BVID_SPRING, mode="direct", quality=f"{lowest}@hevc")
    assert (hevc.quality, hevc.codec) == (lowest, "hevc") and best.codec == "avc"
    with pytest.raises(PlaybackError, match="unknown codec"):
        await engine.playback.resolve_link(world.BVID_SPRING, quality="@vp9")


async def test_cc_subtitles_and_danmaku_for_the_player(engine: Engine) -> None:
    info = await engine.playback.resolve_link(world.BVID_SPRING, mode="direct", subtitle_format="srt")
    assert {s.lang for s in info.subtitles} == {"zh-CN", "en"}
    for choice in info.subtitles:
        assert choice.format == "srt" and Path(choice.url).read_text(encoding="utf-8").startswith("1\n")
        assert pysubs2.load(choice.url).events
    danmaku = Path(info.danmaku_url)
    assert danmaku.suffix == ".ass" and sum(line.startswith("Dialogue:") for line in
                                            danmaku.read_text(encoding="utf-8-sig").splitlines()) > 0  # fmt: skip


async def test_policies_bound_the_mode(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(fake_bili, tmp_path, monkeypatch, proxy_provider_policies="bilibili=direct_only")
    try:
        assert (await engine.playback.resolve_link(world.BVID_SPRING)).mode == "direct"
        with pytest.raises(PlaybackError, match="direct_only"):
            await engine.playback.resolve_link(world.BVID_SPRING, mode="proxied")
    finally:
        await engine.close()
    assert choose_mode("auto", None, needs_headers=False, fmt="mp4") == "direct"
    assert choose_mode("prefer_proxy", None, needs_headers=False, fmt="hls") == "proxied"
    assert choose_mode("prefer_proxy", None, needs_headers=True, fmt="rtmp") == "direct"
    with pytest.raises(PlaybackError):
        choose_mode("proxy_only", "direct", needs_headers=False, fmt="mp4")


async def test_local_files_play_directly_or_through_the_proxy(engine: Engine, tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 100)
    (tmp_path / "clip.zh-CN.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\n你好\n", encoding="utf-8")
    info = await engine.playback.resolve_link(str(clip))
    assert info.mode == "direct" and info.url == str(clip) and info.format == "file"
    assert [s.lang for s in info.subtitles] == ["zh-CN"] and info.subtitles[0].format == "ass"
    proxied = await engine.playback.resolve_link(clip.as_uri(), mode="proxied")
    async with plain() as http:
        assert (await http.get(proxied.url)).content == clip.read_bytes()


async def test_unknown_links_list_what_is_accepted(engine: Engine) -> None:
    with pytest.raises(LinkError, match="Direct links") as caught:
        await engine.playback.parse("not a link at all")
    assert "Bilibili videos" in str(caught.value) and "Local files" in str(caught.value)


async def test_head_through_the_proxy_works_where_the_cdn_refuses_head(engine: Engine) -> None:
    direct = await engine.playback.resolve_link(world.BVID_SPRING, mode="direct")
    info = await engine.playback.resolve_link(world.BVID_SPRING, mode="proxied")
    async with plain() as http:
        assert (await http.head(direct.url, headers=direct.headers)).status_code == 404  # the CDN's quirk
        head = await http.head(info.url)
        whole = await http.get(info.url)
    assert head.status_code == 200 and head.headers["content-length"] == str(len(whole.content))
    assert head.headers["accept-ranges"] == "bytes"


async def test_a_bilibili_entry_downloads_into_the_library_like_a_synced_video(engine: Engine) -> None:
    playlist = await engine.playlists.create("Later")
    entry = await engine.playlists.add_link(playlist, world.BVID_SPRING)
    started = await engine.playback.download_to_library(entry.id)
    assert started.kind == "video" and started.state == "queued"
    listed = await engine.tasks()
    assert [t.id for t in listed] == [started.task_id]  # the Tasks panel shows it at once
    assert await engine.pause_tasks([started.task_id]) == [started.task_id]  # the Tasks panel's Pause
    assert [t.state for t in await engine.tasks()] == ["paused"] and engine.active_downloads == 0
    stop = asyncio.Event()
    schedule = asyncio.ensure_future(engine.run_daemon(stop))  # the window's: resuming starts it here
    assert await engine.resume_tasks([started.task_id]) == [started.task_id]
    assert engine.active_downloads == 1
    done = await engine.playback.download_to_library(entry.id, wait=True)  # the same download, awaited
    stop.set()
    await schedule
    assert (done.task_id, done.state) == (started.task_id, "done"), done.error
    folder = Path(done.path)
    assert folder.is_relative_to(engine.config.library_root / "Playlists")
    media = list(folder.rglob("*.mp4"))
    assert len(media) == 1 and media[0].stat().st_size > 0 and list(folder.rglob("*.nfo"))
