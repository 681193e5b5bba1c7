"""Notes: batches of notes made from videos, their tasks, and the notes themselves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from core.engine.notes.events import NoteBatchChanged, NoteBatchFinished, NoteTaskChanged
from core.engine.notes.views import NoteBatchView, NoteTaskView
from core.events import Event
from desktop.bridge import EngineBridge
from desktop.dialogs import while_alive
from desktop.dialogs.new_note_batch import NewNoteBatchDialog
from desktop.models.notes import BatchColumn, BatchesModel, NoteTasksModel, ProgressRole, TaskColumn, ViewRole
from desktop.panels.base import Panel
from desktop.resources import icon
from desktop.widgets.note_viewer import NoteViewer

REFRESH_MS = 250  # at most four refreshes a second, however many tasks report progress


class FractionBarDelegate(QStyledItemDelegate):
    """The style's progress bar for a 0..1 fraction (ProgressRole), with its percent."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        value = index.data(ProgressRole)
        if value is None:
            super().paint(painter, option, index)
            return
        cell = option.rect  # type: ignore[attr-defined]
        bar = QStyleOptionProgressBar()
        bar.initFrom(option.widget)  # type: ignore[attr-defined]
        bar.rect = cell.adjusted(4, 3, -4, -3)
        # without the horizontal flag the style fills the bar from the bottom like a vertical one
        bar.state = option.state | QStyle.StateFlag.State_Horizontal  # type: ignore[attr-defined]
        bar.minimum, bar.maximum = 0, 1000
        bar.progress = max(0, min(1000, int(value * 1000)))
        bar.text = f"{value * 100:.0f}%"
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        style = option.widget.style() if option.widget else QApplication.style()  # type: ignore[attr-defined]
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)  # type: ignore[attr-defined]


