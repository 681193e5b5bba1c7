"""The Sources panel and its dialogs, driven like a person would, against the fake Bilibili."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from keyring.backends.null import Keyring as NullKeyring
from PySide6.QtCore import QItemSelectionModel, QObject, QPoint, Qt, QUrl, Slot
from PySide6.QtGui import QContextMenuEvent, QDesktopServices, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from core.engine.engine import Engine
from core.engine.views import SourceView
from core.secrets import SecretStore
from desktop.bridge import EngineBridge
from desktop.dialogs.add_source import AddSourceDialog
from desktop.dialogs.edit_source import EditSourceDialog
from desktop.mainwindow.window import MainWindow
from desktop.models.sources import Column, error_color
from desktop.panels.sources import REFRESH_INTERVAL_S, SourcesPanel
from tests.desktop.conftest import desktop_config, screenshot, until
from tests.fakes.bilibili import FakeBilibili, world

pytestmark = pytest.mark.timeout(90)

SERIES_LINK = f"https://space.bilibili.com/{world.UP_A_MID}/channel/seriesdetail?sid={world.SERIES_ID}"
SEASON_LINK = f"https://space.bilibili.com/{world.UP_A_MID}/channel/collectiondetail?sid={world.SEASON_ID}"
SERIES_TITLE = "料理笔记"


def open_panel(bridge: EngineBridge, qtbot: QtBot) -> SourcesPanel:
    panel = SourcesPanel(bridge)
    qtbot.addWidget(panel)
    panel.resize(1000, 380)
    panel.show()
    return panel


async def until_engine(condition: Callable[[], Awaitable[bool]], what: str, timeout: float = 20.0) -> None:
    """Poll an engine query (a coroutine) until it holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def engine_views(bridge: EngineBridge) -> dict[str, SourceView]:
    return {view.locator: view for view in await bridge.engine.sources()}


def row_of(panel: SourcesPanel, key: str) -> int:
    """The row the table shows the source in (after sorting)."""
    for row in range(panel.proxy.rowCount()):
        source_row = panel.proxy.mapToSource(panel.proxy.index(row, 0)).row()
        if panel.model.view_at(source_row).locator == key:
            return row
    raise AssertionError(f"{key} is not in the table")


