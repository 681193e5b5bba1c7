"""The tray: menu actions, the icon's state, batched notifications, close-to-tray.

Offscreen there is no tray host, so these tests use `RecordingTray`, which records the
notifications a tray host would show; everything else is the real Tray on a real engine
(rounds against the fake Bilibili). `test_real_tray_under_xvfb` checks the icon in a real
X tray when Xvfb and trayer are installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QSystemTrayIcon, QVBoxLayout, QWidget

from core.events import AccountStateChanged, RiskControl, RoundFinished, RoundStarted, TaskAdded, TaskFinished
from core.store import repo
from core.store.models import Account
from desktop.bridge import EngineBridge
from desktop.panels.base import Panel
from desktop.tray import HINT_MARKER, Tray
from tests.desktop.conftest import desktop_config, screenshot, until
from tests.fakes.bilibili import FakeBilibili, world

pytestmark = pytest.mark.timeout(90)

REPO = Path(__file__).resolve().parents[2]


class StandInWindow(QMainWindow):
    """The parts of the main window the tray uses: show/raise and `show_panel`."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("SyncDeck")
        self.panels_shown: list[str] = []

    def show_panel(self, key: str) -> None:
        self.panels_shown.append(key)


class RecordingTray(Tray):
    """A Tray whose notifications are recorded as a tray host would receive them."""

    def __init__(self, bridge: EngineBridge, window: QMainWindow, *, with_tray: bool = True) -> None:
        super().__init__(bridge, window)  # type: ignore[arg-type]
        self.available = with_tray
        self.messages: list[tuple[str, str, QSystemTrayIcon.MessageIcon]] = []

    def show_message(self, title: str, text: str, kind: QSystemTrayIcon.MessageIcon) -> None:
        if self.available:
            self.messages.append((title, text, kind))
        super().show_message(title, text, kind)


@pytest.fixture
def window(qtbot: Any) -> StandInWindow:
    stand_in = StandInWindow()
    qtbot.addWidget(stand_in)
    return stand_in


@pytest.fixture
def tray(bridge: EngineBridge, window: StandInWindow) -> Iterator[RecordingTray]:
    recording = RecordingTray(bridge, window)
    yield recording
    recording.hide()
    recording.deleteLater()


def shows(tray: Tray, state: str) -> bool:
    return tray.state == state and tray.icon.icon().cacheKey() == tray._icons[state].cacheKey()


async def test_menu_actions_sync_pause_open_and_quit(tray: RecordingTray, window: StandInWindow) -> None:
    engine = tray.engine
    rounds: list[RoundFinished] = []
    tray.bridge.roundFinished.connect(rounds.append)
    assert [a.text() for a in tray.menu.actions() if a.text()] == [
        "Sync now",
        "Pause all",
        "Alternative speed limits",
        "Open SyncDeck",
        "Quit",
    ]
    tray.menu.adjustSize()
    screenshot(tray.menu, "tray-menu")

    tray.sync_action.trigger()
    await until(lambda: tray.bridge.round_running or rounds, what="the round to start")
    await until(lambda: rounds, what="the round to finish")
    assert rounds[0].outcome == "done" and tray.sync_action.isEnabled()

    tray.pause_action.trigger()
    assert engine.paused and tray.pause_action.text() == "Resume all" and shows(tray, "paused")
    assert tray.status_text() == "SyncDeck — paused"
    tray.menu.adjustSize()
    screenshot(tray.menu, "tray-menu-paused")
    tray.pause_action.trigger()
    assert not engine.paused and tray.pause_action.text() == "Pause all" and shows(tray, "idle")

    # Pausing from elsewhere (the Tasks panel, the CLI settings) shows in the tray as well.
    engine.pause_all()
    assert tray.pause_action.text() == "Resume all"
    engine.resume_all()

    assert not window.isVisible()
    tray.open_action.trigger()
    assert window.isVisible()

    quits: list[bool] = []
    tray.quitRequested.connect(lambda: quits.append(True))
    tray.quit_action.trigger()
    assert quits == [True]


async def test_menu_icons_follow_a_theme_switch(tray: RecordingTray) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    light = tray.pause_action.icon().pixmap(24, 24).toImage()
    original = app.palette()
    dark = QPalette(original)  # what the dark theme does to the text colour the icons are drawn in
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    app.setPalette(dark)
    try:
        await until(lambda: tray.pause_action.icon().pixmap(24, 24).toImage() != light, what="re-tinted icons")
    finally:
        app.setPalette(original)


