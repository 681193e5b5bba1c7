"""The torrent parts of the window against a real engine and a real libtorrent seeder: the add
dialog's preview and file choice, the detail pane, drops, the tray's alternative limits."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from keyring.backends.null import Keyring as NullKeyring
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMainWindow, QMenu

from core.engine.engine import Engine
from core.engine.torrents.views import TorrentProgress
from core.events import RoundFinished
from core.secrets import SecretStore
from desktop.bridge import EngineBridge
from desktop.dialogs.add_torrent import AddTorrentDialog, dropped_torrent
from desktop.models.tasks import Column
from desktop.panels.tasks import TasksPanel
from desktop.tray import Tray
from tests.desktop.conftest import desktop_config, screenshot, until
from tests.fakes.bilibili import FakeBilibili
from tests.torrent.swarm import MiB, Swarm

LOOPBACK = {"torrent.interface": "127.0.0.1", "torrent.listen_port": "0", "torrent.dht": "false",
            "torrent.lsd": "false", "torrent.utp": "false", "torrent.multiple_per_ip": "true"}  # fmt: skip


@pytest.fixture
async def torrent_bridge(fake_bili: FakeBilibili, tmp_path: Path) -> AsyncIterator[EngineBridge]:
    engine = Engine(desktop_config(fake_bili, tmp_path, **LOOPBACK), secrets=SecretStore(NullKeyring()))
    bridge = EngineBridge(engine)
    yield bridge
    await bridge.shutdown()
    await engine.close()
    bridge.deleteLater()


@pytest.fixture
def swarm(tmp_path: Path) -> Any:
    s = Swarm(tmp_path, "pack", {"a.mkv": MiB, "b.mkv": MiB, "c.txt": 1000})
    yield s
    s.stop()


async def test_the_add_dialog_previews_files_and_adds_only_the_checked(
    torrent_bridge: EngineBridge, swarm: Swarm, qtbot: Any
) -> None:
    dialog = AddTorrentDialog(torrent_bridge, str(swarm.torrent))
    qtbot.addWidget(dialog)
    dialog.show()
    await until(lambda: dialog.files.topLevelItemCount() == 3, what="the preview")
    assert "pack" in dialog.info_label.text() and dialog.ok_button.isEnabled()
    dialog.files.topLevelItem(2).setCheckState(0, Qt.CheckState.Unchecked)
    screenshot(dialog, "add-torrent-dialog")
    dialog.ok_button.click()
    await until(lambda: dialog.added is not None, what="the torrent added")
    detail = await torrent_bridge.engine.torrents.detail(dialog.added.id)
    assert [f.priority for f in detail.files] == [4, 4, 0]


async def test_a_bad_link_is_explained_in_the_dialog(torrent_bridge: EngineBridge, qtbot: Any) -> None:
    dialog = AddTorrentDialog(torrent_bridge, "magnet:?dn=nothing")
    qtbot.addWidget(dialog)
    dialog.show()
    await until(lambda: "magnet" in dialog.info_label.text() and "usable" in dialog.info_label.text())
    assert not dialog.ok_button.isEnabled()


async def test_the_detail_pane_shows_files_and_peers_of_the_selected_torrent(
    torrent_bridge: EngineBridge, swarm: Swarm, qtbot: Any, tmp_path: Path
) -> None:
    peer = swarm.seed()
    view = await torrent_bridge.engine.torrents.add(str(swarm.torrent), path=str(tmp_path / "dl"))
    torrent_bridge.engine.torrents.connect_peer(view.id, "127.0.0.1", peer.port)
    panel = TasksPanel(torrent_bridge)
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    panel.activated()
    await until(lambda: panel.model.rowCount() == 1, what="the torrent row")
    panel.tree.selectRow(0)
    await until(lambda: panel.torrent_detail.isVisible() and panel.torrent_detail.files.topLevelItemCount() == 3,
                what="the detail pane")  # fmt: skip
    await until(lambda: "100%" in panel.torrent_detail.files.topLevelItem(0).text(2), what="the download")
    assert panel.torrent_detail.files.topLevelItem(0).text(0) == "pack/a.mkv"
    screenshot(panel, "tasks-torrent-detail")
    # the torrent columns, fed by the torrent's progress
    await until(lambda: panel.model.index(0, Column.RATIO).data() != "", what="the torrent columns")
    assert re.fullmatch(r"\d+ \(\d+\)", panel.model.index(0, Column.PEERS).data())
    torrent_bridge.engine.bus.publish(TorrentProgress(view.id, None, MiB, 2 * MiB, 0.0, None, peers=3, seeds=1,
                                                      ratio=0.5, up_speed=2048.0))  # fmt: skip
    await until(lambda: panel.model.index(0, Column.RATIO).data() == "0.50", what="the next status")
    assert panel.model.index(0, Column.PEERS).data() == "3 (1)"
    assert panel.model.index(0, Column.UPLOAD).data() == "2.0 KB/s"
    # the end of a round empties the rows' live numbers and reads them afresh; an idle seeding
    # torrent sends no new status, so its columns keep the last one
    reads = panel.model._reads
    torrent_bridge.engine.bus.publish(RoundFinished(0, "done", 0, 0, 0))
    await until(lambda: panel.model._reads > reads and not panel.model._refreshing, what="the rows read again")
    assert panel.model.index(0, Column.PEERS).data() not in ("", None), "the peers column kept its value"
    assert panel.model.index(0, Column.RATIO).data() not in ("", None), "the ratio column kept its value"
    # finished and still in the session: seeding, not just "Done"
    await until(lambda: panel.model.index(0, Column.STATE).data() == "Seeding", what="the torrent shown as seeding")
    # the context menu: torrent actions and its video files added to a playlist
    panel._show_menu(panel.tree.visualRect(panel.model.index(0, 0)).center())
    menu = panel.findChild(QMenu, "task-menu")
    torrent_menu = menu.findChild(QMenu, "torrent-menu")
    playlists = menu.findChild(QMenu, "add-to-playlist-menu")
    assert torrent_menu is not None and playlists.isEnabled()
    torrent_menu.sequential_on.trigger()
    films = await torrent_bridge.engine.playlists.create("Films")
    playlists.add_to(films)
    await until(lambda: not torrent_bridge._tasks, what="the entries added")
    entries = await torrent_bridge.engine.playlists.entries(films)
    assert [(e.title, e.provider) for e in entries] == [("a", "local"), ("b", "local")], "the finished videos"
    assert (await torrent_bridge.engine.torrents.view(view.id)).sequential
    menu.close()


def test_a_dropped_torrent_file_or_magnet_is_recognised(tmp_path: Path) -> None:
    def drop(mime: QMimeData) -> QDropEvent:
        return QDropEvent(QPointF(1, 1), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                          Qt.KeyboardModifier.NoModifier)  # fmt: skip

    files = QMimeData()
    files.setUrls([QUrl.fromLocalFile(str(tmp_path / "x.torrent"))])
    assert dropped_torrent(drop(files)) == str(tmp_path / "x.torrent")
    text = QMimeData()
    text.setText("magnet:?xt=urn:btih:" + "a" * 40)
    assert dropped_torrent(drop(text)).startswith("magnet:?")
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile(str(tmp_path / "x.mkv"))])
    assert dropped_torrent(drop(other)) == ""


async def test_a_torrent_dropped_anywhere_on_the_window_opens_the_add_dialog(
    torrent_bridge: EngineBridge, swarm: Swarm, qtbot: Any
) -> None:
    from desktop.mainwindow.window import MainWindow

    window = MainWindow(torrent_bridge, [TasksPanel])
    qtbot.addWidget(window)
    window.show()
    files = QMimeData()
    files.setUrls([QUrl.fromLocalFile(str(swarm.torrent))])
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, files, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)  # fmt: skip
    window.dragEnterEvent(enter)  # on the window itself (its navigation), not on the Tasks panel
    assert enter.isAccepted() and window.acceptDrops()
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, files, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)  # fmt: skip
    window.dropEvent(drop)
    dialog = window.findChild(AddTorrentDialog)
    assert drop.isAccepted() and dialog is not None and dialog.source_edit.text() == str(swarm.torrent)
    assert window.stack.currentWidget() is window.panels["tasks"]
    dialog.close()


async def test_the_tray_switches_the_alternative_speed_limits(torrent_bridge: EngineBridge, qtbot: Any) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    tray = Tray(torrent_bridge, window)  # type: ignore[arg-type]
    try:
        tray.refresh()
        assert tray.alt_speed_action.text() == "Alternative speed limits" and not tray.alt_speed_action.isChecked()
        tray.alt_speed_action.trigger()
        await until(lambda: torrent_bridge.engine.config["torrent.alt_enabled"] is True, what="the setting saved")
        assert torrent_bridge.engine.torrents.alternative_limits
    finally:
        tray.hide()
        tray.deleteLater()


async def _torrent_menu(panel: TasksPanel) -> QMenu:
    """The Tasks panel's context menu on its one torrent row, and its Torrent submenu."""
    panel.resize(900, 600)
    panel.show()
    panel.activated()
    await until(lambda: panel.model.rowCount() == 1, what="the torrent row")
    panel._show_menu(panel.tree.visualRect(panel.model.index(0, 0)).center())
    menu = panel.findChild(QMenu, "task-menu")
    torrent_menu = menu.findChild(QMenu, "torrent-menu")
    assert torrent_menu is not None
    return torrent_menu


