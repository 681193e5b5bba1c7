"""Add to a playlist: paste a link (the preview says what it is before it is added) or a
media server's ACCOUNT:PATH, or pick files with the browse dialog where it is installed."""

from __future__ import annotations

import importlib.util
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.engine.playlists.paths import looks_like_ref
from core.engine.playlists.views import EntryView, ParsedLink
from desktop.bridge import EngineBridge
from desktop.dialogs import MessageLabel, while_alive
from desktop.models.playlists import clock

PREVIEW_DELAY_MS = 400


def browse_dialog_available() -> bool:
    """Whether this SyncDeck has the media-server browse dialog (desktop/dialogs/browse.py)."""
    try:
        return importlib.util.find_spec("desktop.dialogs.browse") is not None
    except (ImportError, ValueError):
        return False


class PlaylistAddDialog(QDialog):
    added = Signal(object)  # EntryView, or the id of a new dynamic folder

    def __init__(self, bridge: EngineBridge, playlist_id: int, playlist_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("playlist-add-dialog")
        self.bridge = bridge
        self.playlist_id = playlist_id
        self.parsed: ParsedLink | None = None
        self._asked = ""  # the text the newest preview is for
        self.link_edit = QLineEdit()
        self.link_edit.setObjectName("playlist-link")
        self.link_edit.setClearButtonEnabled(True)
        self.title_label = QLabel()
        self.title_label.setObjectName("preview-title")
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("font-weight: bold;")
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label = QLabel()
        self.detail_label.setObjectName("preview-detail")
        self.detail_label.setWordWrap(True)
        self.message = MessageLabel()
        self.message.setObjectName("playlist-add-message")
        self.dynamic_box = QCheckBox()
        self.dynamic_box.setObjectName("as-dynamic")
        self.dynamic_box.setVisible(False)
        self.buttons = QDialogButtonBox()
        self.add_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setObjectName("add-entry")
        self.add_button.setEnabled(False)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.browse_button = QPushButton()
        self.browse_button.setObjectName("browse-servers")
        self.buttons.addButton(self.browse_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.browse_button.setVisible(browse_dialog_available())  # after addButton, which shows it
        self._form = QFormLayout()
        self._link_label = QLabel()
        self._form.addRow(self._link_label, self.link_edit)
        layout = QVBoxLayout(self)
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        layout.addWidget(self._intro)
        layout.addLayout(self._form)
        layout.addWidget(self.title_label)
        layout.addWidget(self.detail_label)
        layout.addWidget(self.dynamic_box)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.preview)
        self.link_edit.textChanged.connect(self._edited)
        self.add_button.clicked.connect(self.add)
        self.cancel_button.clicked.connect(self.reject)
        self.browse_button.clicked.connect(self._browse)
        self.resize(520, 260)
        self.playlist_name = playlist_name
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Add to “%1”").replace("%1", self.playlist_name))
        self._intro.setText(self.tr("Paste a link to a video, a file or a stream, or a media server's ACCOUNT:PATH."))
        self._link_label.setText(self.tr("&Link"))
        self._link_label.setBuddy(self.link_edit)
        self.link_edit.setPlaceholderText(self.tr("https://… or nas:/movies/film.mkv"))
        self.add_button.setText(self.tr("&Add"))
        self.browse_button.setText(self.tr("&Browse…"))
        self.dynamic_box.setText(self.tr("Add the folder as a dynamic folder (listed live, never copied)"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _edited(self, text: str) -> None:
        self.parsed = None
        self.add_button.setEnabled(False)
        self.title_label.clear()
        self.detail_label.clear()
        self.message.show_hint("")
        ref = looks_like_ref(text) and self.bridge.engine.playlists.link_provider(text) is None
        self.dynamic_box.setVisible(ref)
        if ref:
            self.title_label.setText(self.tr("A file or folder on a media server: %1").replace("%1", text.strip()))
            self.add_button.setEnabled(True)
            return
        if text.strip():
            self.message.show_hint(self.tr("Looking it up…"))
            self._timer.start()
        else:
            self._timer.stop()

    def preview(self) -> None:
        self._timer.stop()
        text = self.link_edit.text().strip()
        if not text:
            return
        self._asked = text
        self.bridge.run(
            self.bridge.engine.playlists.preview_link(text),
            what=self.tr("Preview"),
            done=while_alive(self, lambda parsed: self._previewed(text, parsed)),
            failed=while_alive(self, lambda message: self._preview_failed(text, message)),
        )

    def _previewed(self, text: str, parsed: ParsedLink) -> None:
        if text != self._asked or text != self.link_edit.text().strip():
            return
        self.parsed = parsed
        self.message.show_hint("")
        self.title_label.setText(parsed.title)
        details = [parsed.provider_name]
        if parsed.duration:
            details.append(clock(parsed.duration))
        if len(parsed.part_titles) > 1:
            details.append(self.tr("%n parts (chosen when it plays)", "", len(parsed.part_titles)))
        self.detail_label.setText(" · ".join(details))
        self.add_button.setEnabled(True)

    def _preview_failed(self, text: str, message: str) -> None:
        if text == self._asked and text == self.link_edit.text().strip():
            self.message.show_error(message)

    def add(self) -> None:
        book = self.bridge.engine.playlists
        text = self.link_edit.text().strip()
        call: Any
        if self.parsed is not None:
            parsed = self.parsed
            call = book.add_item(self.playlist_id, parsed.provider, parsed.account_id, parsed.item_json)
        elif looks_like_ref(text):
            servers = getattr(self.bridge.engine, "servers", None)
            call = book.add_ref(self.playlist_id, text, dynamic=self.dynamic_box.isChecked(), servers=servers)
        else:
            return
        self.add_button.setEnabled(False)
        self.bridge.run(
            call,
            what=self.tr("Adding"),
            done=while_alive(self, self._added),
            failed=while_alive(self, self._add_failed),
        )

    def _added(self, result: EntryView | int) -> None:
        self.added.emit(result)
        self.accept()

    def _added_many(self, results: list[EntryView | int]) -> None:
        for result in results:
            self.added.emit(result)
        self.accept()

    def _add_failed(self, message: str) -> None:
        self.add_button.setEnabled(True)
        self.message.show_error(message)

    def _browse(self) -> None:
        """The media-server browse dialog; what it returns (ACCOUNT:PATH references) is added."""
        from desktop.dialogs import browse

        dialog = browse.BrowseDialog(self.bridge, self)  # type: ignore[attr-defined]
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def chosen() -> None:
            refs = list(getattr(dialog, "selected_refs", lambda: [])())
            if not refs:
                return
            servers = getattr(self.bridge.engine, "servers", None)
            book = self.bridge.engine.playlists

            async def add_all() -> list[EntryView | int]:  # one after the other: the order picked
                return [await book.add_ref(self.playlist_id, ref, servers=servers) for ref in refs]

            self.bridge.run(add_all(), what=self.tr("Adding"), done=while_alive(self, self._added_many))

        dialog.accepted.connect(chosen)
        dialog.open()
