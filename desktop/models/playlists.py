"""Qt models of the Playlists page: the tree of playlists and dynamic folders, and the item list.

Both read through the engine (`engine.playlists`) on the loop and never block the window:
the tree loads every playlist at once (they are few) and pages a dynamic folder's sub-folders
from its provider only when it is opened (`canFetchMore`/`fetchMore`); the list pages a
playlist's entries by position (keyset) or a dynamic folder's children by page as it scrolls.
Changes made anywhere (this window, the command line) arrive as engine events and are
applied to what is shown.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QAbstractTableModel,
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QIcon

from core.engine.playlists.views import DynamicChild, DynamicPage, EntryView, PlaylistNodeView, PlayRef
from core.events import Event, StateChanged
from desktop.bridge import EngineBridge
from desktop.resources import icon
from desktop.widgets.thumbnails import ThumbnailCache

# Providers whose names are words, not brands: shown in the UI language (the others stay as they are).
GENERIC_PROVIDERS = (QT_TRANSLATE_NOOP("Providers", "Direct link"), QT_TRANSLATE_NOOP("Providers", "Local files"))


def provider_title(display_name: str) -> str:
    return QCoreApplication.translate("Providers", display_name)


ENTRY_MIME = "application/x-syncdeck-playlist-entries"  # {"playlist": id, "entries": [ids]}
CHILD_MIME = "application/x-syncdeck-dynamic-items"  # [{provider, account_id, item_json}]
NODE_MIME = "application/x-syncdeck-playlist-node"  # {"id": node id}

THUMBNAIL_SIZE = QSize(48, 27)
PAGE_SIZE = 200
MAX_PAGE_SIZE = 2000  # entries per read once many are loaded
DYNAMIC_PAGE = 500  # the most a provider is asked for at once
TREE_PAGE = 500
EVENT_DELAY_MS = 50

_ROOT = QModelIndex()
_ModelIndex = QModelIndex | QPersistentModelIndex
KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # ("node", id) | ("sub", folder id, sub-path)
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # "static" | "dynamic" | "sub"


def clock(seconds: float) -> str:
    """1:02:03, 4:05, or "" for nothing."""
    whole = int(seconds)
    if whole <= 0:
        return ""
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class PlaylistEvents(QObject):
    """Engine events about playlists, with the ids they name, gathered for a moment so a burst
    (a hundred entries moved) reaches the models once."""

    treeChanged = Signal(object)  # set of node ids
    entriesChanged = Signal(object)  # set of playlist ids whose entry lists changed
    entryChanged = Signal(object)  # set of entry ids changed in place

    def __init__(self, bridge: EngineBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: dict[str, set[int]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(EVENT_DELAY_MS)
        self._timer.timeout.connect(self._flush)
        unsubscribe = bridge.engine.bus.subscribe(self._on_event)
        self.destroyed.connect(lambda *_: unsubscribe())

    def _on_event(self, event: Event) -> None:
        if isinstance(event, StateChanged) and event.what in ("playlists", "playlist_entries", "playlist_entry"):
            self._pending.setdefault(event.what, set()).update(event.ids)
            if not self._timer.isActive():
                self._timer.start()

    def _flush(self) -> None:
        pending, self._pending = self._pending, {}
        if "playlists" in pending:
            self.treeChanged.emit(pending["playlists"])
        if "playlist_entries" in pending:
            self.entriesChanged.emit(pending["playlist_entries"])
        if "playlist_entry" in pending:
            self.entryChanged.emit(pending["playlist_entry"])


async def resolve_play_ref(engine: Any, ref: PlayRef, quality: str = "", **options: Any) -> Any:
    """A queue's PlayRef made playable by the playback service (a PlaybackInfo), from where it
    stopped last time: what the player's `resolve(entry, quality)` hook calls."""
    provider, account_id, item_json, part_key, resume = await engine.playlists.ref_item(ref)
    return await engine.playback.resolve(
        item_json, provider, account_id, part_key, quality=quality or None, start_at=resume, entry_id=ref.entry_id,
        **options,
    )  # fmt: skip


# ------------------------------------------------------------------ the tree


