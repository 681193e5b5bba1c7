"""The detail pane of a torrent in the Tasks panel: a summary line (peers and seeds, ratio,
speeds, ETA), a pieces bar, and tabs with its files (a checkbox and a priority each, with
progress), trackers (status, message) and peers (address, client, speeds, progress)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.bridge import EngineBridge
from desktop.format import human_duration, human_size, human_speed

REFRESH_MS = 1000


class PiecesBar(QWidget):
    """Which pieces are on disk, as a thin bar (sampled down to the bar's width)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pieces: list[bool] = []
        self.setFixedHeight(10)

    def set_pieces(self, pieces: list[bool]) -> None:
        self.pieces = pieces
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        if not self.pieces:
            return
        width, count = self.width(), len(self.pieces)
        done = self.palette().highlight().color()
        for x in range(width):
            first, last = x * count // width, max(x * count // width + 1, (x + 1) * count // width)
            share = sum(self.pieces[first:last]) / (last - first)
            if share:
                color = QColor(done)
                color.setAlphaF(0.35 + 0.65 * share)
                painter.fillRect(QRectF(x, 0, 1, self.height()), color)


class TorrentDetail(QWidget):
    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("torrent-detail")
        self.bridge = bridge
        self.task_id: int | None = None
        self._loading = False
        self._filling = False
        self.summary = QLabel()
        self.summary.setObjectName("torrent-summary")
        self.summary.setWordWrap(True)
        self.pieces = PiecesBar()
        self.files = QTreeWidget()
        self.files.setObjectName("torrent-files")
        self.trackers = QTreeWidget()
        self.trackers.setObjectName("torrent-trackers")
        self.peers = QTreeWidget()
        self.peers.setObjectName("torrent-peers")
        for tree in (self.files, self.trackers, self.peers):
            tree.setRootIsDecorated(False)
            tree.setAlternatingRowColors(True)
            tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.files, "")
        self.tabs.addTab(self.trackers, "")
        self.tabs.addTab(self.peers, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.pieces)
        layout.addWidget(self.tabs, 1)
        self.files.itemChanged.connect(self._file_checked)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.retranslate()

    def retranslate(self) -> None:
        self.tabs.setTabText(0, self.tr("Files"))
        self.tabs.setTabText(1, self.tr("Trackers"))
        self.tabs.setTabText(2, self.tr("Peers"))
        self.files.setHeaderLabels([self.tr("File"), self.tr("Size"), self.tr("Progress"), self.tr("Priority")])
        self.trackers.setHeaderLabels([self.tr("Tracker"), self.tr("Status"), self.tr("Message")])
        self.peers.setHeaderLabels([self.tr("Address"), self.tr("Client"), self.tr("Down"), self.tr("Up"),
                                    self.tr("Progress")])  # fmt: skip

    def show_torrent(self, task_id: int | None) -> None:
        if task_id == self.task_id:
            return
        self.task_id = task_id
        self.files.clear()
        self.trackers.clear()
        self.peers.clear()
        self.summary.clear()
        if task_id is None:
            self.timer.stop()
            return
        self.timer.start()
        self.refresh()

    def refresh(self) -> None:
        if self.task_id is None or self._loading or not self.isVisible():
            return
        self._loading = True
        task_id = self.task_id
        self.bridge.run(self.bridge.engine.torrents.detail(task_id), what=self.tr("Loading the torrent"),
                        done=lambda d: self._arrived(task_id, d), failed=lambda _m: self._done_loading())  # fmt: skip

    def _done_loading(self) -> None:
        self._loading = False

    def _arrived(self, task_id: int, detail: Any) -> None:
        self._loading = False
        if task_id != self.task_id:
            return
        t = detail.torrent
        eta = human_duration(t.eta) if t.eta else "—"
        self.summary.setText(self.tr("{state} · {done} of {size} · peers {peers} / seeds {seeds} · ratio {ratio:.2f} · "
                                     "↓ {down} ↑ {up} · ETA {eta}").format(
            state=t.activity, done=human_size(t.done), size=human_size(t.wanted), peers=t.peers, seeds=t.seeds,
            ratio=t.ratio, down=human_speed(t.down_rate), up=human_speed(t.up_rate), eta=eta,
        ))  # fmt: skip
        self.pieces.set_pieces(detail.pieces)
        self._filling = True
        try:
            _fill(self.files, [
                ([f.path, human_size(f.size), f"{f.done * 100 // f.size if f.size else 100}%", str(f.priority)],
                 f.index, f.priority > 0) for f in detail.files
            ])  # fmt: skip
        finally:
            self._filling = False
        _fill(self.trackers, [([tr.url, tr.status, tr.message], i, None) for i, tr in enumerate(detail.trackers)])
        _fill(self.peers, [
            ([p.address, p.client, human_speed(p.down_rate), human_speed(p.up_rate), f"{p.progress * 100:.0f}%"],
             i, None) for i, p in enumerate(detail.peers)
        ])  # fmt: skip

    def _file_checked(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != 0 or self.task_id is None:
            return
        index = int(item.data(0, Qt.ItemDataRole.UserRole))
        priority = 4 if item.checkState(0) == Qt.CheckState.Checked else 0
        self.bridge.run(self.bridge.engine.torrents.set_file_priorities(self.task_id, {index: priority}),
                        what=self.tr("Choosing files"))  # fmt: skip


def _fill(tree: QTreeWidget, rows: list[tuple[list[str], int, bool | None]]) -> None:
    """Update rows in place (keeps the scroll position and the selection while refreshing)."""
    while tree.topLevelItemCount() > len(rows):
        tree.takeTopLevelItem(tree.topLevelItemCount() - 1)
    for n, (texts, key, checked) in enumerate(rows):
        item = tree.topLevelItem(n) or QTreeWidgetItem(tree)
        for column, text in enumerate(texts):
            if item.text(column) != text:
                item.setText(column, text)
        item.setData(0, Qt.ItemDataRole.UserRole, key)
        if checked is not None:
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
            if item.checkState(0) != state:
                item.setCheckState(0, state)