async def test_risk_control_turns_the_icon_red_until_a_clean_round(
    tray: RecordingTray, fake_bili: FakeBilibili
) -> None:
    engine = tray.engine
    bridge = tray.bridge
    seen: list[tuple[bool, str]] = []  # connected after the tray: it has already updated
    bridge.busyChanged.connect(lambda running: seen.append((running, tray.state)))
    await engine.add_source(world.SEASON_KEY)
    fake_bili.scenario(risk={"endpoint": "/x/polymer/web-space/seasons_archives_list", "kind": "-412"})
    tray.sync_action.trigger()
    await until(lambda: len(seen) == 2, what="the blocked round to end")
    assert seen == [(True, "syncing"), (False, "error")]
    assert shows(tray, "error")
    title, text, kind = tray.messages[-1]
    assert title == "Bilibili risk control" and kind == QSystemTrayIcon.MessageIcon.Warning
    assert text.startswith("Paused syncing for ") and text.endswith(" minutes.")
    assert "risk control, resuming in" in tray.status_text()

    # A round while the cooldown runs does not clear it; a clean round after it does.
    engine.bus.publish(RoundStarted(99, ()))
    assert shows(tray, "syncing")
    engine.bus.publish(RoundFinished(99, "done", 0, 0, 0))
    assert shows(tray, "error")
    tray._cooldown_until = datetime.now(UTC) - timedelta(seconds=1)
    engine.bus.publish(RoundStarted(100, ()))
    engine.bus.publish(RoundFinished(100, "done", 0, 0, 0))
    assert shows(tray, "idle") and tray.status_text().startswith("SyncDeck — idle")


async def test_new_videos_are_announced_once_per_round(tray: RecordingTray, fake_bili: FakeBilibili) -> None:
    finished: list[RoundFinished] = []
    tray.bridge.roundFinished.connect(finished.append)
    await tray.engine.add_source(world.SERIES_KEY)
    tray.sync_action.trigger()
    await until(lambda: finished, what="the round")
    assert finished[0].downloaded == 2
    assert len(tray.messages) == 1, tray.messages
    title, text, kind = tray.messages[0]
    titles = [row.title for row in await tray.engine.tasks()]
    assert title == "2 new videos synced" and kind == QSystemTrayIcon.MessageIcon.Information
    assert sorted(text.splitlines()) == sorted(titles)
    assert shows(tray, "idle")


async def test_many_videos_make_one_message_with_the_first_titles(tray: RecordingTray) -> None:
    bus = tray.engine.bus
    bus.publish(RoundStarted(1, (1,)))
    long_title = "【4K】第1集\n" + "一个非常非常长的标题" * 30  # 300 characters with a line break
    titles = [long_title] + [f"第{video_id}集" for video_id in range(2, 8)]
    for video_id, title in enumerate(titles, 1):
        bus.publish(TaskAdded(video_id, 1, "video", title))
    for video_id in range(1, 8):
        bus.publish(TaskFinished(video_id, ok=True))
    bus.publish(TaskFinished(9, ok=False))
    assert tray.messages == [], "nothing until the round ends"
    bus.publish(RoundFinished(1, "done", 7, 0, 7))
    ((title, text, kind),) = tray.messages
    assert title == "7 new videos synced" and kind == QSystemTrayIcon.MessageIcon.Information
    lines = text.splitlines()
    assert lines == [long_title.replace("\n", " ")[:59] + "…", "第2集", "第3集", "第4集", "第5集", "and 2 more"]
    assert max(len(line) for line in lines) == 60, "one short line per title"


async def test_sync_now_from_the_menu_shows_syncing_and_ends_with_a_message(tray: RecordingTray) -> None:
    tray.sync_action.trigger()
    # at once, before the round has even checked the logins
    assert shows(tray, "syncing") and not tray.sync_action.isEnabled()
    tray.refresh()
    assert tray.icon.toolTip().startswith("SyncDeck — syncing")
    await until(lambda: tray.messages, what="the message that the sync ended")
    assert tray.messages == [("Sync finished", "No new videos.", QSystemTrayIcon.MessageIcon.Information)]
    assert shows(tray, "idle") and tray.sync_action.isEnabled()
    # rounds nobody asked for (the schedule's) that find nothing stay quiet
    tray.engine.bus.publish(RoundStarted(50, ()))
    tray.engine.bus.publish(RoundFinished(50, "done", 0, 0, 0))
    assert len(tray.messages) == 1


async def test_a_long_round_reports_at_most_once_per_interval(tray: RecordingTray) -> None:
    tray._batch_timer.setInterval(300)
    bus = tray.engine.bus
    bus.publish(RoundStarted(1, (1,)))
    for video_id in (1, 2):
        bus.publish(TaskAdded(video_id, 1, "video", f"video {video_id}"))
        bus.publish(TaskFinished(video_id, ok=True))
    await until(lambda: tray.messages, what="the batch timer")
    bus.publish(TaskAdded(3, 1, "video", "video 3"))
    bus.publish(TaskFinished(3, ok=True))
    bus.publish(RoundFinished(1, "done", 3, 0, 3))
    assert [(m[0], m[1]) for m in tray.messages] == [
        ("2 new videos synced", "video 1\nvideo 2"),
        ("New video synced", "video 3"),
    ]


