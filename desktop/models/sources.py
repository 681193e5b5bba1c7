"""The sources table: one row per source, with its switch, folder, scan times and counts.

Rows are keyed by source id. A refresh updates rows in place (and inserts or removes only
what changed), so the selection and the scroll position survive the frequent refreshes that
happen while a round runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QIcon
from PySide6.QtWidgets import QApplication

from core.engine.views import SourceView
from core.events import Event, SourceDownloading, SourceIdle, SourceScanned, SourceScanStarted
from desktop.format import local_time
from desktop.resources import icon, resource
from desktop.theme import is_dark

SOURCE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

_ModelIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NAME = 0
    ACCOUNT = 1
    ENABLED = 2
    FOLDER = 3
    LAST_SCAN = 4
    NEXT_SCAN = 5
    DONE = 6
    PENDING = 7
    FAILED = 8
    REMOVED = 9
    ERROR = 10


COUNT_COLUMNS = (Column.DONE, Column.PENDING, Column.FAILED, Column.REMOVED)
TIME_COLUMNS = (Column.LAST_SCAN, Column.NEXT_SCAN)


def kind_label(kind: str, fallback: str = "") -> str:
    """The name a person knows a source kind by, in the window's language (the provider's own
    word for kinds the window has no translation of)."""
    # spelled out (not aliased) so that lupdate finds the strings
    labels = {
        "favorite": QCoreApplication.translate("SourceKind", "Favorites"),
        "collection": QCoreApplication.translate("SourceKind", "Collection"),
        "series": QCoreApplication.translate("SourceKind", "Series"),
        "submission": QCoreApplication.translate("SourceKind", "Uploads"),
        "watch_later": QCoreApplication.translate("SourceKind", "Watch later"),
        "bangumi": QCoreApplication.translate("SourceKind", "Bangumi"),
    }
    return labels.get(kind, fallback or kind)


def kind_icon(kind: str) -> QIcon:
    return icon(kind if resource("icons", f"{kind}.svg").is_file() else "sources")


def error_color() -> QColor:
    app = QApplication.instance()
    dark = isinstance(app, QApplication) and is_dark(app)
    return QColor("#ff6b6b" if dark else "#c62828")


def muted_color() -> QColor:
    """Secondary text (hints, zero counts), from the application palette: a widget's own
    palette may already carry a style sheet's colour."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app.palette().placeholderText().color()
    return QColor("#888888")


