"""The desktop application: one qasync loop shared by Qt and the engine.

Start-up order: config → logging → QApplication → single-instance check → engine → window
and tray → background rounds on schedule. Closing the window keeps SyncDeck in the tray
(when a tray exists); Quit from the tray stops the running round cleanly.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from core.cli import remote
from core.config import Config, load_config
from core.errors import ConfigError, SyncDeckError
from desktop.i18n import Translations
from desktop.open_requests import OpenRequests
from desktop.resources import app_icon
from desktop.theme import apply_theme

if TYPE_CHECKING:
    from desktop.mainwindow.window import MainWindow

log = logging.getLogger(__name__)

APP_ID = "SyncDeck"
GC_INTERVAL_MS = 2000
# Set to 1 by bench/cold_start.py: quit right after the window's first paint and say when it was.
BENCH_QUIT_ON_SHOW = "SYNCDECK_BENCH_QUIT_ON_SHOW"
FIRST_PAINT_MARKER = "syncdeck: first window paint after"
_IMPORTED_AT = time.monotonic()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="syncdeck", description="SyncDeck desktop app")
    p.add_argument("--config")
    p.add_argument("--data-dir")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--minimized", action="store_true", help="start hidden in the tray")
    p.add_argument("--selftest", action="store_true", help="check the installation and exit")
    p.add_argument("-v", "--verbose", action="count", default=0)
    return p


def panel_factories() -> list[type]:
    from desktop.panels.accounts import AccountsPanel
    from desktop.panels.log import LogPanel
    from desktop.panels.notes import NotesPanel
    from desktop.panels.playlists import PlaylistsPanel
    from desktop.panels.settings import SettingsPanel
    from desktop.panels.sources import SourcesPanel
    from desktop.panels.tasks import TasksPanel

    return [SourcesPanel, TasksPanel, PlaylistsPanel, NotesPanel, AccountsPanel, SettingsPanel, LogPanel]


class DesktopApp:
    """Owns the engine, the bridge, the window and the tray for one run.

    The window may already be on screen (drawn before the engine was imported, see `run`);
    the engine and the panels are put into it here.
    """

    def __init__(
        self,
        app: QApplication,
        config: Config,
        *,
        minimized: bool = False,
        window: MainWindow | None = None,
        translations: Translations | None = None,
    ) -> None:
        from core.engine.engine import Engine
        from desktop.bridge import EngineBridge
        from desktop.mainwindow.window import MainWindow
        from desktop.tray import Tray

        self.app = app
        self.config = config
        if translations is None:
            translations = Translations(app)
            translations.apply(config["ui.language"])
            apply_theme(app, config["ui.theme"])
        self.translations = translations
        self.engine = Engine(config)
        self.bridge = EngineBridge(self.engine)
        self.window = window or MainWindow()
        self.window.attach(self.bridge, panel_factories())
        self._play_opened_links()
        self.open_requests = OpenRequests.on(app)  # links and files macOS opens
        self.open_requests.attach(self)
        self.tray = Tray(self.bridge, self.window)
        self.window.closeRequested.connect(self.close_window)
        self.tray.quitRequested.connect(self.quit)
        self.bridge.stateChanged.connect(self._settings_changed)
        self.quit_event = asyncio.Event()
        self._stop_rounds = asyncio.Event()
        self._rounds: asyncio.Task[None] | None = None
        self.minimized = minimized

    def _play_opened_links(self) -> None:
        """A `syncdeck://play?path=…&t=…` link the app was started with (a note's timestamp
        clicked in another program) plays in the player at that moment."""
        from desktop.launcher import opened_links

        for link in opened_links:
            play_link(self.window, link)
        opened_links.clear()

    def open_link(self, link: str) -> None:
        """A link a later launch handed over (a timestamp clicked while SyncDeck runs)."""
        if play_link(self.window, link):
            self.show_window()

    def start(self) -> None:
        if self.minimized and self.tray.available:
            self.window.hide()
        else:
            self.window.show()
        self._rounds = asyncio.ensure_future(self.engine.run_daemon(self._stop_rounds))
        # torrents download and seed while the window runs; no BitTorrent session without any
        self.bridge.run(self.engine.torrents.start_if_stored(), what="BitTorrent")

    def show_window(self) -> None:
        self.tray.show_window()

    def close_window(self) -> None:
        if self.config["ui.close_to_tray"] and self.tray.available:
            self.window.hide()
            self.tray.hint_once()
        else:
            self.quit()

    def quit(self) -> None:
        self.quit_event.set()

    def _settings_changed(self, what: str) -> None:
        if what != "settings":
            return
        language = self.translations.language
        if self.translations.apply(self.config["ui.language"]) != language:
            log.info("language switched to %s", self.translations.language)
        apply_theme(self.app, self.config["ui.theme"])

    async def shutdown(self) -> None:
        self._stop_rounds.set()
        if self._rounds is not None:
            try:
                await asyncio.wait_for(self._rounds, timeout=10)
            except TimeoutError:
                self._rounds.cancel()
        await self.bridge.shutdown()
        await self.engine.close()
        self.tray.hide()


def play_link(window: Any, link: str) -> bool:
    """Play a `syncdeck://play?path=…&t=SECONDS` link in the window's player; False for any other text."""
    from core.notes.outputs import parse_play_link

    wanted = parse_play_link(link)
    if not wanted.get("path"):
        log.info("not a link SyncDeck plays: %s", link[:200])
        return False
    try:
        seconds = max(0.0, float(wanted.get("t") or 0))
    except ValueError:
        seconds = 0.0
    window.playing.play_at(wanted["path"], seconds)
    return True