async def test_failures_are_announced_and_open_the_tasks_panel(tray: RecordingTray, window: StandInWindow) -> None:
    bus = tray.engine.bus
    bus.publish(RoundStarted(1, (1,)))
    bus.publish(TaskAdded(1, 1, "video", "good one"))
    bus.publish(TaskFinished(1, ok=True))
    bus.publish(RoundFinished(1, "failed", 1, 2, 1))
    assert len(tray.messages) == 1
    title, text, kind = tray.messages[0]
    assert title == "New video synced" and kind == QSystemTrayIcon.MessageIcon.Warning
    assert text == "good one\n2 downloads failed — open SyncDeck to see why."
    assert shows(tray, "error") and tray.status_text() == "SyncDeck — last round: 2 failed"
    tray.icon.messageClicked.emit()
    assert window.panels_shown == ["tasks"] and window.isVisible()

    bus.publish(RoundFinished(2, "failed", 0, 1, 0))
    assert tray.messages[-1][0] == "Sync finished with failures"
    bus.publish(RoundFinished(3, "done", 0, 0, 0))
    assert shows(tray, "idle") and len(tray.messages) == 2, "a clean round with nothing new stays quiet"


async def test_login_expired_message_opens_the_accounts_panel(tray: RecordingTray, window: StandInWindow) -> None:
    # an account saved by an earlier QR login
    account = await tray.engine.db.run(repo.add_account, Account(name="主账号", mid=world.ACCOUNT_MID))
    tray.engine.bus.publish(AccountStateChanged(account.id or 0, "expired", "login expired"))
    tray.engine.bus.publish(AccountStateChanged(account.id or 0, "expired", "login expired"))
    await until(lambda: tray.messages, what="the login message")
    assert tray.messages == [
        ("Login expired for 主账号", "Click to log in again.", QSystemTrayIcon.MessageIcon.Warning)
    ]
    assert shows(tray, "error") and tray.status_text() == "SyncDeck — login expired for 主账号"
    tray.icon.messageClicked.emit()
    assert window.panels_shown == ["accounts"] and window.isVisible()


async def test_the_close_to_tray_hint_is_shown_once_per_data_folder(
    bridge: EngineBridge, window: StandInWindow
) -> None:
    first = RecordingTray(bridge, window)
    first.hint_once()
    first.hint_once()
    assert [m[0] for m in first.messages] == ["SyncDeck keeps syncing in the tray"]
    first.hide()
    again = RecordingTray(bridge, window)  # the next start of the app
    again.hint_once()
    assert again.messages == []
    again.hide()

    (bridge.engine.config.data_dir / HINT_MARKER).unlink()
    without_tray = RecordingTray(bridge, window, with_tray=False)
    without_tray.hint_once()
    without_tray.engine.bus.publish(RiskControl(1, "-412", datetime.now(UTC) + timedelta(minutes=5)))
    assert without_tray.messages == [] and not (bridge.engine.config.data_dir / HINT_MARKER).exists()
    assert without_tray.state == "error", "the state is kept for when a tray appears"
    without_tray.hide()


class _EnglishToChinese(QTranslator):
    WORDS = {"Sync now": "立即同步", "Pause all": "全部暂停", "Open SyncDeck": "打开 SyncDeck", "Quit": "退出"}

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return self.WORDS.get(source, "") if context == "Tray" else ""

    def isEmpty(self) -> bool:
        return False


async def test_the_menu_follows_a_language_switch(bridge: EngineBridge, window: StandInWindow) -> None:
    app = QApplication.instance()
    tray = Tray(bridge, window)  # not a subclass: tr() looks strings up under the class's own name
    translator = _EnglishToChinese()
    app.installTranslator(translator)
    try:
        await until(lambda: tray.sync_action.text() == "立即同步", what="the LanguageChange event")
        assert [a.text() for a in tray.menu.actions() if a.text()] == ["立即同步", "全部暂停", "打开 SyncDeck", "退出"]
        tray.menu.adjustSize()
        screenshot(tray.menu, "tray-menu-zh")
    finally:
        app.removeTranslator(translator)
    await until(lambda: tray.sync_action.text() == "Sync now", what="English again")
    tray.hide()


class _StandInPanel(Panel):
    key = "accounts"
    icon_name = "accounts"

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        QVBoxLayout(self).addWidget(QLabel("accounts"))

    def title(self) -> str:
        return "Accounts"

    def retranslate(self) -> None:
        pass


