"""The Sources panel: what SyncDeck keeps in sync, each with its switch, folder and counts.

The table refreshes from `Engine.sources()` whenever the engine says sources or videos
changed, when a round starts or ends, and while a round runs; refreshes are throttled to one
a second so a busy round does not keep the database and the view busy.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    QUrl,
)
from PySide6.QtGui import QAction, QColor, QDesktopServices, QKeyEvent, QKeySequence, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from core.engine.engine import RoundResult
from core.engine.views import SourceView
from core.events import RoundStarted
from desktop.bridge import EngineBridge
from desktop.dialogs import while_alive
from desktop.dialogs.add_source import AddSourceDialog
from desktop.dialogs.edit_source import EditSourceDialog
from desktop.models.sources import SORT_ROLE, Column, SourcesModel, muted_color
from desktop.panels.base import Panel
from desktop.resources import icon

REFRESH_INTERVAL_S = 1.0
CLOCK_INTERVAL_MS = 30_000  # relative times ("3 min ago") are re-read this often
COLUMN_WIDTHS = {
    Column.NAME: 180,
    Column.ACCOUNT: 80,
    Column.ENABLED: 60,
    Column.FOLDER: 150,
    Column.LAST_SCAN: 84,
    Column.NEXT_SCAN: 84,
    Column.DONE: 52,
    Column.PENDING: 62,
    Column.FAILED: 52,
    Column.REMOVED: 66,
}

_ModelIndex = QModelIndex | QPersistentModelIndex


class SwitchDelegate(QStyledItemDelegate):
    """The enabled column as an on/off switch: click it, or press Space on it."""

    TRACK = QSize(32, 18)

    def _track_rect(self, option: QStyleOptionViewItem) -> QRect:
        rect = QRect(QPoint(0, 0), self.TRACK)
        rect.moveCenter(option.rect.center())
        return rect

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _ModelIndex) -> None:
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.features &= ~QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
        style = option.widget.style() if option.widget is not None else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, background, painter, option.widget)
        on = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        palette = option.palette
        track = QRectF(self._track_rect(option))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        on_track, knob_color = palette.highlight().color(), QColor("#ffffff")
        if selected and on:  # on a highlighted row the usual "on" colour would vanish
            on_track, knob_color = palette.highlightedText().color(), palette.highlight().color()
        painter.setBrush(on_track if on else palette.mid().color())
        painter.drawRoundedRect(track, track.height() / 2, track.height() / 2)
        knob = track.height() - 4
        x = track.right() - knob - 2 if on else track.left() + 2
        painter.setBrush(knob_color)
        painter.drawEllipse(QRectF(x, track.top() + 2, knob, knob))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _ModelIndex) -> QSize:
        return QSize(self.TRACK.width() + 16, self.TRACK.height() + 8)

    def editorEvent(self, event: QEvent, model: Any, option: QStyleOptionViewItem, index: _ModelIndex) -> bool:
        if not index.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            return False
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseButtonRelease):
            assert isinstance(event, QMouseEvent)
            if event.button() != Qt.MouseButton.LeftButton:
                return False
            if not self._track_rect(option).adjusted(-6, -6, 6, 6).contains(event.position().toPoint()):
                return False
            if kind != QEvent.Type.MouseButtonRelease:
                return True  # as Qt's own check boxes: only the release toggles
        elif kind == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() not in (Qt.Key.Key_Space, Qt.Key.Key_Select):
                return False
        else:
            return False
        on = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        new_state = Qt.CheckState.Unchecked if on else Qt.CheckState.Checked
        return bool(model.setData(index, new_state.value, Qt.ItemDataRole.CheckStateRole))


class ElideMiddleDelegate(QStyledItemDelegate):
    """Paths keep both their start and their last folder visible."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: _ModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class SourcesProxy(QSortFilterProxyModel):
    """Sorting by the model's sort keys (numbers sort as numbers, names without case)."""

    def __init__(self, model: SourcesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(model)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)