class SourcesModel(QAbstractTableModel):
    """Source rows from `Engine.sources()`; the switch column asks for a change by signal."""

    enabledToggled = Signal(int, bool)  # source id, the state the person asked for

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._views: list[SourceView] = []
        self._rows: dict[int, int] = {}  # source id → row
        self._wanted_enabled: dict[int, bool] = {}  # switched here, not yet confirmed by a refresh
        self._syncing: set[int] = set()
        # what the round does with a source right now: ("scanning", 0), ("new", n) or
        # ("downloading", n), from the engine's source events
        self._activity: dict[int, tuple[str, int]] = {}
        self._icons: dict[str, QIcon] = {}
        self.loaded = False  # the first refresh has arrived (an empty table means "no sources")

    # ------------------------------------------------------------ contents

    def set_views(self, views: Sequence[SourceView]) -> None:
        """Replace the rows with a fresh list; unchanged rows keep their place."""
        self.loaded = True
        self._wanted_enabled.clear()
        fresh = {view.id: view for view in views}
        for row in range(len(self._views) - 1, -1, -1):
            if self._views[row].id not in fresh:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._views[row]
                self.endRemoveRows()
        self._reindex()
        for source_id, view in fresh.items():
            row = self._rows.get(source_id)
            if row is None:
                continue
            self._views[row] = view
        if self._views:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._views) - 1, len(Column) - 1))
        new = [view for source_id, view in fresh.items() if source_id not in self._rows]
        if new:
            first = len(self._views)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._views.extend(new)
            self._reindex()
            self.endInsertRows()

    def _reindex(self) -> None:
        self._rows = {view.id: row for row, view in enumerate(self._views)}

    def view_at(self, row: int) -> SourceView:
        return self._views[row]

    def row_of(self, source_id: int) -> int | None:
        return self._rows.get(source_id)

    def views(self) -> list[SourceView]:
        return list(self._views)

    def is_enabled(self, view: SourceView) -> bool:
        return self._wanted_enabled.get(view.id, view.enabled)

    def set_syncing(self, source_ids: Sequence[int]) -> None:
        """Sources in the running round (their next scan reads "Syncing now")."""
        self._syncing = set(source_ids)
        if not self._syncing:
            self._activity.clear()
        self.refresh_times()

    def source_event(self, event: Event) -> None:
        """A source's turn in a round moved on: its row says so at once."""
        if isinstance(event, SourceScanStarted):
            self._syncing.add(event.source_id)
            self._activity[event.source_id] = ("scanning", 0)
        elif isinstance(event, SourceScanned):
            self._activity[event.source_id] = ("new", event.new_items)
        elif isinstance(event, SourceDownloading):
            self._activity[event.source_id] = ("downloading", event.items)
        elif isinstance(event, SourceIdle):
            self._activity.pop(event.source_id, None)
            self._syncing.discard(event.source_id)
        else:
            return
        row = self._rows.get(getattr(event, "source_id", -1))
        if row is not None:
            self.dataChanged.emit(self.index(row, Column.NEXT_SCAN), self.index(row, Column.NEXT_SCAN))

    def activity_text(self, source_id: int) -> str | None:
        """What the round does with the source now, in words (None between its turns)."""
        doing = self._activity.get(source_id)
        if doing is None:
            return None
        what, count = doing
        if what == "scanning":
            return self.tr("Scanning…")
        if what == "new":
            return self.tr("%n new", "", count)
        return self.tr("Downloading %n", "", count)

    def refresh_times(self) -> None:
        """Relative times ("5 min ago") age while the window is open."""
        if self._views:
            for column in TIME_COLUMNS:
                self.dataChanged.emit(self.index(0, column), self.index(len(self._views) - 1, column))

    def retranslate(self) -> None:
        self._icons.clear()  # drawn again: a theme switch changes the palette as well
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self._views:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._views) - 1, len(Column) - 1))

    def _icon(self, name: str) -> QIcon:
        """A kind's icon (or another line icon by name), drawn once per palette."""
        if name not in self._icons:
            self._icons[name] = kind_icon(name)
        return self._icons[name]

    # ------------------------------------------------------------ Qt model

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._views)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._header_text(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._header_tip(column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in COUNT_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _header_text(self, column: Column) -> str:
        return {
            Column.NAME: self.tr("Name"),
            Column.ACCOUNT: self.tr("Account"),
            Column.ENABLED: self.tr("Enabled"),
            Column.FOLDER: self.tr("Folder"),
            Column.LAST_SCAN: self.tr("Last scan"),
            Column.NEXT_SCAN: self.tr("Next scan"),
            Column.DONE: self.tr("Done"),
            Column.PENDING: self.tr("Queued"),
            Column.FAILED: self.tr("Failed"),
            Column.REMOVED: self.tr("Removed"),
            Column.ERROR: self.tr("Last error"),
        }[column]

    def _header_tip(self, column: Column) -> str | None:
        return {
            Column.ENABLED: self.tr("Enabled sources are synced in every scheduled round"),
            Column.DONE: self.tr("Videos downloaded completely"),
            Column.PENDING: self.tr("Videos waiting to be downloaded or retried"),
            Column.FAILED: self.tr("Videos that failed after all attempts (retry them in Tasks)"),
            Column.REMOVED: self.tr("Removed upstream: no longer in the list on Bilibili (local files are kept)"),
            Column.ERROR: self.tr("The error of the last scan, if it failed"),
        }.get(column)

    def flags(self, index: _ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == Column.ENABLED:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._views):
            return None
        view = self._views[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(view, column)
        if role == SOURCE_ID_ROLE:
            return view.id
        if role == SORT_ROLE:
            return self._sort_key(view, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == Column.ENABLED:
            return Qt.CheckState.Checked if self.is_enabled(view) else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole and column == Column.NAME:
            return self._icon(view.kind)
        if role == Qt.ItemDataRole.DecorationRole and column == Column.ERROR and view.last_error.strip():
            return self._icon("warning")
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(view, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in COUNT_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(view, column)
        if role == Qt.ItemDataRole.FontRole and column == Column.NAME and not self.is_enabled(view):
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def setData(self, index: _ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != Column.ENABLED or role != Qt.ItemDataRole.CheckStateRole:
            return False
        view = self._views[index.row()]
        wanted = Qt.CheckState(value) == Qt.CheckState.Checked
        if wanted == self.is_enabled(view):
            return False
        source_id = view.id
        self._wanted_enabled[source_id] = wanted
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(Column) - 1))
        self.enabledToggled.emit(source_id, wanted)
        return True

    # ------------------------------------------------------------ cells

    def _display(self, view: SourceView, column: Column) -> Any:
        source = view
        match column:
            case Column.NAME:
                return source.name
            case Column.ACCOUNT:
                return view.account or "—"
            case Column.ENABLED:
                return None
            case Column.FOLDER:
                return source.path
            case Column.LAST_SCAN:
                return self._ago(source.last_scan_at) if source.last_scan_at else self.tr("Never")
            case Column.NEXT_SCAN:
                if (doing := self.activity_text(source.id)) is not None:
                    return doing
                if source.id in self._syncing:
                    return self.tr("Syncing now")
                if not self.is_enabled(view):
                    return self.tr("Off")
                return self._until(view.next_scan) if view.next_scan else "—"
            case Column.DONE:
                return view.done
            case Column.PENDING:
                return view.queued
            case Column.FAILED:
                return view.failed
            case Column.REMOVED:
                return view.removed
            case Column.ERROR:
                return source.last_error.strip().splitlines()[0] if source.last_error.strip() else ""

    def _sort_key(self, view: SourceView, column: Column) -> Any:
        source = view
        match column:
            case Column.ENABLED:
                return int(self.is_enabled(view))
            case Column.LAST_SCAN:
                return source.last_scan_at.timestamp() if source.last_scan_at else 0.0
            case Column.NEXT_SCAN:
                return view.next_scan.timestamp() if view.next_scan and self.is_enabled(view) else float("inf")
            case Column.DONE | Column.PENDING | Column.FAILED | Column.REMOVED:
                return self._display(view, column)
            case _:
                return str(self._display(view, column) or "").casefold()

    def _tooltip(self, view: SourceView, column: Column) -> str | None:
        source = view
        match column:
            case Column.NAME:
                return f"{source.name}\n{kind_label(source.kind)} · {source.locator}"
            case Column.ACCOUNT:
                return view.account or self.tr("No account: public lists only")
            case Column.ENABLED:
                if self.is_enabled(view):
                    return self.tr("Enabled: synced in every scheduled round")
                return self.tr("Disabled: skipped by scheduled rounds (Sync now still syncs it)")
            case Column.FOLDER:
                return source.path
            case Column.LAST_SCAN:
                return local_time(source.last_scan_at) if source.last_scan_at else self.tr("Not scanned yet")
            case Column.NEXT_SCAN:
                return local_time(view.next_scan) if view.next_scan and self.is_enabled(view) else None
            case Column.DONE | Column.PENDING | Column.FAILED | Column.REMOVED:
                return (
                    self.tr(
                        "Done %1 · Queued %2 · Paused %3 · Failed %4 · Removed upstream %5 · Unavailable %6 · "
                        "Cancelled %7 · Skipped %8"
                    )
                    .replace("%1", str(view.done))
                    .replace("%2", str(view.queued))
                    .replace("%3", str(view.paused))
                    .replace("%4", str(view.failed))
                    .replace("%5", str(view.removed))
                    .replace("%6", str(view.unavailable))
                    .replace("%7", str(view.cancelled))
                    .replace("%8", str(view.skipped))
                )
            case Column.ERROR:
                return source.last_error.strip() or None
        return None

    def _foreground(self, view: SourceView, column: Column) -> QColor | None:
        if column == Column.ERROR or (column == Column.FAILED and view.failed):
            return error_color()
        if column in COUNT_COLUMNS and not self._display(view, column):
            return muted_color()
        if column in (Column.LAST_SCAN, Column.NEXT_SCAN, Column.ACCOUNT) and not self.is_enabled(view):
            return muted_color()
        if column == Column.NAME and not self.is_enabled(view):
            return muted_color()
        return None

    # ------------------------------------------------------------ relative times

    def _ago(self, moment: datetime) -> str:
        seconds = (datetime.now(UTC) - moment).total_seconds()
        if seconds < 60:
            return self.tr("Just now")
        if seconds < 3600:
            return self.tr("%n min ago", "", int(seconds // 60))
        if seconds < 86400:
            return self.tr("%n h ago", "", int(seconds // 3600))
        return self.tr("%n d ago", "", int(seconds // 86400))

    def _until(self, moment: datetime) -> str:
        seconds = (moment - datetime.now(UTC)).total_seconds()
        if seconds < 60:
            return self.tr("Due now")
        if seconds < 5400:
            return self.tr("In %n min", "", int(seconds // 60))
        if seconds < 86400 * 2:
            return self.tr("In %n h", "", round(seconds / 3600))
        return self.tr("In %n d", "", round(seconds / 86400))