async def test_closing_the_window_quits_without_a_tray_and_hides_with_one(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import desktop.app

    monkeypatch.setenv("SYNCDECK_BILIBILI_COOKIE", world.COOKIE)
    monkeypatch.setattr(desktop.app, "panel_factories", lambda: [_StandInPanel])
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    # English whatever the machine's locale: the translators it installs stay for the whole session
    desk = desktop.app.DesktopApp(app, desktop_config(fake_bili, tmp_path, **{"ui.language": "en"}))
    try:
        assert not desk.tray.available, "offscreen has no tray host"
        desk.window.show()
        desk.window.close()
        assert desk.quit_event.is_set(), "without a tray, closing the window quits"

        desk.quit_event.clear()
        desk.tray.available = True  # as on a desktop with a tray host
        desk.window.show()
        desk.window.close()
        assert not desk.quit_event.is_set() and not desk.window.isVisible()
        assert (desk.config.data_dir / HINT_MARKER).exists(), "the one-time hint was given"
        desk.show_window()
        assert desk.window.isVisible()
    finally:
        desk.window.hide()
        await desk.shutdown()
        desk.window.deleteLater()


REAL_TRAY_SCRIPT = r"""
import asyncio, json, sys, tempfile
from pathlib import Path
from PySide6.QtWidgets import QApplication, QMainWindow
import qasync
app = QApplication([])
loop = qasync.QEventLoop(app); asyncio.set_event_loop(loop)
from core.config import load_config
from core.engine.engine import Engine
from desktop.bridge import EngineBridge
from desktop.tray import Tray

async def main():
    tmp = Path(tempfile.mkdtemp())
    engine = Engine(load_config(tmp / "config.toml", data_dir=tmp))
    bridge = EngineBridge(engine)
    tray = Tray(bridge, QMainWindow())
    report = {"available_at_start": tray.available}
    Path(sys.argv[1]).with_name("checked").touch()  # a tray host may start now
    for _ in range(50):  # the tray host embeds the icon (or, started late, appears first)
        await asyncio.sleep(0.2)
        if tray.icon.isVisible() and tray.icon.geometry().width() > 0:
            break
    await asyncio.sleep(0.5)
    report.update(available=tray.available, visible=tray.icon.isVisible(),
                  geometry=tray.icon.geometry().getRect(), tooltip=tray.icon.toolTip())
    tray.pause_action.trigger()
    await asyncio.sleep(0.5)
    app.primaryScreen().grabWindow(0).save(sys.argv[1])
    report["paused_state"] = tray.state
    tray.hide()
    await bridge.shutdown()
    await engine.close()
    print(json.dumps(report))

with loop:
    loop.run_until_complete(main())
"""

TRAYER = "trayer --edge bottom --align right --widthtype pixel --width 64 --height 32"


def run_under_xvfb(tmp_path: Path, shell: str) -> dict[str, Any]:
    if not (shutil.which("xvfb-run") and shutil.which("trayer")):
        pytest.skip("needs xvfb-run and trayer (apt-get install xvfb trayer)")
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(REPO), "HOME": str(tmp_path)}
    result = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 640x400x24", "sh", "-c", shell],
        capture_output=True,
        text=True,
        timeout=50,
        env=env,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.timeout(60)
def test_real_tray_under_xvfb(tmp_path: Path) -> None:
    shot = REPO / "build" / "test-screenshots" / "tray-real-x.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    script = tmp_path / "real_tray.py"
    script.write_text(REAL_TRAY_SCRIPT)
    report = run_under_xvfb(
        tmp_path, f'{TRAYER} & tray=$!; sleep 1; "{sys.executable}" "{script}" "{shot}"; s=$?; kill $tray; exit $s'
    )
    assert report["available_at_start"] and report["visible"], report
    assert report["geometry"][2] > 0, "the tray host gave the icon a place"
    assert report["tooltip"].startswith("SyncDeck — idle")
    assert report["paused_state"] == "paused"


@pytest.mark.timeout(60)
def test_a_tray_host_that_starts_later_still_gets_the_icon(tmp_path: Path) -> None:
    """At login the app may start before the desktop's panel."""
    script = tmp_path / "real_tray.py"
    script.write_text(REAL_TRAY_SCRIPT)
    report = run_under_xvfb(
        tmp_path,
        # the tray host starts only once the app has looked for one (a fixed sleep raced a slow start)
        f'"{sys.executable}" "{script}" "{tmp_path / "shot.png"}" & app=$!; '
        f'for i in $(seq 300); do [ -e "{tmp_path / "checked"}" ] && break; sleep 0.1; done; '
        f"sleep 0.5; {TRAYER} & tray=$!; "
        "wait $app; s=$?; kill $tray; exit $s",
    )
    assert not report["available_at_start"]
    assert report["available"] and report["visible"] and report["geometry"][2] > 0, report
