"""The task list: one row per video, its parts (pages) as child rows, loaded a page at a time.

Built for libraries of 100,000 videos and a thousand progress updates a second:
- top-level rows come from the engine in keyset pages (`canFetchMore`/`fetchMore`), filters
  go into the engine query, and a video's pages are read only when its row is expanded;
- a progress batch touches rows found through a video id → row map and ends in one
  `dataChanged` over the affected rows' progress columns, never in a reset;
- after state changes the loaded id range is read again and merged in place (changed rows
  updated, rows that left the filter removed, new ones inserted), so the scroll position,
  the selection and expanded rows survive.
"""

from __future__ import annotations

import sys
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from operator import attrgetter
from typing import Any

from core.store.states import TASK_STATES
from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from core.engine import status as st
from core.events import ItemAdded, Progress, RoundFinished, SubtaskDone, SubtaskFailed, VideoFinished
from core.store.models import Page
from core.store.repo import VideoRow
from desktop.bridge import EngineBridge
from desktop.format import human_duration, human_size, human_speed
from desktop.theme import is_dark
from desktop.widgets.thumbnails import ThumbnailCache

PAGE_SIZE = 200  # rows per fetchMore at first
MAX_PAGE_SIZE = 25_000
REFRESH_CHUNK = 1000  # rows per query when the loaded range is read again
TARGETED_LIMIT = 40  # more changed videos than this at once: read the whole range instead
DIRTY_DELAY_MS = 250  # sub-task events of one video come in bursts
THUMBNAIL_SIZE = QSize(60, 34)
MAX_COVER_WAITERS = 256

VIDEO_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE_ID_ROLE = Qt.ItemDataRole.UserRole + 2
STATE_ROLE = Qt.ItemDataRole.UserRole + 3  # the state key: pending, downloading, done…
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 4  # (done bytes, total bytes) while downloading
SUBTASKS_ROLE = Qt.ItemDataRole.UserRole + 5  # [(short label, slot value)] of the five sub-tasks

_ModelIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class Column(IntEnum):
    TITLE = 0
    SOURCE = 1
    STATE = 2
    PROGRESS = 3
    SPEED = 4
    ETA = 5
    SIZE = 6
    ATTEMPTS = 7
    SUBTASKS = 8
    ERROR = 9


COLUMN_COUNT = len(Column)
# What a progress batch can change: the "downloading" state word and the live numbers.
PROGRESS_COLUMNS = (Column.STATE, Column.SIZE)
FILTER_STATES = TASK_STATES  # what the engine filters by


# the list fields that can change after a row was loaded
_LIVE_FIELDS = (
    "source_id", "title", "cover", "state", "status", "page_count", "valid", "unavailable", "should_download",
    "removed", "paused", "last_error", "path", "size",
)  # fmt: skip
_live_values = attrgetter(*_LIVE_FIELDS)


@dataclass(slots=True, eq=False)
class PageEntry:
    id: int
    pid: int
    title: str
    state: str
    status: int
    path: str
    size: int
    last_error: str

    @classmethod
    def from_page(cls, page: Page) -> PageEntry:
        return cls(page.id or 0, page.pid, page.title, sys.intern(page.state), page.status, page.path, page.size,
                   page.last_error)  # fmt: skip


@dataclass(slots=True, eq=False)
class VideoEntry:
    """One top-level row: the list fields of a video plus what the view learns later."""

    id: int
    source_id: int
    key: str
    bvid: str
    title: str
    cover: str
    state: str
    status: int
    page_count: int
    valid: bool
    unavailable: str
    should_download: bool
    removed: bool
    paused: bool
    last_error: str
    path: str
    size: int  # bytes written, as the engine last said
    pages: list[PageEntry] | None = None  # None until the row is expanded
    progress: dict[int, Progress] | None = None  # page id → newest progress while downloading
    read: int = 0  # the read these values come from (reads are numbered as they are asked for)

    @classmethod
    def from_row(cls, row: VideoRow, read: int) -> VideoEntry:
        return cls(
            row.id, row.source_id, row.key, row.bvid, row.title, row.cover, sys.intern(row.state), row.status,
            row.page_count, row.valid, row.unavailable, row.should_download, row.removed, row.paused,
            row.last_error, row.path, row.size, read=read,
        )  # fmt: skip

    def update_from(self, row: VideoRow, read: int) -> bool:
        """Take the values of a read unless a later read was already applied; True when
        anything a person sees changed."""
        if read < self.read:
            return False
        self.read = read
        fresh = _live_values(row)
        if fresh == _live_values(self):
            return False
        for name, value in zip(_LIVE_FIELDS, fresh, strict=True):
            setattr(self, name, value)
        self.state = sys.intern(self.state)
        if self.paused or self.state in ("done", "failed"):
            self.progress = None  # no longer downloading: the last numbers would be stale
        return True


