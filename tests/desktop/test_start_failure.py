"""Issue 8, item 5: the window opening a damaged database shows the same message as the
command line in a dialog, and the app ends with 1 when it is closed — no traceback."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from core.config import load_config
from core.store.db import Database
from desktop.app import build_parser, run
from tests.desktop.conftest import screenshot, until

pytestmark = pytest.mark.timeout(60)


def start_failure() -> QMessageBox | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.objectName() == "startFailure" and widget.isVisible():
            return widget
    return None


async def test_a_damaged_database_is_explained_in_a_dialog(tmp_path: Path) -> None:
    data = tmp_path / "data"
    Database(data / "syncdeck.db").close()
    (data / "syncdeck.db").write_bytes(b"\x00" * 8192)
    config = load_config(tmp_path / "config.toml", data_dir=data, environ={"SYNCDECK_UI_LANGUAGE": "en"})
    app = QApplication.instance()
    assert isinstance(app, QApplication)

    started = asyncio.ensure_future(run(app, config, build_parser().parse_args([])))
    await until(lambda: start_failure() is not None or started.done(), what="the start-up message")
    assert not started.done(), started.exception() if started.done() else None
    box = start_failure()
    assert box is not None
    assert f"The database {data / 'syncdeck.db'} is damaged" in box.text()
    assert "syncdeck db restore" in box.text() or "Move the file out of the way" in box.text()
    screenshot(box, "start-failure-damaged-database")
    box.button(QMessageBox.StandardButton.Close).click()
    assert await asyncio.wait_for(started, 10) == 1
