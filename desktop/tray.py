"""The tray icon: SyncDeck keeps syncing with its window closed, and says what happened.

Everything here except the icon itself works without a system tray (offscreen, or a Linux
desktop without a tray host): the menu, its actions and the state are kept up to date either
way, so the app can fall back to quitting when the window closes and tests can drive them.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from core.events import AccountStateChanged, RiskControl, RoundFinished, TaskAdded, TaskFinished
from desktop.bridge import EngineBridge
from desktop.format import human_duration, human_speed, one_line
from desktop.resources import app_icon, icon

if TYPE_CHECKING:
    from desktop.mainwindow.window import MainWindow

log = logging.getLogger(__name__)

STATES = ("idle", "syncing", "paused", "error")
HINT_MARKER = "tray-hint-shown"  # in the data folder: the close-to-tray hint was shown once
NOTIFY_BATCH_MS = 60_000  # a long round reports new videos at most once a minute
MESSAGE_MS = 10_000
# At login SyncDeck may start before the panel that hosts tray icons: keep looking this long.
TRAY_WAIT_MS = 120_000
TRAY_POLL_MS = 2_000
TITLES_SHOWN = 5  # one line each; the rest are counted ("and 17 more")
TITLE_CHARS = 60


class Tray(QObject):
    quitRequested = Signal()

    def __init__(self, bridge: EngineBridge, window: MainWindow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.engine = bridge.engine
        self.window = window
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self.state = "idle"
        self._problem = ""  # "risk" | "login" | "failed": set by a bad round, cleared by a clean one
        self._problem_detail = ""
        self._cooldown_until: datetime | None = None
        self._expired_accounts: set[int] = set()
        self._titles: dict[int, str] = {}  # titles of videos found while running, by id
        self._synced: dict[int, str] = {}  # videos finished since the last message ("" = title unknown)
        self._message_target = ""  # what clicking the last message opens: "" (the window) or a panel key
        self._paused_icon_shown: bool | None = None  # which icon the pause action has now
        # A sync asked for from the menu: shown as syncing at once (the round starts only after
        # the logins are checked) and always answered with a message when it ends.
        self._asked = False
        self._announce = False  # the next round's end gets a message even with nothing new

        self.menu = QMenu(window)
        self.menu.setObjectName("tray-menu")
        self.sync_action = self.menu.addAction(icon("sync"), "")
        self.sync_action.triggered.connect(self.sync_now)
        self.pause_action = self.menu.addAction("")
        self.pause_action.triggered.connect(self.toggle_pause)
        self.alt_speed_action = self.menu.addAction("")
        self.alt_speed_action.setObjectName("alternative-speed-limits")
        self.alt_speed_action.setCheckable(True)
        self.alt_speed_action.triggered.connect(self.toggle_alternative_limits)
        self.menu.addSeparator()
        self.open_action = self.menu.addAction(app_icon(), "")
        self.open_action.triggered.connect(self.show_window)
        self.menu.addSeparator()
        self.quit_action = self.menu.addAction("")
        self.quit_action.triggered.connect(self.quitRequested.emit)

        self._icons = {state: app_icon(f"tray-{state}") for state in STATES}
        self.icon = QSystemTrayIcon(self._icons["idle"], self)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._icon_activated)
        self.icon.messageClicked.connect(self._message_clicked)

        self._batch_timer = QTimer(self)
        self._batch_timer.setSingleShot(True)
        self._batch_timer.setInterval(NOTIFY_BATCH_MS)
        self._batch_timer.timeout.connect(self._batch_due)
        self._tooltip_timer = QTimer(self)
        self._tooltip_timer.setInterval(1000)
        self._tooltip_timer.timeout.connect(self.refresh)

        bridge.busyChanged.connect(self._busy_changed)
        bridge.stateChanged.connect(self._state_changed)
        bridge.taskAdded.connect(self._task_added)
        bridge.taskFinished.connect(self._task_finished)
        bridge.roundFinished.connect(self._round_finished)
        bridge.riskControl.connect(self._risk_control)
        bridge.accountStateChanged.connect(self._account_state_changed)

        self.retranslate()
        self.menu.installEventFilter(self)  # the menu receives LanguageChange; a QObject does not
        self._tray_watch = QTimer(self)
        self._tray_watch.setInterval(TRAY_POLL_MS)
        self._tray_watch.timeout.connect(self._look_for_tray)
        self._tray_checks_left = TRAY_WAIT_MS // TRAY_POLL_MS
        if self.available:
            self._show_icon()
        else:
            self._tray_watch.start()

    def _show_icon(self) -> None:
        self.icon.show()
        self._tooltip_timer.start()

    def _look_for_tray(self) -> None:
        self._tray_checks_left -= 1
        if QSystemTrayIcon.isSystemTrayAvailable():
            log.info("a system tray appeared; showing the tray icon")
            self.available = True
            self._show_icon()
        if self.available or self._tray_checks_left <= 0:
            self._tray_watch.stop()

    # ------------------------------------------------------------------ state

    def refresh(self) -> None:
        """Icon, tooltip and menu labels from the engine's state."""
        paused = self.engine.paused
        if paused:
            state = "paused"
        elif self.bridge.round_running or self._asked:
            state = "syncing"
        elif self._problem:
            state = "error"
        else:
            state = "idle"
        if state != self.state:
            self.state = state
            self.icon.setIcon(self._icons[state])
        self.pause_action.setText(self.tr("Resume all") if paused else self.tr("Pause all"))
        if self._paused_icon_shown is not paused:
            self.pause_action.setIcon(icon("resume" if paused else "pause"))
            self._paused_icon_shown = paused
        self.sync_action.setEnabled(not (self.bridge.round_running or self._asked))
        self.alt_speed_action.setText(self.tr("Alternative speed limits"))
        self.alt_speed_action.setChecked(bool(self.bridge.engine.config["torrent.alt_enabled"]))
        self.icon.setToolTip(self.status_text())

    def toggle_alternative_limits(self, on: bool) -> None:
        """BitTorrent's alternative (lower) speed limits on or off; saved like any setting."""
        self.bridge.run(self.bridge.engine.torrents.set_alternative(on), what=self.tr("Speed limits"))

    def status_text(self) -> str:
        """One line for the tooltip, e.g. "SyncDeck — syncing, 3 active, 2.1 MB/s"."""
        now = datetime.now(UTC)
        if self.state == "paused":
            status = self.tr("paused")
        elif self.state == "syncing":
            status = self.tr("syncing, %n active, %1", "", self.engine.active_downloads).replace(
                "%1", human_speed(self.bridge.total_speed)
            )
        elif self._problem == "risk" and self._cooldown_until and self._cooldown_until > now:
            left = human_duration((self._cooldown_until - now).total_seconds())
            status = self.tr("Bilibili risk control, resuming in %1").replace("%1", left)
        elif self._problem == "risk":
            status = self.tr("Bilibili risk control")
        elif self._problem == "login":
            status = self.tr("login expired for %1").replace("%1", self._problem_detail)
        elif self._problem == "failed":
            status = self.tr("last round: %n failed", "", int(self._problem_detail or 0))
        else:
            upcoming = self.engine.next_round_at()
            if upcoming is None:
                status = self.tr("idle")
            else:
                wait = human_duration(max((upcoming - now).total_seconds(), 0))
                status = self.tr("idle, next round in %1").replace("%1", wait)
        return f"SyncDeck — {status}"

    def retranslate(self) -> None:
        self.sync_action.setText(self.tr("Sync now"))
        self.open_action.setText(self.tr("Open SyncDeck"))
        self.quit_action.setText(self.tr("Quit"))
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.menu and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif watched is self.menu and event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._tint_icons()  # line icons take the palette's text colour (light or dark theme)
        return False

    def _tint_icons(self) -> None:
        self.sync_action.setIcon(icon("sync"))
        self._paused_icon_shown = None
        self.refresh()

    def _busy_changed(self, running: bool) -> None:
        if not running:
            self._asked = False
        self.refresh()

    def _state_changed(self, what: str) -> None:
        if what == "paused":
            self.refresh()

    # ---------------------------------------------------------------- actions

    def sync_now(self) -> None:
        self._asked = self._announce = True
        self.refresh()
        self.bridge.run(self.engine.sync(), what=self.tr("Sync now"), done=self._sync_done, failed=self._sync_failed)

    def _sync_done(self, result: Any) -> None:
        asked, self._asked, self._announce = self._asked, False, False
        if asked and result.outcome == "busy":
            self.notify(self.tr("Already syncing"), self.tr("A sync is running now; its videos will be announced."))
        self.refresh()

    def _sync_failed(self, message: str) -> None:
        self._asked = self._announce = False
        self.notify(self.tr("Sync failed"), message, QSystemTrayIcon.MessageIcon.Warning)
        self.refresh()

    def toggle_pause(self) -> None:
        if self.engine.paused:
            self.engine.resume_all()
        else:
            self.engine.pause_all()
        self.refresh()

    def show_window(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    def hint_once(self) -> None:
        """Say once per data folder that closing the window did not stop SyncDeck."""
        if not self.available:
            return
        marker = self.engine.config.data_dir / HINT_MARKER
        if marker.exists():
            return
        self.notify(
            self.tr("SyncDeck keeps syncing in the tray"),
            self.tr("Click the tray icon to open the window; choose Quit in its menu to stop."),
        )
        try:
            marker.touch()
        except OSError as exc:  # a read-only data folder: the hint shows again next time, no harm
            log.warning("cannot remember the tray hint: %s", exc)

    def hide(self) -> None:
        self._tray_watch.stop()
        self._tooltip_timer.stop()
        self._batch_timer.stop()
        self.icon.hide()

    def _icon_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_window()

    # ---------------------------------------------------------- notifications

    def notify(
        self,
        title: str,
        text: str,
        kind: QSystemTrayIcon.MessageIcon = QSystemTrayIcon.MessageIcon.Information,
        target: str = "",
    ) -> None:
        """A desktop notification; `target` is the panel that clicking it opens."""
        self._message_target = target
        self.show_message(title, text, kind)

    def show_message(self, title: str, text: str, kind: QSystemTrayIcon.MessageIcon) -> None:
        if self.available:
            self.icon.showMessage(title, text, kind, MESSAGE_MS)

    def _message_clicked(self) -> None:
        if self._message_target:
            self.window.show_panel(self._message_target)
        self.show_window()

    def _task_added(self, event: TaskAdded) -> None:
        self._titles[event.task_id] = event.title

    def _task_finished(self, event: TaskFinished) -> None:
        if not event.ok:
            return
        title = self._titles.pop(event.task_id, "")
        self._synced[event.task_id] = title
        if not title:  # found in an earlier run: ask the engine for its title

            def found(rows: list[Any], task_id: int = event.task_id) -> None:
                if rows and rows[0].id == task_id and task_id in self._synced:
                    self._synced[task_id] = rows[0].title

            self.bridge.run(self.engine.tasks(after_id=event.task_id - 1, limit=1), done=found, failed=log.debug)
        if not self._batch_timer.isActive():
            self._batch_timer.start()

    def _batch_due(self) -> None:
        self._flush_synced(failed=0)

    def _flush_synced(self, failed: int, *, asked: bool = False) -> None:
        """One message for the videos finished since the last one, and the round's failures."""
        self._batch_timer.stop()
        synced, self._synced = self._synced, {}
        lines = []
        if synced:
            known = [one_line(title, TITLE_CHARS) for title in synced.values() if title]
            lines += known[:TITLES_SHOWN]
            more = len(synced) - min(len(known), TITLES_SHOWN)
            if known and more:
                lines.append(self.tr("and %n more", "", more))
        if failed:
            lines.append(
                self.tr("1 download failed — open SyncDeck to see why.")
                if failed == 1
                else self.tr("%n downloads failed — open SyncDeck to see why.", "", failed)
            )
        if synced:
            count = len(synced)
            title = self.tr("New video synced") if count == 1 else self.tr("%n new videos synced", "", count)
            kind = QSystemTrayIcon.MessageIcon.Warning if failed else QSystemTrayIcon.MessageIcon.Information
        elif failed:
            title = self.tr("Sync finished with failures")
            kind = QSystemTrayIcon.MessageIcon.Warning
        elif asked:  # the person asked for this sync: say that it ended, even with nothing new
            title = self.tr("Sync finished")
            lines.append(self.tr("No new videos."))
            kind = QSystemTrayIcon.MessageIcon.Information
        else:
            return
        self.notify(title, "\n".join(lines), kind, target="tasks" if failed else "")

    def _round_finished(self, event: RoundFinished) -> None:
        failed = event.failed if event.outcome in ("done", "failed") else 0
        cooling = self._cooldown_until is not None and self._cooldown_until > datetime.now(UTC)
        if event.outcome == "done" and not event.failed and not (self._problem == "risk" and cooling):
            self._problem = ""
            self._problem_detail = ""
            self._expired_accounts.clear()
        elif event.outcome == "failed" or (failed and self._problem not in ("risk", "login")):
            self._problem = "failed"
            self._problem_detail = str(event.failed)
        announce, self._announce = self._announce, False
        self._flush_synced(failed=failed, asked=announce and event.outcome == "done")
        self.refresh()

    def _risk_control(self, event: RiskControl) -> None:
        self._problem = "risk"
        self._cooldown_until = event.cooldown_until
        minutes = max(1, round((event.cooldown_until - datetime.now(UTC)).total_seconds() / 60))
        self.notify(
            self.tr("Bilibili risk control"),
            self.tr("Paused syncing for a minute.")
            if minutes == 1
            else self.tr("Paused syncing for %n minutes.", "", minutes),
            QSystemTrayIcon.MessageIcon.Warning,
        )
        self.refresh()

    def _account_state_changed(self, event: AccountStateChanged) -> None:
        if event.state == "ok":
            self._expired_accounts.discard(event.account_id)
            return
        if event.account_id in self._expired_accounts:
            return  # one message per account until a clean round
        self._expired_accounts.add(event.account_id)

        def named(accounts: list[Any]) -> None:
            name = next((a.name or a.user_name for a in accounts if a.id == event.account_id), "") or "Bilibili"
            self._problem = "login"
            self._problem_detail = name
            self.notify(
                self.tr("Login expired for %1").replace("%1", name),
                self.tr("Click to log in again."),
                QSystemTrayIcon.MessageIcon.Warning,
                target="accounts",
            )
            self.refresh()

        self.bridge.run(self.engine.list_accounts(), done=named, failed=lambda _message: named([]))