def video_state(video: VideoEntry) -> str:
    """The one word a person sees for a video, from the stored state and its flags."""
    if video.removed:
        return "removed"
    if not video.valid or not video.should_download:
        return "skipped"
    if video.state == "done":
        return "done"
    if video.paused:
        return "paused"
    if video.progress:
        return "downloading"
    return video.state


def page_state(video: VideoEntry, page: PageEntry) -> str:
    if page.state == "done":
        return "done"
    parent = video_state(video)
    if parent in ("paused", "skipped", "removed"):
        return parent
    if parent == "downloading" and video.progress and page.id in video.progress:
        return "downloading"
    return page.state


def aggregate(progress: Iterable[Progress]) -> tuple[int, int, float, float | None]:
    """Done bytes, total bytes, speed and ETA over the pages of one video."""
    done = total = 0
    speed = 0.0
    for item in progress:
        done += item.done_bytes
        total += item.total_bytes
        if not item.total_bytes or item.done_bytes < item.total_bytes:
            speed += item.speed
    eta = (total - done) / speed if speed > 0 and total > done else None
    return done, total, speed, eta


def video_link(key: str, bvid: str, pid: int | None = None) -> str:
    """The page on Bilibili: bangumi episodes by their ep id, everything else by BV id."""
    if key.startswith("ep") and key[2:].isdigit():
        return f"https://www.bilibili.com/bangumi/play/{key}"
    link = f"https://www.bilibili.com/video/{bvid or key}"
    return f"{link}?p={pid}" if pid and pid > 1 else link


def attempts_made(status: int, limit: int) -> int:
    """How many tries the worst sub-task has used (a given-up one used them all)."""
    values = st.values(status)
    if st.GAVE_UP in values:
        return limit
    return max((v for v in values if 1 <= v <= 3), default=0)


