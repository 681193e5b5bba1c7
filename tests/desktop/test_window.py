"""The whole main window: every panel present, and the language switches live with the real catalog."""

from __future__ import annotations

import types

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from desktop.app import panel_factories
from desktop.bridge import EngineBridge
from desktop.i18n import Translations
from desktop.mainwindow.window import MainWindow
from tests.desktop.conftest import screenshot, until

pytestmark = pytest.mark.timeout(60)


async def test_the_window_switches_between_chinese_and_english(bridge: EngineBridge) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = MainWindow(bridge, panel_factories())
    window.resize(1100, 640)
    window.show()
    translations = Translations(app)
    try:
        nav = [window.nav.item(i).text() for i in range(window.nav.count())]
        assert nav == ["Sources", "Tasks", "Playlists", "Notes", "Accounts", "Settings", "Log"], "no placeholder panels"
        assert translations.apply("zh_CN") == "zh_CN"
        await until(lambda: window.nav.item(0).text() == "视频源", what="Chinese navigation")
        shown = [window.nav.item(i).text() for i in range(window.nav.count())]
        assert shown == ["视频源", "任务", "播放列表", "笔记", "账号", "设置", "日志"]
        actions = [a.text() for a in window.panels["sources"].findChildren(QAction)]
        assert any("添加视频源" in text for text in actions), actions
        screenshot(window, "window-zh_CN")
        translations.apply("en")
        await until(lambda: window.nav.item(0).text() == "Sources", what="English again")
        screenshot(window, "window-en")
    finally:
        translations.apply("en")
        window.hide()
        window.deleteLater()


async def test_a_playlist_queue_and_a_note_timestamp_reach_the_player(
    bridge: EngineBridge, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.mainwindow.playing import LinkToPlay, Playing

    played: list[tuple[object, int]] = []
    monkeypatch.setattr(Playing, "player", lambda self: types.SimpleNamespace(
        show=lambda: None, raise_=lambda: None, play=lambda queue: played.append((queue, 0)),
    ))  # fmt: skip
    window = MainWindow(bridge, panel_factories())
    try:
        queue = object()
        window.panels["playlists"].playRequested.emit(queue)
        window.panels["notes"].playRequested.emit("/videos/lecture.mp4", 75.0)
        assert played[0] == (queue, 0), "a playlist's queue is played as it is"
        entry = played[1][0].current  # type: ignore[attr-defined]
        assert entry == LinkToPlay("lecture.mp4", "/videos/lecture.mp4", 75.0), "a note's moment plays from there"
    finally:
        window.close()
