"""Playback of a server item: PlaybackInfo's streams and what a player fetching them gets,
subtitles, and the reports that keep the server's resume points and watched marks."""

from __future__ import annotations

import urllib.parse

import httpx
import pytest

from core.providers.emby.client import EmbySession
from core.providers.emby.provider import MediaServerProvider
from core.providers.protocols import MediaItem
from tests.fakes.emby import FakeMediaServer

pytestmark = pytest.mark.timeout(60)


async def film(provider: MediaServerProvider, session: EmbySession, title: str = "Film One") -> MediaItem:
    [found] = [item for item in await provider.search(session, title, 1) if item.title == title]
    return found


def query(url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


async def test_streams_direct_play_first_then_remux_and_transcodes(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    item = await film(provider, session)
    playback = await provider.resolve(session, item, item.parts[0])
    qualities = [s.quality for s in playback.streams]
    assert qualities == ["90p original", "90p remux", "90p transcode"], "nothing lower than 90p to transcode to"
    original = playback.streams[0]
    assert original.size == len(server.media.mp4) and original.codec == "avc" and original.kind == "muxed"
    assert "/stream.mp4?" in original.urls[0] and query(original.urls[0])["static"] == "true"
    token_key = "api_key" if server.is_emby else "ApiKey"
    assert query(original.urls[0])[token_key] == session.require_login().token
    assert "api_key" not in query(playback.streams[2].urls[0]) or server.is_emby
    header = "X-Emby-Token" if server.is_emby else "Authorization"
    assert set(original.headers) == {header}
    [info_call] = server.seen("/PlaybackInfo")
    assert info_call.method == "POST" and query(original.urls[0])["PlaySessionId"]


async def test_a_range_of_the_stream_is_the_file_s_bytes(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    item = await film(provider, session)
    stream = (await provider.resolve(session, item, item.parts[0])).streams[0]
    async with httpx.AsyncClient(trust_env=False) as http:
        by_header = await http.get(stream.urls[0].split("?")[0] + "?static=true", headers={
            **stream.headers, "Range": "bytes=1000-4999"})  # fmt: skip
        by_query = await http.get(stream.urls[0], headers={"Range": "bytes=-100"})  # a player that sends no headers
        beyond = await http.get(stream.urls[0], headers={"Range": f"bytes={len(server.media.mp4)}-"})
    assert by_header.status_code == 206 and by_header.content == server.media.mp4[1000:5000]
    assert by_header.headers["Content-Range"] == f"bytes 1000-4999/{len(server.media.mp4)}"
    assert by_query.status_code == 206 and by_query.content == server.media.mp4[-100:]
    assert beyond.status_code == 416


async def test_the_transcode_playlist_plays_through_to_its_segment(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    item = await film(provider, session)
    transcode = next(
        s for s in (await provider.resolve(session, item, item.parts[0])).streams if "transcode" in s.quality
    )
    async with httpx.AsyncClient(trust_env=False) as http:
        playlist = await http.get(transcode.urls[0], headers=dict(transcode.headers))
        assert playlist.status_code == 200 and playlist.text.startswith("#EXTM3U")
        segment_path = next(line for line in playlist.text.splitlines() if line and not line.startswith("#"))
        segment = await http.get(urllib.parse.urljoin(transcode.urls[0], segment_path), headers=dict(transcode.headers))
    assert segment.status_code == 200 and segment.content == server.media.ts


async def test_only_a_transcode_when_the_server_refuses_direct_play(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    server.knobs.direct_play = False
    item = await film(provider, session)
    playback = await provider.resolve(session, item, item.parts[0])
    assert [s.quality for s in playback.streams] == ["90p transcode"]


async def test_external_text_subtitles_as_tracks_and_cues(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    item = await film(provider, session)
    tracks = await provider.subtitle_tracks(session, item, item.parts[0])
    assert [(t.lang, t.label) for t in tracks] == [("chi", "Chinese - SUBRIP"), ("eng", "English - ASS")], "no PGS"
    assert tracks[0].url.endswith(".srt") or ".srt?" in tracks[0].url
    chinese = await provider.subtitle_cues(session, tracks[0])
    assert [(c.start, c.end, c.text) for c in chinese] == [(0.0, 1.0, "第一句字幕"), (1.0, 2.0, "第二句字幕")]
    english = await provider.subtitle_cues(session, tracks[1])
    assert [c.text for c in english] == ["First line", "Second line"]
    async with httpx.AsyncClient(trust_env=False) as http:  # a player fetching the URL alone
        assert "第一句字幕" in (await http.get(tracks[0].url)).text
    playback = await provider.resolve(session, item, item.parts[0])
    assert playback.subtitles == (), "offered once, by subtitle_tracks"
    assert await provider.subtitle_tracks(session, *(await _plain(provider, session))) == []


async def _plain(provider: MediaServerProvider, session: EmbySession) -> tuple[MediaItem, object]:
    item = await film(provider, session, "Film Three")
    return item, item.parts[0]


async def test_reports_start_progress_stopped_move_the_resume_point(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    item = await film(provider, session, "Film Three")
    part = item.parts[0]
    playback = await provider.resolve(session, item, part)
    play_session = query(playback.streams[0].urls[0])["PlaySessionId"]
    await provider.report_start(session, item, part, 0)
    await provider.report_progress(session, item, part, 0.5)
    await provider.report_playback(session, item, part, "pause", 0.7, paused=True)
    await provider.report_stopped(session, item, part, 1.0)
    assert [r.route for r in server.reports] == ["start", "progress", "progress", "stopped"]
    assert {r.body["PlaySessionId"] for r in server.reports} == {play_session}, "the PlaybackInfo's play session"
    assert [r.body["PositionTicks"] for r in server.reports] == [0, 5_000_000, 7_000_000, 10_000_000]
    assert [r.body["IsPaused"] for r in server.reports] == [False, False, True, False]
    assert {r.device_id for r in server.reports} == {session.require_login().device_id}
    assert server.reports[0].body["MediaSourceId"] == server.media_source_id(item.key)
    assert server.ended_encodings == [play_session], "no transcode left running"
    [again] = [i for i in await provider.search(session, "Film Three", 1)]
    assert again.details["resume_s"] == 1 and not again.details["played"]


async def test_stopped_at_the_end_marks_it_played(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    item = await film(provider, session, "Film Two")
    assert item.details["resume_s"] == 1
    await provider.report_start(session, item, item.parts[0], 1)  # played without asking PlaybackInfo first
    await provider.report_stopped(session, item, item.parts[0], 2)
    again = await film(provider, session, "Film Two")
    assert again.details["played"] is True and again.details["resume_s"] == 0
