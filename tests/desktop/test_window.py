"""The whole main window: every panel present, and the language switches live with the real catalog."""

from __future__ import annotations

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