class EmptyState(QWidget):
    """What an empty table says instead: what sources are and how to add the first."""

    def __init__(self, add: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline = QLabel()
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.headline.setFont(font)
        self.details = QLabel()
        self.details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details.setWordWrap(True)
        self.button = QPushButton()
        self.button.setObjectName("empty-add-source")
        self.button.clicked.connect(add.trigger)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.picture)
        layout.addSpacing(8)
        layout.addWidget(self.headline)
        centred = QHBoxLayout()  # up to 560 px wide, centred: a wrapped label needs the width given
        centred.addStretch(1)
        centred.addWidget(self.details, 100)
        centred.addStretch(1)
        layout.addLayout(centred)
        layout.addSpacing(12)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(3)

    def retranslate(self) -> None:
        self.picture.setPixmap(icon("sources").pixmap(56, 56))
        self.headline.setText(self.tr("No sources yet — paste a Bilibili link to add one"))
        self.details.setText(
            self.tr(
                "A source is a favorites folder, a collection or series, an UP's uploads, your watch later "
                "list or a bangumi. SyncDeck keeps a copy of its videos in your library and checks it for "
                "new ones on schedule."
            )
        )
        self.details.setStyleSheet(f"color: {muted_color().name()};")
        self.details.setMaximumWidth(560)
        self.button.setText(self.tr("Add source…"))
        self.button.setIcon(icon("add"))