async def run(app: QApplication, config: Config, args: argparse.Namespace) -> int:
    from desktop.launcher import opened_links
    from desktop.single_instance import SingleInstance

    instance = SingleInstance(APP_ID + ":" + str(config.data_dir))
    if not instance.claim(opened_links):
        said = " and handed it the link" if opened_links else ""
        print(f"SyncDeck is already running; brought its window forward{said}.")
        return 0
    desktop: DesktopApp | None = None
    handed_over: list[str] = []  # links that come before the engine is up are played once it is

    def link_opened(link: str) -> None:
        if desktop is None:
            handed_over.append(link)
        else:
            desktop.open_link(link)

    instance.linkOpened.connect(link_opened)
    channel = remote.CommandChannel(config.data_dir, lambda argv: _run_for_client(desktop, argv), "window")
    try:
        channel.claim()
    except remote.DataDirBusy as exc:
        instance.release()
        print(f"syncdeck: {exc}", file=sys.stderr)
        text = QCoreApplication.translate("App", "SyncDeck already runs in the background for this data folder "
                                          "(syncdeck daemon). Stop it, then open the window again.")  # fmt: skip
        await explain_start_failure(None, text)
        return 4
    minimized = args.minimized or config["ui.start_minimized"]
    # The window is drawn before the engine and its libraries are imported, so it appears at
    # once; its panels are filled in a moment later.
    translations = Translations(app)
    translations.apply(config["ui.language"])
    apply_theme(app, config["ui.theme"])
    from desktop.mainwindow.window import MainWindow

    window = MainWindow()
    first_paint = asyncio.Event()
    if os.environ.get(BENCH_QUIT_ON_SHOW) == "1":  # cold-start benchmark: report and quit

        def painted() -> None:
            print(f"{FIRST_PAINT_MARKER} {process_age():.3f} s", flush=True)
            first_paint.set()

        FirstPaint(window, painted)
    if not minimized:
        window.show()
        window.repaint()  # painted now, before the imports below hold the loop for a moment
        await asyncio.sleep(0)
    try:
        desktop = DesktopApp(app, config, minimized=minimized, window=window, translations=translations)
    except SyncDeckError as exc:  # e.g. a damaged database: its message says what to do
        log.error("SyncDeck could not start: %s", exc)
        log.debug("start-up failure", exc_info=True)
        await explain_start_failure(window, str(exc))
        window.hide()
        await channel.close()
        instance.release()
        return 1
    instance.activated.connect(desktop.show_window)
    for link in handed_over:
        desktop.open_link(link)
    bench_quit = asyncio.ensure_future(first_paint.wait())
    bench_quit.add_done_callback(lambda task: task.cancelled() or desktop.quit())
    desktop.start()
    await channel.open()
    await desktop.quit_event.wait()
    bench_quit.cancel()
    await channel.close()
    await desktop.shutdown()
    instance.release()
    return 0


