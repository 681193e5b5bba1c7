"""What the Tasks panel's context menu offers for torrent tasks: a "Torrent" submenu (force
start, sequential download, move files, edit trackers) and "Add to playlist" that adds a
torrent's video files (played through the stream proxy while the torrent downloads)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QWidget

from desktop.bridge import EngineBridge
from desktop.dialogs import while_alive
from desktop.widgets.playlist_menu import AddToPlaylistMenu


class TaskPlaylistMenu(AddToPlaylistMenu):
    """Adds the selected videos' links and, for each selected torrent, its video files."""

    def __init__(
        self, bridge: EngineBridge, links: Callable[[], list[str]], torrents: Callable[[], list[int]],
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(bridge, links, parent)
        self.torrents = torrents

    def add_to(self, playlist_id: int) -> None:
        super().add_to(playlist_id)
        for task_id in self.torrents():
            self.bridge.run(self._add_torrent(playlist_id, task_id), what=self.tr("Add to playlist"))

    async def _add_torrent(self, playlist_id: int, task_id: int) -> int:
        engine = self.bridge.engine
        refs = await engine.torrents.video_refs(task_id)
        for ref in refs:
            await engine.playlists.add_link(playlist_id, ref)
        return len(refs)


class TorrentMenu(QMenu):
    """Actions on the selected torrents. The menu is gone once a dialog it opened answers, so
    the dialogs belong to `owner` (the panel) and their answers use only the bridge."""

    def __init__(
        self, bridge: EngineBridge, task_ids: list[int], owner: QWidget, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("torrent-menu")
        self.setTitle(self.tr("Torrent"))
        self.bridge = bridge
        self.task_ids = task_ids
        self.owner = owner
        self.force_action = self.addAction(self.tr("Force start"), self.force_start)
        self.sequential_on = self.addAction(self.tr("Download in order (sequential)"), lambda: self.sequential(True))
        self.sequential_off = self.addAction(self.tr("Download rarest first"), lambda: self.sequential(False))
        self.addSeparator()
        self.move_action = self.addAction(self.tr("Move files…"), self.ask_folder)
        self.trackers_action = self.addAction(self.tr("Edit trackers…"), self.ask_trackers)
        self.trackers_action.setEnabled(len(task_ids) == 1)

    def force_start(self) -> None:
        for task_id in self.task_ids:
            self.bridge.run(self.bridge.engine.torrents.resume(task_id, force=True), what=self.tr("Force start"))

    def sequential(self, on: bool) -> None:
        for task_id in self.task_ids:
            self.bridge.run(
                self.bridge.engine.torrents.set_sequential(task_id, on), what=self.tr("Sequential download")
            )

    def ask_folder(self) -> None:
        bridge, task_ids, what = self.bridge, list(self.task_ids), self.tr("Move files")
        dialog = QFileDialog(self.owner, self.tr("Move the torrent's files to"))
        dialog.setObjectName("torrent-move-dialog")
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda folder: move_files(bridge, task_ids, folder, what))
        dialog.open()

    def ask_trackers(self) -> None:
        bridge, task_id, owner = self.bridge, self.task_ids[0], self.owner
        title, label = self.tr("Edit trackers"), self.tr("One tracker URL per line:")

        def show(current: list[str]) -> None:
            dialog = QInputDialog(owner)
            dialog.setObjectName("torrent-trackers-dialog")
            dialog.setWindowTitle(title)
            dialog.setLabelText(label)
            dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput, True)
            dialog.setTextValue("\n".join(current))
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.textValueSelected.connect(lambda text: save_trackers(bridge, task_id, current, text, title))
            dialog.open()

        bridge.run(bridge.engine.torrents.trackers(task_id), what=title, done=while_alive(owner, show))


def move_files(bridge: EngineBridge, task_ids: list[int], folder: str, what: str) -> None:
    if folder:
        for task_id in task_ids:
            bridge.run(bridge.engine.torrents.move_storage(task_id, str(Path(folder))), what=what)


def save_trackers(bridge: EngineBridge, task_id: int, current: list[str], text: str, what: str) -> None:
    wanted = [line.strip() for line in text.splitlines() if line.strip()]
    add = [u for u in wanted if u not in current]
    remove = [u for u in current if u not in wanted]
    if add or remove:
        bridge.run(bridge.engine.torrents.edit_trackers(task_id, add=add, remove=remove), what=what)