async def test_move_files_asks_for_a_folder_and_moves_the_torrent_there(
    torrent_bridge: EngineBridge, swarm: Swarm, qtbot: Any, tmp_path: Path
) -> None:
    peer = swarm.seed()
    view = await torrent_bridge.engine.torrents.add(str(swarm.torrent), path=str(tmp_path / "dl"))
    torrent_bridge.engine.torrents.connect_peer(view.id, "127.0.0.1", peer.port)
    await torrent_bridge.engine.torrents.run_until_complete(stall_s=15)
    panel = TasksPanel(torrent_bridge)
    qtbot.addWidget(panel)
    menu = await _torrent_menu(panel)
    menu.move_action.trigger()
    dialog = panel.findChild(QFileDialog, "torrent-move-dialog")
    assert dialog is not None and dialog.isVisible() and dialog.fileMode() == QFileDialog.FileMode.Directory
    target = tmp_path / "elsewhere"
    target.mkdir()
    dialog.setDirectory(str(target))
    dialog.accept()  # "Choose" on the folder shown
    await until(lambda: (tmp_path / "elsewhere" / "pack").is_dir() and not torrent_bridge._tasks, what="the move")
    swarm.verify(target)
    assert not (tmp_path / "dl" / "pack" / "a.mkv").exists(), "moved, not copied"
    assert Path((await torrent_bridge.engine.torrents.view(view.id)).save_path) == target


async def test_edit_trackers_shows_the_current_ones_and_saves_the_edited_list(
    torrent_bridge: EngineBridge, swarm: Swarm, qtbot: Any, tmp_path: Path
) -> None:
    first, second = "udp://127.0.0.1:9/announce", "http://127.0.0.1:9/announce"
    view = await torrent_bridge.engine.torrents.add(str(swarm.torrent), path=str(tmp_path / "dl"), paused=True)
    await torrent_bridge.engine.torrents.set_trackers(view.id, [first])
    panel = TasksPanel(torrent_bridge)
    qtbot.addWidget(panel)
    menu = await _torrent_menu(panel)
    assert menu.trackers_action.isEnabled()
    menu.trackers_action.trigger()
    await until(lambda: panel.findChild(QInputDialog, "torrent-trackers-dialog") is not None, what="the dialog")
    dialog = panel.findChild(QInputDialog, "torrent-trackers-dialog")
    assert dialog.isVisible() and dialog.textValue() == first
    dialog.setTextValue(f"{second}\n\n")  # one replaced, a blank line ignored
    dialog.accept()
    await until(lambda: not torrent_bridge._tasks, what="the trackers saved")
    assert await torrent_bridge.engine.torrents.trackers(view.id) == [second]