class SourcesPanel(Panel):
    key = "sources"
    icon_name = "sources"

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self.model = SourcesModel(self)
        self.proxy = SourcesProxy(self.model, self)
        self.view = self._build_view()

        self.add_action = self._action("add", QKeySequence.StandardKey.New, self.add_source)
        self.sync_action = self._action("sync", QKeySequence.StandardKey.Refresh, self.sync_now)
        self.toggle_action = self._action("pause", QKeySequence("Ctrl+D"), self.toggle_enabled)
        self.edit_action = self._action("edit", QKeySequence("Ctrl+E"), self.edit_selected)
        self.remove_action = self._action("remove", QKeySequence.StandardKey.Delete, self.remove_selected)
        self.open_action = self._action("folder", QKeySequence("Ctrl+O"), self.open_folder)

        self.toolbar = QToolBar()
        self.toolbar.setObjectName("sources-toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setIconSize(QSize(18, 18))
        self.toolbar.addActions([self.add_action, self.sync_action])
        self.toolbar.addSeparator()
        self.toolbar.addActions([self.toggle_action, self.edit_action, self.remove_action])
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.open_action)
        self.summary = QLabel()
        self.summary.setObjectName("sources-summary")
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.message = QLabel()  # feedback of the last action (e.g. "a round is already running")
        self._said: tuple[str | Callable[[], str], str] = ("", "")
        self.message.setObjectName("sources-message")
        footer = QHBoxLayout()  # under the table: what the last action did, and the totals
        footer.setContentsMargins(4, 0, 4, 0)
        footer.addWidget(self.message, 1)
        footer.addSpacing(12)
        footer.addWidget(self.summary)

        self.empty = EmptyState(self.add_action)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.stack, 1)
        layout.addLayout(footer)

        self.add_dialog: AddSourceDialog | None = None
        self.edit_dialog: EditSourceDialog | None = None
        self.remove_box: QMessageBox | None = None
        self.notice_box: QMessageBox | None = None

        self._loading = False
        self._stale = False
        self._last_load = 0.0
        self._select_after_load: int | None = None  # a source just added, selected once it is listed
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.timeout.connect(self._load)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self.model.refresh_times)
        self._clock.start(CLOCK_INTERVAL_MS)

        self.model.enabledToggled.connect(self._set_enabled)
        self.model.rowsInserted.connect(lambda *_: self._update_state())
        self.model.rowsRemoved.connect(lambda *_: self._update_state())
        self.model.dataChanged.connect(lambda *_: self._update_actions())
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.customContextMenuRequested.connect(self._context_menu)

        bridge.stateChanged.connect(self._state_changed)
        bridge.roundStarted.connect(self._round_started)
        bridge.sourceActivity.connect(self.model.source_event)
        bridge.roundFinished.connect(self._round_finished)
        for progress in (bridge.sourceScanned, bridge.taskFinished, bridge.taskAdded):
            progress.connect(self._round_progressed)
        bridge.busyChanged.connect(self._busy_changed)

        self.retranslate()
        self._update_state()
        QTimer.singleShot(0, self._first_load)  # once the loop runs: the first load is asynchronous too

    # ------------------------------------------------------------ building

    def _build_view(self) -> QTableView:
        view = QTableView()
        view.setObjectName("sources-table")
        view.setModel(self.proxy)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setSortingEnabled(True)
        view.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
        view.setAlternatingRowColors(True)
        view.setShowGrid(False)
        view.setWordWrap(False)
        view.setIconSize(QSize(18, 18))
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(32)
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(40)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(Column.ENABLED, QHeaderView.ResizeMode.Fixed)
        view.setItemDelegateForColumn(Column.ENABLED, SwitchDelegate(view))
        view.setItemDelegateForColumn(Column.FOLDER, ElideMiddleDelegate(view))
        return view

    def _action(self, icon_name: str, shortcut: QKeySequence | QKeySequence.StandardKey, slot: Any) -> QAction:
        action = QAction(icon(icon_name), "", self)
        action.setShortcut(shortcut)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    # ------------------------------------------------------------ texts

    def title(self) -> str:
        return self.tr("Sources")

    def retranslate(self) -> None:
        if hasattr(self, "_said"):
            self._show_said()
        self.add_action.setText(self.tr("Add source…"))
        self.add_action.setToolTip(self.tr("Add a source from a Bilibili link (Ctrl+N)"))
        self.sync_action.setText(self.tr("Sync now"))
        self.edit_action.setText(self.tr("Edit…"))
        self.remove_action.setText(self.tr("Remove…"))
        self.open_action.setText(self.tr("Open folder"))
        self.empty.retranslate()
        self.model.retranslate()
        self._update_actions()
        self._update_summary()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._reload_icons()
        super().changeEvent(event)

    def _reload_icons(self) -> None:
        for action, name in (
            (self.add_action, "add"),
            (self.sync_action, "sync"),
            (self.edit_action, "edit"),
            (self.remove_action, "remove"),
            (self.open_action, "folder"),
        ):
            action.setIcon(icon(name))
        self.model.retranslate()
        self.empty.retranslate()
        self._update_actions()

    def activated(self) -> None:
        self.request_refresh()

    def say(self, text: str | Callable[[], str], details: str = "") -> None:
        """Feedback on the last action, beside the toolbar; the details (or the whole text,
        when it is cut off) in its tooltip. Given as a function, the text is made again in the
        new language when the language is switched."""
        self._said = (text, details)
        self._show_said()

    def _show_said(self) -> None:
        text, details = self._said
        shown = text() if callable(text) else text
        self.message.setText(shown)
        self.message.setToolTip(details or shown)

    # ------------------------------------------------------------ refreshing

    def refresh(self) -> None:
        """Load the rows now (or as soon as the load under way has finished)."""
        self.request_refresh(immediate=True)

    def _first_load(self) -> None:
        if not self.model.loaded and not self._loading:  # unless activated() got there first
            self._load()

    def request_refresh(self, *, immediate: bool = False) -> None:
        if self._loading:
            self._stale = True
            return
        wait = REFRESH_INTERVAL_S - (time.monotonic() - self._last_load)
        if immediate or wait <= 0:
            self._load()
        elif not self._refresh_timer.isActive():
            self._refresh_timer.start(int(wait * 1000) + 1)

    def _load(self) -> None:
        self._refresh_timer.stop()
        self._loading = True
        self._stale = False
        self._last_load = time.monotonic()
        self.bridge.run(
            self.bridge.engine.sources(),
            what=self.tr("Loading sources"),
            done=while_alive(self, self._loaded),
            failed=while_alive(self, self._load_failed),
        )

    def _loaded(self, views: list[SourceView]) -> None:
        self._loading = False
        self.model.set_views(views)
        self._update_state()
        if self._select_after_load is not None and self.model.row_of(self._select_after_load) is not None:
            self.select_source(self._select_after_load)
            self._select_after_load = None
        if self._stale:
            self.request_refresh()

    def _load_failed(self, message: str) -> None:
        self._loading = False
        self.say(lambda: self.tr("Could not load the sources: %1").replace("%1", message))
        if self._stale:
            self.request_refresh()

    def _state_changed(self, what: str) -> None:
        if what in ("sources", "tasks", "accounts"):
            self.request_refresh()

    def _round_started(self, event: RoundStarted) -> None:
        self.model.set_syncing(event.source_ids)
        self._update_actions()
        self.request_refresh()

    def _round_progressed(self, _event: object) -> None:
        self.request_refresh()  # throttled: a busy round sends many of these

    def _busy_changed(self, _busy: bool) -> None:
        self._update_actions()

    def _round_finished(self, _event: object) -> None:
        self.model.set_syncing(())
        self._update_actions()
        self.request_refresh(immediate=True)

    # ------------------------------------------------------------ state of the widgets

    def _update_state(self) -> None:
        empty = self.model.loaded and self.model.rowCount() == 0
        self.stack.setCurrentWidget(self.empty if empty else self.view)
        self._update_actions()
        self._update_summary()

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_actions()

    def _update_summary(self) -> None:
        views = self.model.views()
        if not views:
            self.summary.clear()
            return
        enabled = sum(1 for v in views if self.model.is_enabled(v))
        done = sum(v.done for v in views)
        parts = [
            self.tr("%n source", "", 1) if len(views) == 1 else self.tr("%n sources", "", len(views)),
            self.tr("%n enabled", "", enabled),
            self.tr("%n video done", "", 1) if done == 1 else self.tr("%n videos done", "", done),
        ]
        failed = sum(v.failed for v in views)
        if failed:
            parts.append(self.tr("%n failed", "", failed))
        self.summary.setText(" · ".join(parts))

    def _update_actions(self) -> None:
        selected = self.selected_views()
        one = len(selected) == 1
        busy = self.bridge.round_running
        self.sync_action.setEnabled(not busy and self.model.rowCount() > 0)
        if busy:
            self.sync_action.setToolTip(self.tr("A sync round is running"))
        elif selected:
            self.sync_action.setToolTip(self.tr("Sync the selected sources now (F5)"))
        else:
            self.sync_action.setToolTip(self.tr("Run a sync round of all enabled sources now (F5)"))
        self.toggle_action.setEnabled(bool(selected))
        if selected and all(self.model.is_enabled(v) for v in selected):
            self.toggle_action.setText(self.tr("Disable"))
            self.toggle_action.setIcon(icon("pause"))
            self.toggle_action.setToolTip(self.tr("Skip the selected sources in scheduled rounds (Ctrl+D)"))
        else:
            self.toggle_action.setText(self.tr("Enable"))
            self.toggle_action.setIcon(icon("resume"))
            self.toggle_action.setToolTip(self.tr("Sync the selected sources in scheduled rounds (Ctrl+D)"))
        self.edit_action.setEnabled(one)
        self.edit_action.setToolTip(self.tr("Change the name, folder, account or filter (Ctrl+E)"))
        self.remove_action.setEnabled(bool(selected))
        self.remove_action.setToolTip(self.tr("Remove the selected sources (Delete)"))
        self.open_action.setEnabled(one)
        self.open_action.setToolTip(self.tr("Open the source's folder (double-click a row)"))

    # ------------------------------------------------------------ selection

    def selected_views(self) -> list[SourceView]:
        rows = sorted({self.proxy.mapToSource(index).row() for index in self.view.selectionModel().selectedRows()})
        return [self.model.view_at(row) for row in rows if 0 <= row < self.model.rowCount()]

    def select_source(self, source_id: int) -> None:
        row = self.model.row_of(source_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, Column.NAME))
        self.view.selectRow(index.row())
        self.view.scrollTo(index)

    # ------------------------------------------------------------ actions

    def add_source(self) -> AddSourceDialog:
        if self.add_dialog is not None and self.add_dialog.isVisible():
            self.add_dialog.raise_()
            self.add_dialog.activateWindow()
            return self.add_dialog
        dialog = AddSourceDialog(self.bridge, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sourceAdded.connect(self._source_added)
        dialog.finished.connect(self._add_dialog_closed)
        self.add_dialog = dialog
        dialog.open()
        return dialog

    def _add_dialog_closed(self, _result: int) -> None:
        self.add_dialog = None

    def _source_added(self, source: SourceView) -> None:
        self.say(lambda: self.tr("Added “%1”").replace("%1", source.name))
        self._select_after_load = source.id
        self.request_refresh(immediate=True)

    def sync_now(self) -> None:
        if self.bridge.round_running:
            return
        ids = [v.id for v in self.selected_views()] or None
        self.say(lambda: self.tr("Syncing…"))
        self.bridge.run(
            self.bridge.engine.sync(ids),
            what=self.tr("Sync now"),
            done=while_alive(self, self._synced),
            failed=while_alive(self, self._sync_failed),
        )
        self.sync_action.setEnabled(False)

    def _synced(self, result: RoundResult) -> None:
        if result.outcome == "busy":
            self.say(lambda: self.tr("A sync round is already running"))
        elif result.outcome == "done":
            self.say(lambda: self.tr("Sync finished: %n downloaded", "", result.downloaded))
        else:

            def ended() -> str:
                reason = {
                    "failed": self.tr("with failures"),
                    "risk_control": self.tr("risk control"),
                    "login_expired": self.tr("login expired"),
                    "cancelled": self.tr("cancelled"),
                }.get(result.outcome, result.outcome)
                return (
                    self.tr("Sync ended (%1): %2 downloaded, %3 failed")
                    .replace("%1", reason)
                    .replace("%2", str(result.downloaded))
                    .replace("%3", str(result.failed))
                )

            self.say(ended, "\n".join(result.messages))
        self._update_actions()
        self.request_refresh(immediate=True)

    def _sync_failed(self, message: str) -> None:
        self.say(lambda: self.tr("Sync failed"), message)
        self.bridge.errorRaised.emit(self.tr("Sync now"), message)
        self._update_actions()

    def toggle_enabled(self) -> None:
        selected = self.selected_views()
        if not selected:
            return
        wanted = not all(self.model.is_enabled(v) for v in selected)
        for view in selected:
            row = self.model.row_of(view.id)
            if row is not None:
                check = Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked
                self.model.setData(self.model.index(row, Column.ENABLED), check.value, Qt.ItemDataRole.CheckStateRole)

    def _set_enabled(self, source_id: int, enabled: bool) -> None:
        self._update_actions()
        self._update_summary()
        self.bridge.run(
            self.bridge.engine.set_enabled(source_id, enabled),
            what=self.tr("Enable source") if enabled else self.tr("Disable source"),
            failed=while_alive(self, self._toggle_failed),
        )

    def _toggle_failed(self, message: str) -> None:
        self.bridge.errorRaised.emit(self.tr("Could not switch the source"), message)
        self.request_refresh(immediate=True)  # show the state the engine really has

    def edit_selected(self) -> EditSourceDialog | None:
        selected = self.selected_views()
        if len(selected) != 1:
            return None
        dialog = EditSourceDialog(self.bridge, selected[0], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sourceChanged.connect(lambda _id: self.request_refresh(immediate=True))
        dialog.finished.connect(self._edit_dialog_closed)
        self.edit_dialog = dialog
        dialog.open()
        return dialog

    def _edit_dialog_closed(self, _result: int) -> None:
        self.edit_dialog = None

    def remove_selected(self) -> QMessageBox | None:
        selected = self.selected_views()
        if not selected:
            return None
        box = QMessageBox(self)
        box.setObjectName("remove-source-box")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Remove source") if len(selected) == 1 else self.tr("Remove sources"))
        if len(selected) == 1:
            box.setText(self.tr("Remove “%1”?").replace("%1", selected[0].name))
        else:
            box.setText(self.tr("Remove %n sources?", "", len(selected)))
        box.setInformativeText(
            self.tr(
                "SyncDeck stops syncing and forgets the tasks. The videos it downloaded can stay in "
                "the folder, or be deleted from disk."
            )
        )
        box.setDetailedText("\n".join(f"{v.name}: {v.path}" for v in selected))
        keep = box.addButton(self.tr("Remove and keep files"), QMessageBox.ButtonRole.AcceptRole)
        delete = box.addButton(self.tr("Remove and delete files"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        keep.setObjectName("remove-keep-files")
        delete.setObjectName("remove-delete-files")
        box.setDefaultButton(keep)
        box.setEscapeButton(cancel)
        ids = [v.id for v in selected]

        def answered(button: object) -> None:
            if button is keep:
                self._remove(ids, delete_files=False)
            elif button is delete:
                self._remove(ids, delete_files=True)

        box.buttonClicked.connect(answered)
        box.finished.connect(self._remove_box_closed)
        box.finished.connect(box.deleteLater)
        self.remove_box = box
        box.open()
        return box

    def _remove_box_closed(self, _result: int) -> None:
        self.remove_box = None

    def _remove(self, source_ids: Sequence[int], *, delete_files: bool) -> None:
        engine = self.bridge.engine

        async def remove_all() -> None:
            for source_id in source_ids:
                await engine.remove_source(source_id, delete_files=delete_files)

        self.say(lambda: self.tr("Removing…"))
        self.bridge.run(
            remove_all(),
            what=self.tr("Remove source") if len(source_ids) == 1 else self.tr("Remove sources"),
            done=while_alive(self, lambda _none: self._removed(len(source_ids), delete_files)),
            failed=while_alive(self, self._remove_failed),
        )

    def _removed(self, count: int, delete_files: bool) -> None:
        def text() -> str:
            if count == 1:
                return (
                    self.tr("Removed the source and its files")
                    if delete_files
                    else self.tr("Removed the source; its files were kept")
                )
            if delete_files:
                return self.tr("Removed %n sources and their files", "", count)
            return self.tr("Removed %n sources; their files were kept", "", count)

        self.say(text)
        self.request_refresh(immediate=True)

    def _remove_failed(self, message: str) -> None:
        self.say("")
        self.bridge.errorRaised.emit(self.tr("Could not remove the source"), message)
        self.request_refresh(immediate=True)

    def open_folder(self) -> None:
        selected = self.selected_views()
        if len(selected) != 1:
            return
        self._open_folder_of(selected[0])

    def _open_folder_of(self, view: SourceView) -> None:
        folder = Path(view.path)
        if folder.is_dir():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
            return
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Open folder"),
            self.tr("The folder of “%1” does not exist yet.").replace("%1", view.name),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("folder-missing-box")
        box.setInformativeText(
            self.tr("It is created when the first video of this source is downloaded:\n%1").replace("%1", str(folder))
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.finished.connect(self._notice_box_closed)
        box.finished.connect(box.deleteLater)
        self.notice_box = box
        box.open()

    def _notice_box_closed(self, _result: int) -> None:
        self.notice_box = None

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() == Column.ENABLED:
            return  # a double-click on the switch only switches
        row = self.proxy.mapToSource(index).row()
        if 0 <= row < self.model.rowCount():
            self._open_folder_of(self.model.view_at(row))

    def _context_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        menu.setObjectName("sources-menu")
        if self.view.indexAt(position).isValid():
            menu.addActions([self.sync_action, self.toggle_action])
            menu.addSeparator()
            menu.addActions([self.open_action, self.edit_action])
            menu.addSeparator()
            menu.addAction(self.remove_action)
            menu.addSeparator()
        menu.addAction(self.add_action)
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.view.viewport().mapToGlobal(position))
