"""The Log panel: live records from every logger and thread, filtered, searched, secrets removed."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from core.secrets import register_secret
from desktop.bridge import EngineBridge
from desktop.logbridge import QtLogHandler
from desktop.models.log import COLUMN_MESSAGE, MAX_ROWS
from desktop.panels.log import LogPanel
from tests.desktop.conftest import screenshot, until

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def app_log() -> Iterator[logging.Logger]:
    """A logger that lets debug records through, as the app's logging setup does."""
    logger = logging.getLogger("syncdeck.test.logpanel")
    logger.setLevel(logging.DEBUG)
    yield logger
    logger.setLevel(logging.NOTSET)


def make_panel(qtbot: QtBot, bridge: EngineBridge) -> LogPanel:
    panel = LogPanel(bridge)
    qtbot.addWidget(panel)
    panel.resize(960, 560)
    panel.show()
    return panel


def shown_messages(panel: LogPanel) -> list[str]:
    proxy = panel.proxy
    return [proxy.index(row, COLUMN_MESSAGE).data() for row in range(proxy.rowCount())]


def every_visible_text(panel: LogPanel) -> str:
    """All the text a person could see or copy: every cell, tooltip and the detail pane."""
    model = panel.model
    cells = [
        str(model.index(row, column).data(role) or "")
        for row in range(model.rowCount())
        for column in range(model.columnCount())
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
    ]
    return "\n".join(cells) + "\n" + panel.details.toPlainText()