@dataclass(eq=False)
class TreeItem:
    kind: str  # "static" | "dynamic" | "sub"
    title: str
    parent: TreeItem | None
    node: PlaylistNodeView | None = None  # static and dynamic
    folder_id: int = 0  # dynamic and sub: the dynamic folder
    sub_path: str = ""  # sub: below the folder's root
    children: list[TreeItem] = field(default_factory=list)
    next_page: int = 1  # dynamic and sub: the provider's next page of children
    exhausted: bool = False
    loading: bool = False

    @property
    def key(self) -> tuple[Any, ...]:
        if self.kind == "sub":
            return ("sub", self.folder_id, self.sub_path)
        assert self.node is not None
        return ("node", self.node.id)

    @property
    def live(self) -> bool:
        return self.kind in ("dynamic", "sub")


class PlaylistTreeModel(QAbstractItemModel):
    """Playlists (static, holding entries and other playlists), dynamic folders and, once a
    dynamic folder is opened, its sub-folders as the provider lists them."""

    loaded = Signal()  # a reload finished
    nodeDropped = Signal(int, object, int)  # node id, new parent (None: top), index
    entriesDropped = Signal(object, int)  # entry ids, target playlist
    childrenDropped = Signal(object, int)  # [(provider, account_id, item_json)], target playlist

    def __init__(self, bridge: EngineBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.top: list[TreeItem] = []
        self._by_key: dict[tuple[Any, ...], TreeItem] = {}
        self._generation = 0
        self._icons: dict[str, QIcon] = {}
        self.busy = False

    # ---------------------------------------------------------------- reading

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        self.busy = True
        self.bridge.run(
            self.bridge.engine.playlists.tree(),
            what=self.tr("Loading playlists"),
            done=lambda nodes: self._arrived(generation, nodes),
            failed=lambda message: self._failed(generation, message),
        )

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.busy = False
            self.bridge.errorRaised.emit(self.tr("Loading playlists"), message)

    def _arrived(self, generation: int, nodes: list[PlaylistNodeView]) -> None:
        if generation != self._generation:
            return
        self.busy = False
        old = self._by_key
        self.beginResetModel()
        items: dict[int, TreeItem] = {}
        self.top = []
        for node in nodes:  # parents come before their children's order, not before them: two passes
            items[node.id] = TreeItem(kind=node.kind, title=node.name, parent=None, node=node, folder_id=node.id)
        for node in nodes:
            item = items[node.id]
            parent = items.get(node.parent_id) if node.parent_id is not None else None
            item.parent = parent
            (parent.children if parent else self.top).append(item)
        for siblings in [self.top, *(i.children for i in items.values())]:
            siblings.sort(key=lambda i: i.node.position if i.node else 0)
        self._by_key = {item.key: item for item in items.values()}
        for item in items.values():  # a dynamic folder keeps the sub-folders already read
            previous = old.get(item.key)
            if item.live and previous is not None and _same_folder(item, previous):
                self._adopt(item, previous)
        self.endResetModel()
        self.loaded.emit()

    def _adopt(self, item: TreeItem, previous: TreeItem) -> None:
        item.children, item.next_page, item.exhausted = previous.children, previous.next_page, previous.exhausted
        for child in item.children:
            child.parent = item
        stack = list(item.children)
        while stack:
            child = stack.pop()
            self._by_key[child.key] = child
            stack.extend(child.children)

    def _row(self, item: TreeItem) -> int:
        return (item.parent.children if item.parent else self.top).index(item)

    def item(self, index: _ModelIndex) -> TreeItem | None:
        if not index.isValid():
            return None
        item = index.internalPointer()
        return item if isinstance(item, TreeItem) else None

    def index_of(self, key: tuple[Any, ...]) -> QModelIndex:
        item = self._by_key.get(key)
        return QModelIndex() if item is None else self.createIndex(self._row(item), 0, item)

    def nodes(self) -> list[PlaylistNodeView]:
        """Every playlist and dynamic folder, depth first in their order."""
        out: list[PlaylistNodeView] = []

        def walk(items: list[TreeItem]) -> None:
            for item in items:
                if item.node is not None:
                    out.append(item.node)
                    walk(item.children if item.kind == "static" else [])

        walk(self.top)
        return out

    def depth(self, node_id: int) -> int:
        item = self._by_key.get(("node", node_id))
        depth = 0
        while item is not None and item.parent is not None:
            depth += 1
            item = item.parent
        return depth

    # ---------------------------------------------------------------- dynamic sub-folders

    def hasChildren(self, parent: _ModelIndex = _ROOT) -> bool:
        item = self.item(parent)
        if item is None:
            return bool(self.top)
        if item.live:
            return bool(item.children) or not item.exhausted
        return bool(item.children)

    def canFetchMore(self, parent: _ModelIndex) -> bool:
        item = self.item(parent)
        return item is not None and item.live and not item.exhausted and not item.loading

    def fetchMore(self, parent: _ModelIndex) -> None:
        item = self.item(parent)
        if item is None or not item.live or item.exhausted or item.loading:
            return
        item.loading = True
        generation = self._generation
        self.bridge.run(
            self.bridge.engine.playlists.dynamic_children(item.folder_id, item.sub_path, item.next_page, TREE_PAGE),
            what=self.tr("Listing a folder"),
            done=lambda page: self._folders_arrived(generation, item, page),
            failed=lambda message: self._folders_failed(generation, item, message),
        )

    def _folders_failed(self, generation: int, item: TreeItem, message: str) -> None:
        item.loading = False
        item.exhausted = True  # no retry loop against a broken server; a reload tries again
        if generation == self._generation and self._by_key.get(item.key) is item:
            index = self.createIndex(self._row(item), 0, item)
            self.dataChanged.emit(index, index)
            self.bridge.errorRaised.emit(self.tr("Listing a folder"), message)

    def _folders_arrived(self, generation: int, item: TreeItem, page: DynamicPage) -> None:
        item.loading = False
        if generation != self._generation or self._by_key.get(item.key) is not item:
            return
        item.next_page = page.page + 1
        item.exhausted = not page.has_more or not page.children
        folders = [
            TreeItem(kind="sub", title=c.title, parent=item, folder_id=c.folder_id, sub_path=c.sub_path)
            for c in page.children
            if c.is_folder and ("sub", c.folder_id, c.sub_path) not in self._by_key
        ]
        parent_index = self.createIndex(self._row(item), 0, item)
        if folders:
            first = len(item.children)
            self.beginInsertRows(parent_index, first, first + len(folders) - 1)
            item.children.extend(folders)
            for folder in folders:
                self._by_key[folder.key] = folder
            self.endInsertRows()
        elif item.exhausted and not item.children:
            self.dataChanged.emit(parent_index, parent_index)  # no arrow any more
        if not item.exhausted and not folders:
            self.fetchMore(parent_index)  # a page of files only: the folders may come later

    # ---------------------------------------------------------------- Qt model

    def index(self, row: int, column: int, parent: _ModelIndex = _ROOT) -> QModelIndex:
        siblings = self.top if not parent.isValid() else (self.item(parent) or TreeItem("static", "", None)).children
        if column != 0 or not 0 <= row < len(siblings):
            return QModelIndex()
        return self.createIndex(row, 0, siblings[row])

    def parent(self, index: _ModelIndex = _ROOT) -> QModelIndex:  # type: ignore[override]
        item = self.item(index)
        if item is None or item.parent is None:
            return QModelIndex()
        return self.createIndex(self._row(item.parent), 0, item.parent)

    def rowCount(self, parent: _ModelIndex = _ROOT) -> int:
        if parent.column() > 0:
            return 0
        if not parent.isValid():
            return len(self.top)
        item = self.item(parent)
        return len(item.children) if item else 0

    def columnCount(self, parent: _ModelIndex = _ROOT) -> int:
        return 1

    def _icon(self, name: str) -> QIcon:
        if name not in self._icons:
            self._icons[name] = icon(name)
        return self._icons[name]

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index)
        if item is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return item.title
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon({"static": "playlists", "dynamic": "playlist-dynamic", "sub": "folder"}[item.kind])
        if role == Qt.ItemDataRole.ToolTipRole:
            node = item.node
            if item.kind == "static" and node is not None:
                return self.tr("Playlist: %n entries", "", node.entry_count)
            if item.kind == "dynamic" and node is not None:
                return (
                    self.tr("Dynamic folder: %1 %2, listed live")
                    .replace("%1", provider_title(node.provider_name))
                    .replace("%2", node.root)
                )
            return item.sub_path
        if role == KEY_ROLE:
            return item.key
        if role == KIND_ROLE:
            return item.kind
        return None

    def flags(self, index: _ModelIndex) -> Qt.ItemFlag:
        item = self.item(index)
        if item is None:
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if item.kind != "sub":
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        if item.kind == "static":
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    # ---------------------------------------------------------------- drag and drop

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [NODE_MIME, ENTRY_MIME, CHILD_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # type: ignore[override]
        data = QMimeData()
        items = [self.item(i) for i in indexes]
        nodes = [i.node.id for i in items if i is not None and i.node is not None]
        if nodes:
            data.setData(NODE_MIME, QByteArray(json.dumps({"id": nodes[0]}).encode()))
        return data

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _ModelIndex
    ) -> bool:
        target = self.item(parent)
        if target is not None and target.kind != "static":
            return False
        if data.hasFormat(NODE_MIME):
            return True
        return target is not None and (data.hasFormat(ENTRY_MIME) or data.hasFormat(CHILD_MIME))

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _ModelIndex) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        target = self.item(parent)
        target_id = target.node.id if target is not None and target.node is not None else None
        if data.hasFormat(NODE_MIME):
            node_id = int(json.loads(bytes(data.data(NODE_MIME).data()))["id"])
            if node_id == target_id:
                return False
            self.nodeDropped.emit(node_id, target_id, row)
        elif target_id is not None and data.hasFormat(ENTRY_MIME):
            self.entriesDropped.emit(list(json.loads(bytes(data.data(ENTRY_MIME).data()))["entries"]), target_id)
        elif target_id is not None and data.hasFormat(CHILD_MIME):
            self.childrenDropped.emit(decode_children(data), target_id)
        return False  # the engine moves it; the change event redraws (nothing to remove here)