class TasksModel(QAbstractItemModel):
    totalChanged = Signal()  # the matching count or the loaded count changed

    def __init__(self, bridge: EngineBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.engine = bridge.engine
        self.state_filter: str | None = None
        self.source_filter: int | None = None
        self.search: str = ""
        self.total: int | None = None  # videos matching the filters (None until counted)
        self.source_names: dict[int, str] = {}
        self._rows: list[VideoEntry] = []
        self._row_of: dict[int, int] = {}
        self._generation = 0  # bumped when the filters change: older answers are dropped
        # reads are numbered as they reach the database thread, which runs them in order, so
        # an answer that arrives late never overwrites what a later read showed
        self._reads = 0
        self._exhausted = True  # nothing to fetch until the first reload()
        self._fetching = False
        self._refreshing = False
        self._refresh_again = False
        self._fetch_wanted = False
        self._pages_loading: set[int] = set()
        # QTreeView lays out the whole root after every insert and asks for more each time;
        # without knowing whether the view needs rows it would read the entire table
        self.demand: Callable[[], bool] | None = None
        self._dirty: set[int] = set()
        self._finished: set[int] = set()
        self._live: set[int] = set()  # videos with progress numbers
        self._cover_waiters: OrderedDict[str, set[int]] = OrderedDict()
        self.thumbnails = ThumbnailCache(bridge, THUMBNAIL_SIZE, parent=self)
        self.thumbnails.loaded.connect(self._cover_loaded)
        self._dirty_timer = QTimer(self)
        self._dirty_timer.setSingleShot(True)
        self._dirty_timer.setInterval(DIRTY_DELAY_MS)
        self._dirty_timer.timeout.connect(self._refresh_dirty)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(DIRTY_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._tail_timer = QTimer(self)
        self._tail_timer.setSingleShot(True)
        self._tail_timer.setInterval(DIRTY_DELAY_MS)
        self._tail_timer.timeout.connect(self._fetch_tail)
        self._state_words: dict[str, str] = {}
        self._headers: list[str] = []
        self._colors: dict[str, QColor] = {}
        self._video_subtasks: list[str] = []
        self._page_subtasks: list[str] = []
        self._subtask_words: dict[int, str] = {}
        self.retranslate()
        self.update_colors()
        bridge.progressBatch.connect(self._on_progress)
        bridge.videoFinished.connect(self._on_video_finished)
        bridge.subtaskChanged.connect(self._on_subtask)
        bridge.roundFinished.connect(self._on_round_finished)
        bridge.itemAdded.connect(self._on_item_added)
        bridge.stateChanged.connect(self._on_state_changed)

    # ------------------------------------------------------------ words and colours

    def retranslate(self) -> None:
        self._state_words = {
            "pending": self.tr("Pending"),
            "downloading": self.tr("Downloading"),
            "retrying": self.tr("Retrying"),
            "failed": self.tr("Failed"),
            "done": self.tr("Done"),
            "paused": self.tr("Paused"),
            "removed": self.tr("Removed upstream"),
            "skipped": self.tr("Skipped"),
        }
        self._headers = [
            self.tr("Title"), self.tr("Source"), self.tr("State"), self.tr("Progress"), self.tr("Speed"),
            self.tr("ETA"), self.tr("Size"), self.tr("Attempts"), self.tr("Sub-tasks"), self.tr("Last error"),
        ]  # fmt: skip
        self._video_subtasks = [self.tr("Cover"), self.tr("Show NFO"), self.tr("Avatar"), self.tr("UP NFO"),
                                self.tr("Parts")]  # fmt: skip
        self._page_subtasks = [self.tr("Cover"), self.tr("Video"), self.tr("NFO"), self.tr("Danmaku"),
                               self.tr("Subtitles")]  # fmt: skip
        self._subtask_words = {st.NOT_STARTED: self.tr("not started"), st.OK: self.tr("done"),
                               st.GAVE_UP: self.tr("gave up")}  # fmt: skip
        if self._rows:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMN_COUNT - 1)
            self._emit_rows_changed(0, len(self._rows) - 1, first_column=Column.SOURCE)

    def state_word(self, key: str) -> str:
        return self._state_words.get(key, key)

    def update_colors(self) -> None:
        app = QApplication.instance()
        dark = isinstance(app, QApplication) and is_dark(app)
        palette = {
            "done": ("#15803d", "#4ade80"),
            "failed": ("#dc2626", "#f87171"),
            "retrying": ("#b45309", "#fbbf24"),
            "paused": ("#2563eb", "#60a5fa"),
            "downloading": ("#0369a1", "#38bdf8"),
            "pending": ("#6b7280", "#9aa0a6"),
            "skipped": ("#6b7280", "#9aa0a6"),
            "removed": ("#6b7280", "#9aa0a6"),
        }
        self._colors = {key: QColor(pair[1] if dark else pair[0]) for key, pair in palette.items()}

    # ------------------------------------------------------------ filters

    def set_filters(self, *, state: str | None, source_id: int | None, search: str) -> None:
        """Show what matches; the engine does the filtering, the model starts again from the top."""
        search = search.strip()
        if (state, source_id, search) == (self.state_filter, self.source_filter, self.search):
            return
        self.state_filter, self.source_filter, self.search = state, source_id, search
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._generation += 1
        self._rows.clear()
        self._row_of.clear()
        self._exhausted = self._fetching = self._refreshing = False
        self._refresh_again = self._fetch_wanted = False
        self._pages_loading.clear()
        self._dirty.clear()
        self._live.clear()
        self._finished.clear()
        self._cover_waiters.clear()
        self.total = None
        self.endResetModel()
        self.totalChanged.emit()
        self._recount()
        self._fetch_page()

    @property
    def has_filters(self) -> bool:
        return bool(self.state_filter or self.source_filter is not None or self.search)

    async def _numbered(self, **query: Any) -> tuple[int, list[VideoRow]]:
        self._reads += 1
        read = self._reads  # taken right before engine.tasks() queues the query
        return read, await self.engine.tasks(**query)

    def _query(self) -> dict[str, Any]:
        return {"state": self.state_filter, "source_id": self.source_filter, "search": self.search or None}

    def _recount(self) -> None:
        generation = self._generation
        self.bridge.run(
            self.engine.count_tasks(**self._query()),
            what=self.tr("Counting tasks"),
            done=lambda total: self._counted(generation, total),
            failed=lambda _message: None,  # the count is a convenience; the rows still show
        )

    def _counted(self, generation: int, total: int) -> None:
        if generation == self._generation and total != self.total:
            self.total = total
            self.totalChanged.emit()

    @property
    def loaded(self) -> int:
        return len(self._rows)

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    @property
    def busy(self) -> bool:
        return self._fetching or self._refreshing

    @property
    def idle(self) -> bool:
        """Nothing being read and no refresh waiting to start."""
        timers = self._dirty_timer.isActive() or self._refresh_timer.isActive() or self._tail_timer.isActive()
        return not (self.busy or timers or self._pages_loading)

    # ------------------------------------------------------------ structure

    def columnCount(self, parent: _ModelIndex = _ROOT) -> int:
        return COLUMN_COUNT

    def rowCount(self, parent: _ModelIndex = _ROOT) -> int:
        if not parent.isValid():
            return len(self._rows)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        video = self._video_at(parent.row())
        return len(video.pages) if video is not None and video.pages else 0

    # index() and hasChildren() run once per row whenever the tree lays itself out (after
    # every insert at the top level), so they stay as short as possible. The default flags()
    # (enabled, selectable) is kept for the same reason.
    def hasChildren(self, parent: _ModelIndex = _ROOT) -> bool:
        if not parent.isValid():
            return True
        if parent.internalId() or parent.column():
            return False
        row = parent.row()
        if row >= len(self._rows):
            return False
        video = self._rows[row]
        pages = video.pages
        return video.page_count > 0 if pages is None else bool(pages)

    def index(self, row: int, column: int, parent: _ModelIndex = _ROOT) -> QModelIndex:
        if not parent.isValid():
            if 0 <= row < len(self._rows) and 0 <= column < COLUMN_COUNT:
                return self.createIndex(row, column, id=0)
            return QModelIndex()
        if not 0 <= column < COLUMN_COUNT or row < 0:
            return QModelIndex()
        if parent.internalId() != 0:
            return QModelIndex()
        video = self._video_at(parent.row())
        if video is None or video.pages is None or row >= len(video.pages):
            return QModelIndex()
        # a page's index carries its video's id: parent() finds the video's row in O(1)
        return self.createIndex(row, column, id=video.id)

    def parent(self, index: _ModelIndex = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        video_id = index.internalId()
        if video_id == 0:
            return QModelIndex()
        row = self._row_of.get(video_id)
        return QModelIndex() if row is None else self.createIndex(row, 0, id=0)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (
            Column.SPEED,
            Column.ETA,
            Column.SIZE,
            Column.ATTEMPTS,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _video_at(self, row: int) -> VideoEntry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def video(self, index: _ModelIndex) -> VideoEntry | None:
        """The video of a row, or of a page row's parent."""
        if not index.isValid():
            return None
        video_id = index.internalId()
        if video_id == 0:
            return self._video_at(index.row())
        row = self._row_of.get(video_id)
        return None if row is None else self._rows[row]

    def page(self, index: _ModelIndex) -> PageEntry | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        video = self.video(index)
        if video is None or video.pages is None or not 0 <= index.row() < len(video.pages):
            return None
        return video.pages[index.row()]

    def row_of(self, video_id: int) -> int | None:
        return self._row_of.get(video_id)

    # ------------------------------------------------------------ data

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        video_id = index.internalId()
        if video_id == 0:
            video = self._video_at(index.row())
            return None if video is None else self._video_data(video, index.column(), role)
        row = self._row_of.get(video_id)
        if row is None:
            return None
        video = self._rows[row]
        if video.pages is None or not 0 <= index.row() < len(video.pages):
            return None
        return self._page_data(video, video.pages[index.row()], index.column(), role)

    def _video_data(self, video: VideoEntry, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._video_text(video, column)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._cover(video) if column == Column.TITLE else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colors.get(video_state(video)) if column == Column.STATE else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._video_tooltip(video, column)
        if role == PROGRESS_ROLE:
            if column != Column.PROGRESS or video.progress is None or video_state(video) != "downloading":
                return None
            done, total, _speed, _eta = aggregate(video.progress.values())
            return done, total
        if role == SUBTASKS_ROLE:
            return self._subtasks(video.status, self._video_subtasks) if column == Column.SUBTASKS else None
        if role == VIDEO_ID_ROLE:
            return video.id
        if role == STATE_ROLE:
            return video_state(video)
        return None

    def _video_text(self, video: VideoEntry, column: int) -> str:
        if column == Column.TITLE:
            return video.title or video.bvid or video.key
        if column == Column.SOURCE:
            return self.source_names.get(video.source_id, "")
        if column == Column.STATE:
            return self._state_words[video_state(video)]
        if column == Column.ATTEMPTS:
            return self._attempts_text(video.status)
        if column == Column.ERROR:
            return video.last_error or video.unavailable
        if column == Column.SUBTASKS:
            return _subtask_symbols(video.status)
        downloading = video.progress is not None and video_state(video) == "downloading"
        if column == Column.SIZE:
            if downloading and video.progress is not None:
                return human_size(aggregate(video.progress.values())[1])
            size = sum(p.size for p in video.pages) if video.pages else video.size
            return human_size(size) if size else ""
        if not downloading or video.progress is None:
            return ""
        done, total, speed, eta = aggregate(video.progress.values())
        return self._live_text(column, done, total, speed, eta)

    def _live_text(self, column: int, done: int, total: int, speed: float, eta: float | None) -> str:
        if column == Column.PROGRESS:
            return f"{human_size(done)} / {human_size(total)}" if total else human_size(done)
        if column == Column.SPEED:
            return human_speed(speed) if speed > 0 else ""
        if column == Column.ETA:
            return human_duration(max(eta, 1.0)) if eta is not None else ""
        return ""

    def _page_data(self, video: VideoEntry, page: PageEntry, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._page_text(video, page, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colors.get(page_state(video, page)) if column == Column.STATE else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._page_tooltip(video, page, column)
        if role == PROGRESS_ROLE:
            live = self._page_progress(video, page)
            return None if live is None or column != Column.PROGRESS else (live.done_bytes, live.total_bytes)
        if role == SUBTASKS_ROLE:
            return self._subtasks(page.status, self._page_subtasks) if column == Column.SUBTASKS else None
        if role == VIDEO_ID_ROLE:
            return video.id
        if role == PAGE_ID_ROLE:
            return page.id
        if role == STATE_ROLE:
            return page_state(video, page)
        return None

    def _page_progress(self, video: VideoEntry, page: PageEntry) -> Progress | None:
        if video.progress is None or page_state(video, page) != "downloading":
            return None
        return video.progress.get(page.id)

    def _page_text(self, video: VideoEntry, page: PageEntry, column: int) -> str:
        if column == Column.TITLE:
            return f"P{page.pid} {page.title}"
        if column == Column.STATE:
            return self._state_words[page_state(video, page)]
        if column == Column.ATTEMPTS:
            return self._attempts_text(page.status)
        if column == Column.ERROR:
            return page.last_error
        if column == Column.SUBTASKS:
            return _subtask_symbols(page.status)
        live = self._page_progress(video, page)
        if column == Column.SIZE:
            if live is not None and live.total_bytes:
                return human_size(live.total_bytes)
            return human_size(page.size) if page.size else ""
        if live is None:
            return ""
        return self._live_text(column, live.done_bytes, live.total_bytes, live.speed, live.eta)

    @staticmethod
    def _alignment(column: int) -> int | None:
        if column in (Column.SPEED, Column.ETA, Column.SIZE, Column.ATTEMPTS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _attempt_limit(self) -> int:
        return min(int(self.engine.config["limits.attempts"]), st.MAX_ATTEMPTS)

    def _attempts_text(self, status: int) -> str:
        made = attempts_made(status, self._attempt_limit())
        return f"{made}/{self._attempt_limit()}" if made else ""

    def _subtasks(self, status: int, names: list[str]) -> list[tuple[str, int]]:
        return [(name[:1].upper(), value) for name, value in zip(names, st.values(status), strict=True)]

    def _subtask_lines(self, status: int, names: list[str]) -> str:
        lines = []
        for name, value in zip(names, st.values(status), strict=True):
            word = self._subtask_words.get(value) or (
                self.tr("failed once") if value == 1 else self.tr("failed %1 times").replace("%1", str(value))
            )
            lines.append(f"{name}: {word}")
        return "\n".join(lines)

    def _video_tooltip(self, video: VideoEntry, column: int) -> str | None:
        if column == Column.TITLE:
            ident = video.key if video.key.startswith("ep") else video.bvid or video.key
            return f"{video.title}\n{ident}"
        if column == Column.STATE:
            state = video_state(video)
            reason = video.unavailable or video.last_error
            if state == "skipped" and not reason:
                reason = self.tr("excluded by the source's filter rules")
            return f"{self._state_words[state]}: {reason}" if reason else self._state_words[state]
        if column == Column.SUBTASKS:
            return self._subtask_lines(video.status, self._video_subtasks)
        if column == Column.ATTEMPTS:
            return self.tr("Tries used by the worst sub-task (limit %1)").replace("%1", str(self._attempt_limit()))
        if column == Column.ERROR:
            return video.last_error or video.unavailable or None
        return None

    def _page_tooltip(self, video: VideoEntry, page: PageEntry, column: int) -> str | None:
        if column == Column.TITLE:
            return f"P{page.pid} {page.title}\n{page.path}" if page.path else f"P{page.pid} {page.title}"
        if column == Column.STATE:
            word = self._state_words[page_state(video, page)]
            return f"{word}: {page.last_error}" if page.last_error else word
        if column == Column.SUBTASKS:
            return self._subtask_lines(page.status, self._page_subtasks)
        if column == Column.ERROR:
            return page.last_error or None
        return None

    def _cover(self, video: VideoEntry) -> Any:
        if not video.cover:
            return self.thumbnails.placeholder()
        pixmap = self.thumbnails.pixmap(video.cover)
        if pixmap is not None:
            return pixmap
        waiters = self._cover_waiters.get(video.cover)
        if waiters is None:
            waiters = self._cover_waiters[video.cover] = set()
            while len(self._cover_waiters) > MAX_COVER_WAITERS:
                self._cover_waiters.popitem(last=False)  # rows painted long ago are off screen now
        waiters.add(video.id)
        return self.thumbnails.placeholder()

    def _cover_loaded(self, url: str) -> None:
        for video_id in self._cover_waiters.pop(url, ()):
            row = self._row_of.get(video_id)
            if row is not None:
                index = self.createIndex(row, Column.TITLE, id=0)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def _emit_rows_changed(
        self, first: int, last: int, first_column: int = 0, last_column: int = COLUMN_COUNT - 1
    ) -> None:
        self.dataChanged.emit(self.createIndex(first, first_column, id=0), self.createIndex(last, last_column, id=0))

    # ------------------------------------------------------------ lazy loading

    def canFetchMore(self, parent: _ModelIndex) -> bool:
        if not parent.isValid():
            return not self._exhausted and (self.demand is None or self.demand())
        if parent.internalId() != 0:
            return False
        video = self._video_at(parent.row())
        return video is not None and video.pages is None and video.page_count > 0

    def fetchMore(self, parent: _ModelIndex) -> None:
        if not parent.isValid():
            self._fetch_page()
            return
        video = self._video_at(parent.row()) if parent.internalId() == 0 else None
        if video is not None and video.pages is None:
            self.load_pages(video.id)

    def _fetch_page(self) -> None:
        if self._fetching or self._exhausted:
            return
        if self._refreshing:
            self._fetch_wanted = True  # one reader at a time keeps the id ranges consistent
            return
        self._fetching = True
        generation = self._generation
        after = self._rows[-1].id if self._rows else None
        limit = self.page_size()
        self.bridge.run(
            self._numbered(**self._query(), after_id=after, limit=limit),
            done=lambda answer: self._page_arrived(generation, *answer, limit),
            failed=lambda message: self._load_failed(generation, message),
        )

    def page_size(self) -> int:
        """200 rows, then half of what is loaded (at most 25,000). The tree lays out every loaded
        row again after each insert at the top level, so the pages grow with the list: reaching
        the end of 100,000 rows takes 14 loads, not 500 (or 33 with a quarter capped at 5,000)."""
        return max(PAGE_SIZE, min(len(self._rows) // 2, MAX_PAGE_SIZE))

    def _page_arrived(self, generation: int, read: int, rows: list[VideoRow], limit: int) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        last = self._rows[-1].id if self._rows else 0
        self._exhausted = len(rows) < limit
        self._append([VideoEntry.from_row(r, read) for r in rows if r.id > last])
        self.totalChanged.emit()
        self._next_read()

    def _load_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self._fetching = self._refreshing = False
        self._exhausted = True  # no retry loop on a broken database; a refresh tries again
        self.bridge.errorRaised.emit(self.tr("Loading the task list"), message)

    def _append(self, entries: Sequence[VideoEntry]) -> None:
        if not entries:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(entries) - 1)
        self._rows.extend(entries)
        for offset, entry in enumerate(entries):
            self._row_of[entry.id] = first + offset
        self.endInsertRows()

    def load_pages(self, video_id: int) -> None:
        """Read a video's pages (done when its row is expanded, and again after changes)."""
        if video_id in self._pages_loading:
            return
        self._pages_loading.add(video_id)
        generation = self._generation
        self.bridge.run(
            self.engine.video_pages(video_id),
            what=self.tr("Loading parts"),
            done=lambda pages: self._pages_arrived(generation, video_id, pages),
            failed=lambda message: self._pages_failed(generation, video_id, message),
        )

    def _pages_failed(self, generation: int, video_id: int, message: str) -> None:
        if generation == self._generation:
            self._pages_loading.discard(video_id)
            self.bridge.errorRaised.emit(self.tr("Loading parts"), message)

    def _pages_arrived(self, generation: int, video_id: int, pages: list[Page]) -> None:
        if generation != self._generation:
            return
        self._pages_loading.discard(video_id)
        self._set_pages(video_id, [PageEntry.from_page(p) for p in pages])

    def _set_pages(self, video_id: int, pages: list[PageEntry]) -> None:
        row = self._row_of.get(video_id)
        if row is None:
            return
        video = self._rows[row]
        parent = self.createIndex(row, 0, id=0)
        old = video.pages
        if old is not None and [p.id for p in old] == [p.id for p in pages]:
            video.pages = pages
            if pages:
                self.dataChanged.emit(self.index(0, 0, parent), self.index(len(pages) - 1, COLUMN_COUNT - 1, parent))
            self._emit_rows_changed(row, row, first_column=Column.SIZE, last_column=Column.SIZE)
            return
        if old:
            self.beginRemoveRows(parent, 0, len(old) - 1)
            video.pages = []
            self.endRemoveRows()
        if pages:
            self.beginInsertRows(parent, 0, len(pages) - 1)
            video.pages = pages
            self.endInsertRows()
        else:
            video.pages = []
        # column 0 too: the tree asks again whether the row has children (its arrow)
        self._emit_rows_changed(row, row)

    # ------------------------------------------------------------ refreshing in place

    def refresh(self) -> None:
        """Read the loaded id range again and merge it in; once everything is loaded, new
        videos past the end join too. Never a reset: scroll, selection and expansion stay."""
        if self._fetching or self._refreshing:
            self._refresh_again = True
            return
        self._refresh_again = False
        self._recount()
        if not self._rows:
            if self._exhausted:
                self._exhausted = False  # there may be rows now
                self._fetch_page()
            return
        self._refreshing = True
        self._refresh_chunk(self._generation, None)

    def _refresh_chunk(self, generation: int, after: int | None) -> None:
        self.bridge.run(
            self._numbered(**self._query(), after_id=after, limit=REFRESH_CHUNK),
            done=lambda answer: self._refresh_arrived(generation, after, *answer),
            failed=lambda message: self._load_failed(generation, message),
        )

    def _refresh_arrived(self, generation: int, after: int | None, read: int, rows: list[VideoRow]) -> None:
        if generation != self._generation:
            return
        last_loaded = self._rows[-1].id if self._rows else 0
        full = len(rows) == REFRESH_CHUNK
        # the answer is the whole truth for ids in (after, upper]
        upper = rows[-1].id if full else sys.maxsize
        self._merge(after or 0, min(upper, last_loaded), [r for r in rows if r.id <= last_loaded], read)
        if upper < last_loaded:
            self._refresh_chunk(generation, upper)
            return
        if self._exhausted:
            beyond = [r for r in rows if r.id > last_loaded]
            self._append([VideoEntry.from_row(r, read) for r in beyond[:PAGE_SIZE]])
            if full or len(beyond) > PAGE_SIZE:
                self._exhausted = False  # the rest arrives page by page as the view scrolls
        self._refreshing = False
        self.totalChanged.emit()
        self._next_read()

    def _next_read(self) -> None:
        if self._refresh_again:
            self.refresh()
        elif self._fetch_wanted:
            self._fetch_wanted = False
            self._fetch_page()

    def _merge(self, low: int, high: int, fresh: list[VideoRow], read: int) -> None:
        """Make the loaded rows with ids in (low, high] match `fresh` (sorted by id), except
        rows a later read has vouched for."""
        rows = self._rows
        start = bisect_right(rows, low, key=_entry_id)
        end = bisect_right(rows, high, key=_entry_id)
        if [e.id for e in rows[start:end]] == [r.id for r in fresh]:
            changed = [start + i for i, row in enumerate(fresh) if rows[start + i].update_from(row, read)]
            if changed:
                self._emit_rows_changed(changed[0], changed[-1])
            return
        keep = {r.id for r in fresh}
        last = end - 1
        while last >= start:  # remove runs of rows that left the filter, from the end
            if rows[last].id in keep or rows[last].read > read:
                last -= 1
                continue
            first = last
            while first - 1 >= start and rows[first - 1].id not in keep and rows[first - 1].read <= read:
                first -= 1
            self._remove_rows(first, last)
            last = first - 1
        position = start
        changed_rows: list[int] = []
        pending: list[VideoEntry] = []
        for row in fresh:
            while position < len(rows) and rows[position].id < row.id:  # kept by a later read
                position = self._insert_rows(position, pending) + 1
                pending = []
            if position < len(rows) and rows[position].id == row.id:
                position = self._insert_rows(position, pending)
                pending = []
                if rows[position].update_from(row, read):
                    changed_rows.append(position)
                position += 1
            else:
                pending.append(VideoEntry.from_row(row, read))
        self._insert_rows(position, pending)
        if changed_rows:
            self._emit_rows_changed(min(changed_rows), max(changed_rows))

    def _remove_rows(self, first: int, last: int) -> None:
        self.beginRemoveRows(QModelIndex(), first, last)
        for entry in self._rows[first : last + 1]:
            self._row_of.pop(entry.id, None)
        del self._rows[first : last + 1]
        self._reindex(first)  # before endRemoveRows: the view asks parent() of pages right away
        self.endRemoveRows()

    def _insert_rows(self, position: int, entries: list[VideoEntry]) -> int:
        """Insert before `position`; returns where the row that was there is now."""
        if not entries:
            return position
        self.beginInsertRows(QModelIndex(), position, position + len(entries) - 1)
        self._rows[position:position] = entries
        self._reindex(position)
        self.endInsertRows()
        return position + len(entries)

    def _reindex(self, first: int) -> None:
        row_of = self._row_of
        for row in range(first, len(self._rows)):
            row_of[self._rows[row].id] = row

    def refresh_videos(self, video_ids: Iterable[int]) -> None:
        """Read these videos again soon (their rows and, if expanded, their pages)."""
        self._dirty.update(video_ids)
        if not self._dirty_timer.isActive():
            self._dirty_timer.start()

    def _refresh_dirty(self) -> None:
        ids = sorted(i for i in self._dirty if i in self._row_of)
        self._dirty.clear()
        if not ids:
            return
        if len(ids) > TARGETED_LIMIT:
            self.refresh()
            return
        with_pages = [i for i in ids if self._rows[self._row_of[i]].pages is not None]
        generation = self._generation
        self.bridge.run(
            self._read_videos(ids, with_pages),
            done=lambda result: self._videos_arrived(generation, *result),
            failed=lambda _message: None,  # the next refresh reads them again
        )

    async def _read_videos(
        self, ids: list[int], with_pages: list[int]
    ) -> tuple[dict[int, tuple[int, VideoRow | None]], dict[int, list[Page]]]:
        rows: dict[int, tuple[int, VideoRow | None]] = {}
        query = self._query()
        for video_id in ids:
            # keyset order by id: the first match after id-1 is this video if it still matches
            read, found = await self._numbered(**query, after_id=video_id - 1, limit=1)
            rows[video_id] = (read, found[0] if found and found[0].id == video_id else None)
        pages = {video_id: await self.engine.video_pages(video_id) for video_id in with_pages}
        return rows, pages

    def _videos_arrived(
        self, generation: int, rows: dict[int, tuple[int, VideoRow | None]], pages: dict[int, list[Page]]
    ) -> None:
        if generation != self._generation:
            return
        changed: list[int] = []
        gone: list[int] = []
        for video_id, (read, row) in rows.items():
            position = self._row_of.get(video_id)
            if position is None:
                continue
            entry = self._rows[position]
            if entry.read > read:
                continue  # a later read already showed this video
            if row is None:  # it left the filter (or its source was removed)
                gone.append(video_id)
                continue
            finished = video_id in self._finished and entry.progress is not None
            self._finished.discard(video_id)
            if finished:
                entry.progress = None
            if entry.update_from(row, read) or finished:
                changed.append(video_id)
        for video_id in gone:
            position = self._row_of.get(video_id)
            if position is not None:
                self._remove_rows(position, position)
        for video_id, video_pages in pages.items():
            self._set_pages(video_id, [PageEntry.from_page(p) for p in video_pages])
        positions = [self._row_of[i] for i in changed if i in self._row_of]
        if positions:
            self._emit_rows_changed(min(positions), max(positions))

    # ------------------------------------------------------------ engine events

    def _on_progress(self, batch: dict[tuple[int, int], Progress]) -> None:
        low = high = -1
        row_of = self._row_of
        rows = self._rows
        pages_touched: dict[int, list[int]] = {}
        for (video_id, page_id), progress in batch.items():
            row = row_of.get(video_id)
            if row is None:
                continue  # not loaded: it shows its numbers once it is
            video = rows[row]
            if video.progress is None:
                video.progress = {}
                self._live.add(video_id)
            video.progress[page_id] = progress
            if low < 0 or row < low:
                low = row
            if row > high:
                high = row
            if video.pages:
                pages_touched.setdefault(row, []).extend(i for i, page in enumerate(video.pages) if page.id == page_id)
        if low < 0:
            return
        roles = [Qt.ItemDataRole.DisplayRole, PROGRESS_ROLE, Qt.ItemDataRole.ForegroundRole]
        # one range over the live columns; column 0 is left out on purpose (the tree would
        # ask every row in the range whether it has children)
        self.dataChanged.emit(
            self.createIndex(low, PROGRESS_COLUMNS[0], id=0), self.createIndex(high, PROGRESS_COLUMNS[1], id=0), roles
        )
        for row, page_rows in pages_touched.items():
            if page_rows:
                video_id = rows[row].id
                self.dataChanged.emit(
                    self.createIndex(min(page_rows), PROGRESS_COLUMNS[0], id=video_id),
                    self.createIndex(max(page_rows), PROGRESS_COLUMNS[1], id=video_id),
                    roles,
                )

    def _on_video_finished(self, event: VideoFinished) -> None:
        if event.video_id in self._row_of:
            self._finished.add(event.video_id)  # its numbers go once the fresh row is here
            self.refresh_videos([event.video_id])

    def _on_subtask(self, event: SubtaskDone | SubtaskFailed) -> None:
        if event.video_id in self._row_of:
            self.refresh_videos([event.video_id])

    def _on_round_finished(self, _event: RoundFinished) -> None:
        rows = [self._row_of[i] for i in self._live if i in self._row_of]
        for row in rows:
            self._rows[row].progress = None  # nothing downloads between rounds
        self._live.clear()
        self._finished.clear()
        if rows:
            self._emit_rows_changed(min(rows), max(rows), first_column=Column.STATE)
        self.refresh()

    def _on_item_added(self, _event: ItemAdded) -> None:
        # new videos get higher ids: they belong after the last row, once the end is loaded
        if self._exhausted and not self._tail_timer.isActive():
            self._tail_timer.start()

    def _fetch_tail(self) -> None:
        if self._exhausted:
            self._exhausted = False
            self._recount()
            if self.demand is None or self.demand():
                self._fetch_page()

    def _on_state_changed(self, what: str) -> None:
        if what in ("videos", "sources"):  # a removed source takes its videos along
            self.refresh_later()

    def refresh_later(self) -> None:
        """Many events in a row become one refresh."""
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    # ------------------------------------------------------------ names

    def set_source_names(self, names: dict[int, str]) -> None:
        if names != self.source_names:
            self.source_names = names
            if self._rows:
                self._emit_rows_changed(0, len(self._rows) - 1, Column.SOURCE, Column.SOURCE)


def _entry_id(entry: VideoEntry) -> int:
    return entry.id


_SYMBOLS = {st.NOT_STARTED: "·", st.OK: "✓", st.GAVE_UP: "✗"}


def _subtask_symbols(status: int) -> str:
    """The five sub-tasks as text (what copying a row gives; the delegate draws chips)."""
    return " ".join(_SYMBOLS.get(v, str(v)) for v in st.values(status))