def open_note_batch_dialog(bridge: EngineBridge, parent: QWidget, inputs: list[str]) -> NewNoteBatchDialog:
    """The "Make notes" dialog; on Start the batch is created and runs in the background."""
    dialog = NewNoteBatchDialog(bridge, inputs, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def start() -> None:
        values = dialog.values()
        inputs = values.pop("inputs")

        async def create_and_start() -> NoteBatchView:
            view = await bridge.engine.notes.create_batch(inputs, **values)
            return await bridge.engine.notes.start_batch(view.id)

        bridge.run(create_and_start(), what=dialog.tr("Make notes"))

    dialog.accepted.connect(start)
    dialog.open()
    return dialog


class NotesPanel(Panel):
    key = "notes"
    icon_name = "notes"
    # A timestamp in a note was clicked: play the video at that moment (seconds).
    playRequested = Signal(str, float)

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self.batches_model = BatchesModel(self)
        self.tasks_model = NoteTasksModel(self)
        self.batches = self._table(self.batches_model, "note-batches")
        self.tasks = self._table(self.tasks_model, "note-tasks")
        self.batches.setItemDelegateForColumn(BatchColumn.PROGRESS, FractionBarDelegate(self.batches))
        self.tasks.setItemDelegateForColumn(TaskColumn.PROGRESS, FractionBarDelegate(self.tasks))
        self.viewer = NoteViewer()
        self.viewer.timestampClicked.connect(self._play)
        self.hint = QLabel()
        self.hint.setObjectName("notes-empty")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(placeholder-text); padding: 8px;")

        self.toolbar = QToolBar()
        self.new_action = self._action("add", self.new_batch)
        self.pause_action = self._action("pause", lambda: self._verb("pause_batch"))
        self.resume_action = self._action("resume", lambda: self._verb("resume_batch"))
        self.cancel_action = self._action("cancel", lambda: self._verb("cancel_batch"))
        self.retry_action = self._action("retry", self._retry_failed)
        self.open_action = self._action("open", self._open_note_file)
        self.toolbar.addActions([self.new_action])
        self.toolbar.addSeparator()
        self.toolbar.addActions([self.pause_action, self.resume_action, self.cancel_action, self.retry_action])
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.open_action)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.tasks)
        lower.addWidget(self.viewer)
        lower.setSizes([520, 480])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.batches)
        split.addWidget(lower)
        split.setSizes([200, 440])
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.hint)
        layout.addWidget(split, 1)

        self.batches.selectionModel().currentRowChanged.connect(lambda *_: self._batch_chosen())
        self.tasks.selectionModel().currentRowChanged.connect(lambda *_: self._task_chosen())
        self._dirty = True
        self._refreshing = False
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._refresh_if_dirty)
        self._timer.start()
        unsubscribe = bridge.engine.bus.subscribe(self._on_event)
        self.destroyed.connect(lambda *_: unsubscribe())
        self.retranslate()
        self.update_actions()

    def _table(self, model: Any, name: str) -> QTableView:
        table = QTableView()
        table.setObjectName(name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setDefaultSectionSize(84)  # numbers and states; the first column takes the rest
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return table

    def _action(self, icon_name: str, slot: Any) -> QAction:
        action = QAction(icon(icon_name), "", self)
        action.triggered.connect(slot)
        return action

    def title(self) -> str:
        return self.tr("Notes")

    def retranslate(self) -> None:
        texts = {
            self.new_action: (self.tr("New batch…"), self.tr("Make notes of videos, folders or lists")),
            self.pause_action: (self.tr("Pause"), self.tr("Stop now; finished notes are kept")),
            self.resume_action: (self.tr("Resume"), self.tr("Continue where the batch stopped")),
            self.cancel_action: (self.tr("Cancel"), self.tr("Stop the batch for good")),
            self.retry_action: (self.tr("Retry failed"), self.tr("Give the failed videos another try")),
            self.open_action: (self.tr("Open note"), self.tr("Open the note file in its program")),
        }
        for action, (text, tip) in texts.items():
            action.setText(text)
            action.setToolTip(tip)
        self.hint.setText(self.tr("No notes yet. Choose New batch… to make notes of videos, or select videos in "
                                  "Tasks and choose Make notes."))  # fmt: skip
        self.batches_model.retranslate()
        self.tasks_model.retranslate()

    def activated(self) -> None:
        self._dirty = True

    # ------------------------------------------------------------ data

    def _on_event(self, event: Event) -> None:
        if isinstance(event, NoteTaskChanged | NoteBatchChanged | NoteBatchFinished):
            self._dirty = True

    def _refresh_if_dirty(self) -> None:
        if self._dirty and not self._refreshing and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        self._dirty = False
        self._refreshing = True
        notes = self.bridge.engine.notes
        chosen = self.current_batch()

        async def load() -> tuple[list[NoteBatchView], list[NoteTaskView] | None]:
            batches = await notes.batches()
            batch_id = chosen.id if chosen else (batches[0].id if batches else None)
            tasks = await notes.batch_tasks(batch_id) if batch_id is not None else None
            return batches, tasks

        def done(result: tuple[list[NoteBatchView], list[NoteTaskView] | None]) -> None:
            self._refreshing = False
            self.show_data(*result)

        def failed(message: str) -> None:
            self._refreshing = False
            self.bridge.errorRaised.emit(self.tr("Notes"), message)

        self.bridge.run(load(), what="notes", done=while_alive(self, done), failed=while_alive(self, failed))

    def show_data(self, batches: list[NoteBatchView], tasks: list[NoteTaskView] | None) -> None:
        chosen = self.current_batch()
        self.batches_model.set_rows(batches)
        self.hint.setVisible(not batches)
        row = self.batches_model.row_of(chosen.id) if chosen else (0 if batches else -1)
        if row >= 0 and self.batches.currentIndex().row() != row:
            self.batches.selectRow(row)
        current_task = self.current_task()
        self.tasks_model.set_rows(tasks or [])
        if current_task is not None:
            task_row = self.tasks_model.row_of(current_task.id)
            if task_row >= 0 and self.tasks.currentIndex().row() != task_row:
                self.tasks.selectRow(task_row)
        self.update_actions()

    def current_batch(self) -> NoteBatchView | None:
        index = self.batches.currentIndex()
        return self.batches_model.data(index, ViewRole) if index.isValid() else None  # type: ignore[no-any-return]

    def current_task(self) -> NoteTaskView | None:
        index = self.tasks.currentIndex()
        return self.tasks_model.data(index, ViewRole) if index.isValid() else None  # type: ignore[no-any-return]

    def _batch_chosen(self) -> None:
        self.tasks_model.set_rows([])
        self.viewer.show_note(None)
        self._dirty = True
        self.update_actions()

    def _task_chosen(self) -> None:
        task = self.current_task()
        self.update_actions()
        if task is None:
            self.viewer.show_note(None)
        elif task.state == "failed":
            self.viewer.show_text(self.tr("This video failed: %1").replace("%1", task.error))
        else:
            note = self.note_path(task)
            if note is None:
                self.viewer.show_note(None)
            elif self.viewer.path != note:
                self.viewer.show_note(note)

    @staticmethod
    def note_path(task: NoteTaskView) -> Path | None:
        return next((Path(p) for p in task.outputs if p.endswith(".md")), None)

    def update_actions(self) -> None:
        batch = self.current_batch()
        state = batch.state if batch else ""
        self.pause_action.setEnabled(state in ("running", "queued"))
        self.resume_action.setEnabled(state in ("paused", "queued") or (state == "running" and batch is not None
                                                                       and not batch.active))  # fmt: skip
        self.cancel_action.setEnabled(state in ("running", "queued", "paused"))
        self.retry_action.setEnabled(batch is not None and batch.failed > 0 and not batch.active)
        task = self.current_task()
        self.open_action.setEnabled(task is not None and bool(task.outputs))

    # ------------------------------------------------------------ actions

    def new_batch(self, inputs: list[str] | None = None) -> NewNoteBatchDialog:
        return open_note_batch_dialog(self.bridge, self, list(inputs or []))

    def _verb(self, method: str) -> None:
        batch = self.current_batch()
        if batch is None:
            return
        self.bridge.run(getattr(self.bridge.engine.notes, method)(batch.id), what=self.tr("Notes"),
                        done=lambda _view: setattr(self, "_dirty", True))  # fmt: skip

    def _retry_failed(self) -> None:
        batch = self.current_batch()
        if batch is None:
            return

        async def retry() -> NoteBatchView:
            await self.bridge.engine.notes.retry_failed(batch.id)
            return await self.bridge.engine.notes.resume_batch(batch.id)

        self.bridge.run(retry(), what=self.tr("Notes"), done=lambda _view: setattr(self, "_dirty", True))

    def _open_note_file(self) -> None:
        task = self.current_task()
        if task is not None and task.outputs:
            QDesktopServices.openUrl(QUrl.fromLocalFile(task.outputs[0]))

    def _play(self, path: str, seconds: float) -> None:
        """Play the video at `seconds` in SyncDeck's player (the window listens); with no
        player connected, the system's player from the start."""
        if self.isSignalConnected(
            self.metaObject().method(self.metaObject().indexOfSignal("playRequested(QString,double)"))
        ):
            self.playRequested.emit(path, seconds)
        elif path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))
