"""The Tasks page: every video with its parts, what state each is in, and live progress.

Filters (state, source, title or BV search) go to the engine; the list loads as it scrolls.
Right-click (or the buttons above the list) pauses, resumes, cancels, retries or resets the
selected videos, opens their files or their page on Bilibili.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    QTimer,
    QUrl,
)
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QStyle,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.engine.views import SourceView
from core.tasks.views import TaskView
from desktop.bridge import EngineBridge
from desktop.dialogs.add_torrent import AddTorrentDialog, dropped_torrent
from desktop.models.tasks import (
    ACTIVE,
    BADGES_PER_ROW,
    BRANCH_ROLE,
    DEPTH_ROLE,
    FILTER_STATES,
    PROGRESS_ROLE,
    SUBTASKS_ROLE,
    THUMBNAIL_SIZE,
    Column,
    PageEntry,
    TasksModel,
    VideoEntry,
    video_state,
)
from desktop.panels.base import Panel
from desktop.resources import icon
from desktop.widgets.task_delegates import ProgressBarDelegate, SubtaskChipsDelegate, TreeColumnDelegate, chips_width
from desktop.widgets.torrent_detail import TorrentDetail
from desktop.widgets.torrent_menu import TaskPlaylistMenu, TorrentMenu

SEARCH_DELAY_MS = 300
MAX_BROWSER_TABS = 10  # opening more pages at once is never what a person meant
# the next rows are read while this many are still loaded below what is shown (about 50
# screens: even a fast scroll rarely waits at the end of what is loaded)
READ_AHEAD_ROWS = 1000

# everything but the last error fits the default window; the error also shows as the state's tooltip
COLUMN_WIDTHS = {
    Column.TITLE: 240,
    Column.SOURCE: 96,
    Column.PROVIDER: 92,
    Column.STATE: 90,
    Column.PROGRESS: 180,
    Column.SPEED: 74,
    Column.ETA: 60,
    Column.SIZE: 68,
    Column.ATTEMPTS: 58,
    Column.PEERS: 96,  # "Peers (seeds)" whole
    Column.RATIO: 50,
    Column.UPLOAD: 74,
}  # the sub-tasks column is as wide as its badges (fit_subtasks_column)

RUNNING = ("queued", "downloading", "retrying")
UNFETCHABLE = ("removed", "unavailable")  # a forced download cannot help these

_ModelIndex = QModelIndex | QPersistentModelIndex


class TaskTree(QTableView):
    """The task list: videos, each opening to its parts right below it, drawn and used like a
    tree (the arrow, a double-click, Right/Left and +/- open and close a video).

    A table over the flat TasksModel instead of a QTreeView: QTreeView lays out every loaded
    row again after rows are inserted anywhere, in Python calls per row (0.4 s with 100,000
    rows, at every page read and every opened video); a table lays out only what it shows and
    keeps all rows one fixed height.
    """

    def __init__(self, model: TasksModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = model
        self.setModel(model)
        self.titles = TreeColumnDelegate(DEPTH_ROLE, BRANCH_ROLE, self)
        self.setItemDelegateForColumn(Column.TITLE, self.titles)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setTabKeyNavigation(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setIconSize(THUMBNAIL_SIZE)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no size hint per row, ever
        rows.setMinimumSectionSize(1)
        rows.setDefaultSectionSize(self.row_height())
        header = self.horizontalHeader()  # as a tree's: columns can be moved, clicks do nothing
        header.setSectionsMovable(True)
        header.setSectionsClickable(False)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def row_height(self) -> int:
        """What the style gives a row with a cover thumbnail and a line of text."""
        option = QStyleOptionViewItem()
        option.initFrom(self)
        option.features = (  # type: ignore[attr-defined]
            QStyleOptionViewItem.ViewItemFeature.HasDisplay | QStyleOptionViewItem.ViewItemFeature.HasDecoration
        )
        option.decorationSize = THUMBNAIL_SIZE  # type: ignore[attr-defined]
        option.text = "Ag"  # type: ignore[attr-defined]
        size = self.style().sizeFromContents(QStyle.ContentsType.CT_ItemViewItem, option, QSize(), self)
        return max(size.height(), THUMBNAIL_SIZE.height())

    # named as QTreeView's, so that code written for a tree keeps working
    def isExpanded(self, index: _ModelIndex) -> bool:
        return index.siblingAtColumn(Column.TITLE).data(BRANCH_ROLE) is True

    def expand(self, index: _ModelIndex) -> None:
        self.tasks.set_open(index.row(), True)

    def collapse(self, index: _ModelIndex) -> None:
        self.tasks.set_open(index.row(), False)

    def _toggle(self, index: _ModelIndex) -> None:
        self.tasks.set_open(index.row(), not self.isExpanded(index))

    def _on_arrow(self, position: QPoint) -> QModelIndex | None:
        """The title cell whose open/close arrow is at `position`, if any."""
        index = self.indexAt(position)
        if not index.isValid() or index.column() != Column.TITLE:
            return None
        arrow = self.titles.arrow_rect(self.visualRect(index), index, self)
        return index if arrow is not None and arrow.contains(position) else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            index = self._on_arrow(event.position().toPoint())
            if index is not None:  # as in a tree: the arrow opens or closes, the selection stays
                self._toggle(index)
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        position = event.position().toPoint()
        if self._on_arrow(position) is not None:
            event.accept()  # the press already toggled
            return
        index = self.indexAt(position)
        if event.button() == Qt.MouseButton.LeftButton and index.isValid():
            title = index.siblingAtColumn(Column.TITLE)
            if title.data(BRANCH_ROLE) is not None:
                self._toggle(title)
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if index.isValid() and plain:
            title = index.siblingAtColumn(Column.TITLE)
            branch = title.data(BRANCH_ROLE)
            key = event.key()
            if branch is False and key in (Qt.Key.Key_Right, Qt.Key.Key_Plus):
                self.expand(title)
                return
            if branch is True and key in (Qt.Key.Key_Left, Qt.Key.Key_Minus):
                self.collapse(title)
                return
            if branch is True and key == Qt.Key.Key_Right:  # to its first part
                self.setCurrentIndex(self.tasks.index(index.row() + 1, Column.TITLE))
                return
            video = self.tasks.video(title)
            if key == Qt.Key.Key_Left and title.data(DEPTH_ROLE) and video is not None:  # to its video
                self.setCurrentIndex(self.tasks.index(self.tasks.row_of(video.id) or 0, Column.TITLE))
                return
        super().keyPressEvent(event)


class TasksPanel(Panel):
    key = "tasks"
    icon_name = "tasks"

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self.model = TasksModel(bridge, self)

        self.state_combo = QComboBox()
        self.state_combo.setObjectName("state-filter")
        self.state_combo.addItem("", None)
        self.state_combo.addItem("", ACTIVE)  # first of the states: what is downloading now
        for state in FILTER_STATES:
            self.state_combo.addItem("", state)
        self.source_combo = QComboBox()
        self.source_combo.setObjectName("source-filter")
        self.source_combo.setMinimumContentsLength(14)
        self.source_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source_combo.addItem("", None)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("task-search")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search_edit.setMinimumWidth(220)
        self.count_label = QLabel()
        self.count_label.setObjectName("task-count")
        self.legend_label = QLabel()
        self.legend_label.setObjectName("subtask-legend")
        self.legend_label.setStyleSheet("color: palette(placeholder-text); font-size: 11px;")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filters)

        self.tree = TaskTree(self.model)
        self.tree.setObjectName("task-tree")
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setAlternatingRowColors(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.tree.setItemDelegateForColumn(Column.PROGRESS, ProgressBarDelegate(PROGRESS_ROLE, self.tree))
        self.tree.setItemDelegateForColumn(Column.SUBTASKS, SubtaskChipsDelegate(SUBTASKS_ROLE, self.tree))
        header = self.tree.horizontalHeader()
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(48)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._show_column_menu)
        self.empty_label = QLabel(self.tree.viewport())
        self.empty_label.setObjectName("task-empty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: palette(placeholder-text); font-size: 14px; padding: 24px;")
        self.empty_label.hide()
        self.tree.viewport().installEventFilter(self)

        self.pause_action = self._action("pause", self._pause)
        self.resume_action = self._action("resume", self._resume)
        self.cancel_action = self._action("cancel", self._cancel)
        self.retry_action = self._action("retry", self._retry)
        self.reset_action = self._action("reset", self._reset_failed)
        self.force_action = self._action("redownload", self._confirm_force)
        self.open_file_action = self._action("play", self._open_file)
        self.open_folder_action = self._action("folder", self._open_folder)
        self.open_web_action = self._action("open", self._open_web)
        self.copy_link_action = self._action("copy", self._copy_links)
        self.notes_action = self._action("notes", self._make_notes)
        self.copy_link_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.open_folder_action.setShortcut(QKeySequence(Qt.Key.Key_Return))
        for action in (self.copy_link_action, self.open_folder_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.tree.addAction(action)
        self.confirm_box: QMessageBox | None = None
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        QShortcut(QKeySequence.StandardKey.Refresh, self, self.activated)

        self.state_label = QLabel()
        self.source_label = QLabel()
        self.state_label.setBuddy(self.state_combo)
        self.source_label.setBuddy(self.source_combo)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.state_label)
        bar.addWidget(self.state_combo)
        bar.addSpacing(6)
        bar.addWidget(self.source_label)
        bar.addWidget(self.source_combo)
        bar.addSpacing(6)
        bar.addWidget(self.search_edit, 1)
        bar.addSpacing(6)
        self.add_torrent_action = self._action("add", lambda: self.add_torrent())
        for action in (self.pause_action, self.resume_action, self.retry_action, self.open_folder_action,
                       self.add_torrent_action):  # fmt: skip
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.setSpacing(6)
        layout.addLayout(bar)
        # torrents: a detail pane under the list for the selected torrent, an add dialog, drops
        self.torrent_detail = TorrentDetail(bridge)
        self.torrent_detail.hide()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.torrent_detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        self.setAcceptDrops(True)
        footer = QHBoxLayout()
        footer.addWidget(self.legend_label)
        footer.addStretch(1)
        footer.addWidget(self.count_label)
        layout.addLayout(footer)

        self.state_combo.currentIndexChanged.connect(self._apply_filters)
        self.source_combo.currentIndexChanged.connect(self._apply_filters)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_edit.returnPressed.connect(self._apply_filters)
        self.tree.customContextMenuRequested.connect(self._show_menu)
        self.tree.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.model.demand = self._needs_rows
        self.tree.selectionModel().selectionChanged.connect(self.update_actions)
        self.tree.selectionModel().selectionChanged.connect(self._follow_torrent)
        self.model.dataChanged.connect(self._data_changed)
        self.model.rowsRemoved.connect(self.update_actions)
        for signal in (self.model.totalChanged, self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            signal.connect(self._update_count)
        bridge.stateChanged.connect(self._on_state_changed)

        self._started = False
        self.retranslate()
        self.update_actions()

    # ------------------------------------------------------------ texts

    def title(self) -> str:
        return self.tr("Tasks")

    def retranslate(self) -> None:
        self.model.retranslate()  # first: the state filter's words come from the model
        self.state_label.setText(self.tr("&State"))
        self.source_label.setText(self.tr("S&ource"))
        self.state_combo.setItemText(0, self.tr("All states"))
        self.state_combo.setItemText(1, self.tr("Active"))
        self.state_combo.setItemData(1, self.tr("Only the videos downloading now"), Qt.ItemDataRole.ToolTipRole)
        for row, state in enumerate(FILTER_STATES, start=2):
            self.state_combo.setItemText(row, self.model.state_word(state))
        self.source_combo.setItemText(0, self.tr("All sources"))
        self.search_edit.setPlaceholderText(self.tr("Search title or id"))
        self.search_edit.setToolTip(self.tr("Search titles and ids, e.g. a BV id (Ctrl+F)"))
        texts = {
            self.pause_action: (self.tr("Pause"), self.tr("Stop downloading; partial files are kept")),
            self.add_torrent_action: (self.tr("Add torrent…"), self.tr("Add a .torrent file or a magnet link")),
            self.resume_action: (self.tr("Resume"), self.tr("Continue downloading now")),
            self.cancel_action: (self.tr("Cancel"), self.tr("Stop, delete partial files and skip until retried")),
            self.retry_action: (
                self.tr("Retry"),
                self.tr("Fresh attempts for failed, paused or cancelled videos, starting now"),
            ),
            self.reset_action: (self.tr("Reset failed"), self.tr("Failed sub-tasks start over now")),
            self.force_action: (self.tr("Force re-download…"), self.tr("Fetch everything again, even finished files")),
            self.open_file_action: (self.tr("Open file"), self.tr("Play the downloaded video")),
            self.open_folder_action: (self.tr("Open folder"), self.tr("Show the video's folder")),
            self.open_web_action: (self.tr("Open on Bilibili"), self.tr("Open the video's page in the browser")),
            self.copy_link_action: (self.tr("Copy link"), self.tr("Copy the Bilibili links of the selection")),
            self.notes_action: (self.tr("Make notes…"), self.tr("Turn the selected videos into notes with an LLM")),
        }
        for action, (text, tip) in texts.items():
            action.setText(text)
            action.setToolTip(tip)
            action.setStatusTip(tip)
        legend = "  ·  ".join(f"{badge} {name}" for badge, name in self.model.subtask_legend())
        self.legend_label.setText(self.tr("Sub-tasks: %1").replace("%1", legend))
        self.fit_subtasks_column()
        self._update_count()

    def fit_subtasks_column(self) -> None:
        """As wide as the fullest row of badges and the column's name, in this font and
        language: a fixed width cut the last badges off with larger fonts."""
        header = self.tree.horizontalHeader()
        name = self.model.headerData(Column.SUBTASKS, Qt.Orientation.Horizontal)
        title = header.fontMetrics().horizontalAdvance(name) + 24  # the section's padding
        header.resizeSection(Column.SUBTASKS, max(chips_width(BADGES_PER_ROW, self.tree.font()), title))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.model.update_colors()
            self.model.thumbnails.palette_changed()
        elif event.type() == QEvent.Type.FontChange:
            self.fit_subtasks_column()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        self.model.thumbnails.set_device_pixel_ratio(self.devicePixelRatioF())
        if not self._started:  # nothing is read before the page is first opened
            self._started = True
            self._load_sources()
            self.model.reload()
        super().showEvent(event)

    def activated(self) -> None:
        if self._started and not self.model.busy:  # the first opening is already reading
            self._load_sources()
            self.model.refresh()

    # ------------------------------------------------------------ filters

    def _needs_rows(self) -> bool:
        """Whether the loaded rows end less than READ_AHEAD_ROWS below the visible part."""
        row_height = self.tree.verticalHeader().defaultSectionSize()  # every row has this height
        shown_to = self.tree.verticalScrollBar().value() + self.tree.viewport().height()
        return self.model.rowCount() * row_height - shown_to < READ_AHEAD_ROWS * row_height

    def _scrolled(self) -> None:
        root = QModelIndex()
        if self.model.canFetchMore(root):  # read ahead before the end is reached
            self.model.fetchMore(root)

    def _focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _apply_filters(self) -> None:
        self._search_timer.stop()
        self.model.set_filters(
            state=self.state_combo.currentData(),
            source_id=self.source_combo.currentData(),
            search=self.search_edit.text(),
        )
        self.update_actions()

    def _load_sources(self) -> None:
        self.bridge.run(self.bridge.engine.sources(), what=self.tr("Loading sources"), done=self._sources_arrived)

    def _sources_arrived(self, views: list[SourceView]) -> None:
        names = {view.id: view.name for view in views}
        self.model.set_source_names(names)
        current = self.source_combo.currentData()
        self.source_combo.blockSignals(True)
        while self.source_combo.count() > 1:
            self.source_combo.removeItem(1)
        for source_id, name in names.items():
            self.source_combo.addItem(name, source_id)
        position = self.source_combo.findData(current) if current is not None else 0
        self.source_combo.setCurrentIndex(max(position, 0))
        self.source_combo.blockSignals(False)
        if current is not None and position < 0:
            self._apply_filters()  # the chosen source was removed

    def _on_state_changed(self, what: str) -> None:
        if what == "sources":
            self._load_sources()

    def _update_count(self) -> None:
        model = self.model
        locale = QLocale()
        total = model.total
        if total is None:
            self.count_label.setText(self.tr("Counting…"))
        elif model.loaded >= total or model.exhausted:
            self.count_label.setText(
                self.tr("1 video") if total == 1 else self.tr("%1 videos").replace("%1", locale.toString(total))
            )
        else:
            self.count_label.setText(
                self.tr("Showing %1 of %2")
                .replace("%1", locale.toString(model.loaded))
                .replace("%2", locale.toString(total))
            )
        empty = model.rowCount() == 0 and total == 0
        if empty:
            if model.has_filters:
                self.empty_label.setText(self.tr("No videos match these filters."))
            else:
                self.empty_label.setText(
                    self.tr("No videos yet — add a source on the Sources page; its videos appear here as it syncs.")
                )
            self._place_empty_label()
        self.empty_label.setVisible(empty)

    def _place_empty_label(self) -> None:
        self.empty_label.setGeometry(self.tree.viewport().rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree.viewport() and event.type() == QEvent.Type.Resize:
            self._place_empty_label()
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------ selection and actions

    def _action(self, icon_name: str, slot: Callable[[], None]) -> QAction:
        action = QAction(icon(icon_name), "", self)
        action.triggered.connect(slot)
        return action

    def selected_videos(self) -> list[VideoEntry]:
        """The selected videos (a selected part counts as its video), each once, top to bottom."""
        seen: dict[int, VideoEntry] = {}
        for index in sorted(self.tree.selectionModel().selectedRows(0), key=QModelIndex.row):
            video = self.model.video(index)
            if video is not None and video.id not in seen:
                seen[video.id] = video
        return list(seen.values())

    def _single_selection(self) -> tuple[VideoEntry, PageEntry | None] | None:
        rows = self.tree.selectionModel().selectedRows(0)
        if len(rows) != 1:
            return None
        video = self.model.video(rows[0])
        return None if video is None else (video, self.model.page(rows[0]))

    def update_actions(self) -> None:
        videos = self.selected_videos()
        states = [video_state(v) for v in videos]
        single = self._single_selection()
        self.pause_action.setEnabled(any(s in RUNNING for s in states))
        self.resume_action.setEnabled("paused" in states)
        self.cancel_action.setEnabled(any(s in (*RUNNING, "paused", "failed") for s in states))
        self.retry_action.setEnabled(any(self._can_retry(v) for v in videos))
        self.reset_action.setEnabled(any(s in ("failed", "retrying") for s in states))
        self.force_action.setEnabled(any(v.state not in UNFETCHABLE for v in videos))
        self.open_file_action.setEnabled(single is not None and self._file_of(*single) is not False)
        self.open_folder_action.setEnabled(single is not None and bool(single[0].path))
        self.open_web_action.setEnabled(0 < len(videos) <= MAX_BROWSER_TABS and any(v.url for v in videos))
        self.copy_link_action.setEnabled(any(v.url for v in videos))
        self.notes_action.setEnabled(bool(videos))

    def _data_changed(self, _first: QModelIndex, _last: QModelIndex, roles: list[int]) -> None:
        # progress never changes which actions apply (downloading and pending are both running)
        if PROGRESS_ROLE not in roles and self.tree.selectionModel().hasSelection():
            self.update_actions()

    @staticmethod
    def _can_retry(video: VideoEntry) -> bool:
        state = video_state(video)
        return state in ("failed", "retrying", "paused", "cancelled")

    @staticmethod
    def _file_of(video: VideoEntry, page: PageEntry | None) -> str | None | bool:
        """The media file to open: a path, None when it must be looked up, False when there is none."""
        if page is not None:
            return page.path or False
        if video.pages is not None:
            files = [p.path for p in video.pages if p.path]
            return files[0] if len(files) == 1 else False
        return None if video.children == 1 and video.path else False

    def _show_menu(self, position: QPoint) -> None:
        index = self.tree.indexAt(position)
        if index.isValid() and not self.tree.selectionModel().isRowSelected(index.row(), index.parent()):
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self.tree.selectionModel().setCurrentIndex(index, flags)
        self.update_actions()
        menu = QMenu(self)
        menu.setObjectName("task-menu")
        menu.addActions([self.pause_action, self.resume_action, self.cancel_action])
        menu.addSeparator()
        menu.addActions([self.retry_action, self.reset_action, self.force_action])
        menu.addSeparator()
        menu.addActions([self.open_file_action, self.open_folder_action, self.open_web_action, self.copy_link_action])
        torrents = [v.id for v in self.selected_videos() if v.kind == "torrent"]
        playlists = TaskPlaylistMenu(self.bridge, self.selected_links, lambda: torrents, menu)
        playlists.setEnabled(bool(self.selected_links()) or bool(torrents))
        menu.addMenu(playlists)
        if torrents:
            menu.addMenu(TorrentMenu(self.bridge, torrents, self, menu))
        menu.addSeparator()
        menu.addAction(self.notes_action)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.tree.viewport().mapToGlobal(position))  # popup, not exec: the loop keeps running

    def _make_notes(self) -> None:
        from desktop.panels.notes import open_note_batch_dialog

        open_note_batch_dialog(self.bridge, self, [f"task:{v.id}" for v in self.selected_videos()])

    def _show_column_menu(self, position: QPoint) -> None:
        header = self.tree.horizontalHeader()
        menu = QMenu(self)
        menu.setObjectName("column-menu")
        for column in Column:
            if column == Column.TITLE:
                continue  # the title always stays
            action = menu.addAction(self.model.headerData(column, Qt.Orientation.Horizontal))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.toggled.connect(lambda shown, column=column: header.setSectionHidden(column, not shown))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(header.mapToGlobal(position))

    def _run(self, videos: list[VideoEntry], what: str, call: Callable[[list[int]], Coroutine[Any, Any, Any]]) -> None:
        ids = [v.id for v in videos]
        if not ids:
            return
        self.bridge.run(
            call(ids),
            what=what,
            done=lambda _result: self.model.refresh_videos(ids),
        )

    def _pause(self) -> None:
        chosen = [v for v in self.selected_videos() if video_state(v) in RUNNING]
        self._run(chosen, self.tr("Pausing"), self.bridge.engine.pause_tasks)

    def _resume(self) -> None:
        chosen = [v for v in self.selected_videos() if video_state(v) == "paused"]
        self._run(chosen, self.tr("Resuming"), self.bridge.engine.resume_tasks)

    def _cancel(self) -> None:
        chosen = [v for v in self.selected_videos() if video_state(v) in (*RUNNING, "paused", "failed")]
        self._run(chosen, self.tr("Cancelling"), self.bridge.engine.cancel_tasks)

    def _retry(self) -> None:
        chosen = [v for v in self.selected_videos() if self._can_retry(v)]
        self._run(chosen, self.tr("Retrying"), self.bridge.engine.retry_tasks)

    def _reset_failed(self) -> None:
        chosen = [v for v in self.selected_videos() if video_state(v) in ("failed", "retrying")]
        engine = self.bridge.engine
        self._run(chosen, self.tr("Resetting failed sub-tasks"), lambda ids: engine.reset_tasks(task_ids=ids))

    def _confirm_force(self) -> None:
        chosen = [v for v in self.selected_videos() if v.state not in UNFETCHABLE]
        if not chosen:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Force re-download"), "", parent=self)
        box.setObjectName("force-confirm")
        if len(chosen) == 1:
            box.setText(self.tr("Download “%1” again from scratch?").replace("%1", chosen[0].title))
        else:
            box.setText(self.tr("Download %1 videos again from scratch?").replace("%1", str(len(chosen))))
        box.setInformativeText(self.tr("Every file is fetched again, starting now, even finished ones."))
        yes = box.addButton(self.tr("Re-download"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        engine = self.bridge.engine

        def answered() -> None:
            if box.clickedButton() is yes:
                self._run(chosen, self.tr("Re-downloading"), lambda ids: engine.reset_tasks(force=True, task_ids=ids))
            self.confirm_box = None
            box.deleteLater()

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()  # window-modal without a nested event loop

    def _open_file(self) -> None:
        single = self._single_selection()
        if single is None:
            return
        video, page = single
        path = self._file_of(video, page)
        if isinstance(path, str):
            self._open_path(path)
        elif path is None:
            self.bridge.run(
                self.bridge.engine.task_children(video.id),
                what=self.tr("Open file"),
                done=self._open_first_file,
            )

    def _open_first_file(self, pages: list[TaskView]) -> None:
        files = [p.path for p in pages if p.path]
        if files:
            self._open_path(files[0])
        else:
            self.bridge.errorRaised.emit(self.tr("Open file"), self.tr("This video has no downloaded file yet."))

    def _open_path(self, path: str) -> None:
        if not Path(path).exists():
            self.bridge.errorRaised.emit(
                self.tr("Open file"), self.tr("The file is no longer at %1").replace("%1", path)
            )
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))

    def _open_folder(self) -> None:
        single = self._single_selection()
        if single is None or not single[0].path:
            return
        self.bridge.run(
            self.bridge.engine.task_folder(single[0].id),
            what=self.tr("Open folder"),
            done=self._open_folder_path,
        )

    def _open_folder_path(self, folder: Path | None) -> None:
        if folder is None or not folder.is_dir():
            self.bridge.errorRaised.emit(self.tr("Open folder"), self.tr("Nothing of this video is on disk yet."))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def add_torrent(self, text: str = "") -> None:
        dialog = AddTorrentDialog(self.bridge, text, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if dropped_torrent(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        if text := dropped_torrent(event):
            event.acceptProposedAction()
            self.add_torrent(text)

    def _follow_torrent(self) -> None:
        chosen = self.selected_videos()
        torrent = chosen[0].id if len(chosen) == 1 and chosen[0].kind == "torrent" else None
        self.torrent_detail.setVisible(torrent is not None)
        self.torrent_detail.show_torrent(torrent)

    def selected_links(self) -> list[str]:
        links: list[str] = []
        for index in sorted(self.tree.selectionModel().selectedRows(0), key=QModelIndex.row):
            video = self.model.video(index)
            if video is None:
                continue
            link = video.url
            if link and link not in links:
                links.append(link)
        return links

    def _open_web(self) -> None:
        for link in self.selected_links()[:MAX_BROWSER_TABS]:
            QDesktopServices.openUrl(QUrl(link))

    def _copy_links(self) -> None:
        links = self.selected_links()
        if links:
            QGuiApplication.clipboard().setText("\n".join(links))
