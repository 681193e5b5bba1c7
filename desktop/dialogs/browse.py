"""Browse or search a media server account (Alist, OpenList, Emby, Jellyfin) and pick entries.

Folders open with a double click (".." goes up); long folders arrive a page at a time as the
list scrolls (`fetchMore`); a locked folder asks for its password in the dialog itself.
`chosen()` gives the selected entries (files and folders) once the dialog is accepted.
"""

from __future__ import annotations

import asyncio
import posixpath
from typing import Any

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.engine.servers.views import BrowsePage, ServerEntry
from core.engine.views import AccountView
from core.errors import FolderPasswordError
from desktop.bridge import EngineBridge
from desktop.format import human_size
from desktop.resources import icon

PAGE_SIZE = 200
EntryRole = Qt.ItemDataRole.UserRole + 1


class EntriesModel(QAbstractListModel):
    """The entries of one folder (fetched a page at a time) or of one search."""

    def __init__(self, dialog: BrowseDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.entries: list[ServerEntry] = []
        self.more = False

    def reset(self, entries: list[ServerEntry], more: bool) -> None:
        self.beginResetModel()
        self.entries, self.more = list(entries), more
        self.endResetModel()

    def append(self, entries: list[ServerEntry], more: bool) -> None:
        self.more = more
        if entries:
            first = len(self.entries)
            self.beginInsertRows(QModelIndex(), first, first + len(entries) - 1)
            self.entries += entries
            self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.title + "/" if entry.is_folder else f"{entry.title}    {human_size(entry.size)}"
        if role == Qt.ItemDataRole.DecorationRole:
            return icon("folder" if entry.is_folder else "play" if entry.playable else "open")
        if role == EntryRole:
            return entry
        return None

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and self.more and not self.dialog.loading

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if self.canFetchMore(parent):
            self.dialog.load_more()


class BrowseDialog(QDialog):
    def __init__(
        self, bridge: EngineBridge, parent: QWidget | None = None, *, account_id: int | None = None,
        path: str = "", page_size: int = PAGE_SIZE,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("browse-dialog")
        self.bridge = bridge
        self.servers = bridge.engine.servers
        self.page_size = page_size
        self.account_id = account_id
        self.path = path or "/"
        self.page = 0
        self.searching = ""  # the query shown, "" while browsing
        self.loading = False
        self.locked_folder = ""
        self._task: asyncio.Task[Any] | None = None
        self._chosen: list[ServerEntry] = []

        self.account_combo = QComboBox()
        self.account_combo.setObjectName("browse-account")
        self.account_combo.currentIndexChanged.connect(self._account_changed)
        self.up_button = QPushButton(icon("up"), "")
        self.up_button.setObjectName("browse-up")
        self.up_button.clicked.connect(self.go_up)
        self.path_label = QLabel()
        self.path_label.setObjectName("browse-path")
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("browse-search")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.returnPressed.connect(self.search)
        self.search_button = QPushButton(icon("search"), "")
        self.search_button.clicked.connect(self.search)

        self.model = EntriesModel(self)
        self.view = QListView()
        self.view.setObjectName("browse-entries")
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformItemSizes(True)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.status_label = QLabel()
        self.status_label.setObjectName("browse-status")
        self.status_label.setWordWrap(True)
        self.password_row = QWidget()
        self.password_label = QLabel()
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("browse-folder-password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.returnPressed.connect(self.unlock)
        self.unlock_button = QPushButton()
        self.unlock_button.setObjectName("browse-unlock")
        self.unlock_button.clicked.connect(self.unlock)
        row = QHBoxLayout(self.password_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.password_label)
        row.addWidget(self.password_edit, 1)
        row.addWidget(self.unlock_button)
        self.password_row.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.choose_button = QPushButton()
        self.choose_button.setObjectName("browse-choose")
        self.buttons.addButton(self.choose_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.account_combo, 1)
        top.addWidget(self.search_edit, 2)
        top.addWidget(self.search_button)
        where = QHBoxLayout()
        where.addWidget(self.up_button)
        where.addWidget(self.path_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.addLayout(top)
        layout.addLayout(where)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.password_row)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        self.resize(640, 520)
        self.retranslate()
        self._update_buttons()
        self.bridge.run(self.servers.server_accounts(), what="list server accounts", done=self._show_accounts,
                        failed=self._failed)  # fmt: skip

    # ------------------------------------------------------------ text

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Browse a media server"))
        self.up_button.setToolTip(self.tr("Up one folder"))
        self.search_edit.setPlaceholderText(self.tr("Search this server…"))
        self.search_button.setText(self.tr("Search"))
        self.password_label.setText(self.tr("Folder password:"))
        self.unlock_button.setText(self.tr("Open"))
        self.choose_button.setText(self.tr("Add selected"))
        self._show_where()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _show_where(self) -> None:
        if self.searching:
            self.path_label.setText(self.tr("Search results for “%1”").replace("%1", self.searching))
        else:
            self.path_label.setText(self.path)
        self.up_button.setEnabled(not self.searching and self.path not in ("", "/") or bool(self.searching))

    def _update_buttons(self) -> None:
        self.choose_button.setEnabled(bool(self.view.selectionModel().selectedIndexes()))

    # ------------------------------------------------------------ accounts

    def _show_accounts(self, accounts: list[AccountView]) -> None:
        self.account_combo.blockSignals(True)
        self.account_combo.clear()
        for account in accounts:
            self.account_combo.addItem(f"{account.name} ({account.provider_name})", account.id)
        self.account_combo.blockSignals(False)
        if not accounts:
            self.status_label.setText(self.tr("No media server account yet: add one in the Accounts panel."))
            return
        index = self.account_combo.findData(self.account_id) if self.account_id is not None else 0
        self.account_combo.setCurrentIndex(max(index, 0))
        self._account_changed()

    def _account_changed(self) -> None:
        account_id = self.account_combo.currentData()
        if account_id is None:
            return
        if account_id != self.account_id:
            self.path = "/"
        self.account_id = int(account_id)
        self.open_folder(self.path)

    # ------------------------------------------------------------ loading

    def _start(self, coro: Any, done: Any) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self.loading = True
        self.status_label.setText(self.tr("Loading…"))

        async def guarded() -> Any:
            try:
                return await coro
            except FolderPasswordError as exc:
                return exc

        def finished(result: Any) -> None:
            self.loading = False
            if isinstance(result, FolderPasswordError):
                self._ask_password(result)
            else:
                self.status_label.clear()
                done(result)

        self._task = self.bridge.run(guarded(), what="browse", done=finished, failed=self._failed)

    def _failed(self, message: str) -> None:
        self.loading = False
        self.status_label.setText(message)

    def open_folder(self, path: str) -> None:
        if self.account_id is None:
            return
        self.searching = ""
        self.path = path or "/"
        self.page = 1
        self.password_row.hide()
        self._show_where()
        self._start(self.servers.browse(self.account_id, self.path, 1, self.page_size), self._show_page)

    def _show_page(self, page: BrowsePage) -> None:
        self.path = page.path or "/"
        self.page = page.page
        self._show_where()
        if page.page == 1:
            self.model.reset(list(page.entries), page.has_more)
            if not page.entries:
                self.status_label.setText(self.tr("This folder is empty."))
        else:
            self.model.append(list(page.entries), page.has_more)
        self._update_buttons()

    def load_more(self) -> None:
        """The next page of the folder (asked for by the view as it scrolls to the end)."""
        if self.account_id is None or self.searching or self.loading:
            return
        self._start(self.servers.browse(self.account_id, self.path, self.page + 1, self.page_size), self._show_page)

    def go_up(self) -> None:
        if self.searching:
            self.open_folder(self.path)
        else:
            self.open_folder(posixpath.dirname(self.path.rstrip("/")) or "/")

    def _double_clicked(self, index: QModelIndex) -> None:
        entry = index.data(EntryRole)
        if isinstance(entry, ServerEntry) and entry.is_folder:
            self.open_folder(entry.key)
        elif isinstance(entry, ServerEntry) and entry.playable:
            self.accept()

    def search(self) -> None:
        query = self.search_edit.text().strip()
        if self.account_id is None:
            return
        if not query:
            self.open_folder(self.path)
            return
        self.searching = query
        self._show_where()

        def found(entries: list[ServerEntry]) -> None:
            self.model.reset(entries, False)
            if not entries:
                self.status_label.setText(self.tr("Nothing found."))
            self._update_buttons()

        self._start(self.servers.search(self.account_id, query), found)

    # ------------------------------------------------------------ folder passwords

    def _ask_password(self, error: FolderPasswordError) -> None:
        self.locked_folder = error.folder
        self.status_label.setText(
            self.tr("Wrong password for %1.") if error.wrong else self.tr("%1 is locked with a password.")
        )
        self.status_label.setText(self.status_label.text().replace("%1", error.folder))
        self.password_edit.clear()
        self.password_row.show()
        self.password_edit.setFocus()

    def unlock(self) -> None:
        password = self.password_edit.text()
        if self.account_id is None or not password or not self.locked_folder:
            return
        folder, account_id = self.locked_folder, self.account_id

        async def unlock_and_open() -> BrowsePage:
            await self.servers.unlock(account_id, folder, password)
            return await self.servers.browse(account_id, folder, 1, self.page_size)

        self.password_row.hide()
        self.page = 1
        self._start(unlock_and_open(), self._show_page)

    # ------------------------------------------------------------ result

    def chosen(self) -> list[ServerEntry]:
        """The entries selected when the dialog was accepted (files and folders), in list order."""
        return list(self._chosen)

    def selected_refs(self) -> list[str]:
        """The chosen entries as ACCOUNT:PATH references (what a playlist adds)."""
        return [entry.ref for entry in self._chosen]

    def accept(self) -> None:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedIndexes()})
        self._chosen = [self.model.entries[row] for row in rows]
        super().accept()

    def done(self, result: int) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None
        super().done(result)
