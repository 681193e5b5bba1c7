"""The task list: one row per video, its parts (pages) as rows right below it while it is open,
loaded a page at a time.

Built for libraries of 100,000 videos and a thousand progress updates a second:
- the model is a flat table: an open video's parts are rows below it, indented by the view.
  A tree model under QTreeView made every insert cost a pass over all loaded rows (the view
  lays out the whole tree again, calling index() and hasChildren() in Python once per row:
  0.4 s at 100,000 rows), so each page, each expanded video and each row joining a filter
  stalled the window; a table view only lays out what it shows;
- top-level rows come from the engine in keyset pages (`canFetchMore`/`fetchMore`) as the
  view nears the end of what is loaded, filters go into the engine query, and a video's parts
  are read only when it is opened;
- a progress batch touches rows found through a video id → position map and ends in one
  `dataChanged` over the affected rows' progress columns, never in a reset;
- a cell is read in one `multiData()` call (the delegate asks for seven roles per cell; seven
  calls into Python per cell were most of the time spent painting);
- after state changes the loaded id range is read again and merged in place (changed rows
  updated, rows that left the filter removed, new ones inserted), so the scroll position,
  the selection and open videos survive.

Positions count videos in `_rows`; rows (what Qt sees) count videos plus the part rows of
open videos above them.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from operator import attrgetter
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

from core.engine.torrents.views import TorrentProgress
from core.events import RoundFinished, StepDone, StepFailed, TaskAdded, TaskFinished, TaskProgress
from core.tasks import steps as st
from core.tasks.states import QUEUED, RUNNING, TASK_STATES
from core.tasks.views import TaskView
from desktop.bridge import EngineBridge
from desktop.format import human_duration, human_size, human_speed
from desktop.theme import is_dark
from desktop.widgets.thumbnails import ThumbnailCache

PAGE_SIZE = 200  # rows of the first read: the first screen shows fast
MAX_PAGE_SIZE = 2000  # later reads double up to this; each costs the window a few ms
REFRESH_CHUNK = 1000  # rows per query when the loaded range is read again
TARGETED_LIMIT = 40  # more changed videos than this at once: read the whole range instead
DIRTY_DELAY_MS = 250  # sub-task events of one video come in bursts
THUMBNAIL_SIZE = QSize(60, 34)
MAX_COVER_WAITERS = 256

# The icon of each kind of task; a kind not named here gets a plain file icon.
KIND_PIXMAPS = {"video": QStyle.StandardPixmap.SP_MediaPlay, "part": QStyle.StandardPixmap.SP_FileIcon}

VIDEO_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE_ID_ROLE = Qt.ItemDataRole.UserRole + 2
STATE_ROLE = Qt.ItemDataRole.UserRole + 3  # the state key: queued, downloading, done…
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 4  # (done bytes, total bytes) while downloading
SUBTASKS_ROLE = Qt.ItemDataRole.UserRole + 5  # [(short label, step value)] of the task's steps
DEPTH_ROLE = Qt.ItemDataRole.UserRole + 6  # 0 for a video, 1 for one of its parts
BRANCH_ROLE = Qt.ItemDataRole.UserRole + 7  # a video with parts: True open, False closed; else None

_ModelIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
_DISPLAY = Qt.ItemDataRole.DisplayRole


class Column(IntEnum):
    TITLE = 0
    SOURCE = 1
    PROVIDER = 2  # the service, with the task's kind as its icon
    STATE = 3
    PROGRESS = 4
    SPEED = 5
    ETA = 6
    SIZE = 7
    ATTEMPTS = 8
    SUBTASKS = 9
    ERROR = 10
    # what only some kinds have (torrents), empty for the others; last, so saved layouts keep their columns
    PEERS = 11
    RATIO = 12
    UPLOAD = 13


COLUMN_COUNT = len(Column)
# What a progress batch can change: the "downloading" state word and the live numbers.
PROGRESS_COLUMNS = (Column.STATE, Column.SIZE)
FILTER_STATES = tuple(s for s in TASK_STATES if s != RUNNING)  # what the engine filters by
# The filter for what downloads right now. The engine's list cannot filter by it (only the
# running engine knows, not the database), so its rows are the videos progress came for.
ACTIVE = "active"
BADGES_PER_ROW = 5  # the most sub-tasks one row has (a video's five steps, or a part's)
_RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
TORRENT_COLUMNS = (Column.PEERS, Column.UPLOAD)  # the range a torrent's progress changes besides the live ones
_NUMBERS = (Column.SPEED, Column.ETA, Column.SIZE, Column.ATTEMPTS, Column.PEERS, Column.RATIO, Column.UPLOAD)
_ALIGNMENT = tuple(_RIGHT_ALIGNED if c in _NUMBERS else None for c in Column)
# roles a painting delegate asks for that this model never has a value for
_NO_VALUE_ROLES = frozenset(
    int(r) for r in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.BackgroundRole)
)


# ------------------------------------------------------------ engine plumbing: rows → entries
# What the model keeps of the engine's rows. Together with the "engine plumbing" section of
# TasksModel these are the only places that know the engine's task API and its row types.

# the list fields that can change after a row was loaded
_LIVE_FIELDS = ("source_id", "title", "cover", "state", "steps", "children", "attempts", "last_error", "path", "size")
_live_values = attrgetter(*_LIVE_FIELDS)


Steps = tuple[tuple[str, int], ...]  # (step name, value) in the task's order


_SHARED_STEPS: dict[Steps, Steps] = {}


def _steps(view: TaskView) -> Steps:
    """The steps as a tuple shared by every row with the same ones (a handful of combinations
    cover 100,000 rows: one copy each instead of one per row)."""
    steps = tuple(view.steps.items())
    return _SHARED_STEPS.setdefault(steps, steps)


@dataclass(slots=True, eq=False)
class PageEntry:
    """A child task (a video's part)."""

    id: int
    number: int
    title: str
    state: str
    steps: Steps
    attempts: int
    path: str
    size: int
    last_error: str

    @classmethod
    def from_view(cls, task: TaskView) -> PageEntry:
        return cls(task.id, task.number, task.title, sys.intern(task.state), _steps(task), task.attempts, task.path,
                   task.bytes_total, task.last_error)  # fmt: skip


@dataclass(slots=True, eq=False)
class VideoEntry:
    """One top-level row: the list fields of a task plus what the view learns later."""

    id: int
    source_id: int | None
    kind: str  # video, and soon file, torrent, note…
    provider_name: str  # the service's display name, e.g. Bilibili
    key: str
    url: str  # its page on the service, "" when unknown
    title: str
    cover: str
    state: str  # the word the engine shows (core.tasks.states)
    steps: Steps
    children: int
    attempts: int
    last_error: str
    path: str
    size: int  # bytes written, as the engine last said
    pages: list[PageEntry] | None = None  # None until the video is first opened
    progress: dict[int, TaskProgress] | None = None  # part id → newest progress while downloading
    read: int = 0  # the read these values come from (reads are numbered as they are asked for)

    @classmethod
    def from_view(cls, task: TaskView, read: int) -> VideoEntry:
        return cls(
            task.id, task.source_id, sys.intern(task.kind), sys.intern(task.provider_name), task.key,
            str(task.details.get("url", "")), task.title, task.cover,
            sys.intern(task.state), _steps(task), task.children, task.attempts, task.last_error, task.path,
            task.bytes_total, read=read,
        )  # fmt: skip

    def update_from(self, row: VideoEntry, read: int) -> bool:
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
        if self.state not in (QUEUED, RUNNING):
            self.progress = None  # no longer downloading: the last numbers would be stale
        return True


_WAITING = frozenset({QUEUED, RUNNING, "failed"})  # states a part's own state shows through


def _waiting_word(state: str, attempts: int) -> str:
    if state == RUNNING:
        return "downloading"
    return "retrying" if state == QUEUED and attempts else state


def video_state(video: VideoEntry) -> str:
    """The word a person sees for a video: the engine's, "downloading" while progress comes in."""
    if video.progress and video.state in (QUEUED, RUNNING):
        return "downloading"
    return _waiting_word(video.state, video.attempts)


def page_state(video: VideoEntry, page: PageEntry) -> str:
    if page.state == "done":
        return "done"
    parent = video_state(video)
    if video.state not in _WAITING:  # paused, cancelled, skipped, removed, unavailable
        return parent
    if parent == "downloading" and video.progress and page.id in video.progress:
        return "downloading"
    return _waiting_word(page.state, page.attempts)


def has_parts(video: VideoEntry) -> bool:
    """Whether the video can be opened: it has parts, as far as is known."""
    return video.children > 0 if video.pages is None else bool(video.pages)


def aggregate(progress: Iterable[TaskProgress]) -> tuple[int, int, float, float | None]:
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


class TasksModel(QAbstractTableModel):
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
        self._rows: list[VideoEntry] = []  # the loaded videos, by id
        self._position_of: dict[int, int] = {}  # video id → position in _rows
        self._open: set[int] = set()  # videos whose parts are shown (or will be, once read)
        # the open videos that have part rows: their positions (sorted), the row each one is
        # at and how many part rows come before each (one more entry: all of them)
        self._open_positions: list[int] = []
        self._open_rows: list[int] = []
        self._parts_before: list[int] = [0]
        self._row_count = 0
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
        # whether the view needs more rows (set by the view); without it fetchMore would be
        # allowed to read the whole table as soon as anything asks
        self.demand: Callable[[], bool] | None = None
        self._dirty: set[int] = set()
        self._finished: set[int] = set()
        self._live: set[int] = set()  # videos with progress numbers
        # every video progress came for this round, loaded or not, with its parts' newest
        # numbers: the rows of the Active filter
        self._active: dict[int, dict[int, TaskProgress]] = {}
        # each torrent's newest status, kept when rows are read afresh (after a round, a finished
        # download, a filter change): an idle seeding torrent sends none for a long while
        self._torrent_status: dict[int, TorrentProgress] = {}
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
        self._kind_words: dict[str, str] = {}
        self._kind_icons: dict[str, QPixmap] = {}
        self._headers: list[str] = []
        self._colors: dict[str, QColor] = {}
        self._step_labels: dict[str, str] = {}
        self._step_badges: dict[str, str] = {}
        self._subtask_words: dict[int, str] = {}
        self.retranslate()
        self.update_colors()
        bridge.progressBatch.connect(self._on_progress)
        bridge.taskFinished.connect(self._on_task_finished)
        bridge.stepChanged.connect(self._on_step)
        bridge.roundFinished.connect(self._on_round_finished)
        bridge.taskAdded.connect(self._on_task_added)
        bridge.stateChanged.connect(self._on_state_changed)

    # ------------------------------------------------------------ words and colours

    def retranslate(self) -> None:
        self._state_words = {
            "queued": self.tr("Queued"),
            "downloading": self.tr("Downloading"),
            "retrying": self.tr("Retrying"),
            "failed": self.tr("Failed"),
            "done": self.tr("Done"),
            "seeding": self.tr("Seeding"),
            "paused": self.tr("Paused"),
            "removed": self.tr("Removed upstream"),
            "skipped": self.tr("Skipped"),
            "cancelled": self.tr("Cancelled"),
            "unavailable": self.tr("Unavailable"),
        }
        self._kind_words = {"video": self.tr("Video"), "part": self.tr("Part")}
        self._headers = [
            self.tr("Title"), self.tr("Source"), self.tr("Service"), self.tr("State"), self.tr("Progress"),
            self.tr("Speed"), self.tr("ETA"), self.tr("Size"), self.tr("Attempts"), self.tr("Sub-tasks"),
            self.tr("Last error"), self.tr("Peers (seeds)"), self.tr("Ratio"), self.tr("Up speed"),
        ]  # fmt: skip
        self._step_labels = {
            "poster": self.tr("Cover"), "show_nfo": self.tr("Show NFO"), "owner_avatar": self.tr("Avatar"),
            "owner_nfo": self.tr("UP NFO"), "parts": self.tr("Parts"), "media": self.tr("Video"),
            "nfo": self.tr("NFO"), "danmaku": self.tr("Danmaku"), "subtitles": self.tr("Subtitles"),
        }  # fmt: skip
        # One fixed character per step, in every language: first letters collide (Show NFO and
        # Subtitles) and mean nothing in Chinese; the legend and the header tooltip name them.
        self._step_badges = {
            "poster": self.tr("C"), "show_nfo": self.tr("S"), "owner_avatar": self.tr("A"),
            "owner_nfo": self.tr("U"), "parts": self.tr("P"), "media": self.tr("V"),
            "nfo": self.tr("N"), "danmaku": self.tr("D"), "subtitles": self.tr("T"),
        }  # fmt: skip
        self._subtask_words = {st.NOT_STARTED: self.tr("not started"), st.OK: self.tr("done"),
                               st.GAVE_UP: self.tr("gave up")}  # fmt: skip
        if self._rows:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMN_COUNT - 1)
            self._emit_rows_changed(0, len(self._rows) - 1, first_column=Column.SOURCE)

    def state_word(self, key: str) -> str:
        return self._state_words.get(key, key)

    def subtask_legend(self) -> list[tuple[str, str]]:
        """(badge, step name) of every step, in the order rows show them."""
        return [(badge, self._step_labels[step]) for step, badge in self._step_badges.items()]

    def update_colors(self) -> None:
        app = QApplication.instance()
        dark = isinstance(app, QApplication) and is_dark(app)
        palette = {
            "done": ("#15803d", "#4ade80"),
            "seeding": ("#0f766e", "#2dd4bf"),
            "failed": ("#dc2626", "#f87171"),
            "retrying": ("#b45309", "#fbbf24"),
            "paused": ("#2563eb", "#60a5fa"),
            "downloading": ("#0369a1", "#38bdf8"),
            "queued": ("#6b7280", "#9aa0a6"),
            "cancelled": ("#6b7280", "#9aa0a6"),
            "unavailable": ("#6b7280", "#9aa0a6"),
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
        self._position_of.clear()
        self._open.clear()
        self._relayout()
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

    # ------------------------------------------------------------ engine plumbing: what is asked
    # Which engine calls the model makes and with what; the answers become entries at once.

    def _query(self) -> dict[str, Any]:
        state = None if self.state_filter == ACTIVE else self.state_filter
        return {"state": state, "source_id": self.source_filter, "search": self.search or None}

    async def _read_page(self, after_id: int | None, limit: int) -> tuple[int, list[VideoEntry]]:
        """Up to `limit` videos matching the filters with ids above `after_id`, in id order."""
        if self.state_filter == ACTIVE:
            return await self._read_active(after_id, limit)
        self._reads += 1
        read = self._reads  # taken right before engine.tasks() queues the query
        rows = await self.engine.tasks(**self._query(), after_id=after_id, limit=limit)
        return read, [VideoEntry.from_view(row, read) for row in rows]

    async def _read_active(self, after_id: int | None, limit: int) -> tuple[int, list[VideoEntry]]:
        """The videos progress came for (a handful: as many as download at once), read one by
        one with the other filters; those that stopped wanting a download are forgotten."""
        self._reads += 1
        read = self._reads
        entries: list[VideoEntry] = []
        for video_id in sorted(i for i in self._active if after_id is None or i > after_id):
            if len(entries) == limit:
                break
            # keyset order by id: the first match after id-1 is this video if it matches
            rows = await self.engine.tasks(**self._query(), after_id=video_id - 1, limit=1)
            if not rows or rows[0].id != video_id:
                continue
            if rows[0].state not in (QUEUED, RUNNING):  # finished, paused or cancelled meanwhile
                self._active.pop(video_id, None)
                continue
            entry = VideoEntry.from_view(rows[0], read)
            live = self._active.get(video_id)
            if live is not None:  # downloading from its first paint, not from the next batch
                entry.progress = dict(live)
                self._live.add(video_id)
            entries.append(entry)
        return read, entries

    async def _count(self) -> int:
        if self.state_filter == ACTIVE:
            return len((await self._read_active(None, sys.maxsize))[1])
        return await self.engine.count_tasks(**self._query())

    async def _read_parts(self, video_id: int) -> list[PageEntry]:
        return [PageEntry.from_view(part) for part in await self.engine.task_children(video_id)]

    def _attempt_limit(self) -> int:
        return min(int(self.engine.config["limits.attempts"]), st.MAX_ATTEMPTS)

    # ------------------------------------------------------------ counting

    def _recount(self) -> None:
        generation = self._generation
        self.bridge.run(
            self._count(),
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
        """Videos loaded (part rows not counted)."""
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

    # ------------------------------------------------------------ rows: videos and open parts

    def _relayout(self) -> None:
        """Recount where the part rows are, after videos moved or parts were shown or hidden
        (O(open videos), not O(rows))."""
        positions = sorted(
            position
            for video_id in self._open
            if (position := self._position_of.get(video_id)) is not None and self._rows[position].pages
        )
        rows: list[int] = []
        before = [0]
        for position in positions:
            rows.append(position + before[-1])
            before.append(before[-1] + len(self._rows[position].pages or ()))
        self._open_positions, self._open_rows, self._parts_before = positions, rows, before
        self._row_count = len(self._rows) + before[-1]

    def _row_at(self, position: int) -> int:
        """The row of the video at `position` (part rows of open videos above it push it down)."""
        if not self._open_positions:
            return position
        return position + self._parts_before[bisect_left(self._open_positions, position)]

    def _locate(self, row: int) -> tuple[int, int]:
        """(position of the video, index of the part or -1 for the video's own row)."""
        rows = self._open_rows
        if not rows or row < rows[0]:
            return row, -1
        k = bisect_right(rows, row) - 1
        offset = row - rows[k]
        if offset <= self._parts_before[k + 1] - self._parts_before[k]:
            return self._open_positions[k], offset - 1
        return row - self._parts_before[k + 1], -1

    def _parts_shown(self, position: int) -> int:
        k = bisect_left(self._open_positions, position)
        if k < len(self._open_positions) and self._open_positions[k] == position:
            return self._parts_before[k + 1] - self._parts_before[k]
        return 0

    def _entries(self, index: _ModelIndex) -> tuple[VideoEntry, PageEntry | None] | None:
        if not index.isValid():
            return None
        position, part = self._locate(index.row())
        if position >= len(self._rows):
            return None
        video = self._rows[position]
        if part < 0:
            return video, None
        pages = video.pages
        return None if pages is None or part >= len(pages) else (video, pages[part])

    def video(self, index: _ModelIndex) -> VideoEntry | None:
        """The video of a row, or of a part row's video."""
        found = self._entries(index)
        return None if found is None else found[0]

    def page(self, index: _ModelIndex) -> PageEntry | None:
        found = self._entries(index)
        return None if found is None else found[1]

    def row_of(self, video_id: int) -> int | None:
        """The row a loaded video is shown at."""
        position = self._position_of.get(video_id)
        return None if position is None else self._row_at(position)

    # ------------------------------------------------------------ opening videos

    def set_open(self, row: int, shown: bool) -> None:
        """Show or hide the parts of the video at `row` (its parts are read the first time)."""
        position, part = self._locate(row)
        if part >= 0 or position >= len(self._rows):
            return
        video = self._rows[position]
        if shown == (video.id in self._open) or (shown and not has_parts(video)):
            return
        if shown:
            self._open.add(video.id)
            if video.pages is None:
                self.load_pages(video.id)
            elif video.pages:
                self.beginInsertRows(_ROOT, row + 1, row + len(video.pages))
                self._relayout()
                self.endInsertRows()
        else:
            count = self._parts_shown(position)
            if count:
                self.beginRemoveRows(_ROOT, row + 1, row + count)
                self._open.discard(video.id)
                self._relayout()
                self.endRemoveRows()
            else:
                self._open.discard(video.id)
        title = self.createIndex(row, Column.TITLE)
        self.dataChanged.emit(title, title, [BRANCH_ROLE])

    def load_pages(self, video_id: int) -> None:
        """Read a video's parts (done when it is first opened, and again after changes)."""
        if video_id in self._pages_loading:
            return
        self._pages_loading.add(video_id)
        generation = self._generation
        self.bridge.run(
            self._read_parts(video_id),
            what=self.tr("Loading parts"),
            done=lambda pages: self._pages_arrived(generation, video_id, pages),
            failed=lambda message: self._pages_failed(generation, video_id, message),
        )

    def _pages_failed(self, generation: int, video_id: int, message: str) -> None:
        if generation == self._generation:
            self._pages_loading.discard(video_id)
            self.bridge.errorRaised.emit(self.tr("Loading parts"), message)

    def _pages_arrived(self, generation: int, video_id: int, pages: list[PageEntry]) -> None:
        if generation != self._generation:
            return
        self._pages_loading.discard(video_id)
        self._set_pages(video_id, pages)

    def _set_pages(self, video_id: int, pages: list[PageEntry]) -> None:
        position = self._position_of.get(video_id)
        if position is None:
            return
        video = self._rows[position]
        row = self._row_at(position)
        shown = self._parts_shown(position)
        old = video.pages
        if video.id not in self._open or (old is not None and [p.id for p in old] == [p.id for p in pages]):
            video.pages = pages
            if shown:
                self.dataChanged.emit(self.createIndex(row + 1, 0), self.createIndex(row + shown, COLUMN_COUNT - 1))
            # the size adds up the parts; the arrow goes if there are none after all
            self._emit_rows_changed(position, position, first_column=Column.TITLE, last_column=Column.SIZE)
            return
        if shown:
            self.beginRemoveRows(_ROOT, row + 1, row + shown)
            video.pages = []
            self._relayout()
            self.endRemoveRows()
        if pages:
            self.beginInsertRows(_ROOT, row + 1, row + len(pages))
            video.pages = pages
            self._relayout()
            self.endInsertRows()
        else:
            video.pages = pages
        self._emit_rows_changed(position, position)

    # ------------------------------------------------------------ structure

    def rowCount(self, parent: _ModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else self._row_count

    def columnCount(self, parent: _ModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else COLUMN_COUNT

    def index(self, row: int, column: int, parent: _ModelIndex = _ROOT) -> QModelIndex:
        if parent.isValid() or not (0 <= row < self._row_count and 0 <= column < COLUMN_COUNT):
            return QModelIndex()
        return self.createIndex(row, column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMN_COUNT:
            return None
        if role == _DISPLAY:
            return self._headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGNMENT[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == Column.SUBTASKS:
            return "\n".join(f"{badge}  {name}" for badge, name in self.subtask_legend())
        return None

    # ------------------------------------------------------------ data

    def data(self, index: _ModelIndex, role: int = _DISPLAY) -> Any:
        found = self._entries(index)
        if found is None:
            return None
        video, page = found
        if page is None:
            return self._video_data(video, index.column(), role)
        return self._page_data(video, page, index.column(), role)

    def multiData(self, index: _ModelIndex, span: QModelRoleDataSpan) -> None:  # type: ignore[override]
        """Every role the painting delegate asks for, in one call into Python per cell."""
        found = self._entries(index)
        if found is None:
            for item in span:
                item.clearData()
            return
        video, page = found
        column = index.column()
        for item in span:  # the delegate reuses its span: every role gets a value or is cleared
            role = item.role()
            if role in _NO_VALUE_ROLES:
                item.clearData()
            elif page is None:
                item.setData(self._video_data(video, column, role))
            else:
                item.setData(self._page_data(video, page, column, role))

    def _video_data(self, video: VideoEntry, column: int, role: int) -> Any:
        if role == _DISPLAY:
            return self._video_text(video, column)
        if role == Qt.ItemDataRole.DecorationRole:
            if column == Column.PROVIDER:
                return self._kind_icon(video.kind)
            return self._cover(video) if column == Column.TITLE else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colors.get(self._shown_state(video)) if column == Column.STATE else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGNMENT[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._video_tooltip(video, column)
        if role == PROGRESS_ROLE:
            if column != Column.PROGRESS or video.progress is None or video_state(video) != "downloading":
                return None
            done, total, _speed, _eta = aggregate(video.progress.values())
            return done, total
        if role == SUBTASKS_ROLE:
            return self._subtasks(video.steps) if column == Column.SUBTASKS else None
        if role == VIDEO_ID_ROLE:
            return video.id
        if role == STATE_ROLE:
            return video_state(video)
        if role == BRANCH_ROLE:
            return (video.id in self._open) if column == Column.TITLE and has_parts(video) else None
        if role == DEPTH_ROLE:
            return 0
        return None

    def _video_text(self, video: VideoEntry, column: int) -> str:
        if column == Column.TITLE:
            return video.title or video.key
        if column == Column.SOURCE:
            return self.source_names.get(video.source_id, "")
        if column == Column.PROVIDER:
            return video.provider_name
        if column == Column.STATE:
            return self._state_words[self._shown_state(video)]
        if column == Column.ATTEMPTS:
            return self._attempts_text(video.attempts)
        if column == Column.ERROR:
            return self._reason(video.last_error)
        if column == Column.SUBTASKS:
            return _subtask_symbols(video.steps)
        if column >= Column.PEERS:
            return self._torrent_text(video, column)
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

    def _shown_state(self, video: VideoEntry) -> str:
        """The task's state, with a finished torrent that still uploads shown as seeding."""
        state = video_state(video)
        live = self._torrent_status.get(video.id)
        return "seeding" if state == "done" and live is not None and live.seeding else state

    def _torrent_text(self, video: VideoEntry, column: int) -> str:
        """Peers, ratio and upload speed of a torrent (seeding too), from its newest status."""
        live = self._torrent_status.get(video.id)
        if live is None:
            return ""
        if column == Column.PEERS:
            return f"{live.peers} ({live.seeds})"
        if column == Column.RATIO:
            return f"{live.ratio:.2f}"
        return human_speed(live.up_speed) if live.up_speed > 0 else ""

    def _page_data(self, video: VideoEntry, page: PageEntry, column: int, role: int) -> Any:
        if role == _DISPLAY:
            return self._page_text(video, page, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colors.get(page_state(video, page)) if column == Column.STATE else None
        if role == Qt.ItemDataRole.DecorationRole:
            return self._kind_icon("part") if column == Column.PROVIDER else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGNMENT[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._page_tooltip(video, page, column)
        if role == PROGRESS_ROLE:
            live = self._page_progress(video, page)
            return None if live is None or column != Column.PROGRESS else (live.done_bytes, live.total_bytes)
        if role == SUBTASKS_ROLE:
            return self._subtasks(page.steps) if column == Column.SUBTASKS else None
        if role == VIDEO_ID_ROLE:
            return video.id
        if role == PAGE_ID_ROLE:
            return page.id
        if role == STATE_ROLE:
            return page_state(video, page)
        if role == DEPTH_ROLE:
            return 1
        return None

    def _page_progress(self, video: VideoEntry, page: PageEntry) -> TaskProgress | None:
        if video.progress is None or page_state(video, page) != "downloading":
            return None
        return video.progress.get(page.id)

    def _page_text(self, video: VideoEntry, page: PageEntry, column: int) -> str:
        if column == Column.TITLE:
            return f"P{page.number} {page.title}"
        if column == Column.PROVIDER:
            return video.provider_name
        if column == Column.STATE:
            return self._state_words[page_state(video, page)]
        if column == Column.ATTEMPTS:
            return self._attempts_text(page.attempts)
        if column == Column.ERROR:
            return self._reason(page.last_error)
        if column == Column.SUBTASKS:
            return _subtask_symbols(page.steps)
        live = self._page_progress(video, page)
        if column == Column.SIZE:
            if live is not None and live.total_bytes:
                return human_size(live.total_bytes)
            return human_size(page.size) if page.size else ""
        if live is None:
            return ""
        return self._live_text(column, live.done_bytes, live.total_bytes, live.speed, live.eta)

    def _attempts_text(self, attempts: int) -> str:
        made = min(attempts, self._attempt_limit())
        return f"{made}/{self._attempt_limit()}" if made else ""

    def _label(self, step: str) -> str:
        return self._step_labels.get(step) or step.replace("_", " ").capitalize()

    def _badge(self, step: str) -> str:
        return self._step_badges.get(step) or self._label(step)[:1].upper()

    def _subtasks(self, steps: Steps) -> list[tuple[str, int]]:
        return [(self._badge(name), value) for name, value in steps]

    def _subtask_lines(self, steps: Steps) -> str:
        lines = []
        for step, value in steps:
            name = f"{self._badge(step)}  {self._label(step)}"
            word = self._subtask_words.get(value) or (
                self.tr("failed once") if value == 1 else self.tr("failed %1 times").replace("%1", str(value))
            )
            lines.append(f"{name}: {word}")
        return "\n".join(lines)

    def _kind_icon(self, kind: str) -> QPixmap:
        # A pixmap at its final size, made once: the view paints it as is, on every row it shows.
        icon = self._kind_icons.get(kind)
        if icon is None:
            style = QApplication.style()
            size = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
            standard = style.standardIcon(KIND_PIXMAPS.get(kind, QStyle.StandardPixmap.SP_FileIcon))
            icon = self._kind_icons[kind] = standard.pixmap(size, size)
        return icon

    def _reason(self, text: str) -> str:
        """Why a task cannot be downloaded, in the interface language when it is one of the
        service's known answers; other errors (HTTP, disk) are shown as the engine wrote them."""
        if not text:
            return text
        fixed = {
            "deleted or invalid upstream": self.tr("deleted or invalid upstream"),
            "charge-only video (充电专属)": self.tr("charge-only video (充电专属)"),
            "the episode has no video upstream": self.tr("the episode has no video upstream"),
            "only a trial clip of this episode is offered: it needs a 大会员 (VIP) login": self.tr(
                "only a trial clip of this episode is offered: it needs a 大会员 (VIP) login"
            ),
            "bangumi/film episode: add the bangumi itself as a source (ss:/ep: link)": self.tr(
                "bangumi/film episode: add the bangumi itself as a source (ss:/ep: link)"
            ),
        }
        if text in fixed:
            return fixed[text]
        coded = re.fullmatch(r"(?:this |the )?\w+ (was deleted|is invisible|is under review|"
                             r"is visible to its uploader only) \((-?\d+)\)", text)  # fmt: skip
        if coded:
            words = {
                "was deleted": self.tr("deleted upstream (%1)"),
                "is invisible": self.tr("hidden upstream (%1)"),
                "is under review": self.tr("under review upstream (%1)"),
                "is visible to its uploader only": self.tr("visible to its uploader only (%1)"),
            }
            return words[coded.group(1)].replace("%1", coded.group(2))
        state = re.fullmatch(r"not public upstream \(state (-?\d+)\)", text)
        if state:
            return self.tr("not public upstream (state %1)").replace("%1", state.group(1))
        return text

    def _kind_text(self, kind: str, provider_name: str) -> str:
        return f"{self._kind_words.get(kind, kind.capitalize())} · {provider_name}"

    def _video_tooltip(self, video: VideoEntry, column: int) -> str | None:
        if column == Column.PROVIDER:
            return self._kind_text(video.kind, video.provider_name)
        if column == Column.TITLE:
            return f"{video.title}\n{video.key}"
        if column == Column.STATE:
            state = video_state(video)
            reason = self._reason(video.last_error)
            if state == "skipped" and not reason:
                reason = self.tr("excluded by the source's filter rules")
            return f"{self._state_words[state]}: {reason}" if reason else self._state_words[state]
        if column == Column.SUBTASKS:
            return self._subtask_lines(video.steps)
        if column == Column.ATTEMPTS:
            return self.tr("Tries used by the worst sub-task (limit %1)").replace("%1", str(self._attempt_limit()))
        if column == Column.ERROR:
            return self._reason(video.last_error) or None
        return None

    def _page_tooltip(self, video: VideoEntry, page: PageEntry, column: int) -> str | None:
        if column == Column.PROVIDER:
            return self._kind_text("part", video.provider_name)
        if column == Column.TITLE:
            return f"P{page.number} {page.title}\n{page.path}" if page.path else f"P{page.number} {page.title}"
        if column == Column.STATE:
            word = self._state_words[page_state(video, page)]
            return f"{word}: {self._reason(page.last_error)}" if page.last_error else word
        if column == Column.SUBTASKS:
            return self._subtask_lines(page.steps)
        if column == Column.ERROR:
            return self._reason(page.last_error) or None
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
            row = self.row_of(video_id)
            if row is not None:
                index = self.createIndex(row, Column.TITLE)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def _emit_rows_changed(
        self, first: int, last: int, first_column: int = 0, last_column: int = COLUMN_COUNT - 1
    ) -> None:
        """The videos at positions first…last changed (with their shown parts: their state
        follows the video's)."""
        top = self._row_at(first)
        bottom = self._row_at(last) + self._parts_shown(last)
        self.dataChanged.emit(self.createIndex(top, first_column), self.createIndex(bottom, last_column))

    # ------------------------------------------------------------ lazy loading

    def canFetchMore(self, parent: _ModelIndex) -> bool:
        return not parent.isValid() and not self._exhausted and (self.demand is None or self.demand())

    def fetchMore(self, parent: _ModelIndex) -> None:
        if not parent.isValid():
            self._fetch_page()

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
            self._read_page(after, limit),
            done=lambda answer: self._page_arrived(generation, *answer, limit),
            failed=lambda message: self._load_failed(generation, message),
        )

    def page_size(self) -> int:
        """200 rows first, then as many as are loaded, up to 2,000: the first screen comes fast,
        and scrolling through 100,000 rows takes 53 reads, each a few ms of the window's time
        (rows arriving cost the view only what it shows)."""
        return max(PAGE_SIZE, min(len(self._rows), MAX_PAGE_SIZE))

    def _page_arrived(self, generation: int, read: int, entries: list[VideoEntry], limit: int) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        last = self._rows[-1].id if self._rows else 0
        self._exhausted = len(entries) < limit
        self._append([e for e in entries if e.id > last])
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
        self.beginInsertRows(_ROOT, self._row_count, self._row_count + len(entries) - 1)
        self._rows.extend(entries)
        for offset, entry in enumerate(entries):
            self._position_of[entry.id] = first + offset
        self._row_count += len(entries)  # closed videos after the last open one: nothing moves
        self.endInsertRows()

    def _remove_videos(self, first: int, last: int) -> None:
        """Remove the videos at positions first…last, with their part rows."""
        self.beginRemoveRows(_ROOT, self._row_at(first), self._row_at(last) + self._parts_shown(last))
        for entry in self._rows[first : last + 1]:
            self._position_of.pop(entry.id, None)
            self._open.discard(entry.id)
        del self._rows[first : last + 1]
        self._reindex(first)
        self._relayout()
        self.endRemoveRows()

    def _insert_videos(self, position: int, entries: list[VideoEntry]) -> int:
        """Insert (closed) videos before `position`; returns where the video that was there is now."""
        if not entries:
            return position
        row = self._row_at(position)
        self.beginInsertRows(_ROOT, row, row + len(entries) - 1)
        self._rows[position:position] = entries
        self._reindex(position)
        self._relayout()
        self.endInsertRows()
        return position + len(entries)

    def _reindex(self, first: int) -> None:
        position_of = self._position_of
        for position in range(first, len(self._rows)):
            position_of[self._rows[position].id] = position

    # ------------------------------------------------------------ refreshing in place

    def refresh(self) -> None:
        """Read the loaded id range again and merge it in; once everything is loaded, new
        videos past the end join too. Never a reset: scroll, selection and open videos stay."""
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
            self._read_page(after, REFRESH_CHUNK),
            done=lambda answer: self._refresh_arrived(generation, after, *answer),
            failed=lambda message: self._load_failed(generation, message),
        )

    def _refresh_arrived(self, generation: int, after: int | None, read: int, fresh: list[VideoEntry]) -> None:
        if generation != self._generation:
            return
        last_loaded = self._rows[-1].id if self._rows else 0
        full = len(fresh) == REFRESH_CHUNK
        # the answer is the whole truth for ids in (after, upper]
        upper = fresh[-1].id if full else sys.maxsize
        self._merge(after or 0, min(upper, last_loaded), [e for e in fresh if e.id <= last_loaded], read)
        if upper < last_loaded:
            self._refresh_chunk(generation, upper)
            return
        if self._exhausted:
            beyond = [e for e in fresh if e.id > last_loaded]
            self._append(beyond[:PAGE_SIZE])
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

    def _merge(self, low: int, high: int, fresh: list[VideoEntry], read: int) -> None:
        """Make the loaded videos with ids in (low, high] match `fresh` (sorted by id), except
        videos a later read has vouched for."""
        rows = self._rows
        start = bisect_right(rows, low, key=_entry_id)
        end = bisect_right(rows, high, key=_entry_id)
        if [e.id for e in rows[start:end]] == [e.id for e in fresh]:
            changed = [start + i for i, entry in enumerate(fresh) if rows[start + i].update_from(entry, read)]
            if changed:
                self._emit_rows_changed(changed[0], changed[-1])
            return
        keep = {e.id for e in fresh}
        last = end - 1
        while last >= start:  # remove runs of videos that left the filter, from the end
            if rows[last].id in keep or rows[last].read > read:
                last -= 1
                continue
            first = last
            while first - 1 >= start and rows[first - 1].id not in keep and rows[first - 1].read <= read:
                first -= 1
            self._remove_videos(first, last)
            last = first - 1
        position = start
        changed_positions: list[int] = []
        pending: list[VideoEntry] = []
        for entry in fresh:
            while position < len(rows) and rows[position].id < entry.id:  # kept by a later read
                position = self._insert_videos(position, pending) + 1
                pending = []
            if position < len(rows) and rows[position].id == entry.id:
                position = self._insert_videos(position, pending)
                pending = []
                if rows[position].update_from(entry, read):
                    changed_positions.append(position)
                position += 1
            else:
                pending.append(entry)
        self._insert_videos(position, pending)
        if changed_positions:
            self._emit_rows_changed(min(changed_positions), max(changed_positions))

    def refresh_videos(self, video_ids: Iterable[int]) -> None:
        """Read these videos again soon (their rows and, if read before, their parts)."""
        self._dirty.update(video_ids)
        if not self._dirty_timer.isActive():
            self._dirty_timer.start()

    def _refresh_dirty(self) -> None:
        ids = sorted(i for i in self._dirty if i in self._position_of)
        self._dirty.clear()
        if not ids:
            return
        if len(ids) > TARGETED_LIMIT:
            self.refresh()
            return
        with_pages = [i for i in ids if self._rows[self._position_of[i]].pages is not None]
        generation = self._generation
        self.bridge.run(
            self._read_videos(ids, with_pages),
            done=lambda result: self._videos_arrived(generation, *result),
            failed=lambda _message: None,  # the next refresh reads them again
        )

    async def _read_videos(
        self, ids: list[int], with_pages: list[int]
    ) -> tuple[dict[int, tuple[int, VideoEntry | None]], dict[int, list[PageEntry]]]:
        found: dict[int, tuple[int, VideoEntry | None]] = {}
        for video_id in ids:
            # keyset order by id: the first match after id-1 is this video if it still matches
            read, entries = await self._read_page(video_id - 1, 1)
            found[video_id] = (read, entries[0] if entries and entries[0].id == video_id else None)
        pages = {video_id: await self._read_parts(video_id) for video_id in with_pages}
        return found, pages

    def _videos_arrived(
        self,
        generation: int,
        found: dict[int, tuple[int, VideoEntry | None]],
        pages: dict[int, list[PageEntry]],
    ) -> None:
        if generation != self._generation:
            return
        changed: list[int] = []
        gone: list[int] = []
        for video_id, (read, fresh) in found.items():
            position = self._position_of.get(video_id)
            if position is None:
                continue
            entry = self._rows[position]
            if entry.read > read:
                continue  # a later read already showed this video
            if fresh is None:  # it left the filter (or its source was removed)
                gone.append(video_id)
                continue
            finished = video_id in self._finished and entry.progress is not None
            self._finished.discard(video_id)
            if finished:
                entry.progress = None
            if entry.update_from(fresh, read) or finished:
                changed.append(video_id)
        for video_id in gone:
            position = self._position_of.get(video_id)
            if position is not None:
                self._remove_videos(position, position)
        for video_id, video_pages in pages.items():
            self._set_pages(video_id, video_pages)
        positions = [self._position_of[i] for i in changed if i in self._position_of]
        if positions:
            self._emit_rows_changed(min(positions), max(positions))

    # ------------------------------------------------------------ engine events

    def _on_progress(self, batch: dict[int, TaskProgress]) -> None:
        low = high = -1
        position_of = self._position_of
        rows = self._rows
        parts_touched: dict[int, list[int]] = {}
        torrents = False
        for page_id, progress in batch.items():
            video_id = progress.parent_id if progress.parent_id is not None else page_id
            active = self._active.get(video_id)
            if active is None:
                active = self._active[video_id] = {}
                if self.state_filter == ACTIVE:
                    self.refresh_later()  # a download started: it joins the Active list
            active[page_id] = progress
            if isinstance(progress, TorrentProgress):
                self._torrent_status[video_id] = progress
            position = position_of.get(video_id)
            if position is None:
                continue  # not loaded: it shows its numbers once it is
            video = rows[position]
            if video.progress is None:
                video.progress = {}
                self._live.add(video_id)
            video.progress[page_id] = progress
            torrents = torrents or type(progress) is TorrentProgress
            if low < 0 or position < low:
                low = position
            if position > high:
                high = position
            if video.pages and video_id in self._open:
                parts = parts_touched.setdefault(position, [])
                parts.extend(i for i, page in enumerate(video.pages) if page.id == page_id)
        if low < 0:
            return
        roles = [_DISPLAY, PROGRESS_ROLE, Qt.ItemDataRole.ForegroundRole]
        # one range over the live columns of the rows from the first to the last video touched
        first, last = PROGRESS_COLUMNS
        self.dataChanged.emit(
            self.createIndex(self._row_at(low), first), self.createIndex(self._row_at(high), last), roles
        )
        if torrents:
            self.dataChanged.emit(self.createIndex(self._row_at(low), TORRENT_COLUMNS[0]),
                                  self.createIndex(self._row_at(high), TORRENT_COLUMNS[1]), [_DISPLAY])  # fmt: skip
        for position, parts in parts_touched.items():
            if parts:
                row = self._row_at(position)
                self.dataChanged.emit(
                    self.createIndex(row + 1 + min(parts), first), self.createIndex(row + 1 + max(parts), last), roles
                )

    def _on_task_finished(self, event: TaskFinished) -> None:
        self._active.pop(event.task_id, None)
        if event.task_id in self._position_of:
            self._finished.add(event.task_id)  # its numbers go once the fresh row is here
            self.refresh_videos([event.task_id])

    def _on_step(self, event: StepDone | StepFailed) -> None:
        task_id = event.parent_id if event.parent_id is not None else event.task_id
        if task_id in self._position_of:
            self.refresh_videos([task_id])

    def _on_round_finished(self, _event: RoundFinished) -> None:
        positions = [self._position_of[i] for i in self._live if i in self._position_of]
        for position in positions:
            self._rows[position].progress = None  # nothing downloads between rounds
        self._live.clear()
        self._active.clear()
        self._finished.clear()
        if positions:
            self._emit_rows_changed(min(positions), max(positions), first_column=Column.STATE)
        self.refresh()

    def _on_task_added(self, _event: TaskAdded) -> None:
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
        if what in ("tasks", "sources"):  # a removed source takes its tasks along
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


def _subtask_symbols(steps: Steps) -> str:
    """The steps as text (what copying a row gives; the delegate draws chips)."""
    return " ".join(_SYMBOLS.get(v, str(v)) for _, v in steps)
