"""Add a torrent: paste a magnet link or URL, or pick (or drop) a .torrent file; its name,
size and files are shown before anything downloads, and only the checked files are wanted."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.bridge import EngineBridge
from desktop.format import human_size

PREVIEW_DELAY_MS = 400


def dropped_torrent(event: QDragEnterEvent | QDropEvent) -> str:
    """A .torrent file or a magnet link being dragged, or ""."""
    mime = event.mimeData()
    for url in mime.urls() if mime.hasUrls() else []:
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".torrent"):
            return url.toLocalFile()
        if url.scheme() == "magnet":
            return url.toString()
    text = mime.text().strip() if mime.hasText() else ""
    return text if text.lower().startswith("magnet:?") else ""


class AddTorrentDialog(QDialog):
    def __init__(self, bridge: EngineBridge, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("add-torrent")
        self.bridge = bridge
        self.setAcceptDrops(True)
        self.source_edit = QLineEdit(text)
        self.source_edit.setObjectName("torrent-source")
        self.browse_button = QPushButton()
        self.info_label = QLabel()
        self.info_label.setObjectName("torrent-info")
        self.info_label.setWordWrap(True)
        self.files = QTreeWidget()
        self.files.setObjectName("torrent-preview-files")
        self.files.setRootIsDecorated(False)
        self.files.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.sequential_box = QCheckBox()
        self.paused_box = QCheckBox()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.source_edit, 1)
        row.addWidget(self.browse_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.info_label)
        layout.addWidget(self.files, 1)
        layout.addWidget(self.sequential_box)
        layout.addWidget(self.paused_box)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.load_preview)
        self.source_edit.textChanged.connect(lambda _t: self._timer.start())
        self.browse_button.clicked.connect(self._browse)
        self.buttons.accepted.connect(self._add)
        self.buttons.rejected.connect(self.reject)
        self.preview: Any = None
        self.added: Any = None
        self.resize(620, 420)
        self.retranslate()
        if text:
            self._timer.start(0)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Add torrent"))
        self.source_edit.setPlaceholderText(self.tr("Paste a magnet link or a URL, or drop a .torrent file here"))
        self.browse_button.setText(self.tr("Choose file…"))
        self.files.setHeaderLabels([self.tr("File"), self.tr("Size")])
        self.sequential_box.setText(self.tr("Download in order (to start playing early)"))
        self.paused_box.setText(self.tr("Add paused"))

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a .torrent file"), "",
                                              self.tr("Torrent files (*.torrent)"))  # fmt: skip
        if path:
            self.source_edit.setText(path)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if dropped_torrent(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        if text := dropped_torrent(event):
            self.source_edit.setText(text)
            event.acceptProposedAction()

    def load_preview(self) -> None:
        text = self.source_edit.text().strip()
        self.preview = None
        self.ok_button.setEnabled(False)
        self.files.clear()
        if not text:
            self.info_label.clear()
            return
        self.info_label.setText(self.tr("Reading…"))
        self.bridge.run(self.bridge.engine.torrents.preview(text), what=self.tr("Reading the torrent"),
                        done=lambda p: self._previewed(text, p), failed=self._failed)  # fmt: skip

    def _previewed(self, text: str, preview: Any) -> None:
        if text != self.source_edit.text().strip():
            return
        self.preview = preview
        if preview.has_metadata:
            self.info_label.setText(self.tr("{name} · {size} in {count} files").format(
                name=preview.name, size=human_size(preview.size), count=len(preview.files)))  # fmt: skip
        else:
            self.info_label.setText(self.tr("{name}: the files are known once the metadata arrives; "
                                            "all are downloaded").format(name=preview.name))  # fmt: skip
        for f in preview.files:
            item = QTreeWidgetItem(self.files, [f.path, human_size(f.size)])
            item.setData(0, Qt.ItemDataRole.UserRole, f.index)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked)
        self.ok_button.setEnabled(True)

    def _failed(self, message: str) -> None:
        self.info_label.setText(message)

    def chosen_files(self) -> list[int] | None:
        """The checked file indexes; None when all are (or the files are not known yet)."""
        items = [self.files.topLevelItem(i) for i in range(self.files.topLevelItemCount())]
        chosen = [int(i.data(0, Qt.ItemDataRole.UserRole)) for i in items if i.checkState(0) == Qt.CheckState.Checked]
        return None if len(chosen) == len(items) else chosen

    def _add(self) -> None:
        self.ok_button.setEnabled(False)
        call = self.bridge.engine.torrents.add(
            self.source_edit.text().strip(), files=self.chosen_files(), sequential=self.sequential_box.isChecked(),
            paused=self.paused_box.isChecked(),
        )  # fmt: skip
        self.bridge.run(call, what=self.tr("Adding the torrent"), done=self._added, failed=self._failed)

    def _added(self, view: Any) -> None:
        self.added = view
        self.accept()