def _same_folder(a: TreeItem, b: TreeItem) -> bool:
    """Whether two reads of the tree name the same dynamic folder (its sub-folders still hold)."""
    return (
        a.node is not None and b.node is not None and (a.node.provider, a.node.root) == (b.node.provider, b.node.root)
    )


def decode_children(data: QMimeData) -> list[tuple[str, int | None, dict[str, Any]]]:
    raw = json.loads(bytes(data.data(CHILD_MIME).data()))
    return [(c["provider"], c["account_id"], c["item_json"]) for c in raw]


# ------------------------------------------------------------------ the list


class Column(IntEnum):
    TITLE = 0
    PROVIDER = 1
    DURATION = 2
    RESUME = 3


Row = EntryView | DynamicChild


class PlaylistItemsModel(QAbstractTableModel):
    """The entries of one playlist, or the children of one (sub-)folder of a dynamic folder,
    read page by page as the view scrolls."""

    totalChanged = Signal()
    rowsDropped = Signal(object, int)  # entry ids dropped on the list, at this row
    childrenDropped = Signal(object, int)  # dynamic items dropped on the list, at this row

    def __init__(self, bridge: EngineBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.rows: list[Row] = []
        self.source: tuple[Any, ...] | None = None  # ("static", id) | ("dynamic", folder id, sub-path)
        self.total: int | None = None
        self.breadcrumbs: tuple[tuple[str, str], ...] = ()
        self._generation = 0
        self._exhausted = True
        self._fetching = False
        self._next_page = 1
        self._cover_waiters: dict[str, set[int]] = {}
        self.demand: Callable[[], bool] | None = None  # whether the view wants more rows now
        self.thumbnails = ThumbnailCache(bridge, THUMBNAIL_SIZE, parent=self)
        self.thumbnails.loaded.connect(self._cover_loaded)
        self._headers: list[str] = []
        self.retranslate()

    def retranslate(self) -> None:
        self._headers = [self.tr("Title"), self.tr("Provider"), self.tr("Duration"), self.tr("Resume at")]
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)

    @property
    def static(self) -> bool:
        return self.source is not None and self.source[0] == "static"

    @property
    def idle(self) -> bool:
        return not self._fetching

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    # ---------------------------------------------------------------- choosing what is shown

    def show_playlist(self, playlist_id: int) -> None:
        self._switch(("static", playlist_id))

    def show_folder(self, folder_id: int, sub_path: str = "") -> None:
        self._switch(("dynamic", folder_id, sub_path))

    def clear(self) -> None:
        self._switch(None)

    def _switch(self, source: tuple[Any, ...] | None) -> None:
        self._generation += 1
        self.beginResetModel()
        self.source = source
        self.rows = []
        self.total = None
        self.breadcrumbs = ()
        self._exhausted = source is None
        self._fetching = False
        self._next_page = 1
        self.endResetModel()
        self.totalChanged.emit()
        if source is not None:
            if source[0] == "static":
                self._count()
            self._fetch()

    def _count(self) -> None:
        if not self.static or self.source is None:
            return
        generation = self._generation
        self.bridge.run(
            self.bridge.engine.playlists.count_entries(self.source[1]),
            done=lambda total: self._counted(generation, total),
        )

    def _counted(self, generation: int, total: int) -> None:
        if generation == self._generation:
            self.total = total
            self.totalChanged.emit()

    # ---------------------------------------------------------------- paging

    def canFetchMore(self, parent: _ModelIndex) -> bool:
        return not parent.isValid() and not self._exhausted and (self.demand is None or self.demand())

    def fetchMore(self, parent: _ModelIndex) -> None:
        if not parent.isValid():
            self._fetch()

    def page_size(self) -> int:
        if not self.static:
            return DYNAMIC_PAGE
        return max(PAGE_SIZE, min(len(self.rows), MAX_PAGE_SIZE))

    def _fetch(self) -> None:
        if self._fetching or self._exhausted or self.source is None:
            return
        self._fetching = True
        generation = self._generation
        book = self.bridge.engine.playlists
        limit = self.page_size()
        if self.static:
            after = self.rows[-1].position if self.rows else None  # type: ignore[union-attr]
            call: Any = book.entries(self.source[1], after_position=after, limit=limit)
        else:
            call = book.dynamic_children(self.source[1], self.source[2], self._next_page, limit)
        self.bridge.run(
            call,
            what=self.tr("Loading the list"),
            done=lambda answer: self._arrived(generation, answer, limit),
            failed=lambda message: self._failed(generation, message),
        )

    def _failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        self._exhausted = True
        self.bridge.errorRaised.emit(self.tr("Loading the list"), message)

    def _arrived(self, generation: int, answer: Any, limit: int) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        if isinstance(answer, DynamicPage):
            rows: list[Row] = list(answer.children)
            self.total = answer.total
            self.breadcrumbs = answer.breadcrumbs
            self._next_page = answer.page + 1
            self._exhausted = not answer.has_more or not rows
        else:
            rows = list(answer)
            self._exhausted = len(rows) < limit
        if rows:
            first = len(self.rows)
            self.beginInsertRows(_ROOT, first, first + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()
        self.totalChanged.emit()
        if self.canFetchMore(_ROOT):
            self._fetch()

    def reload_entries(self) -> None:
        """Read what is loaded again (entries moved, arrived or left), in one read."""
        if not self.static or self.source is None:
            return
        self._generation += 1
        generation = self._generation
        limit = max(len(self.rows), PAGE_SIZE)
        self._fetching = True
        self._count()
        self.bridge.run(
            self.bridge.engine.playlists.entries(self.source[1], limit=limit),
            what=self.tr("Loading the list"),
            done=lambda rows: self._reloaded(generation, rows, limit),
            failed=lambda message: self._failed(generation, message),
        )

    def _reloaded(self, generation: int, rows: list[EntryView], limit: int) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        self.beginResetModel()
        self.rows = list(rows)
        self._exhausted = len(rows) < limit
        self.endResetModel()
        self.totalChanged.emit()

    def refresh_entries(self, entry_ids: set[int]) -> None:
        """Entries changed in place (a title, a resume position): those shown are read again."""
        shown = [r.id for r in self.rows if isinstance(r, EntryView) and r.id in entry_ids]
        if not shown:
            return
        generation = self._generation
        self.bridge.run(
            self.bridge.engine.playlists.entries_by_ids(shown),
            done=lambda views: self._refreshed(generation, views),
        )

    def _refreshed(self, generation: int, views: list[EntryView]) -> None:
        if generation != self._generation:
            return
        fresh = {v.id: v for v in views}
        for row, current in enumerate(self.rows):
            if isinstance(current, EntryView) and current.id in fresh:
                self.rows[row] = fresh[current.id]
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    # ---------------------------------------------------------------- reading rows

    def row_at(self, row: int) -> Row | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def play_ref(self, row: Row) -> PlayRef | None:
        if isinstance(row, EntryView):
            return PlayRef(title=row.title, provider=row.provider, account_id=row.account_id, duration=row.duration,
                           entry_id=row.id, part_key=row.part_key, resume=row.resume)  # fmt: skip
        if row.is_folder or row.item_json is None:
            return None
        return PlayRef(title=row.title, provider=row.provider, account_id=row.account_id, duration=row.duration,
                       item_json=row.item_json)  # fmt: skip

    @staticmethod
    def link_of(row: Row) -> str:
        if isinstance(row, EntryView):
            return row.url
        return str((row.item_json or {}).get("url", ""))

    # ---------------------------------------------------------------- Qt model

    def rowCount(self, parent: _ModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _ModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == Column.TITLE:
                return row.title
            if column == Column.PROVIDER:
                return provider_title(row.provider_name)
            if column == Column.DURATION:
                return clock(row.duration)
            if column == Column.RESUME:
                return clock(row.resume) if isinstance(row, EntryView) else ""
        elif role == Qt.ItemDataRole.DecorationRole and column == Column.TITLE:
            if isinstance(row, DynamicChild) and row.is_folder:
                return icon("folder")
            return self._cover(index.row(), row.cover)
        elif role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.DURATION, Column.RESUME):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == Qt.ItemDataRole.ToolTipRole and column == Column.TITLE:
            return row.title
        return None

    def _cover(self, row: int, url: str) -> Any:
        if not url:
            return self.thumbnails.placeholder()
        pixmap = self.thumbnails.pixmap(url)
        if pixmap is not None:
            return pixmap
        self._cover_waiters.setdefault(url, set()).add(row)
        return self.thumbnails.placeholder()

    def _cover_loaded(self, url: str) -> None:
        for row in self._cover_waiters.pop(url, ()):
            if row < len(self.rows):
                index = self.index(row, Column.TITLE)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    # ---------------------------------------------------------------- drag and drop

    def flags(self, index: _ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled if self.static else Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        row = self.row_at(index.row())
        if isinstance(row, EntryView) or (isinstance(row, DynamicChild) and not row.is_folder):
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [ENTRY_MIME, CHILD_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # type: ignore[override]
        data = QMimeData()
        rows = sorted({i.row() for i in indexes})
        chosen = [r for r in (self.row_at(n) for n in rows) if r is not None]
        entries = [r.id for r in chosen if isinstance(r, EntryView)]
        children = [
            {"provider": r.provider, "account_id": r.account_id, "item_json": dict(r.item_json)}
            for r in chosen
            if isinstance(r, DynamicChild) and r.item_json is not None
        ]
        if entries and self.source is not None:
            data.setData(ENTRY_MIME, QByteArray(json.dumps({"playlist": self.source[1], "entries": entries}).encode()))
        if children:
            data.setData(CHILD_MIME, QByteArray(json.dumps(children).encode()))
        return data

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _ModelIndex
    ) -> bool:
        return self.static and (data.hasFormat(ENTRY_MIME) or data.hasFormat(CHILD_MIME))

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _ModelIndex) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        at = parent.row() if row < 0 and parent.isValid() else row
        at = len(self.rows) if at < 0 else at
        if data.hasFormat(ENTRY_MIME):
            ids = list(json.loads(bytes(data.data(ENTRY_MIME).data()))["entries"])
            self.rowsDropped.emit(ids, at)
        else:
            self.childrenDropped.emit(decode_children(data), at)
        return False  # the engine moves them; its change event redraws the list
