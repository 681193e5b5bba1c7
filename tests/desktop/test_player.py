"""The embedded player: real libmpv (no video or audio output) playing tiny ffmpeg-made clips.

Clips are 3 s long at 160x90, served from a loopback server in its own process where the
test is about streaming (HTTP, HLS, headers).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from core.engine.playback.views import PlaybackInfo, SubtitleChoice
from desktop.player import engine as player_engine
from desktop.player import window as player_window
from desktop.player.contract import ListQueue, PlayerHooks, PositionReport
from desktop.player.window import PlayerWindow
from tests.desktop.conftest import screenshot, until
from tests.player import fixtures
from tests.player.fixtures import MediaServer
from tests.player.media import Media

pytestmark = pytest.mark.timeout(60)

media = fixtures.media  # session fixtures: the clips, made once, and their loopback server
media_server = fixtures.media_server

QUIET = {"vo": "null", "ao": "null", "hwdec": "no"}


@dataclass(frozen=True)
class Item:
    """A stand-in for a playlist entry: what resolve() turns into a PlaybackInfo."""

    name: str
    qualities: tuple[tuple[str, str], ...]  # (label, url), best first
    audio_url: str = ""
    subtitles: tuple[SubtitleChoice, ...] = ()
    danmaku_url: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    start_at: float = 0.0


@dataclass
class Recorder:
    resolved: list[tuple[str, str]] = field(default_factory=list)  # (item, quality)
    reports: list[PositionReport] = field(default_factory=list)
    external: list[tuple[Item, PlaybackInfo | None]] = field(default_factory=list)

    async def resolve(self, item: Item, quality: str) -> PlaybackInfo:
        await asyncio.sleep(0)  # as the playback service does: resolving awaits the network
        labels = dict(item.qualities)
        quality = quality or item.qualities[0][0]
        self.resolved.append((item.name, quality))
        return PlaybackInfo(
            title=item.name, url=labels[quality], mode="direct", audio_url=item.audio_url, headers=dict(item.headers),
            quality=quality, qualities=tuple(labels), subtitles=item.subtitles, danmaku_url=item.danmaku_url,
            start_at=item.start_at,
        )  # fmt: skip

    def hooks(self) -> PlayerHooks:
        return PlayerHooks(resolve=self.resolve, report_position=self.reports.append, open_external=self.open_external)

    def open_external(self, item: Item, info: PlaybackInfo | None) -> None:
        self.external.append((item, info))


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def player(qtbot: QtBot, recorder: Recorder) -> Iterator[PlayerWindow]:
    window = PlayerWindow(recorder.hooks(), engine_options=QUIET)
    qtbot.addWidget(window)
    window.resize(640, 400)
    yield window
    window.shutdown()


def record(window: PlayerWindow) -> dict[str, list]:
    seen: dict[str, list] = {"started": [], "ended": [], "finished": []}
    window.itemStarted.connect(lambda entry, info: seen["started"].append(entry.name))
    window.itemEnded.connect(lambda entry: seen["ended"].append(entry.name))
    window.queueFinished.connect(lambda: seen["finished"].append(True))
    return seen


def selected_subtitle(window: PlayerWindow) -> str | None:
    return next((t.title for t in window.tracks() if t.kind == "sub" and t.selected), None)


async def test_a_clip_plays_to_its_end_and_the_next_one_follows(
    player: PlayerWindow, recorder: Recorder, media: Media, media_server: MediaServer
) -> None:
    first = Item("first", (("auto", media_server.url(media.h264)),))
    second = Item("second", (("auto", media_server.url(media.h264_other)),))
    queue = ListQueue([first, second])
    seen = record(player)
    player.play(queue)
    await until(lambda: seen["finished"], timeout=20, what="the queue to finish")
    assert seen["started"] == ["first", "second"]
    assert seen["ended"] == ["first", "second"]
    assert queue.current is None and queue.finished  # played to its end
    ended = [r for r in recorder.reports if r.state == "ended"]
    assert [r.entry.name for r in ended] == ["first", "second"]
    assert all(r.position == pytest.approx(3.0, abs=0.3) and r.duration == pytest.approx(3.0, abs=0.1) for r in ended)
    assert player.status.text() == "End of the queue"


async def test_loop_one_plays_the_same_item_again_and_next_skips_it(player: PlayerWindow, media: Media) -> None:
    first, second = Item("first", (("auto", str(media.h264)),)), Item("second", (("auto", str(media.hevc)),))
    queue = ListQueue([first, second])
    seen = record(player)
    player.play(queue)
    player.controls.loop.click()
    assert queue.loop == "one" and player.controls.loop.text() == "Loop: one"
    await until(lambda: len(seen["started"]) >= 2, timeout=12, what="the item to start again")
    assert seen["started"] == ["first", "first"]
    player.controls.next.click()
    await until(lambda: len(seen["started"]) >= 3, what="the next item")
    assert seen["started"][-1] == "second"
    player.controls.loop.click()
    player.controls.loop.click()
    assert queue.loop == "off"


async def test_seeking_and_the_keys_move_playback_and_it_keeps_going(
    player: PlayerWindow, media: Media, media_server: MediaServer
) -> None:
    item = Item("clip", (("auto", media_server.url(media.h264)),))
    seen = record(player)
    player.play(ListQueue([item]))
    await until(lambda: seen["started"], what="the first frame")
    QTest.keyClick(player, Qt.Key.Key_Space)
    await until(lambda: player._paused, what="space to pause")
    paused_at = player.position()
    await asyncio.sleep(0.4)
    assert player.position() == pytest.approx(paused_at, abs=0.05) and paused_at < 1.0
    slider = player.controls.seek.slider
    QTest.mouseClick(slider, Qt.MouseButton.LeftButton, pos=slider.rect().center())  # half way: 1.5 s
    await until(lambda: player.position() >= 1.4, what="the click on the seek bar")  # paused: only a seek moves it
    assert player.position() == pytest.approx(1.5, abs=0.15)
    QTest.keyClick(player, Qt.Key.Key_Space)
    await until(lambda: player.position() >= 1.9, what="playback going on after the seek")
    QTest.keyClick(player, Qt.Key.Key_Space)
    await until(lambda: player._paused, what="space to pause again")
    QTest.keyClick(player, Qt.Key.Key_Left)  # 5 s back from under 3 s: the start
    await until(lambda: player.position() < 0.5, what="left arrow to seek back")
    assert player.controls.seek.time.text() == "0:00 / 0:03"
    QTest.keyClick(player, Qt.Key.Key_Down)
    assert player.controls.volume.value() == 95
    assert player.backend is not None and player.backend._mpv.volume == 95
    player.controls.speed.setCurrentIndex(player.controls.speed.findData(1.5))
    assert player.backend._mpv.speed == 1.5
    QTest.keyClick(player, Qt.Key.Key_F)
    await until(player.isFullScreen, what="F to go full screen")
    QTest.mouseDClick(player.video.surface, Qt.MouseButton.LeftButton)
    await until(lambda: not player.isFullScreen(), what="a double-click to leave full screen")
    QTest.keyClick(player, Qt.Key.Key_Space)
    await until(lambda: seen["ended"], timeout=10, what="the end after resuming")


async def test_switching_quality_keeps_the_position_and_the_pause(
    player: PlayerWindow, recorder: Recorder, media: Media
) -> None:
    item = Item("clip", (("360p", str(media.h264_other)), ("180p", str(media.h264))))
    seen = record(player)
    player.play(ListQueue([item]))
    await until(lambda: seen["started"], what="the first frame")
    assert [player.controls.quality.itemText(i) for i in range(player.controls.quality.count())] == ["360p", "180p"]
    await until(lambda: player.position() >= 1.2, what="playback")
    player.toggle_pause()
    await until(lambda: player._paused, what="pause")
    before = player.position()
    player.controls.quality.setCurrentIndex(1)
    player.controls.quality.activated.emit(1)
    await until(lambda: len(seen["started"]) == 2, what="the other quality")
    assert recorder.resolved[-1] == ("clip", "180p")
    assert player.info is not None and player.info.url == str(media.h264)
    assert player.backend is not None and player.backend.position() == pytest.approx(before, abs=0.25)
    assert player._paused


async def test_subtitle_and_danmaku_tracks_load_and_switch(
    player: PlayerWindow, media: Media, media_server: MediaServer
) -> None:
    english = SubtitleChoice("en", "English", media_server.url(media.subtitle), "srt")
    item = Item("clip", (("auto", str(media.h264)),), subtitles=(english,), danmaku_url=media_server.url(media.danmaku))
    tracks: list[list] = []
    player.tracksChanged.connect(tracks.append)
    player.play(ListQueue([item]))
    await until(lambda: selected_subtitle(player) == "English + Danmaku", what="subtitle and danmaku together")
    titles = {t.title for t in player.tracks() if t.kind == "sub"}
    assert titles == {"English", "Danmaku", "English + Danmaku"}
    assert any(t.title == "Danmaku" for t in tracks[-1])  # reported through the signal too
    player.controls.danmaku.click()
    await until(lambda: selected_subtitle(player) == "English", what="danmaku off")
    player.select_subtitle(None)
    await until(lambda: selected_subtitle(player) is None, what="subtitles off")
    player.set_danmaku(True)
    await until(lambda: selected_subtitle(player) == "Danmaku", what="danmaku alone")
    menu = [a.text() for a in player.controls.subtitles.menu().actions()]
    assert menu == ["Off", "English"]


async def test_hevc_mp4_plays(player: PlayerWindow, media: Media) -> None:
    seen = record(player)
    player.play(ListQueue([Item("hevc", (("auto", str(media.hevc)),))]))
    await until(lambda: seen["started"], what="the first frame")
    assert [t.codec for t in player.tracks() if t.kind == "video"] == ["hevc"]
    await until(lambda: seen["ended"], timeout=10, what="the end")


async def test_an_hls_ladder_over_http_plays_with_the_headers_on_every_request(
    player: PlayerWindow, media: Media, media_server: MediaServer
) -> None:
    headers = (("Referer", "https://www.example.com/"), ("User-Agent", "SyncDeckTest/1"), ("Cookie", "a=1, b=2"))
    item = Item("hls", (("auto", media_server.url(media.hls)),), headers=headers)
    seen = record(player)
    player.play(ListQueue([item]))
    await until(lambda: seen["started"], what="the first frame")
    assert len([t for t in player.tracks() if t.kind == "video"]) == 2  # both rungs of the ladder
    await until(lambda: seen["ended"], timeout=10, what="the end")
    requests = [r for r in media_server.requests() if r["path"].startswith("/hls/")]
    segments = [r for r in requests if r["path"].endswith(".ts")]
    assert segments, "no segment was fetched"
    for request in requests:
        assert request["headers"].get("Referer") == "https://www.example.com/"
        assert request["headers"].get("User-Agent") == "SyncDeckTest/1"
        assert request["headers"].get("Cookie") == "a=1, b=2"


async def test_separate_video_and_audio_play_together(
    player: PlayerWindow, media: Media, media_server: MediaServer
) -> None:
    item = Item("dash", (("auto", media_server.url(media.dash_video)),), audio_url=media_server.url(media.dash_audio))
    seen = record(player)
    player.play(ListQueue([item]))
    await until(lambda: seen["started"], what="the first frame")
    await until(lambda: {t.kind for t in player.tracks() if t.selected} == {"video", "audio"}, what="both tracks")
    audio = [t for t in player.tracks() if t.kind == "audio"]
    assert len(audio) == 1 and audio[0].external and audio[0].codec == "aac"
    await until(lambda: seen["ended"], timeout=10, what="the end")
    assert player._duration == pytest.approx(3.0, abs=0.1)


async def test_it_resumes_from_start_at_and_reports_the_position(
    qtbot: QtBot, recorder: Recorder, media: Media, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(player_window, "REPORT_INTERVAL_MS", 300)
    window = PlayerWindow(recorder.hooks(), engine_options=QUIET)
    qtbot.addWidget(window)
    item = Item("clip", (("auto", str(media.h264)),), start_at=1.5)
    seen = record(window)
    window.play(ListQueue([item]))
    await until(lambda: seen["started"], what="the first frame")
    await until(lambda: any(r.state == "playing" for r in recorder.reports), what="a progress report")
    assert recorder.reports[0].state == "started"
    assert min(r.position for r in recorder.reports) >= 1.4
    window.toggle_pause()
    await until(lambda: window._paused, what="pause")
    window.close()
    stopped = recorder.reports[-1]
    assert stopped.state == "stopped" and stopped.entry is item and stopped.position >= 1.5
    window.shutdown()


async def test_without_libmpv_the_window_says_what_to_install(
    qtbot: QtBot, recorder: Recorder, media: Media, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "mpv", None)  # import mpv now fails as it does without the library
    monkeypatch.setattr(player_engine, "_loaded", None)
    window = PlayerWindow(recorder.hooks(), engine_options=QUIET)
    qtbot.addWidget(window)
    window.resize(640, 400)
    item = Item("clip", (("auto", str(media.h264)),))
    window.play(ListQueue([item]))
    await until(lambda: window.info is not None, what="the item to resolve")
    assert window.engine_missing
    assert window.video.currentWidget() is window.video.missing
    message = window.video.missing.message.text()
    assert "libmpv" in message and "apt install libmpv2" in message and "external player" in message
    assert not window.controls.play.isEnabled() and not window.status.isVisible()
    screenshot(window, "player-missing-engine")
    window.video.missing.external.click()
    assert [(entry, info.title if info else None) for entry, info in recorder.external] == [(item, "clip")]
    window.shutdown()


def test_danmaku_over_a_subtitle_keeps_both_styles() -> None:
    import pysubs2

    from desktop.player.overlay import merge_danmaku
    from tests.player.media import DANMAKU_ASS, SRT

    merged = pysubs2.SSAFile.from_string(merge_danmaku(SRT, "srt", DANMAKU_ASS), format_="ass")
    danmaku, subtitle = merged.styles["Danmaku"], merged.styles["Subtitle Default"]
    assert not (danmaku.bold or danmaku.italic or danmaku.underline or danmaku.strikeout)  # "0" after ", " is off
    assert subtitle.fontsize == pytest.approx(20 * 315 / 288)  # the same size on the danmaku's canvas
    assert merged.info["PlayResY"] == "315"
    texts = [(e.layer, e.plaintext) for e in merged.events]
    assert (10, "Hello from the subtitle") in texts and (2, "front row!") in texts


async def test_play_from_here_starts_at_that_item_and_shuffle_reaches_the_queue(
    player: PlayerWindow, media: Media
) -> None:
    items = [Item(name, (("auto", str(media.h264)),)) for name in ("one", "two", "three")]
    queue = ListQueue(items, seed=1)
    seen = record(player)
    player.play(queue, start_index=1)
    await until(lambda: seen["started"], what="the first frame")
    assert seen["started"] == ["two"]
    player.controls.shuffle.click()
    assert queue.shuffled and queue.current is items[1]
    player.controls.next.click()  # the shuffled order starts with the item playing now
    await until(lambda: len(seen["started"]) == 2, what="the next item")
    assert seen["started"][1] in ("one", "three")


async def test_a_stream_that_cannot_be_opened_is_said_in_the_window(
    player: PlayerWindow, media_server: MediaServer
) -> None:
    problems: list[str] = []
    player.problem.connect(problems.append)
    player.play(ListQueue([Item("gone", (("auto", media_server.url("gone.mp4")),))]))
    await until(lambda: problems, what="the failure")
    assert player.status.isVisibleTo(player) and player.status.text().startswith("Could not play this:")


async def test_an_entry_that_cannot_play_says_why_and_the_queue_moves_on(
    player: PlayerWindow, recorder: Recorder, media: Media, media_server: MediaServer
) -> None:
    player._skip_timer.setInterval(50)
    broken = Item("broken", (("auto", "http://127.0.0.1:9/refused.mp4"),))
    unresolvable = Item("unresolvable", ())  # resolve() raises: no stream at all
    good = Item("good", (("auto", media_server.url(media.h264)),))
    problems: list[str] = []
    player.problem.connect(problems.append)
    seen = record(player)
    player.play(ListQueue([broken, unresolvable, good]))
    await until(lambda: seen["started"], timeout=20, what="the entry after the broken ones")
    assert seen["started"] == ["good"] and len(problems) == 2
    assert problems[0].startswith("Could not play this:") and "unresolvable" not in problems[0]
    assert [name for name, _ in recorder.resolved] == ["broken", "good"]  # the unresolvable raised


async def test_when_every_entry_fails_the_queue_stops_with_the_error_shown(player: PlayerWindow) -> None:
    player._skip_timer.setInterval(10)
    finished: list[bool] = []
    problems: list[str] = []
    player.queueFinished.connect(lambda: finished.append(True))
    player.problem.connect(problems.append)
    queue = ListQueue([Item("a", ()), Item("b", ())])
    queue.set_loop("all")
    player.play(queue)
    await until(lambda: len(problems) == 2, what="both failures")
    await asyncio.sleep(0.1)
    assert len(problems) == 2, "no endless retry around a looping queue of broken entries"
    assert player.status.isVisibleTo(player) and player.status.text()


async def test_fullscreen_hides_the_controls_and_cursor_until_the_mouse_moves(player: PlayerWindow) -> None:
    player.show()
    player.toggle_fullscreen()
    await until(player.isFullScreen, what="full screen")
    assert not player.controls.isVisible() and player.cursor().shape() == Qt.CursorShape.BlankCursor
    QTest.mouseMove(player.video.surface, player.video.surface.rect().center())
    await until(player.controls.isVisible, what="the controls back on a move")
    assert player.cursor().shape() != Qt.CursorShape.BlankCursor
    player._chrome_timer.setInterval(10)
    player._chrome_timer.start()
    await until(lambda: not player.controls.isVisible(), what="the controls hiding again")
    QTest.keyClick(player, Qt.Key.Key_Escape)
    await until(lambda: not player.isFullScreen(), what="Esc leaving full screen")
    assert player.controls.isVisible() and player.cursor().shape() != Qt.CursorShape.BlankCursor
