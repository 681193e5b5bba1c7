"""The main window: navigation on the left, one panel at a time, a status bar below."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from desktop.dialogs.add_torrent import dropped_torrent
from desktop.format import human_duration, human_speed
from desktop.mainwindow.playing import Playing
from desktop.resources import app_icon, icon
from desktop.widgets.torrent_speeds import TorrentSpeeds

if TYPE_CHECKING:
    from desktop.bridge import EngineBridge
    from desktop.panels.base import Panel

# The navigation as it is drawn before the panels exist: the window paints at once, the engine
# and the panels arrive a moment later (see attach). Playlists and Notes take their places after
# Tasks when they are built; a panel that does not exist is not shown.
NAVIGATION = (
    ("sources", "sources", QT_TRANSLATE_NOOP("MainWindow", "Sources")),
    ("tasks", "tasks", QT_TRANSLATE_NOOP("MainWindow", "Tasks")),
    ("playlists", "playlists", QT_TRANSLATE_NOOP("MainWindow", "Playlists")),
    ("notes", "notes", QT_TRANSLATE_NOOP("MainWindow", "Notes")),
    ("accounts", "accounts", QT_TRANSLATE_NOOP("MainWindow", "Accounts")),
    ("settings", "settings", QT_TRANSLATE_NOOP("MainWindow", "Settings")),
    ("log", "log", QT_TRANSLATE_NOOP("MainWindow", "Log")),
)


class MainWindow(QMainWindow):
    closeRequested = Signal()  # the window was closed: the app decides between tray and quit

    def __init__(
        self,
        bridge: EngineBridge | None = None,
        panels: Sequence[Callable[[EngineBridge, QWidget], Panel]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge: EngineBridge | None = None
        self.setObjectName("main-window")
        self.setWindowIcon(app_icon())
        self.resize(1180, 720)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setFixedWidth(168)
        self.nav.setSpacing(2)
        self.stack = QStackedWidget()
        self.panels: dict[str, Panel] = {}
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.setAcceptDrops(True)  # a .torrent file or a magnet dropped anywhere opens the add dialog
        self.speed_label = QLabel()
        self.active_label = QLabel()
        self.next_label = QLabel()
        self.risk_label = QLabel()
        self.risk_label.setStyleSheet("color: #d97706;")
        self.torrent_speeds = TorrentSpeeds()
        for label in (self.speed_label, self.torrent_speeds, self.active_label, self.next_label):
            self.statusBar().addPermanentWidget(label)
        self.statusBar().addWidget(self.risk_label)
        self.cooldown_until: datetime | None = None
        self._status_timer = QTimer(self)
        self._status_timer.timeout.connect(self.refresh_status)
        if bridge is None:
            for key, icon_name, title in NAVIGATION:  # drawn now; the panels follow in attach()
                item = QListWidgetItem(icon(icon_name), QCoreApplication.translate("MainWindow", title))
                item.setData(Qt.ItemDataRole.UserRole, key)
                self.nav.addItem(item)
            self.next_label.setText(self.tr("Starting…"))
        else:
            self.attach(bridge, panels)

    def attach(self, bridge: EngineBridge, panels: Sequence[Callable[[EngineBridge, QWidget], Panel]]) -> None:
        """Put the engine's panels in; the navigation drawn before is replaced by theirs."""
        self.bridge = bridge
        self.torrent_speeds.attach(bridge)
        current = self.nav.currentRow()
        self.nav.clear()
        for factory in panels:
            panel = factory(bridge, self.stack)
            self.panels[panel.key] = panel
            self.stack.addWidget(panel)
            item = QListWidgetItem(icon(panel.icon_name), "")
            item.setData(Qt.ItemDataRole.UserRole, panel.key)
            self.nav.addItem(item)
        self.playing = Playing(bridge, self)
        if "playlists" in self.panels:
            self.panels["playlists"].playRequested.connect(self.playing.play_queue)
        if "notes" in self.panels:
            self.panels["notes"].playRequested.connect(self.playing.play_at)
        self.nav.currentRowChanged.connect(self._switch)
        bridge.riskControl.connect(lambda e: self._set_cooldown(e.cooldown_until))
        bridge.roundFinished.connect(lambda e: self._set_cooldown(None) if e.outcome != "risk_control" else None)
        bridge.errorRaised.connect(self._show_error)
        self._status_timer.start(1000)
        self.retranslate()
        self.nav.setCurrentRow(max(current, 0))

    def show_panel(self, key: str) -> Panel:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.nav.setCurrentRow(row)
        return self.panels[key]

    def _switch(self, row: int) -> None:
        if row >= 0:
            self.stack.setCurrentIndex(row)
            panel = self.stack.currentWidget()
            if panel is not None:
                panel.activated()

    def retranslate(self) -> None:
        self.setWindowTitle("SyncDeck")
        if self.bridge is None:
            return
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            item.setText(self.panels[item.data(Qt.ItemDataRole.UserRole)].title())
        self.refresh_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _set_cooldown(self, until: datetime | None) -> None:
        self.cooldown_until = until
        self.refresh_status()

    def refresh_status(self) -> None:
        if self.bridge is None:
            return
        engine = self.bridge.engine
        self.speed_label.setText(self.tr("↓ %1").replace("%1", human_speed(self.bridge.total_speed)))
        active = engine.active_downloads
        self.active_label.setText(self.tr("%n active", "", active))
        now = datetime.now(UTC)
        if engine.paused:
            self.next_label.setText(self.tr("Paused"))
        elif self.bridge.round_running:
            self.next_label.setText(self.tr("Syncing…"))
        else:
            nxt = engine.next_round_at()
            if nxt is None:
                self.next_label.setText(self.tr("Nothing to sync"))
            else:
                wait = max((nxt - now).total_seconds(), 0)
                self.next_label.setText(self.tr("Next round in %1").replace("%1", human_duration(wait)))
        if self.cooldown_until and self.cooldown_until > now:
            left = human_duration((self.cooldown_until - now).total_seconds())
            self.risk_label.setText(self.tr("Risk control: cooling down, %1 left").replace("%1", left))
        else:
            self.risk_label.clear()

    def _show_error(self, what: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "SyncDeck", message, QMessageBox.StandardButton.Ok, self)
        if what:
            box.setText(what)
            box.setInformativeText(message)
        box.setObjectName("error-box")
        box.open()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if "tasks" in self.panels and dropped_torrent(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        if "tasks" in self.panels and (text := dropped_torrent(event)):
            event.acceptProposedAction()
            self.show_panel("tasks").add_torrent(text)  # type: ignore[attr-defined]

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()
        self.closeRequested.emit()