async def _run_for_client(desktop: DesktopApp | None, argv: list[str]) -> int:
    """A `syncdeck` command another process handed to this window's engine."""
    from core.cli.main import run_for_client

    assert desktop is not None, "the port opens only after the engine exists"
    return await run_for_client(desktop.engine, argv)


async def explain_start_failure(parent: QWidget | None, message: str) -> None:
    """Show why SyncDeck cannot start and wait until it is closed.

    Not QMessageBox.exec(): a nested event loop inside a qasync coroutine would run other
    tasks re-entrantly. The text is selectable so a path or a command can be copied.
    """
    box = QMessageBox(QMessageBox.Icon.Critical, "SyncDeck", message, QMessageBox.StandardButton.Close, parent)
    box.setObjectName("startFailure")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    box.finished.connect(lambda _result: closed.done() or closed.set_result(None))
    box.show()
    await closed
    box.deleteLater()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        config = load_config(args.config, data_dir=args.data_dir, overrides=_pairs(args.set))
    except ConfigError as exc:
        print(f"syncdeck: {exc}", file=sys.stderr)
        return 2
    from core.cli.logsetup import setup_logging

    setup_logging(config.data_dir, args.verbose)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_ID)
    app.setOrganizationName(APP_ID)
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("syncdeck")  # Wayland's app id: the menu entry's icon and name
    app.setQuitOnLastWindowClosed(False)  # the tray keeps running
    OpenRequests.on(app)  # a link that launches the app (macOS) comes before the window
    if args.selftest:
        from desktop.selftest import run_selftest

        return run_selftest(app)

    from desktop.loop import make_loop

    loop = make_loop(app)
    asyncio.set_event_loop(loop)
    collector = GuiThreadCollector(app)
    with loop:
        result = loop.run_until_complete(run(app, config, args))
    collector.stop()
    return result


class GuiThreadCollector:
    """Python's cycle collector, run only here on the GUI thread.

    Left automatic, it runs on whichever thread allocates — often a database worker — and a
    Qt object freed there corrupts Qt's timers. Young objects are collected often and cheaply;
    the full collection is rare.
    """

    def __init__(self, app: QApplication) -> None:
        gc.disable()
        self._ticks = 0
        self._timer = QTimer(app)
        self._timer.timeout.connect(self._collect)
        self._timer.start(GC_INTERVAL_MS)

    def _collect(self) -> None:
        self._ticks += 1
        gc.collect(2 if self._ticks % 30 == 0 else 0)

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()


def _pairs(items: list[str]) -> dict[str, str]:
    pairs = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"syncdeck: expected KEY=VALUE, got {item!r}")
        pairs[key] = value
    return pairs


class FirstPaint(QObject):
    """Calls back once, after the widget has painted for the first time (cold-start benchmark)."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            callback, self._callback = self._callback, None
            QTimer.singleShot(0, callback)  # after this paint has reached the screen
        return False


def process_age() -> float:
    """Seconds since this process was created (Linux), else since this module was imported."""
    try:
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        # Field 22 of /proc/self/stat, counted after the parenthesised command name.
        fields = Path("/proc/self/stat").read_text().rpartition(")")[2].split()
        return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return time.monotonic() - _IMPORTED_AT
