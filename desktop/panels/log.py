"""The Log panel: what SyncDeck is doing right now, with secrets already removed."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QFontDatabase, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.bridge import EngineBridge
from desktop.logbridge import LogEntry, QtLogHandler
from desktop.models.log import (
    COLUMN_LEVEL,
    COLUMN_LOGGER,
    COLUMN_MESSAGE,
    COLUMN_TIME,
    EntryRole,
    LogFilterModel,
    LogModel,
    format_entry,
)
from desktop.panels.base import Panel
from desktop.resources import icon

LEVELS = (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR)
# How close to the end the view must be for new records to keep it scrolled to the end.
FOLLOW_SLACK = 4


class LogPanel(Panel):
    key = "log"
    icon_name = "log"

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self.model = LogModel(self)
        self.proxy = LogFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self.level_label = QLabel()
        self.level_box = QComboBox()
        self.level_box.setObjectName("log-level")
        for level in LEVELS:
            self.level_box.addItem("", level)
        self.level_box.setCurrentIndex(LEVELS.index(logging.INFO))
        self.level_box.currentIndexChanged.connect(
            lambda _: self.proxy.set_min_level(int(self.level_box.currentData()))
        )
        self.level_label.setBuddy(self.level_box)

        self.search = QLineEdit()
        self.search.setObjectName("log-search")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.textChanged.connect(self.proxy.set_search)
        self.search.setMinimumWidth(240)

        self.copy_action = QAction(icon("copy"), "", self)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_action.triggered.connect(self.copy_selected)
        self.clear_action = QAction(icon("clear"), "", self)
        self.clear_action.triggered.connect(self.clear)
        self.folder_action = QAction(icon("folder"), "", self)
        self.folder_action.triggered.connect(self.open_log_folder)
        buttons = []
        for action in (self.copy_action, self.clear_action, self.folder_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            buttons.append(button)

        self.view = QTableView()
        self.view.setObjectName("log-view")
        self.view.setModel(self.proxy)
        self.view.addAction(self.copy_action)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(COLUMN_MESSAGE, QHeaderView.ResizeMode.Stretch)
        digits = self.fontMetrics().horizontalAdvance("00:00:00")
        header.resizeSection(COLUMN_TIME, digits + 24)
        header.resizeSection(COLUMN_LEVEL, self.fontMetrics().horizontalAdvance("WARNING") + 28)
        header.resizeSection(COLUMN_LOGGER, 190)
        self.view.selectionModel().currentRowChanged.connect(self._show_details)

        self.details = QPlainTextEdit()
        self.details.setObjectName("log-details")
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([480, 120])
        splitter.setChildrenCollapsible(False)

        self.count_label = QLabel()
        self.count_label.setObjectName("log-count")
        self.count_label.setStyleSheet("color: palette(placeholder-text);")

        bar = QHBoxLayout()
        bar.addWidget(self.level_label)
        bar.addWidget(self.level_box)
        bar.addSpacing(8)
        bar.addWidget(self.search, 1)
        bar.addSpacing(8)
        for button in buttons:
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)

        self._follow = True
        self.proxy.rowsAboutToBeInserted.connect(self._remember_follow)
        self.proxy.rowsInserted.connect(self._keep_following)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset):
            signal.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_actions)
        self.view.selectionModel().selectionChanged.connect(self._update_actions)

        self.handler = QtLogHandler()
        self.handler.signals.entriesArrived.connect(self.model.append)
        self.handler.attach()
        # The handler is not a Qt child: it must leave the root logger with the panel.
        self.destroyed.connect(self.handler.detach)

        self.retranslate()
        self._update_actions()

    # ------------------------------------------------------------------ text

    def title(self) -> str:
        return self.tr("Log")

    def retranslate(self) -> None:
        self.level_label.setText(self.tr("&Level:"))
        names = {
            logging.DEBUG: self.tr("Debug"),
            logging.INFO: self.tr("Info"),
            logging.WARNING: self.tr("Warning"),
            logging.ERROR: self.tr("Error"),
        }
        for row, level in enumerate(LEVELS):
            self.level_box.setItemText(row, names[level])
        self.level_box.setToolTip(self.tr("Show records of this level and above"))
        self.search.setPlaceholderText(self.tr("Search the log…"))
        self.copy_action.setText(self.tr("Copy"))
        self.copy_action.setToolTip(self.tr("Copy the selected records (Ctrl+C)"))
        self.clear_action.setText(self.tr("Clear"))
        self.clear_action.setToolTip(self.tr("Remove all records from this view (the log file keeps them)"))
        self.folder_action.setText(self.tr("Open log folder"))
        self.folder_action.setToolTip(self.tr("Show the log files in the file manager"))
        self.model.set_headers(self.tr("Time"), self.tr("Level"), self.tr("Source"), self.tr("Message"))
        self.details.setPlaceholderText(self.tr("Select a record to see all of it"))
        self._update_count()

    # ------------------------------------------------------------------ actions

    def log_folder(self) -> Path:
        return self.bridge.engine.config.data_dir / "logs"

    def open_log_folder(self) -> None:
        folder = self.log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def clear(self) -> None:
        self.model.clear()
        self.details.clear()

    def selected_entries(self) -> list[LogEntry]:
        rows = sorted(self.view.selectionModel().selectedRows(), key=lambda index: index.row())
        return [index.data(EntryRole) for index in rows]

    def copy_selected(self) -> None:
        entries = self.selected_entries()
        if entries:
            QGuiApplication.clipboard().setText("\n".join(format_entry(entry) for entry in entries))

    # ------------------------------------------------------------------ view upkeep

    def _remember_follow(self) -> None:
        bar = self.view.verticalScrollBar()
        self._follow = bar.value() >= bar.maximum() - FOLLOW_SLACK

    def _keep_following(self) -> None:
        if self._follow:
            self.view.scrollToBottom()

    def _show_details(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = current.data(EntryRole) if current.isValid() else None
        self.details.setPlainText(format_entry(entry) if isinstance(entry, LogEntry) else "")

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if total == 0:
            text = self.tr("No records yet. SyncDeck logs what it does here while it runs.")
        elif shown == total:
            text = self.tr("Records: %1").replace("%1", str(total))
        else:
            text = self.tr("Showing %1 of %2 records").replace("%1", str(shown)).replace("%2", str(total))
        self.count_label.setText(text)

    def _update_actions(self) -> None:
        self.copy_action.setEnabled(self.view.selectionModel().hasSelection())