async def test_records_appear_and_the_level_filter_and_search_narrow_them(
    qtbot: QtBot, bridge: EngineBridge, app_log: logging.Logger
) -> None:
    panel = make_panel(qtbot, bridge)
    app_log.debug("checking the schedule")
    app_log.info("round 12: 3 new videos in 收藏夹 默认")
    app_log.warning("risk control (-352) on 我的收藏; cooling down 600s")
    try:
        raise ValueError("merge failed: moov atom not found")
    except ValueError:
        app_log.exception("BV1xx411c7mD page 2: could not merge")
    app_log.info("round 12: done, 3 downloaded")
    await until(lambda: panel.model.rowCount() >= 5, what="records in the model")

    # Info is the default level: the debug record is kept but not shown.
    assert shown_messages(panel) == [
        "round 12: 3 new videos in 收藏夹 默认",
        "risk control (-352) on 我的收藏; cooling down 600s",
        "BV1xx411c7mD page 2: could not merge …",
        "round 12: done, 3 downloaded",
    ]
    assert panel.count_label.text() == "Showing 4 of 5 records"

    panel.level_box.setCurrentIndex(0)  # Debug
    assert shown_messages(panel)[0] == "checking the schedule"
    panel.level_box.setCurrentIndex(2)  # Warning
    assert len(shown_messages(panel)) == 2
    panel.level_box.setCurrentIndex(1)  # Info

    QTest.keyClicks(panel.search, "ROUND 12")
    assert shown_messages(panel) == ["round 12: 3 new videos in 收藏夹 默认", "round 12: done, 3 downloaded"]
    panel.search.clear()
    QTest.keyClicks(panel.search, "logpanel")  # the logger name is searched too
    assert len(shown_messages(panel)) == 4
    panel.search.clear()

    # The traceback is in the detail pane, and the selection copies as text.
    error_row = shown_messages(panel).index("BV1xx411c7mD page 2: could not merge …")
    panel.view.selectRow(error_row)
    assert "ValueError: merge failed: moov atom not found" in panel.details.toPlainText()
    panel.view.selectionModel().select(
        panel.proxy.index(error_row + 1, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert panel.copy_action.isEnabled()
    panel.copy_action.trigger()
    copied = QGuiApplication.clipboard().text().splitlines()
    assert "ERROR" in copied[0] and "syncdeck.test.logpanel: BV1xx411c7mD page 2: could not merge" in copied[0]
    assert copied[-1].endswith("round 12: done, 3 downloaded")
    screenshot(panel, "log-panel")


async def test_secrets_never_reach_the_screen_or_the_clipboard(
    qtbot: QtBot, bridge: EngineBridge, app_log: logging.Logger
) -> None:
    panel = make_panel(qtbot, bridge)
    panel.level_box.setCurrentIndex(0)
    token = "tok-7f3a9c2e-registered-secret-value"
    register_secret(token)
    app_log.info("refreshing with refresh token %s", token)
    app_log.warning("server echoed Cookie: SESSDATA=ab12cd34%2C1767225600%2Cef56*b1; bili_jct=0123456789abcdef")
    try:
        raise RuntimeError(f"login failed for {token}")
    except RuntimeError:
        app_log.exception("keyring write failed")
    # From another thread, as the database worker and downloads log.
    worker = threading.Thread(target=lambda: app_log.error("worker saw %s", token))
    worker.start()
    worker.join()
    await until(lambda: panel.model.rowCount() >= 4, what="records in the model")

    panel.view.selectAll()
    panel.view.setCurrentIndex(panel.proxy.index(2, 0))
    panel.copy_action.trigger()
    seen = every_visible_text(panel) + QGuiApplication.clipboard().text()
    assert token not in seen
    assert "ab12cd34" not in seen and "0123456789abcdef" not in seen
    assert "refresh token ***" in seen and "SESSDATA=***" in seen and "worker saw ***" in seen
    assert "RuntimeError: login failed for ***" in panel.details.toPlainText()


async def test_the_view_follows_new_records_unless_scrolled_up_and_stays_bounded(
    qtbot: QtBot, bridge: EngineBridge, app_log: logging.Logger
) -> None:
    panel = make_panel(qtbot, bridge)
    for n in range(300):
        app_log.info("record %d", n)
    await until(lambda: panel.model.rowCount() == 300, what="300 records")
    bar = panel.view.verticalScrollBar()
    await until(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), what="view at the end")

    bar.setValue(0)  # the person scrolls up to read
    app_log.info("record 300")
    await until(lambda: panel.model.rowCount() == 301, what="record 300")
    assert bar.value() == 0, "a person reading older records is not yanked to the end"

    bar.setValue(bar.maximum())
    app_log.info("record 301")
    await until(lambda: panel.model.rowCount() == 302, what="record 301")
    await until(lambda: bar.value() == bar.maximum(), what="following again")

    for n in range(302, MAX_ROWS + 500):
        app_log.info("record %d", n)
    await until(lambda: panel.model.entries()[-1].message == f"record {MAX_ROWS + 499}", what="the flood")
    assert panel.model.rowCount() == MAX_ROWS
    assert panel.model.entries()[0].message == "record 500", "the oldest records make room"


async def test_the_handler_leaves_the_root_logger_with_the_panel(qtbot: QtBot, bridge: EngineBridge) -> None:
    panel = LogPanel(bridge)
    handler = panel.handler
    assert handler in logging.getLogger().handlers
    panel.deleteLater()
    await until(lambda: handler not in logging.getLogger().handlers, what="handler detached")
    assert isinstance(handler, QtLogHandler)
    logging.getLogger("syncdeck.test.logpanel").error("after the panel is gone")  # must not crash


async def test_libraries_speak_in_the_panel_only_from_warning_up(
    qtbot: QtBot, bridge: EngineBridge, app_log: logging.Logger
) -> None:
    panel = make_panel(qtbot, bridge)
    library = logging.getLogger("httpx")
    level = library.level
    library.setLevel(logging.DEBUG)
    try:
        library.info("HTTP Request: GET https://api.example/x/web-interface/nav")
        library.warning("the connection pool is full")
        app_log.info("round 13 started: 2 sources")
        await until(lambda: panel.model.rowCount() >= 2, what="records in the model")
        await asyncio.sleep(0.1)
    finally:
        library.setLevel(level)
    assert "round 13 started: 2 sources" in shown_messages(panel)
    assert "the connection pool is full" in shown_messages(panel)
    assert not any("HTTP Request" in m for m in shown_messages(panel)), "a library's chatter is not the story"
