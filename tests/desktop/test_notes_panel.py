"""The Notes panel: a batch made from the dialog, its tasks and ETA, a note shown with timestamps
that ask the player for that moment, and pause from the toolbar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop.bridge import EngineBridge
from desktop.panels.notes import NotesPanel
from tests.desktop.conftest import screenshot, until
from tests.notes.fake_client import ScriptedClient
from tests.notes.media import copies, make_video

pytestmark = pytest.mark.timeout(90)


@pytest.fixture(scope="module")
def tiny_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(tmp_path_factory.mktemp("media") / "tiny.mp4")


def make_panel(qtbot: QtBot, bridge: EngineBridge) -> NotesPanel:
    panel = NotesPanel(bridge)
    qtbot.addWidget(panel)
    panel.resize(1000, 640)
    panel.show()
    return panel


async def test_a_batch_from_the_dialog_shows_its_notes_and_timestamps_open_the_player(
    qtbot: QtBot, bridge: EngineBridge, tiny_video: Path, tmp_path: Path
) -> None:
    videos = copies(tiny_video, tmp_path / "course", 3, subtitles=True)
    client = ScriptedClient(latency=0.1)
    bridge.engine.notes.client_factory = lambda name, model: client
    panel = make_panel(qtbot, bridge)
    await until(lambda: panel.hint.isVisible(), what="the empty hint")

    dialog = panel.new_batch([str(tmp_path / "course")])
    await until(lambda: dialog.template.count() == 3, what="templates listed")
    assert [label.text() for label in dialog.labels[:3]] == ["Videos", "Template", "LLM account"]
    screenshot(dialog, "new-note-batch")
    dialog.workers.setValue(2)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    await until(lambda: panel.batches_model.rowCount() == 1 and panel.current_batch().state == "done",
                what="the batch done")  # fmt: skip
    assert panel.batches_model.data(panel.batches_model.index(0, 3)) == "3/3"
    assert panel.tasks_model.rowCount() == 3
    assert [panel.tasks_model.data(panel.tasks_model.index(r, 1)) for r in range(3)] == ["Done"] * 3
    assert panel.tasks_model.data(panel.tasks_model.index(0, 3)) == "Subtitles"
    assert panel.batches_model.data(panel.batches_model.index(0, 7)) == "0.006", "the batch's cost: 3 × 0.002"
    assert panel.tasks_model.data(panel.tasks_model.index(0, 5)) == "0.002", "a task's cost"
    assert not panel.hint.isVisible()

    panel.tasks.selectRow(0)
    await until(lambda: "the first point" in panel.viewer.toPlainText(), what="the note shown")
    assert "title:" not in panel.viewer.toPlainText(), "the front matter is not shown"
    html = panel.viewer.document().toHtml()
    assert "syncdeck://play?" in html
    clicked: list[tuple[str, float]] = []
    panel.playRequested.connect(lambda path, seconds: clicked.append((path, seconds)))
    link = QUrl(f"syncdeck://play?path={videos[0]}&t=1")
    panel.viewer.anchorClicked.emit(link)  # what a click on "[00:01]" emits
    assert clicked == [(str(videos[0]), 1.0)]
    screenshot(panel, "notes-panel")


async def test_pause_from_the_toolbar_stops_the_batch(
    qtbot: QtBot, bridge: EngineBridge, tiny_video: Path, tmp_path: Path
) -> None:
    copies(tiny_video, tmp_path / "course", 6, subtitles=True)
    client = ScriptedClient(latency=0.5)
    bridge.engine.notes.client_factory = lambda name, model: client
    panel = make_panel(qtbot, bridge)
    view = await bridge.engine.notes.create_batch([str(tmp_path / "course")], workers=1)
    await bridge.engine.notes.start_batch(view.id)
    await until(lambda: panel.current_batch() is not None and panel.current_batch().state == "running",
                what="running")  # fmt: skip
    await until(lambda: panel.pause_action.isEnabled(), what="pause offered")
    panel.pause_action.trigger()
    await until(lambda: panel.current_batch().state == "paused", what="paused")
    await until(lambda: not panel.current_batch().active, timeout=5, what="the run stopped")
    assert panel.resume_action.isEnabled()
    assert (await bridge.engine.notes.batch(view.id)).done < 6


async def test_make_notes_from_the_tasks_menu_names_the_selected_videos(qtbot: QtBot, bridge: EngineBridge) -> None:
    from PySide6.QtWidgets import QMenu

    from core.store import repo
    from desktop.dialogs.new_note_batch import NewNoteBatchDialog
    from desktop.panels.tasks import TasksPanel
    from tests.desktop.test_tasks_panel import select_rows, settle, states, video_rows
    from tests.fakes.bilibili import world

    panel = TasksPanel(bridge)
    qtbot.addWidget(panel)
    panel.resize(1200, 480)
    panel.show()
    await settle(panel)
    source = await bridge.engine.add_source(world.SERIES_KEY)
    await bridge.engine.db.run(repo.insert_tasks_bulk, video_rows(source.id or 0, 2))
    panel.activated()
    await until(lambda: len(states(panel.model)) == 2, what="two videos")
    ids = [v.id for v in (await bridge.engine.tasks())]
    select_rows(panel, 0, 1)
    panel.tree.customContextMenuRequested.emit(panel.tree.visualRect(panel.model.index(0, 0)).center())
    menu = panel.findChild(QMenu, "task-menu")
    assert menu is not None and "Make notes…" in [a.text() for a in menu.actions()]
    menu.close()
    panel.notes_action.trigger()
    dialog = panel.findChild(NewNoteBatchDialog)
    assert dialog is not None and dialog.isVisible()
    assert sorted(dialog.input_lines()) == sorted(f"task:{i}" for i in ids)
    dialog.reject()
    await settle(panel)


def test_a_task_fetching_its_link_says_so_with_its_progress(qtbot: QtBot) -> None:
    from core.engine.notes.views import NoteTaskView
    from desktop.models.notes import NoteTasksModel, TaskColumn

    model = NoteTasksModel()
    model.set_rows([NoteTaskView(
        id=1, batch_id=1, position=0, input="https://www.bilibili.com/video/BV1xx411c7mD", title="Lecture — P2 Loops",
        video_path="", state="running", stage="fetch", progress=0.1, attempts=1, error="", transcript_source="",
        outputs=(), prompt_tokens=0, completion_tokens=0, cost=0.0, seconds=0.0, started_at=None, finished_at=None,
    )])  # fmt: skip
    assert model.data(model.index(0, TaskColumn.STATE)) == "Fetching from the site"
    assert model.data(model.index(0, TaskColumn.PROGRESS)) == "10%"


def test_a_batch_that_wrote_notes_and_failed_some_is_not_called_failed(qapp: Any) -> None:
    from dataclasses import replace

    from core.engine.notes.views import NoteBatchView
    from desktop.models.notes import BatchColumn, BatchesModel

    base = NoteBatchView(
        id=1, name="Lectures", state="failed", template="summary_report", llm="fake", model="m", formats=("md",),
        out_dir="", workers=4, language="en", inputs=("/v",), total=7, done=6, failed=1, skipped=0, cancelled=0,
        running=0, pending=0, progress=1.0, eta=None, prompt_tokens=0, completion_tokens=0, cost=0.0,
        active=False, created_at=None, started_at=None, finished_at=None,
    )  # fmt: skip
    model = BatchesModel()
    model.set_rows([base, replace(base, id=2, done=0, failed=7)])
    assert model.index(0, BatchColumn.STATE).data() == "Done, some failed"
    assert model.index(1, BatchColumn.STATE).data() == "Failed", "nothing written: failed"
