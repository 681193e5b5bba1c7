"""Note batches and the tasks of one batch as table models."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from core.engine.notes.views import NoteBatchView, NoteTaskView, cost_text

ModelIndex = QModelIndex | QPersistentModelIndex
ViewRole = Qt.ItemDataRole.UserRole + 1
ProgressRole = Qt.ItemDataRole.UserRole + 2

STATE_WORDS = {
    "queued": QT_TRANSLATE_NOOP("NotesModel", "Queued"),
    "running": QT_TRANSLATE_NOOP("NotesModel", "Running"),
    "paused": QT_TRANSLATE_NOOP("NotesModel", "Paused"),
    "done": QT_TRANSLATE_NOOP("NotesModel", "Done"),
    "failed": QT_TRANSLATE_NOOP("NotesModel", "Failed"),
    "cancelled": QT_TRANSLATE_NOOP("NotesModel", "Cancelled"),
    "pending": QT_TRANSLATE_NOOP("NotesModel", "Waiting"),
    "skipped": QT_TRANSLATE_NOOP("NotesModel", "Already written"),
    "partly": QT_TRANSLATE_NOOP("NotesModel", "Done, some failed"),  # a batch that wrote notes and failed some
}
STAGE_WORDS = {
    "fetch": QT_TRANSLATE_NOOP("NotesModel", "Fetching from the site"),
    "transcript": QT_TRANSLATE_NOOP("NotesModel", "Transcript"),
    "writing": QT_TRANSLATE_NOOP("NotesModel", "Writing"),
    "frames": QT_TRANSLATE_NOOP("NotesModel", "Key frames"),
    "files": QT_TRANSLATE_NOOP("NotesModel", "Saving"),
    "waiting": QT_TRANSLATE_NOOP("NotesModel", "Waiting to retry"),
}
SOURCE_WORDS = {
    "subtitles": QT_TRANSLATE_NOOP("NotesModel", "Subtitles"),
    "transcription": QT_TRANSLATE_NOOP("NotesModel", "Speech to text"),
    "video": QT_TRANSLATE_NOOP("NotesModel", "Video"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("NotesModel", text)


def state_word(state: str) -> str:
    return _tr(STATE_WORDS.get(state, state))


def clock(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    total = int(seconds)
    h, rest = divmod(total, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


class BatchColumn(IntEnum):
    NAME = 0
    STATE = 1
    PROGRESS = 2
    DONE = 3
    FAILED = 4
    ETA = 5
    TOKENS = 6
    COST = 7


BATCH_HEADERS = {
    BatchColumn.NAME: QT_TRANSLATE_NOOP("NotesModel", "Batch"),
    BatchColumn.STATE: QT_TRANSLATE_NOOP("NotesModel", "State"),
    BatchColumn.PROGRESS: QT_TRANSLATE_NOOP("NotesModel", "Progress"),
    BatchColumn.DONE: QT_TRANSLATE_NOOP("NotesModel", "Written"),
    BatchColumn.FAILED: QT_TRANSLATE_NOOP("NotesModel", "Failed"),
    BatchColumn.ETA: QT_TRANSLATE_NOOP("NotesModel", "ETA"),
    BatchColumn.TOKENS: QT_TRANSLATE_NOOP("NotesModel", "Tokens"),
    BatchColumn.COST: QT_TRANSLATE_NOOP("NotesModel", "Cost"),
}


class _Table(QAbstractTableModel):
    headers: dict[Any, str] = {}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(self.headers[list(self.headers)[section]])
        return None

    def set_rows(self, rows: list[Any]) -> None:
        """New rows; rows with the same ids in the same order are updated in place (no reset,
        so the selection and the scroll position stay)."""
        if [r.id for r in rows] == [r.id for r in self._rows]:
            self._rows = list(rows)
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, self.columnCount() - 1))
            return
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, item_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == item_id), -1)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))


class BatchesModel(_Table):
    headers = BATCH_HEADERS

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        b: NoteBatchView = self._rows[index.row()]
        column = BatchColumn(index.column())
        if role == ViewRole:
            return b
        if role == ProgressRole:
            return b.progress if column == BatchColumn.PROGRESS else None
        if role == Qt.ItemDataRole.ToolTipRole and column == BatchColumn.NAME:
            return "\n".join(b.inputs)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == BatchColumn.NAME:
            return f"#{b.id} {b.name}"
        if column == BatchColumn.STATE:
            return state_word("partly" if b.state == "failed" and b.done else b.state)
        if column == BatchColumn.PROGRESS:
            return f"{b.progress * 100:.0f}%"
        if column == BatchColumn.DONE:
            return f"{b.done}/{b.total}"
        if column == BatchColumn.FAILED:
            return str(b.failed) if b.failed else ""
        if column == BatchColumn.ETA:
            return clock(b.eta) if b.state == "running" else ""
        if column == BatchColumn.TOKENS:
            return f"{b.prompt_tokens + b.completion_tokens:,}"
        return cost_text(b.cost) if b.cost else ""


class TaskColumn(IntEnum):
    TITLE = 0
    STATE = 1
    PROGRESS = 2
    TRANSCRIPT = 3
    TOKENS = 4
    COST = 5
    ERROR = 6


TASK_HEADERS = {
    TaskColumn.TITLE: QT_TRANSLATE_NOOP("NotesModel", "Video"),
    TaskColumn.STATE: QT_TRANSLATE_NOOP("NotesModel", "State"),
    TaskColumn.PROGRESS: QT_TRANSLATE_NOOP("NotesModel", "Progress"),
    TaskColumn.TRANSCRIPT: QT_TRANSLATE_NOOP("NotesModel", "Transcript"),
    TaskColumn.TOKENS: QT_TRANSLATE_NOOP("NotesModel", "Tokens"),
    TaskColumn.COST: QT_TRANSLATE_NOOP("NotesModel", "Cost"),
    TaskColumn.ERROR: QT_TRANSLATE_NOOP("NotesModel", "Why it failed"),
}


class NoteTasksModel(_Table):
    headers = TASK_HEADERS

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        t: NoteTaskView = self._rows[index.row()]
        column = TaskColumn(index.column())
        if role == ViewRole:
            return t
        if role == ProgressRole:
            if column != TaskColumn.PROGRESS:
                return None
            return 1.0 if t.state in ("done", "skipped") else t.progress
        if role == Qt.ItemDataRole.ToolTipRole:
            return t.error or t.video_path or t.input
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == TaskColumn.TITLE:
            return t.title or t.input
        if column == TaskColumn.STATE:
            if t.state == "running" and t.stage:
                return _tr(STAGE_WORDS.get(t.stage, t.stage))
            return state_word(t.state)
        if column == TaskColumn.PROGRESS:
            return f"{(1.0 if t.state in ('done', 'skipped') else t.progress) * 100:.0f}%"
        if column == TaskColumn.TRANSCRIPT:
            return _tr(SOURCE_WORDS[t.transcript_source]) if t.transcript_source in SOURCE_WORDS else ""
        if column == TaskColumn.TOKENS:
            tokens = t.prompt_tokens + t.completion_tokens
            return f"{tokens:,}" if tokens else ""
        if column == TaskColumn.COST:
            return cost_text(t.cost) if t.cost else ""
        return t.error if t.state == "failed" else ""
