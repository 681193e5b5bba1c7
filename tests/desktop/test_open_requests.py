"""Links and files macOS opens with the running app arrive as QFileOpenEvents: a magnet link and
a .torrent file open the add-torrent dialog, a `syncdeck://play` link plays at its moment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

import desktop.app
from desktop.dialogs.add_torrent import AddTorrentDialog
from desktop.panels.tasks import TasksPanel
from tests.desktop.conftest import desktop_config
from tests.fakes.bilibili import FakeBilibili

MAGNET = "magnet:?xt=urn:btih:" + "ab" * 20 + "&dn=Some%20film"


async def test_opened_links_and_torrent_files_reach_the_running_window(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(desktop.app, "panel_factories", lambda: [TasksPanel])
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    desk = desktop.app.DesktopApp(app, desktop_config(fake_bili, tmp_path, **{"ui.language": "en"}))
    played: list[tuple[str, float]] = []
    monkeypatch.setattr(desk.window.playing, "play_at", lambda path, t: played.append((path, t)))
    try:
        desk.window.hide()

        def dialog_text() -> str:
            dialog = desk.window.findChild(AddTorrentDialog)
            assert dialog is not None, "the add-torrent dialog opened"
            text = dialog.source_edit.text()
            dialog.close()
            dialog.setParent(None)  # type: ignore[call-overload]
            return text

        assert QApplication.sendEvent(app, QFileOpenEvent(QUrl(MAGNET)))
        assert desk.window.isVisible(), "the window came forward"
        assert desk.window.stack.currentWidget() is desk.window.panels["tasks"]
        assert dialog_text() == MAGNET

        torrent = tmp_path / "film.torrent"
        assert QApplication.sendEvent(app, QFileOpenEvent(str(torrent)))  # a file opened in the Finder
        assert dialog_text() == str(torrent)

        video = tmp_path / "My film.mkv"
        link = QUrl.fromEncoded(b"syncdeck://play?path=" + QUrl.toPercentEncoding(str(video)) + b"&t=83")
        assert QApplication.sendEvent(app, QFileOpenEvent(link))
        assert played == [(str(video), 83.0)]

        # anything else is left to Qt
        assert not QApplication.sendEvent(app, QFileOpenEvent(str(tmp_path / "notes.txt")))
        assert desk.window.findChild(AddTorrentDialog) is None and len(played) == 1
    finally:
        app.removeEventFilter(desk.open_requests)
        desk.open_requests.setParent(None)  # the next app in this process installs its own
        desk.window.hide()
        await desk.shutdown()
        desk.window.deleteLater()


def test_a_link_that_launches_the_app_plays_once_the_window_is_there(qapp: Any) -> None:
    from desktop.open_requests import OpenRequests

    class Desktop:
        opened: list[str] = []

        def open_link(self, link: str) -> None:
            self.opened.append(link)

    requests = OpenRequests(qapp)  # as main() installs it, before any window exists
    try:
        link = "syncdeck://play?path=%2Fv%2Fa.mkv&t=5"
        assert requests.open(QUrl(link)), "held, not left to Qt"
        assert not requests.open(QUrl.fromLocalFile("/tmp/notes.txt"))
        desktop = Desktop()
        requests.attach(desktop)  # type: ignore[arg-type]
        assert desktop.opened == [link]
    finally:
        requests.setParent(None)