def cell(panel: SourcesPanel, key: str, column: Column, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> object:
    return panel.proxy.index(row_of(panel, key), column).data(role)


def open_add_dialog(panel: SourcesPanel) -> AddSourceDialog:
    panel.add_action.trigger()
    dialog = panel.add_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


async def test_a_pasted_link_is_previewed_and_added_as_a_row(bridge: EngineBridge, qtbot: QtBot) -> None:
    QGuiApplication.clipboard().setText("nothing to see here")
    panel = open_panel(bridge, qtbot)
    await until(lambda: panel.model.loaded, what="first load")
    assert panel.stack.currentWidget() is panel.empty, "an empty table explains how to start"
    assert "No sources yet" in panel.empty.headline.text()
    screenshot(panel, "sources-panel-empty")

    dialog = open_add_dialog(panel)
    assert dialog.link_edit.text() == "", "plain text on the clipboard is not offered as a link"
    assert not dialog.add_button.isEnabled()
    assert dialog.preview.title.text().startswith("Paste a link"), "the empty dialog says what to do"
    screenshot(dialog, "add-source-dialog-empty")
    QTest.keyClicks(dialog.link_edit, SERIES_LINK)
    await until(dialog.add_button.isEnabled, what="the preview")
    assert dialog.preview.title.text() == SERIES_TITLE
    assert dialog.preview.owner.text() == "By 甲UP主"
    assert dialog.preview.count.text() == "2 videos"
    assert dialog.preview.kind.text().startswith("Bilibili · Series")
    assert dialog.name_edit.text() == SERIES_TITLE, "the name is the list's title unless typed"
    assert SERIES_TITLE in dialog.folder_field.edit.placeholderText(), "the default folder is shown"
    await until(lambda: dialog.preview.cover.pixmap().width() > 100, what="the cover")
    screenshot(dialog, "add-source-dialog-preview")

    QTest.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    await until(lambda: panel.model.rowCount() == 1, what="the new row")
    await until(lambda: panel.add_dialog is None, what="the dialog closing")
    assert panel.stack.currentWidget() is panel.view
    assert cell(panel, world.SERIES_KEY, Column.NAME) == SERIES_TITLE
    assert "Series" in str(cell(panel, world.SERIES_KEY, Column.NAME, Qt.ItemDataRole.ToolTipRole))
    assert panel.selected_views()[0].locator == world.SERIES_KEY, "the new source is selected"
    views = await engine_views(bridge)
    assert views[world.SERIES_KEY].kind == "series" and views[world.SERIES_KEY].enabled
    screenshot(panel, "sources-panel-one-row")


async def test_the_clipboard_link_is_offered_when_the_dialog_opens(bridge: EngineBridge, qtbot: QtBot) -> None:
    QGuiApplication.clipboard().setText(f"  {SEASON_LINK}  ")
    try:
        panel = open_panel(bridge, qtbot)
        dialog = open_add_dialog(panel)
        assert dialog.link_edit.text() == SEASON_LINK
        await until(dialog.add_button.isEnabled, what="the preview of the clipboard link")
        assert dialog.preview.title.text() == "城市漫游" and dialog.preview.count.text() == "3 videos"
    finally:
        QGuiApplication.clipboard().clear()


async def test_bad_input_is_explained_inline_and_add_stays_disabled(bridge: EngineBridge, qtbot: QtBot) -> None:
    await bridge.engine.add_source(world.SERIES_KEY)
    panel = open_panel(bridge, qtbot)
    dialog = open_add_dialog(panel)
    boxes_before = len(panel.window().findChildren(QMessageBox))

    QTest.keyClicks(dialog.link_edit, "https://example.com/watch?v=nope")
    await until(lambda: dialog.link_message.is_error, what="the inline error")
    assert dialog.link_message.text().startswith("No provider can use")
    assert dialog.forms_toggle.isVisible() and not dialog.link_details.isVisible()
    QTest.mouseClick(dialog.forms_toggle, Qt.MouseButton.LeftButton, pos=QPoint(12, dialog.forms_toggle.height() // 2))
    assert dialog.link_details.isVisible() and "fav:ID" in dialog.link_details.text(), "accepted forms are listed"
    await asyncio.sleep(0.05)  # the dialog grows to fit the list
    assert dialog.preview.info is None and dialog.preview.title.text() == "Nothing to show for this link."
    assert not dialog.add_button.isEnabled()
    assert len(panel.window().findChildren(QMessageBox)) == boxes_before, "no popup for a typo"
    screenshot(dialog, "add-source-dialog-invalid-link")

    # a good link with broken filter rules: still not addable, the rule error says why
    dialog.link_edit.setText(SEASON_LINK)
    await until(dialog.add_button.isEnabled, what="the preview")
    dialog.rules_field.edit.setText("duration > soon")
    assert dialog.rules_field.message.is_error and "duration" in dialog.rules_field.message.text()
    assert not dialog.add_button.isEnabled()
    dialog.rules_field.edit.setText("duration > 60 and not title contains 预告")
    assert not dialog.rules_field.message.isVisible() and dialog.add_button.isEnabled()

    # a source that is already there: the engine's refusal shows in the dialog, which stays open
    dialog.link_edit.setText(f"series:{world.UP_A_MID}:{world.SERIES_ID}")
    await until(dialog.add_button.isEnabled, what="the preview")
    QTest.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    await until(lambda: dialog.add_message.is_error, what="the add error")
    assert "already added" in dialog.add_message.text()
    assert dialog.isVisible() and dialog.add_button.isEnabled()
    assert len(await bridge.engine.sources()) == 1


async def test_the_switch_and_the_toggle_action_enable_and_disable(bridge: EngineBridge, qtbot: QtBot) -> None:
    await bridge.engine.add_source(world.SERIES_KEY)
    await bridge.engine.add_source(world.SEASON_KEY)
    panel = open_panel(bridge, qtbot)
    await until(lambda: panel.model.rowCount() == 2, what="two rows")
    checked = Qt.ItemDataRole.CheckStateRole

    switch = panel.view.visualRect(panel.proxy.index(row_of(panel, world.SERIES_KEY), Column.ENABLED))
    QTest.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=switch.center())

    async def series_disabled() -> bool:
        return not (await engine_views(bridge))[world.SERIES_KEY].enabled

    await until_engine(series_disabled, "the engine to disable the series")
    await until(lambda: cell(panel, world.SERIES_KEY, Column.ENABLED, checked) == Qt.CheckState.Unchecked)
    assert cell(panel, world.SERIES_KEY, Column.NEXT_SCAN) == "Off"
    assert (await engine_views(bridge))[world.SEASON_KEY].enabled, "only the clicked row changed"
    screenshot(panel, "sources-panel-disabled-row")

    panel.view.selectRow(row_of(panel, world.SERIES_KEY))
    assert panel.toggle_action.text() == "Enable"
    panel.toggle_action.trigger()

    async def series_enabled() -> bool:
        return (await engine_views(bridge))[world.SERIES_KEY].enabled

    await until_engine(series_enabled, "the engine to enable the series again")
    await until(lambda: cell(panel, world.SERIES_KEY, Column.ENABLED, checked) == Qt.CheckState.Checked)
    assert panel.toggle_action.text() == "Disable"


async def test_sync_now_of_the_selected_sources_fills_counts_and_errors(
    bridge: EngineBridge, qtbot: QtBot, fake_bili: FakeBilibili
) -> None:
    for key in (world.SERIES_KEY, world.SEASON_KEY, world.UP_B_KEY, world.WATCH_LATER_KEY, world.FAV_KEY, "ss401"):
        await bridge.engine.add_source(key)
    window = MainWindow(bridge, [SourcesPanel])  # the panel as it sits in the main window
    qtbot.addWidget(window)
    window.resize(1180, 520)
    window.show()
    panel = window.panels["sources"]
    assert isinstance(panel, SourcesPanel)
    await until(lambda: panel.model.rowCount() == 6, what="six rows")
    assert cell(panel, world.SERIES_KEY, Column.LAST_SCAN) == "Never"
    engine = bridge.engine
    loads: list[float] = []
    events: list[object] = []
    real_sources = engine.sources

    async def counted_sources() -> list[SourceView]:
        loads.append(time.monotonic())
        return await real_sources()

    engine.sources = counted_sources  # type: ignore[method-assign]
    for signal in (bridge.taskAdded, bridge.sourceScanned, bridge.taskFinished, bridge.stateChanged):
        signal.connect(events.append)
    started = time.monotonic()
    fake_bili.scenario(fail={"endpoint": "/x/polymer/web-space/seasons_archives_list", "count": 100, "code": -500})
    panel.view.selectRow(row_of(panel, world.SERIES_KEY))
    panel.view.selectionModel().select(
        panel.proxy.index(row_of(panel, world.SEASON_KEY), 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert len(panel.selected_views()) == 2
    panel.sync_action.trigger()
    assert not panel.sync_action.isEnabled(), "one round at a time"

    await until(lambda: cell(panel, world.SERIES_KEY, Column.DONE) == 2, what="two videos done", timeout=60)
    await until(lambda: not bridge.round_running and panel.sync_action.isEnabled(), what="the end of the round")
    assert cell(panel, world.SERIES_KEY, Column.PENDING) == 0
    assert cell(panel, world.SERIES_KEY, Column.FAILED) == 0
    assert cell(panel, world.SERIES_KEY, Column.LAST_SCAN) == "Just now"
    assert cell(panel, world.UP_B_KEY, Column.LAST_SCAN) == "Never", "only the selected sources were synced"
    assert cell(panel, world.SEASON_KEY, Column.DONE) == 0
    await until(lambda: "-500" in str(cell(panel, world.SEASON_KEY, Column.ERROR, Qt.ItemDataRole.ToolTipRole)))
    assert cell(panel, world.SEASON_KEY, Column.ERROR, Qt.ItemDataRole.ForegroundRole) == error_color()
    assert "2 downloaded" in panel.message.text()
    assert "2 videos done" in panel.summary.text()
    elapsed = time.monotonic() - started
    assert len(loads) < len(events), "not one refresh per event"
    assert len(loads) <= elapsed / REFRESH_INTERVAL_S + 3, "about one refresh a second while the round runs"
    screenshot(window, "sources-panel-after-sync")


async def test_remove_asks_and_keeps_the_files_unless_told_otherwise(
    bridge: EngineBridge, qtbot: QtBot, tmp_path: Path
) -> None:
    await bridge.engine.add_source(world.SERIES_KEY, path=str(tmp_path / "series"))
    await bridge.engine.add_source(world.SEASON_KEY, path=str(tmp_path / "season"))
    panel = open_panel(bridge, qtbot)
    await until(lambda: panel.model.rowCount() == 2, what="two rows")
    panel.sync_action.trigger()  # nothing selected: a round of every enabled source
    await until(lambda: cell(panel, world.SEASON_KEY, Column.DONE) == 3, what="the season synced", timeout=60)
    await until(lambda: cell(panel, world.SERIES_KEY, Column.DONE) == 2, what="the series synced")
    series_files = sorted((tmp_path / "series").rglob("*.mp4"))
    season_files = sorted((tmp_path / "season").rglob("*.mp4"))
    assert len(series_files) == 2 and len(season_files) == 3

    panel.view.selectRow(row_of(panel, world.SERIES_KEY))
    panel.remove_action.trigger()
    box = panel.remove_box
    assert box is not None and box.isVisible()
    assert [b.text() for b in box.buttons() if b.objectName()] == ["Remove and keep files", "Remove and delete files"]
    assert box.defaultButton().text() == "Remove and keep files"
    assert SERIES_TITLE in box.text()
    screenshot(box, "sources-remove-question")
    QTest.keyClick(box, Qt.Key.Key_Return)  # the default answer
    await until(lambda: panel.model.rowCount() == 1, what="the row to go")
    assert world.SERIES_KEY not in await engine_views(bridge)
    assert all(f.exists() for f in series_files), "files are kept by default"

    panel.view.selectRow(row_of(panel, world.SEASON_KEY))
    box = panel.remove_selected()
    assert box is not None
    QTest.mouseClick(box.findChild(QObject, "remove-delete-files"), Qt.MouseButton.LeftButton)
    await until(lambda: panel.model.rowCount() == 0, what="the last row to go")
    assert not any(f.exists() for f in season_files), "files deleted when asked to"
    assert panel.stack.currentWidget() is panel.empty

    # the Delete key asks too, and Cancel removes nothing
    await bridge.engine.add_source(world.UP_B_KEY)
    await until(lambda: panel.model.rowCount() == 1, what="the new row")
    panel.activateWindow()
    await until(lambda: QApplication.activeWindow() is panel, what="the panel's window to be active")
    panel.view.setFocus()
    panel.view.selectRow(0)
    QTest.keyClick(panel.view, Qt.Key.Key_Delete)
    box = panel.remove_box
    assert box is not None and box.isVisible()
    QTest.keyClick(box, Qt.Key.Key_Escape)
    await asyncio.sleep(0.2)
    assert panel.model.rowCount() == 1 and len(await bridge.engine.sources()) == 1


async def test_edit_changes_the_folder_and_checks_rules_and_schedule(
    bridge: EngineBridge, qtbot: QtBot, tmp_path: Path
) -> None:
    await bridge.engine.add_source(world.SERIES_KEY, rules="title contains 红烧肉")
    panel = open_panel(bridge, qtbot)
    await until(lambda: panel.model.rowCount() == 1, what="the row")
    panel.view.selectRow(0)
    panel.edit_action.trigger()
    dialog = panel.edit_dialog
    assert isinstance(dialog, EditSourceDialog) and dialog.isVisible()
    assert dialog.name_edit.text() == SERIES_TITLE
    assert dialog.rules_field.text() == "title contains 红烧肉", "stored rules come back as text"

    new_folder = tmp_path / "somewhere else" / "料理"
    dialog.folder_field.setText(str(new_folder))
    assert dialog.folder_note.isVisible(), "moving the folder says what happens to old files"
    dialog.rules_field.edit.setText("title contains")
    assert not dialog.save_button.isEnabled() and dialog.rules_field.message.is_error
    dialog.rules_field.edit.setText("duration > 60")
    schedule = dialog.schedule_field.input
    assert schedule.current_mode() == "inherit" and "every 20 min" in schedule.mode.currentText(), "the global one"
    assert dialog.schedule_field.text() == ""
    schedule.mode.setCurrentIndex(schedule.mode.findData("cron"))
    assert not dialog.save_button.isEnabled() and dialog.schedule_field.message.is_error, "an empty cron line"
    QTest.keyClicks(schedule.cron, "every tuesday")
    assert not dialog.save_button.isEnabled() and dialog.schedule_field.message.is_error
    schedule.cron.clear()
    QTest.keyClicks(schedule.cron, "0 3 * * *")
    assert dialog.save_button.isEnabled() and not dialog.schedule_field.message.is_error
    assert schedule.description.text().startswith("Next rounds: ")
    assert schedule.description.text().count(" 03:00") == 3, "the next three runs"
    schedule.mode.setCurrentIndex(schedule.mode.findData("every"))
    schedule.unit.setCurrentIndex(schedule.unit.findData(3600))
    schedule.amount.selectAll()
    QTest.keyClicks(schedule.amount, "2")
    assert schedule.description.text() == "A round starts every 2 h."
    assert dialog.save_button.isEnabled()
    await asyncio.sleep(0.05)  # let the form settle after the messages came and went
    screenshot(dialog, "edit-source-dialog")
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    await until(lambda: panel.edit_dialog is None, what="the dialog closing")

    source = (await engine_views(bridge))[world.SERIES_KEY]
    assert Path(source.path) == new_folder.resolve()
    assert "duration" in source.rules and "红烧肉" not in source.rules
    assert source.schedule == "7200", "stored as seconds, as the command line writes it"
    await until(lambda: cell(panel, world.SERIES_KEY, Column.FOLDER) == str(new_folder.resolve()))


async def test_edit_opens_a_cron_schedule_in_cron_mode_with_its_next_runs(bridge: EngineBridge, qtbot: QtBot) -> None:
    await bridge.engine.add_source(world.SERIES_KEY)
    await bridge.engine.update_source((await engine_views(bridge))[world.SERIES_KEY].id, schedule="30 4 * * *")
    panel = open_panel(bridge, qtbot)
    await until(lambda: panel.model.rowCount() == 1, what="the row")
    panel.view.selectRow(0)
    panel.edit_action.trigger()
    dialog = panel.edit_dialog
    assert isinstance(dialog, EditSourceDialog)
    schedule = dialog.schedule_field.input
    assert schedule.current_mode() == "cron" and schedule.cron.text() == "30 4 * * *"
    assert schedule.description.text().count(" 04:30") == 3, "the next three runs"
    assert dialog.changes() == {}, "opening changes nothing"
    schedule.mode.setCurrentIndex(schedule.mode.findData("inherit"))
    assert dialog.changes() == {"schedule": ""}, "back to the global schedule"
    dialog.reject()


class FolderOpener(QObject):
    """Stands in for the file manager: records the URLs the panel asks the desktop to open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url)


async def test_double_click_opens_the_folder_or_says_it_is_not_there_yet(
    bridge: EngineBridge, qtbot: QtBot, tmp_path: Path
) -> None:
    await bridge.engine.add_source(world.SERIES_KEY, path=str(tmp_path / "series"))
    panel = open_panel(bridge, qtbot)
    await until(lambda: panel.model.rowCount() == 1, what="the row")
    opener = FolderOpener()
    QDesktopServices.setUrlHandler("file", opener, "open")
    try:
        name = panel.view.visualRect(panel.proxy.index(0, Column.NAME)).center()
        QTest.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=name)
        QTest.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=name)
        box = panel.notice_box
        assert box is not None and box.isVisible() and "does not exist yet" in box.text()
        assert not opener.opened
        box.accept()

        (tmp_path / "series").mkdir()
        panel.view.selectRow(0)
        QApplication.sendEvent(
            panel.view.viewport(),
            QContextMenuEvent(QContextMenuEvent.Reason.Mouse, name, panel.view.viewport().mapToGlobal(name)),
        )
        menu = panel.findChild(QMenu, "sources-menu")
        assert menu is not None and menu.isVisible()
        assert panel.open_action in menu.actions() and panel.remove_action in menu.actions()
        panel.open_action.trigger()
        menu.close()
        assert [url.toLocalFile() for url in opener.opened] == [str(tmp_path / "series")]
    finally:
        QDesktopServices.unsetUrlHandler("file")


async def test_the_add_dialog_takes_a_link_of_a_provider_added_by_one_registry_line(
    qtbot: QtBot, fake_bili: FakeBilibili, tmp_path: Path
) -> None:
    from core.providers.registry import PROVIDERS, ProviderRegistry
    from tests.providers.toy_provider import ToyServer, bound_toy_provider

    with ToyServer() as toys:
        config = desktop_config(fake_bili, tmp_path)
        providers = ProviderRegistry(config, [*PROVIDERS, bound_toy_provider(toys.base_url)])
        engine = Engine(config, secrets=SecretStore(NullKeyring()), registry=providers)
        bridge = EngineBridge(engine)
        try:
            panel = open_panel(bridge, qtbot)
            dialog = open_add_dialog(panel)
            QTest.keyClicks(dialog.link_edit, "toy:shelf")
            await until(dialog.add_button.isEnabled, what="the toy preview")
            assert dialog.preview.kind.text().startswith("Toy · ")
            assert dialog.preview.count.text() == "3 videos"
            QTest.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
            await until(lambda: panel.model.rowCount() == 1, what="the toy source as a row")
            assert [(v.provider, v.locator) for v in await engine.sources()] == [("toy", "toy:shelf")]
        finally:
            await bridge.shutdown()
            await engine.close()


async def test_a_source_added_on_the_command_line_shows_in_the_open_window_at_once(
    qtbot: QtBot, fake_bili: FakeBilibili, tmp_path: Path
) -> None:
    import subprocess
    import sys

    from core.cli import remote
    from core.cli.main import run_for_client
    from core.providers.registry import PROVIDERS, ProviderRegistry
    from tests.providers.toy_provider import ToyServer, bound_toy_provider

    with ToyServer() as toys:
        config = desktop_config(fake_bili, tmp_path)
        providers = ProviderRegistry(config, [*PROVIDERS, bound_toy_provider(toys.base_url)])
        engine = Engine(config, secrets=SecretStore(NullKeyring()), registry=providers)
        bridge = EngineBridge(engine)
        channel = remote.CommandChannel(config.data_dir, lambda argv: run_for_client(engine, argv), "window")
        await channel.open()
        try:
            panel = open_panel(bridge, qtbot)
            await until(lambda: panel.model.rowCount() == 0 and panel.isVisible(), what="the empty panel")
            # The command line knows no toy provider: only the window's engine can add this link.
            cli = subprocess.Popen(
                [sys.executable, "-m", "core.cli.main", "--data-dir", str(config.data_dir), "source", "add",
                 "toy:shelf"], cwd=Path(__file__).resolve().parents[2], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )  # fmt: skip
            await until(lambda: cli.poll() is not None, what="the command line")
            assert cli.returncode == 0, cli.stderr.read() if cli.stderr else ""
            await until(lambda: panel.model.rowCount() == 1, timeout=5, what="the source as a row")
        finally:
            await channel.close()
            await bridge.shutdown()
            await engine.close()


async def test_a_new_source_starts_scanning_within_seconds_and_its_row_says_what_it_does(
    bridge: EngineBridge, qtbot: QtBot, fake_bili: FakeBilibili
) -> None:
    panel = open_panel(bridge, qtbot)
    engine = bridge.engine
    stop = asyncio.Event()
    schedule = asyncio.ensure_future(engine.run_daemon(stop))  # as the window runs it
    try:
        await until(lambda: panel.model.loaded, what="the empty table")
        await asyncio.sleep(0.3)  # the schedule found nothing to sync and waits
        fake_bili.scenario(media_throttle=30_000)
        seen: list[str] = []

        def note(*_: object) -> None:
            row = panel.model.row_of(next(iter(v.id for v in panel.model.views()), -1))
            if row is not None:
                text = panel.model.index(row, Column.NEXT_SCAN).data()
                if not seen or seen[-1] != text:
                    seen.append(text)

        panel.model.dataChanged.connect(note)
        panel.model.rowsInserted.connect(note)
        added_at = time.monotonic()
        await engine.add_source(world.SERIES_KEY)
        busy = ("Scanning…", "2 new", "Downloading 2")
        await until(lambda: any(text in busy for text in seen), timeout=10, what="the row saying what it does")
        assert time.monotonic() - added_at < 5, f"within seconds of adding it: {seen}"
        assert "Due now" not in seen[seen.index(next(t for t in seen if t in busy)) :]
        await until(lambda: "Downloading 2" in seen, timeout=20, what="the row saying it downloads")
        await until(lambda: not bridge.round_running, timeout=60, what="the round's end")
        await until(lambda: seen[-1].startswith("In "), what="the next scan time again")
        panel.model.dataChanged.disconnect(note)
        panel.model.rowsInserted.disconnect(note)
    finally:
        stop.set()
        await schedule


def test_the_count_columns_use_the_words_of_the_task_states(qtbot: QtBot, bridge: EngineBridge) -> None:
    panel = open_panel(bridge, qtbot)
    header = [panel.model.headerData(c, Qt.Orientation.Horizontal) for c in Column]
    assert "Queued" in header and "Pending" not in header, "one word per state: the Tasks panel says Queued"
