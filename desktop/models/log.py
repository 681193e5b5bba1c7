"""The live log as a table: the newest records, bounded, with a level and text filter on top."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from desktop.logbridge import LogEntry

MAX_ROWS = 5000

ModelIndex = QModelIndex | QPersistentModelIndex

COLUMN_TIME, COLUMN_LEVEL, COLUMN_LOGGER, COLUMN_MESSAGE = range(4)

EntryRole = Qt.ItemDataRole.UserRole + 1

# Readable on both the light and the dark palette.
LEVEL_COLORS = {
    logging.DEBUG: QColor("#8a8f98"),
    logging.WARNING: QColor("#d97706"),
    logging.ERROR: QColor("#e5484d"),
    logging.CRITICAL: QColor("#e5484d"),
}


def format_entry(entry: LogEntry) -> str:
    """One record as text, the way it is copied to the clipboard."""
    when = datetime.fromtimestamp(entry.created).strftime("%Y-%m-%d %H:%M:%S")
    return f"{when} {entry.level_name:<8} {entry.logger}: {entry.message}"


class LogModel(QAbstractTableModel):
    """Records oldest first; past `max_rows` the oldest are dropped."""

    def __init__(self, parent: QObject | None = None, *, max_rows: int = MAX_ROWS) -> None:
        super().__init__(parent)
        self.max_rows = max_rows
        self._entries: list[LogEntry] = []
        self._headers = ["", "", "", ""]

    def set_headers(self, time: str, level: str, logger: str, message: str) -> None:
        self._headers = [time, level, logger, message]
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._headers) - 1)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def entry(self, row: int) -> LogEntry:
        return self._entries[row]

    def entries(self) -> list[LogEntry]:
        return list(self._entries)

    def append(self, batch: list[LogEntry]) -> None:
        if not batch:
            return
        batch = batch[-self.max_rows :]
        overflow = len(self._entries) + len(batch) - self.max_rows
        if overflow > 0:
            self.beginRemoveRows(QModelIndex(), 0, overflow - 1)
            del self._entries[:overflow]
            self.endRemoveRows()
        first = len(self._entries)
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        self._entries.extend(batch)
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._entries.clear()
        self.endResetModel()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COLUMN_TIME:
                return datetime.fromtimestamp(entry.created).strftime("%H:%M:%S")
            if column == COLUMN_LEVEL:
                return entry.level_name
            if column == COLUMN_LOGGER:
                return entry.logger
            first = entry.first_line
            return first + " …" if len(first) < len(entry.message) else first
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COLUMN_TIME:
                return datetime.fromtimestamp(entry.created).strftime("%Y-%m-%d %H:%M:%S")
            if column == COLUMN_MESSAGE and len(entry.message) > len(entry.first_line):
                return entry.message
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return LEVEL_COLORS.get(entry.level)
        if role == Qt.ItemDataRole.FontRole and column == COLUMN_LEVEL and entry.level >= logging.WARNING:
            font = QFont()
            font.setBold(True)
            return font
        if role == EntryRole:
            return entry
        return None


class LogFilterModel(QSortFilterProxyModel):
    """Shows records at or above `min_level` whose message or logger contains `search`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._min_level = logging.INFO
        self._search = ""

    @property
    def min_level(self) -> int:
        return self._min_level

    def set_min_level(self, level: int) -> None:
        if level != self._min_level:
            self.beginFilterChange()
            self._min_level = level
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search(self, text: str) -> None:
        text = text.strip().casefold()
        if text != self._search:
            self.beginFilterChange()
            self._search = text
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, LogModel)
        entry = model.entry(source_row)
        if entry.level < self._min_level:
            return False
        if not self._search:
            return True
        return self._search in entry.message.casefold() or self._search in entry.logger.casefold()
