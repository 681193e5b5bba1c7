"""`syncdeck --selftest`: is this installation complete? One line per check, exit 0 or 1.

It starts the real parts on a throw-away data folder: the engine with its database
migrations, the main window with every panel (built offscreen, never shown), the keyring, the
bundled ffmpeg, the translations and the icons. It runs the same from a checkout and from the
PyInstaller bundle, where a missing data file or plugin shows up here first.
"""

from __future__ import annotations

import asyncio
import platform
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QTranslator, qVersion
from PySide6.QtGui import QImageReader
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from core.config import Config, load_config
from core.engine.engine import Engine
from core.library.media import find_ffmpeg
from core.secrets import SecretStore
from desktop.i18n import LANGUAGES
from desktop.resources import app_icon, resource

PANEL_SETTLE_SECONDS = 0.5  # panels load their first rows as engine calls; let them land


@dataclass
class Check:
    name: str
    outcome: str  # "ok" | "warning" | "FAILED"
    detail: str


class SelfTest:
    def __init__(self, app: QApplication, data_dir: Path) -> None:
        self.app = app
        self.data_dir = data_dir
        self.config: Config | None = None
        self.engine: Engine | None = None
        self.checks: list[Check] = []

    async def run(self) -> list[Check]:
        steps: list[tuple[str, Callable[[], Awaitable[Check]]]] = [
            ("runtime", self.check_runtime),
            ("engine", self.check_engine),
            ("window", self.check_window),
            ("keyring", self.check_keyring),
            ("ffmpeg", self.check_ffmpeg),
            ("translations", self.check_translations),
            ("icons", self.check_icons),
        ]
        try:
            for name, step in steps:
                try:
                    check = await step()
                except Exception as exc:  # a broken installation fails in surprising places
                    check = Check(name, "FAILED", f"{type(exc).__name__}: {exc}")
                self.checks.append(check)
                print(f"{check.outcome:<8} {check.name:<13} {check.detail}", flush=True)
        finally:
            if self.engine is not None:
                await self.engine.close()
        return self.checks

    async def check_runtime(self) -> Check:
        where = f"bundle {Path(sys.executable).parent}" if getattr(sys, "frozen", False) else "source checkout"
        return Check(
            "runtime",
            "ok",
            f"Python {platform.python_version()}, Qt {qVersion()} ({self.app.platformName()}), {where}",
        )

    async def check_engine(self) -> Check:
        self.config = load_config(self.data_dir / "config.toml", data_dir=self.data_dir)
        self.engine = Engine(self.config)  # opens the database and runs every migration
        status = await self.engine.status()
        detail = f"database created and migrated in a temporary folder ({status['sources']} sources)"
        return Check("engine", "ok", detail)

    async def check_window(self) -> Check:
        if self.engine is None or self.config is None:
            return Check("window", "FAILED", "needs the engine, which did not start")
        from desktop.app import panel_factories
        from desktop.bridge import EngineBridge
        from desktop.i18n import Translations
        from desktop.mainwindow.window import MainWindow
        from desktop.theme import apply_theme

        translations = Translations(self.app)
        translations.apply(self.config["ui.language"])
        apply_theme(self.app, self.config["ui.theme"])
        bridge = EngineBridge(self.engine)
        errors: list[str] = []
        bridge.errorRaised.connect(lambda what, message: errors.append(f"{what}: {message}" if what else message))
        try:
            window = MainWindow(bridge, panel_factories())
            await asyncio.sleep(PANEL_SETTLE_SECONDS)
            picture = window.grab()  # paints every widget of the current panel, offscreen
            panels = list(window.panels)
            window.deleteLater()
        finally:
            await bridge.shutdown()
            bridge.deleteLater()
        if errors:
            return Check("window", "FAILED", "; ".join(errors))
        if picture.isNull():
            return Check("window", "FAILED", "the main window did not paint")
        return Check("window", "ok", f"main window built with panels {', '.join(panels)}")

    async def check_keyring(self) -> Check:
        status = SecretStore().check()
        if status.secure:
            return Check("keyring", "ok", status.message)
        # Servers log in through the environment cookie; only saved logins need the keyring.
        return Check("keyring", "warning", status.message)

    async def check_ffmpeg(self) -> Check:
        configured = self.config["ffmpeg.path"] if self.config is not None else ""
        binary = await asyncio.to_thread(find_ffmpeg, configured)
        result = await asyncio.to_thread(
            subprocess.run, [binary, "-hide_banner", "-version"], capture_output=True, text=True, timeout=20
        )
        if result.returncode != 0:
            return Check("ffmpeg", "FAILED", f"{binary} -version exited {result.returncode}")
        first_line = (result.stdout.splitlines() or ["?"])[0]
        return Check("ffmpeg", "ok", f"{first_line} ({binary})")

    async def check_translations(self) -> Check:
        found = []
        missing = []
        for language in LANGUAGES:
            if language == "en":
                continue  # the source language needs no catalog
            translator = QTranslator()
            catalog = resource("i18n", f"syncdeck_{language}.qm")
            if translator.load(str(catalog)) and not translator.isEmpty():
                found.append(language)
            else:
                missing.append(str(catalog))
            qt_catalog = QTranslator()
            if not qt_catalog.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
                missing.append(f"Qt's own qtbase_{language}.qm")
        if missing:
            return Check("translations", "FAILED", "missing or unreadable: " + ", ".join(missing))
        return Check("translations", "ok", f"catalogs load: en, {', '.join(found)}")

    async def check_icons(self) -> Check:
        if b"svg" not in [bytes(fmt.data()) for fmt in QImageReader.supportedImageFormats()]:
            return Check("icons", "FAILED", "Qt's SVG image plugin is missing")
        files = sorted(resource("icons").glob("*.svg"))
        broken = [path.name for path in files if not QSvgRenderer(str(path)).isValid()]
        for state in ("syncdeck", "tray-idle", "tray-syncing", "tray-paused", "tray-error"):
            if app_icon(state).pixmap(32, 32).isNull():
                broken.append(f"{state} (app icon)")
        if not files or broken:
            return Check("icons", "FAILED", "cannot draw: " + (", ".join(broken) or f"no icons in {resource('icons')}"))
        return Check("icons", "ok", f"{len(files)} icons draw")


def run_selftest(app: QApplication) -> int:
    from desktop.loop import make_loop

    loop = make_loop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory(prefix="syncdeck-selftest-") as data_dir, loop:
        checks = loop.run_until_complete(SelfTest(app, Path(data_dir)).run())
    failed = [check.name for check in checks if check.outcome == "FAILED"]
    warned = [check.name for check in checks if check.outcome == "warning"]
    if failed:
        print(f"selftest: {len(failed)} of {len(checks)} checks FAILED: {', '.join(failed)}")
        return 1
    note = f" ({len(warned)} warning: {', '.join(warned)})" if warned else ""
    print(f"selftest: all {len(checks)} checks passed{note}")
    return 0
