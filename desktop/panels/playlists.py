"""The Playlists page: a tree of playlists and dynamic folders on the left, what the chosen
one holds on the right.

Static playlists hold entries (from any provider) and other playlists; a dynamic folder shows
what its server lists now, page by page, and nothing of it is stored. Entries are reordered
by dragging them in the list and moved by dropping them on another playlist; a dynamic
folder's files dropped on a playlist are added to it. Playing hands a queue
(core.engine.playlists.queue.PlayQueue of PlayRef) to whoever listens to `playRequested`
(the player window); actions that need a part this SyncDeck lacks are shown disabled with
the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from core.engine.playlists.queue import PlayQueue
from core.engine.playlists.views import DynamicChild, EntryView, PlayRef
from desktop.bridge import EngineBridge
from desktop.dialogs.playlist_add import PlaylistAddDialog
from desktop.models.playlists import (
    KEY_ROLE,
    THUMBNAIL_SIZE,
    Column,
    PlaylistEvents,
    PlaylistItemsModel,
    PlaylistTreeModel,
    Row,
    resolve_play_ref,
)
from desktop.panels.base import Panel
from desktop.resources import icon

READ_AHEAD_ROWS = 1000
COLUMN_WIDTHS = {Column.PROVIDER: 110, Column.DURATION: 80, Column.RESUME: 90}


class PlaylistsPanel(Panel):
    key = "playlists"
    icon_name = "playlists"

    playRequested = Signal(object)  # PlayQueue[PlayRef]: the player plays it

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self.book = bridge.engine.playlists
        self.events = PlaylistEvents(bridge, self)
        self.tree_model = PlaylistTreeModel(bridge, self)
        self.items = PlaylistItemsModel(bridge, self)
        self._started = False
        self._expanded: set[tuple[Any, ...]] = set()
        self._selected_key: tuple[Any, ...] | None = None
        self.dialog: QWidget | None = None

        self.tree = QTreeView()
        self.tree.setObjectName("playlist-tree")
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setDropIndicatorShown(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.setExpandsOnDoubleClick(True)

        self.list = QTableView()
        self.list.setObjectName("playlist-items")
        self.list.setModel(self.items)
        self.list.setIconSize(THUMBNAIL_SIZE)
        self.list.setShowGrid(False)
        self.list.setWordWrap(False)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setDropIndicatorShown(True)
        self.list.setDragDropOverwriteMode(False)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        rows = self.list.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(THUMBNAIL_SIZE.height() + 8)
        header = self.list.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        self.items.demand = self._needs_rows

        self.heading = QLabel()
        self.heading.setObjectName("playlist-heading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label = QLabel()
        self.count_label.setObjectName("playlist-count")
        self.empty_label = QLabel()
        self.empty_label.setObjectName("playlist-empty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: palette(placeholder-text); padding: 24px;")

        # actions on the list
        self.play_action = self._action("play", self.play_selected)
        self.play_here_action = self._action("play", self.play_from_here)
        self.external_action = self._action("open", self.open_external)
        self.copy_action = self._action("copy", self.copy_links)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.list.addAction(self.copy_action)
        self.rename_entry_action = self._action("edit", self.rename_entry)
        self.remove_entries_action = self._action("remove", self.remove_entries)
        self.remove_entries_action.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        self.remove_entries_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.list.addAction(self.remove_entries_action)
        self.play_here_action.setShortcut(QKeySequence(Qt.Key.Key_Return))
        self.rename_entry_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        for action in (self.play_here_action, self.rename_entry_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.list.addAction(action)
        self.download_action = self._action("down", self.download)
        # actions on the tree
        self.new_action = self._action("add", self.new_playlist)
        self.add_action = self._action("link", self.add_to_playlist)
        self.rename_node_action = self._action("edit", self.rename_node)
        self.remove_node_action = self._action("remove", self.remove_node)
        self.play_node_action = self._action("play", self.play_node)
        self.top_action = self._action("up", self.move_node_to_top)
        self.rename_node_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.rename_node_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.tree.addAction(self.rename_node_action)

        bar = QHBoxLayout()
        bar.setSpacing(4)
        for action in (self.new_action, self.add_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAutoRaise(True)
            bar.addWidget(button)
        bar.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(bar)
        left_layout.addWidget(self.tree, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.count_label)
        right_layout.addLayout(top)
        right_layout.addWidget(self.list, 1)
        right_layout.addWidget(self.empty_label)
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 760])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.splitter)

        self.tree.selectionModel().currentChanged.connect(self._tree_current)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.tree.expanded.connect(lambda index: self._expanded.add(index.data(KEY_ROLE)))
        self.tree.collapsed.connect(lambda index: self._expanded.discard(index.data(KEY_ROLE)))
        self.list.customContextMenuRequested.connect(self._list_menu)
        self.list.doubleClicked.connect(self._activated)
        self.list.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.list.selectionModel().selectionChanged.connect(self.update_actions)
        self.tree_model.loaded.connect(self._tree_loaded)
        self.tree_model.nodeDropped.connect(self._node_dropped)
        self.tree_model.entriesDropped.connect(lambda ids, target: self._move_entries(ids, target, None))
        self.tree_model.childrenDropped.connect(lambda items, target: self._add_children(items, target, None))
        self.items.rowsDropped.connect(self._rows_dropped)
        self.items.childrenDropped.connect(self._children_dropped_on_list)
        for signal in (self.items.totalChanged, self.items.modelReset, self.items.rowsInserted):
            signal.connect(self._update_heading)
        self.events.treeChanged.connect(lambda _ids: self.tree_model.reload())
        self.events.entriesChanged.connect(self._entries_changed)
        self.events.entryChanged.connect(self.items.refresh_entries)
        self.retranslate()
        self.update_actions()

    # ------------------------------------------------------------ texts

    def title(self) -> str:
        return self.tr("Playlists")

    def retranslate(self) -> None:
        self.items.retranslate()
        texts = {
            self.play_action: self.tr("Play"),
            self.play_here_action: self.tr("Play from here"),
            self.external_action: self.tr("Open in external player"),
            self.copy_action: self.tr("Copy link"),
            self.rename_entry_action: self.tr("Rename…"),
            self.remove_entries_action: self.tr("Remove from playlist"),
            self.download_action: self.tr("Download to library"),
            self.new_action: self.tr("New playlist"),
            self.add_action: self.tr("Add…"),
            self.rename_node_action: self.tr("Rename…"),
            self.remove_node_action: self.tr("Remove…"),
            self.play_node_action: self.tr("Play all"),
            self.top_action: self.tr("Move to the top level"),
        }
        for action, text in texts.items():
            action.setText(text)
        self.new_action.setToolTip(self.tr("A new playlist inside the chosen one (or at the top)"))
        self.add_action.setToolTip(self.tr("Add a link or a media server's file or folder to the chosen playlist"))
        self.update_actions()
        self._update_heading()

    # ------------------------------------------------------------ loading

    def showEvent(self, event: Any) -> None:
        self.items.thumbnails.set_device_pixel_ratio(self.devicePixelRatioF())
        if not self._started:
            self._started = True
            self.tree_model.reload()
        super().showEvent(event)

    def activated(self) -> None:
        if self._started:
            self.tree_model.reload()

    def _tree_loaded(self) -> None:
        """After a reload: open what was open and choose what was chosen."""
        for key in list(self._expanded):
            index = self.tree_model.index_of(key)
            if index.isValid():
                self.tree.expand(index)
        index = self.tree_model.index_of(self._selected_key) if self._selected_key else QModelIndex()
        if not index.isValid() and self.tree_model.rowCount() and self._selected_key is None:
            index = self.tree_model.index(0, 0)
        if index.isValid():
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
            with QSignalBlocker(self.tree.selectionModel()):
                self.tree.selectionModel().setCurrentIndex(index, flags)
            self._show(index.data(KEY_ROLE), keep=True)
        else:
            self._selected_key = None
            self.items.clear()
        self.update_actions()
        self._update_heading()  # a renamed playlist keeps its place in the list

    def _tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show(current.data(KEY_ROLE) if current.isValid() else None)

    def _show(self, key: tuple[Any, ...] | None, *, keep: bool = False) -> None:
        unchanged = key == self._selected_key and self.items.source is not None
        self._selected_key = key
        if keep and unchanged:
            return
        item = self.tree_model.item(self.tree_model.index_of(key)) if key else None
        if item is None:
            self.items.clear()
        elif item.kind == "static":
            self.items.show_playlist(item.folder_id)
        else:
            self.items.show_folder(item.folder_id, item.sub_path)
        self.update_actions()

    def _entries_changed(self, playlist_ids: set[int]) -> None:
        if self.items.static and self.items.source is not None and self.items.source[1] in playlist_ids:
            self.items.reload_entries()  # every loaded row read again: the view stays where it was
        self.tree_model.reload()  # the entry counts in the tooltips

    def _needs_rows(self) -> bool:
        row_height = self.list.verticalHeader().defaultSectionSize()
        shown_to = self.list.verticalScrollBar().value() + self.list.viewport().height()
        return self.items.rowCount() * row_height - shown_to < READ_AHEAD_ROWS * row_height

    def _scrolled(self) -> None:
        if self.items.canFetchMore(QModelIndex()):
            self.items.fetchMore(QModelIndex())

    def _update_heading(self) -> None:
        item = self.tree_model.item(self.tree_model.index_of(self._selected_key)) if self._selected_key else None
        if item is None:
            self.heading.setText("")
            self.count_label.setText("")
            self.empty_label.setText(
                self.tr("No playlists yet — “New playlist” makes one; add links to it with “Add…”.")
            )
            self.empty_label.setVisible(self.tree_model.rowCount() == 0 and not self.tree_model.busy)
            return
        if item.kind == "static":
            self.heading.setText(item.title)
        else:
            crumbs = [name for name, _ in self.items.breadcrumbs] or [item.title]
            node = item.node or self._dynamic_node(item.folder_id)
            where = f"  ({node.provider_name} {node.root})" if node is not None else ""
            self.heading.setText(" / ".join(crumbs) + where)
        total = self.items.total
        loaded = self.items.rowCount()
        if total is None:
            self.count_label.setText(self.tr("Counting…"))
        elif loaded >= total or self.items.exhausted:
            self.count_label.setText(self.tr("%n items", "", total))
        else:
            self.count_label.setText(self.tr("Showing %1 of %2").replace("%1", str(loaded)).replace("%2", str(total)))
        empty = total == 0
        if empty:
            self.empty_label.setText(
                self.tr("This playlist is empty — add links with “Add…” or drag items here.")
                if item.kind == "static"
                else self.tr("This folder is empty on the server.")
            )
        self.empty_label.setVisible(empty)

    def _dynamic_node(self, folder_id: int) -> Any:
        item = self.tree_model.item(self.tree_model.index_of(("node", folder_id)))
        return item.node if item is not None else None

    # ------------------------------------------------------------ selection and actions

    def _action(self, icon_name: str, slot: Callable[[], None]) -> QAction:
        action = QAction(icon(icon_name), "", self)
        action.triggered.connect(slot)
        return action

    def selected_rows(self) -> list[Row]:
        rows = sorted(index.row() for index in self.list.selectionModel().selectedRows(0))
        return [r for r in (self.items.row_at(n) for n in rows) if r is not None]

    def selected_node(self) -> Any:
        return self.tree_model.item(self.tree.currentIndex())

    def _playback_method(self, name: str) -> Callable[..., Any] | None:
        playback = getattr(self.bridge.engine, "playback", None)
        method = getattr(playback, name, None)
        return method if callable(method) else None

    def _player_connected(self) -> bool:
        return self.isSignalConnected(
            self.metaObject().method(self.metaObject().indexOfSignal("playRequested(PyObject)"))
        )

    def update_actions(self) -> None:
        rows = self.selected_rows()
        playable = [r for r in rows if self.items.play_ref(r) is not None]
        entries = [r for r in rows if isinstance(r, EntryView)]
        player = self._player_connected()
        for action in (self.play_action, self.play_here_action):
            action.setEnabled(player and bool(playable))
            action.setToolTip("" if player else self.tr("The player is not part of this SyncDeck"))
        self.play_here_action.setEnabled(player and len(playable) == 1)
        external = all(self._playback_method(name) is not None for name in ("resolve", "open_external"))
        self.external_action.setEnabled(external and len(playable) == 1)
        self.external_action.setToolTip("" if external else self.tr("Playback is not part of this SyncDeck"))
        download = self._playback_method("download_to_library") is not None
        remote = [r for r in playable if self._downloadable(r)]
        self.download_action.setEnabled(download and bool(remote))
        if not download:
            self.download_action.setToolTip(self.tr("Downloading single items is not part of this SyncDeck"))
        elif playable and not remote:
            self.download_action.setToolTip(self.tr("Local files are on this computer already"))
        else:
            self.download_action.setToolTip("")
        self.copy_action.setEnabled(any(self.items.link_of(r) for r in rows))
        self.rename_entry_action.setEnabled(len(entries) == 1)
        self.remove_entries_action.setEnabled(bool(entries))
        node = self.selected_node()
        static = node is not None and node.kind == "static"
        self.add_action.setEnabled(static)
        self.rename_node_action.setEnabled(node is not None and node.kind != "sub")
        self.remove_node_action.setEnabled(node is not None and node.kind != "sub")
        self.top_action.setEnabled(node is not None and node.kind != "sub" and node.parent is not None)
        self.play_node_action.setEnabled(player and node is not None)

    # ------------------------------------------------------------ menus

    def _list_menu(self, position: QPoint) -> None:
        index = self.list.indexAt(position)
        if index.isValid() and not self.list.selectionModel().isRowSelected(index.row(), QModelIndex()):
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self.list.selectionModel().setCurrentIndex(index, flags)
        self.update_actions()
        menu = QMenu(self)
        menu.setObjectName("playlist-item-menu")
        menu.addActions([self.play_action, self.play_here_action, self.external_action])
        menu.addSeparator()
        menu.addAction(self.copy_action)
        if self.items.static:
            menu.addAction(self.rename_entry_action)
            move = menu.addMenu(icon("folder"), self.tr("Move to"))
            move.setObjectName("move-to-menu")
            self._fill_target_menu(move, lambda target: self._move_entries(self._selected_entry_ids(), target, None))
            move.setEnabled(bool(self._selected_entry_ids()))
            menu.addAction(self.remove_entries_action)
        else:
            add = menu.addMenu(icon("playlists"), self.tr("Add to playlist"))
            add.setObjectName("add-to-menu")
            items = [(r.provider, r.account_id, dict(r.item_json)) for r in self.selected_rows()
                     if isinstance(r, DynamicChild) and r.item_json is not None]  # fmt: skip
            self._fill_target_menu(add, lambda target: self._add_children(items, target, None))
            add.setEnabled(bool(items))
        menu.addSeparator()
        menu.addAction(self.download_action)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.list.viewport().mapToGlobal(position))

    def _fill_target_menu(self, menu: QMenu, chosen: Callable[[int], None]) -> None:
        current = self.items.source[1] if self.items.static and self.items.source else None
        nodes = [n for n in self.tree_model.nodes() if n.kind == "static"]
        for node in nodes:
            action = menu.addAction("    " * self.tree_model.depth(node.id) + node.name)
            action.setEnabled(node.id != current)
            action.triggered.connect(lambda _checked=False, target=node.id: chosen(target))
        if not nodes:
            menu.addAction(self.tr("No playlists yet")).setEnabled(False)

    def _tree_menu(self, position: QPoint) -> None:
        index = self.tree.indexAt(position)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        else:
            self.tree.setCurrentIndex(QModelIndex())
        self.update_actions()
        menu = QMenu(self)
        menu.setObjectName("playlist-tree-menu")
        menu.addActions([self.play_node_action])
        menu.addSeparator()
        menu.addActions([self.new_action, self.add_action])
        menu.addSeparator()
        menu.addActions([self.rename_node_action, self.top_action, self.remove_node_action])
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.tree.viewport().mapToGlobal(position))

    # ------------------------------------------------------------ playing

    def _queue(self, refs: list[PlayRef], start: int) -> None:
        if refs:
            self.playRequested.emit(PlayQueue(refs, start=start))

    def play_selected(self) -> None:
        refs = [ref for ref in (self.items.play_ref(r) for r in self.selected_rows()) if ref is not None]
        self._queue(refs, 0)

    def _activated(self, index: QModelIndex) -> None:
        row = self.items.row_at(index.row())
        if isinstance(row, DynamicChild) and row.is_folder:
            self._open_sub_folder(row)
        elif row is not None and self._player_connected():
            self.play_from_here()

    def _open_sub_folder(self, child: DynamicChild) -> None:
        """Into a folder of the dynamic folder: the tree opens to it (it is read if it must be)."""
        parent = self.tree.currentIndex()
        self.tree.expand(parent)
        target = self.tree_model.index_of(("sub", child.folder_id, child.sub_path))
        if target.isValid():
            self.tree.setCurrentIndex(target)
        else:
            self._selected_key = ("sub", child.folder_id, child.sub_path)
            self.items.show_folder(child.folder_id, child.sub_path)

    def play_from_here(self) -> None:
        """The whole list plays from the chosen row on."""
        rows = self.selected_rows()
        if len(rows) != 1:
            return
        chosen = rows[0]
        source = self.items.source
        if source is None:
            return
        if isinstance(chosen, EntryView):
            self.bridge.run(
                self.book.play_refs(source[1]),
                what=self.tr("Play"),
                done=lambda refs: self._queue(
                    refs, next((n for n, r in enumerate(refs) if r.entry_id == chosen.id), 0)
                ),
            )
        else:

            def start(refs: list[PlayRef]) -> None:
                keys = [str((r.item_json or {}).get("key", "")) for r in refs]
                key = str((chosen.item_json or {}).get("key", ""))
                self._queue(refs, keys.index(key) if key in keys else 0)

            self.bridge.run(self.book.dynamic_play_refs(source[1], source[2]), what=self.tr("Play"), done=start)

    def play_node(self) -> None:
        item = self.selected_node()
        if item is None:
            return
        call = (
            self.book.play_refs(item.folder_id)
            if item.kind == "static"
            else self.book.dynamic_play_refs(item.folder_id, item.sub_path)
        )
        self.bridge.run(call, what=self.tr("Play"), done=lambda refs: self._queue(refs, 0))

    def open_external(self) -> None:
        refs = [ref for ref in (self.items.play_ref(r) for r in self.selected_rows()) if ref is not None]
        if refs and self._playback_method("open_external") is not None:
            self.bridge.run(self._open_external(refs[0]), what=self.tr("Open in external player"))

    async def _open_external(self, ref: PlayRef) -> None:
        """Resolved through playback (proxied when the player found cannot send the headers the
        stream needs), from the entry's resume position, then handed to the external player."""
        playback = self.bridge.engine.playback
        info = await resolve_play_ref(self.bridge.engine, ref)
        needs_proxy = getattr(playback, "player_needs_proxy", None)
        if needs_proxy is not None and info.mode != "proxied" and await needs_proxy(info):
            info = await resolve_play_ref(self.bridge.engine, ref, mode="proxied")
        await playback.open_external(info)

    def _downloadable(self, row: Row) -> bool:
        ref = self.items.play_ref(row)
        return ref is not None and ref.provider != "local"  # a local file is here already

    def download(self) -> None:
        """Each chosen entry becomes a task in the Tasks panel and downloads in the background."""
        method = self._playback_method("download_to_library")
        refs = [self.items.play_ref(r) for r in self.selected_rows() if self._downloadable(r)]
        if method is not None:
            for ref in refs:
                self.bridge.run(method(ref), what=self.tr("Download to library"))

    def copy_links(self) -> None:
        links = [link for link in (self.items.link_of(r) for r in self.selected_rows()) if link]
        if links:
            QGuiApplication.clipboard().setText("\n".join(dict.fromkeys(links)))

    # ------------------------------------------------------------ changing

    def _selected_entry_ids(self) -> list[int]:
        return [r.id for r in self.selected_rows() if isinstance(r, EntryView)]

    def _move_entries(self, ids: list[int], target: int, index: int | None) -> None:
        if ids:
            self.bridge.run(self.book.move_entries(ids, target, index), what=self.tr("Moving entries"))

    def _add_children(
        self, items: list[tuple[str, int | None, dict[str, Any]]], target: int, index: int | None
    ) -> None:
        if items:
            call = self.book.add_items(target, [(p, a, j, None) for p, a, j in items], index=index)
            self.bridge.run(call, what=self.tr("Adding to the playlist"))

    def _rows_dropped(self, ids: list[int], row: int) -> None:
        """Entries dropped on the list at `row` (counted with the dragged rows still in place)."""
        source = self.items.source
        if not self.items.static or source is None:
            return
        moving = set(ids)
        before = sum(1 for r in self.items.rows[:row] if isinstance(r, EntryView) and r.id in moving)
        self._move_entries(ids, source[1], row - before)

    def _children_dropped_on_list(self, items: list[tuple[str, int | None, dict[str, Any]]], row: int) -> None:
        if self.items.static and self.items.source is not None:
            self._add_children(items, self.items.source[1], row)

    def _node_dropped(self, node_id: int, parent: int | None, row: int) -> None:
        """A playlist dropped at `row` under `parent` (counted with the dragged one still in place)."""
        item = self.tree_model.item(self.tree_model.index_of(("node", node_id)))
        node = item.node if item is not None else None
        index = None if row < 0 else row
        if index is not None and node is not None and node.parent_id == parent and node.position < index:
            index -= 1
        self.bridge.run(self.book.move(node_id, parent, index), what=self.tr("Moving a playlist"))

    def _ask(self, title: str, label: str, text: str, done: Callable[[str], None]) -> None:
        """A line of text asked without a nested event loop (open(), not exec())."""
        dialog = QInputDialog(self)
        dialog.setObjectName("playlist-name-dialog")
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextValue(text)
        dialog.textValueSelected.connect(lambda value: value.strip() and done(value))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def new_playlist(self) -> None:
        node = self.selected_node()
        parent = node.folder_id if node is not None and node.kind == "static" else None

        def create(name: str) -> None:
            self.bridge.run(
                self.book.create(name, parent=parent),
                what=self.tr("New playlist"),
                done=lambda new_id: self._remember_choice(("node", new_id), parent),
            )

        self._ask(self.tr("New playlist"), self.tr("Name:"), "", create)

    def _remember_choice(self, key: tuple[Any, ...], parent: int | None) -> None:
        self._selected_key = key
        if parent is not None:
            self._expanded.add(("node", parent))

    def add_to_playlist(self) -> None:
        node = self.selected_node()
        if node is None or node.kind != "static":
            return
        dialog = PlaylistAddDialog(self.bridge, node.folder_id, node.title, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def rename_node(self) -> None:
        node = self.selected_node()
        if node is None or node.kind == "sub":
            return
        self._ask(
            self.tr("Rename"), self.tr("Name:"), node.title,
            lambda name: self.bridge.run(self.book.rename(node.folder_id, name), what=self.tr("Rename")),
        )  # fmt: skip

    def rename_entry(self) -> None:
        entries = [r for r in self.selected_rows() if isinstance(r, EntryView)]
        if len(entries) != 1:
            return
        entry = entries[0]
        self._ask(
            self.tr("Rename"), self.tr("Title:"), entry.title,
            lambda title: self.bridge.run(self.book.rename_entry(entry.id, title), what=self.tr("Rename")),
        )  # fmt: skip

    def remove_entries(self) -> None:
        ids = self._selected_entry_ids()
        if ids:
            self.bridge.run(self.book.remove_entries(ids), what=self.tr("Remove from playlist"))

    def remove_node(self) -> None:
        node = self.selected_node()
        if node is None or node.kind == "sub":
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Remove"), "", parent=self)
        box.setObjectName("remove-playlist-confirm")
        box.setText(self.tr("Remove “%1” and everything in it?").replace("%1", node.title))
        if node.kind == "dynamic":
            box.setInformativeText(self.tr("Only the folder's place here goes; nothing on the server changes."))
        yes = box.addButton(self.tr("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        node_id = node.folder_id

        def answered() -> None:
            if box.clickedButton() is yes:
                self._selected_key = None
                self.bridge.run(self.book.remove(node_id), what=self.tr("Remove"))
            box.deleteLater()

        box.finished.connect(answered)
        self.dialog = box
        box.open()

    def move_node_to_top(self) -> None:
        node = self.selected_node()
        if node is not None and node.kind != "sub":
            self.bridge.run(self.book.move(node.folder_id, None), what=self.tr("Moving a playlist"))
