"""The Tasks page against the real engine and the fake Bilibili: rows per video, parts as
children, live progress, engine-side filters, context actions and lazy loading."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QLocale, QModelIndex, QModelRoleData, QPoint, Qt
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QIcon, QPixmap
from PySide6.QtTest import QAbstractItemModelTester, QTest
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from core.events import TaskFinished, TaskProgress
from core.store import repo
from core.store.models import Task
from core.tasks import steps as st
from desktop.bridge import EngineBridge
from desktop.i18n import Translations
from desktop.models.tasks import (
    BRANCH_ROLE,
    DEPTH_ROLE,
    PAGE_SIZE,
    PROGRESS_ROLE,
    STATE_ROLE,
    SUBTASKS_ROLE,
    Column,
    TasksModel,
)
from desktop.panels.tasks import TasksPanel
from tests.desktop.conftest import screenshot, until
from tests.fakes.bilibili import FakeBilibili, world

pytestmark = pytest.mark.timeout(90)

ITEM_STEPS = ("poster", "show_nfo", "owner_avatar", "owner_nfo", "parts")
ALL_DONE = {"steps": st.dumps(dict.fromkeys(ITEM_STEPS, st.OK)), "finished": True, "state": "done"}
GAVE_UP_POSTER = {"steps": st.dumps(st.new(ITEM_STEPS) | {"poster": st.GAVE_UP}), "state": "failed", "attempts": 4}
QUEUED = {"steps": st.dumps(st.new(ITEM_STEPS)), "state": "queued"}


@pytest.fixture
async def panel(bridge: EngineBridge, qtbot: Any) -> TasksPanel:
    panel = TasksPanel(bridge)
    qtbot.addWidget(panel)
    panel.resize(1320, 520)
    panel.show()
    await settle(panel)
    return panel


def check_model(panel: TasksPanel) -> None:
    """Qt's own checker: validates every index, parent and row change the model reports from
    now on (it also reads every row's parts, so not for tests about lazy loading)."""
    QAbstractItemModelTester(panel.model, QAbstractItemModelTester.FailureReportingMode.Fatal, panel)


async def settle(panel: TasksPanel) -> None:
    """Wait for the engine calls the panel started: pytest-qt processes events between test
    phases, outside the running loop, where a half-done call would fail."""
    await until(lambda: panel.model.idle and not panel.bridge._tasks, what="the panel idle")
    # The view lays out and asks for more rows on a zero-timer of its own: let that happen
    # here, in the loop, and wait for what it started.
    await asyncio.sleep(0.05)
    await until(lambda: panel.model.idle and not panel.bridge._tasks, what="the panel idle")


def titles(model: TasksModel) -> list[str]:
    return [model.index(r, Column.TITLE).data() for r in range(model.rowCount())]


def parts(model: TasksModel, row: int) -> list[str]:
    """The titles of the part rows shown right below the video at `row`."""
    shown = []
    for r in range(row + 1, model.rowCount()):
        if model.index(r, 0).data(DEPTH_ROLE) != 1:
            break
        shown.append(model.index(r, Column.TITLE).data())
    return shown


def states(model: TasksModel) -> list[str]:
    return [model.index(r, 0).data(STATE_ROLE) for r in range(model.rowCount())]


def row_titled(model: TasksModel, text: str) -> int:
    return next(r for r, title in enumerate(titles(model)) if text in title)


PAINTED_ROLES = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ForegroundRole,
                 Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.FontRole]  # fmt: skip


def painted_as_read(model: TasksModel, row: int) -> bool:
    """Whether what the view paints for a row (read through multiData) is what data() says."""
    for column in Column:
        index = model.index(row, column)
        for role in PAINTED_ROLES:
            item = QModelRoleData(role)
            index.multiData(item)  # through Qt, as the view asks
            painted, read = item.data(), index.data(role)
            if isinstance(read, (QPixmap, QIcon)):  # the same cover or kind icon: the same image
                painted, read = painted.cacheKey(), read.cacheKey()
            if painted != read:
                return False
    return True


def progress(video_id: int, done: int, eta: float = 30.0) -> TaskProgress:
    """A download of one part of the video (the part's id is made up: only its video counts)."""
    return TaskProgress(10**7 + video_id, video_id, done, 100_000, 50_000.0, eta)


def select_rows(panel: TasksPanel, *rows: int) -> None:
    selection = panel.tree.selectionModel()
    selection.clearSelection()
    for row in rows:
        index = panel.model.index(row, 0)
        selection.select(index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)


def video_rows(source_id: int, count: int) -> list[dict[str, Any]]:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        {
            "source_id": source_id,
            "kind": "video",
            "provider": "bilibili",
            "key": f"BV1test{i:05d}",
            "details": json.dumps({"bvid": f"BV1test{i:05d}", "url": f"https://www.bilibili.com/video/BV1test{i:05d}"}),
            "title": f"批量视频 {i:05d}",
            "cover": "",
            **QUEUED,
            "part_count": 1,
            "complete": True,
            "order_at": base + timedelta(minutes=i),
            "created_at": base,
            "updated_at": base,
        }  # fmt: skip
        for i in range(count)
    ]


async def test_each_video_is_a_row_and_its_parts_are_child_rows(bridge: EngineBridge, panel: TasksPanel) -> None:
    model = panel.model
    await until(lambda: model.total == 0, what="the empty list counted")
    assert panel.empty_label.isVisible() and "add a source" in panel.empty_label.text()
    screenshot(panel, "tasks-empty")
    engine = bridge.engine
    await engine.add_source(world.FAV_KEY)
    result = await engine.sync()
    assert result.outcome == "done"

    # the round's end refreshes the list in place: no reload by hand
    await settle(panel)
    await until(lambda: model.rowCount() == 6 and states(model).count("done") == 3, what="six videos, three done")
    assert not panel.empty_label.isVisible()
    assert panel.count_label.text() == "6 videos"
    assert states(model).count("unavailable") == 3, "deleted, charge-only and private videos cannot be had"
    multi = row_titled(model, "多P测试视频")
    assert model.index(multi, Column.SOURCE).data() == "同步测试收藏夹"
    deleted = row_titled(model, "已失效视频")
    assert "deleted" in model.index(deleted, Column.ERROR).data()

    hostile = model.index(row_titled(model, "超长标题"), Column.TITLE)
    assert hostile.data(Qt.ItemDataRole.DisplayRole).startswith("CON/../坏")
    assert hostile.data(Qt.ItemDataRole.ToolTipRole).split("\n")[0] == world.HOSTILE_TITLE, "full title as tooltip"
    assert panel.tree.visualRect(hostile).width() < panel.tree.fontMetrics().horizontalAdvance(world.HOSTILE_TITLE)

    parent = model.index(multi, 0)
    assert model.video(parent).pages is None, "parts are read only when a row is expanded"
    unexpanded_size = model.index(multi, Column.SIZE).data()
    assert unexpanded_size.endswith("KB"), "a done video shows its size without being expanded"
    assert model.index(deleted, Column.SIZE).data() == "", "nothing written, no size"
    assert parent.data(BRANCH_ROLE) is False, "a closed video with parts: the arrow to open it"
    panel.tree.expand(parent)
    await until(lambda: len(parts(model, multi)) == 3, what="three parts")
    assert parts(model, multi) == ["P1 第一集：出发", "P2 第二集：路上", "P3 第三集：到达"]
    assert panel.tree.isExpanded(parent) and model.rowCount() == 9
    part = model.index(multi + 1, Column.SUBTASKS)
    assert [value for _label, value in part.data(SUBTASKS_ROLE)] == [st.OK] * 5
    assert "Danmaku: done" in part.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(multi + 1, Column.STATE).data() == "Done"
    assert model.index(multi + 1, Column.SIZE).data().endswith("KB")
    service, part_service = model.index(multi, Column.PROVIDER), model.index(multi + 1, Column.PROVIDER)
    assert (service.data(), part_service.data()) == ("Bilibili", "Bilibili"), "the provider's display name"
    assert service.data(Qt.ItemDataRole.ToolTipRole) == "Video · Bilibili"
    assert part_service.data(Qt.ItemDataRole.ToolTipRole) == "Part · Bilibili"
    kind_icons = [i.data(Qt.ItemDataRole.DecorationRole).cacheKey() for i in (service, part_service)]
    assert kind_icons[0] != kind_icons[1], "a video and a part each have their kind's icon"
    assert model.index(multi, Column.SIZE).data() == unexpanded_size, "the parts add up to the video's size"
    assert painted_as_read(model, multi) and painted_as_read(model, multi + 1)
    assert model.video(model.index(0, 0)).pages is None, "other rows stay unread"

    panel.grab()  # painting asks for the visible rows' covers
    await until(lambda: len(model.thumbnails) >= 5, what="covers of the visible rows")
    shot = screenshot(panel, "tasks-expanded-multipage")
    assert shot.stat().st_size > 10_000
    await settle(panel)


async def test_progress_bars_move_during_a_download_and_rows_reach_done(
    bridge: EngineBridge, panel: TasksPanel, fake_bili: FakeBilibili
) -> None:
    model = panel.model
    engine = bridge.engine
    await engine.add_source(world.SERIES_KEY)
    fake_bili.scenario(media_throttle=60_000)
    bridge.run(engine.sync(), what="sync")

    def downloading() -> tuple[int, int, int] | None:
        for row in range(model.rowCount()):
            value = model.index(row, Column.PROGRESS).data(PROGRESS_ROLE)
            if value is not None and 0 < value[0] < value[1]:
                return row, *value
        return None

    await until(downloading, timeout=40, what="a row mid-download")
    row = (downloading() or (0,))[0]
    assert model.index(row, Column.STATE).data() == "Downloading"
    shot = screenshot(panel, "tasks-downloading")
    assert shot.stat().st_size > 10_000

    seen: dict[int, set[int]] = {}
    speeds: set[str] = set()

    def watch_until_done() -> bool:
        for r in range(model.rowCount()):
            value = model.index(r, Column.PROGRESS).data(PROGRESS_ROLE)
            if value is not None and 0 < value[0] < value[1]:
                seen.setdefault(r, set()).add(value[0])
                speeds.add(model.index(r, Column.SPEED).data())
        return states(model) == ["done", "done"]

    await until(watch_until_done, timeout=60, what="both videos done")
    assert max(len(values) for values in seen.values()) >= 3, "the bar moved through several values"
    assert any(speed.endswith("/s") for speed in speeds), "a speed was shown"
    assert all(model.index(r, Column.PROGRESS).data(PROGRESS_ROLE) is None for r in range(2)), "bars go when done"
    await settle(panel)


async def test_state_filter_and_search_narrow_the_rows(bridge: EngineBridge, panel: TasksPanel) -> None:
    model = panel.model
    source = await bridge.engine.add_source(world.FAV_KEY)
    await bridge.engine.sync()
    await until(lambda: model.rowCount() == 6 and "done" in states(model), what="six videos")

    panel.state_combo.setCurrentIndex(panel.state_combo.findData("done"))
    await until(lambda: model.total == 3 and states(model) == ["done"] * 3, what="done videos only")
    assert panel.count_label.text() == "3 videos"
    panel.state_combo.setCurrentIndex(panel.state_combo.findData("unavailable"))
    await until(lambda: states(model) == ["unavailable"] * 3, what="unavailable videos only")

    panel.state_combo.setCurrentIndex(0)
    panel.search_edit.setText("春日")
    await until(lambda: titles(model) == ["春日散步 Vlog"], what="search by title (debounced)")
    panel.search_edit.setText(world.BVID_MULTIPAGE)
    await until(lambda: titles(model) == ["【三集连播】多P测试视频"], what="search by BV id")
    screenshot(panel, "tasks-search-bv")

    panel.search_edit.setText("没有这个视频")
    await until(lambda: model.total == 0, what="nothing matches")
    assert panel.empty_label.isVisible() and "match" in panel.empty_label.text()

    panel.search_edit.clear()
    await until(lambda: panel.source_combo.count() == 2, what="the source in the source filter")
    assert panel.source_combo.itemText(1) == "同步测试收藏夹"
    panel.source_combo.setCurrentIndex(1)
    await until(lambda: model.rowCount() == 6, what="the source's videos")
    assert model.source_filter == source.id
    await settle(panel)


async def test_context_actions_pause_resume_reset_and_force(bridge: EngineBridge, panel: TasksPanel) -> None:
    engine = bridge.engine
    model = panel.model
    source = await engine.add_source(world.SERIES_KEY)  # reads the list's title only
    rows = video_rows(source.id or 0, 3)
    rows[1].update(GAVE_UP_POSTER, title="海边日落（失败）")
    rows[2].update(ALL_DONE, title="已完成的视频")
    await engine.db.run(repo.insert_tasks_bulk, rows)
    check_model(panel)
    panel.activated()
    await until(lambda: states(model) == ["queued", "failed", "done"], what="three inserted videos")
    assert model.index(1, Column.ATTEMPTS).data() == "4/4"

    select_rows(panel, 0)
    assert panel.pause_action.isEnabled() and not panel.resume_action.isEnabled()
    assert not panel.reset_action.isEnabled() and not panel.open_folder_action.isEnabled()
    panel.tree.customContextMenuRequested.emit(panel.tree.visualRect(model.index(0, 0)).center())
    menu = panel.findChild(QMenu, "task-menu")
    assert menu is not None and menu.isVisible()
    assert [a.text() for a in menu.actions() if a.text()][:3] == ["Pause", "Resume", "Cancel"]
    screenshot(menu, "tasks-context-menu")
    menu.close()

    panel.pause_action.trigger()
    await until(lambda: states(model)[0] == "paused", what="paused")
    assert (await engine.tasks(limit=1))[0].state == "paused"
    assert model.index(0, Column.STATE).data() == "Paused"
    assert panel.resume_action.isEnabled() and not panel.pause_action.isEnabled()
    panel.resume_action.trigger()
    await until(lambda: states(model)[0] == "queued", what="resumed")

    select_rows(panel, 1)
    assert panel.reset_action.isEnabled() and panel.retry_action.isEnabled()
    panel.reset_action.trigger()
    await until(lambda: states(model)[1] == "queued", what="failed sub-tasks reset")
    assert model.index(1, Column.ATTEMPTS).data() == ""

    select_rows(panel, 2)
    assert not panel.pause_action.isEnabled() and panel.force_action.isEnabled()
    panel.force_action.trigger()
    box = panel.confirm_box
    assert box is not None and "已完成的视频" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert states(model)[2] == "done", "cancelled: nothing happens"
    panel.force_action.trigger()
    box = panel.confirm_box
    assert box is not None
    next(b for b in box.buttons() if b.text() == "Re-download").click()
    await until(lambda: states(model)[2] == "queued", what="forced re-download queued")

    select_rows(panel, 0, 2)
    panel.copy_link_action.trigger()
    assert QGuiApplication.clipboard().text().split("\n") == [
        "https://www.bilibili.com/video/BV1test00000",
        "https://www.bilibili.com/video/BV1test00002",
    ]
    await settle(panel)


async def test_rows_leave_and_join_a_filtered_list_in_place(bridge: EngineBridge, panel: TasksPanel) -> None:
    engine = bridge.engine
    model = panel.model
    source = await engine.add_source(world.SERIES_KEY)
    rows = video_rows(source.id or 0, 4)
    for row, (title, values) in zip(
        rows,
        [("甲 失败", GAVE_UP_POSTER), ("乙 已完成", ALL_DONE), ("丙 失败", GAVE_UP_POSTER), ("丁 等待", QUEUED)],
        strict=True,
    ):
        row.update(values, title=title)
    await engine.db.run(repo.insert_tasks_bulk, rows)
    check_model(panel)
    panel.state_combo.setCurrentIndex(panel.state_combo.findData("failed"))
    await until(lambda: titles(model) == ["甲 失败", "丙 失败"], what="the failed videos")
    await settle(panel)
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))

    select_rows(panel, 0)
    panel.reset_action.trigger()
    await until(lambda: titles(model) == ["丙 失败"], what="the reset video leaving the failed list")
    assert not resets, "removed in place, not by a reset"

    panel.state_combo.setCurrentIndex(panel.state_combo.findData("queued"))
    await until(lambda: titles(model) == ["甲 失败", "丁 等待"], what="the pending videos")
    await settle(panel)
    resets.clear()
    select_rows(panel, 1)
    done_id = (await engine.tasks(state="done"))[0].id
    await engine.reset_tasks(force=True, task_ids=[done_id])  # from elsewhere, e.g. the Sources page
    await until(lambda: titles(model) == ["甲 失败", "乙 已完成", "丁 等待"], what="the re-queued video joining")
    assert not resets
    selected = panel.tree.selectionModel().selectedRows(0)
    assert [i.data() for i in selected] == ["丁 等待"], "the selection stays on its video"
    await settle(panel)


async def test_rows_load_a_page_at_a_time_and_progress_never_resets_the_model(
    bridge: EngineBridge, panel: TasksPanel
) -> None:
    engine = bridge.engine
    model = panel.model
    source = await engine.add_source(world.SERIES_KEY)
    engine.db.call(repo.insert_tasks_bulk, video_rows(source.id or 0, 5000))
    panel.activated()
    await until(lambda: model.total == 5000 and model.loaded == PAGE_SIZE, what="the first page")
    await until(lambda: not model.busy, what="idle")
    assert model.loaded == PAGE_SIZE and not model.exhausted, "more rows wait in the database"
    assert panel.count_label.text() == f"Showing 200 of {QLocale().toString(5000)}"

    bar = panel.tree.verticalScrollBar()
    bar.setValue(bar.maximum())
    await until(lambda: model.loaded == 2 * PAGE_SIZE, what="the next page after scrolling to the end")
    assert model.loaded < 5000

    resets: list[int] = []
    ranges: list[tuple[int, int, int, int]] = []
    batches: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))

    def changed(first: QModelIndex, last: QModelIndex, roles: list[int]) -> None:
        if PROGRESS_ROLE in roles:
            ranges.append((first.row(), last.row(), first.column(), last.column()))

    model.dataChanged.connect(changed)
    bridge.progressBatch.connect(lambda batch: batches.append(len(batch)))
    first_id = model.video(model.index(0, 0)).id
    for step in range(1, 31):  # 30 rounds of 100 updates: 60 loaded rows and 40 not loaded
        for offset in range(60):
            engine.bus.publish(progress(first_id + offset, step * 1000))
        for offset in range(40):
            engine.bus.publish(
                TaskProgress(
                    10**7 + first_id + 4000 + offset, first_id + 4000 + offset, step * 1000, 100_000, 50_000.0, 30.0
                )
            )
        if step % 10 == 0:
            await until(lambda: batches and not bridge._pending, what="a batch")
    await until(lambda: not bridge._pending, what="the last batch")
    assert not resets
    assert len(ranges) == len(batches), "one dataChanged per batch"
    assert all(r[:2] == (0, 59) and r[2] > 0 for r in ranges), "one range over the loaded rows, column 0 spared"
    assert model.index(59, Column.PROGRESS).data(PROGRESS_ROLE) == (30_000, 100_000)
    assert model.loaded == 2 * PAGE_SIZE, "progress for unloaded rows loads nothing"
    await settle(panel)


async def scroll_to_the_end(panel: TasksPanel) -> None:
    """Scroll down as a person would until the engine has no more rows."""
    model = panel.model
    bar = panel.tree.verticalScrollBar()
    while True:
        bar.setValue(bar.maximum() - 1)  # a move, even when the end was reached before the rows came
        bar.setValue(bar.maximum())
        await until(lambda: not model.busy, what="the next page")
        if model.exhausted:
            break

    # The last rows widen the scroll range a moment after they arrive (the view lays out on a
    # timer): keep pulling the bar down, as a person would, until it stays at the end.
    def at_the_end() -> bool:
        bar.setValue(bar.maximum())
        return shown(panel, model.rowCount() - 1)

    await until(at_the_end, what="the bar at the end")


def shown(panel: TasksPanel, row: int) -> bool:
    """Whether the row is inside the visible part of the list."""
    rect = panel.tree.visualRect(panel.model.index(row, Column.TITLE))
    return rect.isValid() and panel.tree.viewport().rect().contains(rect)


async def test_scrolling_to_the_end_shows_the_last_video(bridge: EngineBridge, panel: TasksPanel) -> None:
    engine = bridge.engine
    model = panel.model
    source = await engine.add_source(world.SERIES_KEY)
    engine.db.call(repo.insert_tasks_bulk, video_rows(source.id or 0, 3000))
    panel.activated()
    await until(lambda: model.total == 3000 and model.loaded == PAGE_SIZE, what="the first page")

    await scroll_to_the_end(panel)
    assert model.loaded == model.rowCount() == 3000
    last = model.rowCount() - 1
    assert model.index(last, Column.TITLE).data() == "批量视频 02999"
    # the view lays out the rows it was given on a timer of its own: under load, a moment later
    await until(lambda: shown(panel, last), what="the last video in sight, not cut off below")
    bottom = panel.tree.indexAt(QPoint(4, panel.tree.viewport().height() - 4))
    assert bottom.row() == last
    assert panel.count_label.text() == f"{QLocale().toString(3000)} videos"
    screenshot(panel, "tasks-scrolled-to-the-end")
    await settle(panel)


async def test_progress_shows_on_a_video_scrolled_far_down(bridge: EngineBridge, panel: TasksPanel) -> None:
    engine = bridge.engine
    model = panel.model
    source = await engine.add_source(world.SERIES_KEY)
    engine.db.call(repo.insert_tasks_bulk, video_rows(source.id or 0, 3000))
    panel.activated()
    await until(lambda: model.loaded == PAGE_SIZE, what="the first page")
    await scroll_to_the_end(panel)
    await settle(panel)
    far = model.index(2500, 0)
    panel.tree.scrollTo(far, panel.tree.ScrollHint.PositionAtTop)
    # the view lays out the rows it was given on a timer of its own: under load, a moment later
    await until(lambda: shown(panel, 2500) and not shown(panel, 0), what="row 2500 at the top")
    video = model.video(far)
    assert video is not None
    repainted: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, last, _roles: repainted.append((first.row(), last.row())))

    engine.bus.publish(progress(video.id, 25_000, 1.5))
    await until(lambda: far.siblingAtColumn(Column.PROGRESS).data(PROGRESS_ROLE) is not None, what="the bar")
    assert far.siblingAtColumn(Column.PROGRESS).data(PROGRESS_ROLE) == (25_000, 100_000)
    assert far.siblingAtColumn(Column.STATE).data() == "Downloading"
    assert far.siblingAtColumn(Column.SPEED).data().endswith("/s")
    assert any(first <= 2500 <= last for first, last in repainted), "the row on screen is repainted"
    screenshot(panel, "tasks-progress-far-down")

    engine.bus.publish(progress(video.id, 75_000, 0.5))
    await until(lambda: far.siblingAtColumn(Column.PROGRESS).data(PROGRESS_ROLE) == (75_000, 100_000), what="moved")
    await settle(panel)


async def test_opening_a_video_far_down_shows_its_parts_below_it(bridge: EngineBridge, panel: TasksPanel) -> None:
    engine = bridge.engine
    model = panel.model
    view = panel.tree
    source = await engine.add_source(world.SERIES_KEY)
    engine.db.call(repo.insert_tasks_bulk, video_rows(source.id or 0, 3000))
    far_id = next(t.id for t in await engine.tasks(search="批量视频 02900"))
    await engine.db.run(repo.update_task, far_id, part_count=3)
    three = [{"key": str(100 + p), "number": p, "title": f"第{p}集"} for p in (1, 2, 3)]
    await engine.db.run(lambda session: repo.save_parts(session, session.get(Task, far_id), three, ("media",)))
    panel.activated()
    await until(lambda: model.loaded == PAGE_SIZE, what="the first page")
    await scroll_to_the_end(panel)
    check_model(panel)
    row = model.row_of(far_id)
    assert row == 2900
    view.scrollTo(model.index(row, 0))
    title = model.index(row, Column.TITLE)
    assert title.data(BRANCH_ROLE) is False and parts(model, row) == []
    next_title = model.index(row + 1, Column.TITLE).data()

    # a click on the arrow opens it: its parts are the rows right below it, the rest moves down
    arrow = view.titles.arrow_rect(view.visualRect(title), title, view)
    assert arrow is not None
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, arrow.center())
    await until(lambda: len(parts(model, row)) == 3, what="the three parts")
    assert parts(model, row) == ["P1 第1集", "P2 第2集", "P3 第3集"]
    assert view.isExpanded(title) and model.rowCount() == 3003
    assert model.index(row + 4, Column.TITLE).data() == next_title
    assert model.row_of(far_id + 1) == row + 4
    assert model.video(model.index(row + 2, 0)).id == far_id, "a part row belongs to its video"  # type: ignore[union-attr]
    assert not view.selectionModel().hasSelection(), "the arrow opens without selecting"
    screenshot(panel, "tasks-opened-far-down")

    # the keyboard as in a tree: Left closes, Right opens again, Left on a part goes to its video
    view.setCurrentIndex(title)
    QTest.keyClick(view, Qt.Key.Key_Left)
    assert parts(model, row) == [] and model.rowCount() == 3000 and not view.isExpanded(title)
    QTest.keyClick(view, Qt.Key.Key_Right)
    assert len(parts(model, row)) == 3, "read once, shown again at once"
    view.setCurrentIndex(model.index(row + 2, Column.TITLE))
    QTest.keyClick(view, Qt.Key.Key_Left)
    assert view.currentIndex().row() == row

    # a change to the video keeps it open; a double-click closes it
    select_rows(panel, row)
    panel.pause_action.trigger()
    await until(lambda: model.index(row, Column.STATE).data() == "Paused", what="paused")
    await until(lambda: model.index(row + 1, Column.STATE).data() == "Paused", what="its parts paused too")
    assert len(parts(model, row)) == 3
    QTest.mouseDClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
        view.visualRect(model.index(row, Column.SOURCE)).center(),
    )  # fmt: skip
    assert parts(model, row) == [] and model.rowCount() == 3000
    await settle(panel)


async def test_a_videos_bar_is_over_all_it_fetches_and_never_runs_backwards(
    bridge: EngineBridge, panel: TasksPanel, fake_bili: FakeBilibili
) -> None:
    model = panel.model
    engine = bridge.engine
    await engine.add_source(world.SERIES_KEY)
    fake_bili.scenario(media_throttle=40_000)
    bridge.run(engine.sync(), what="sync")
    shown: dict[str, list[tuple[int, int]]] = {}

    def watch_until_done() -> bool:
        for r in range(model.rowCount()):
            value = model.index(r, Column.PROGRESS).data(PROGRESS_ROLE)
            if value is not None:
                bars = shown.setdefault(model.index(r, Column.TITLE).data(), [])
                if not bars or bars[-1] != value:
                    bars.append(value)
        return states(model) == ["done", "done"]

    await until(watch_until_done, timeout=60, what="both videos done")
    assert len(shown) == 2 and all(len(bars) >= 3 for bars in shown.values()), f"the bars moved: {shown}"
    for title, bars in shown.items():
        totals = {total for _, total in bars}
        assert len(totals) == 1, f"{title}: the size of all its streams is shown from the start: {bars}"
        fractions = [done / total for done, total in bars]
        assert fractions == sorted(fractions), f"{title}: the bar never runs backwards: {bars}"
    await settle(panel)


async def test_subtask_badges_are_explained_and_each_is_one_character_in_chinese(
    bridge: EngineBridge, panel: TasksPanel
) -> None:
    engine = bridge.engine
    model = panel.model
    source = await engine.add_source(world.SERIES_KEY)
    rows = video_rows(source.id or 0, 1)
    rows[0].update(GAVE_UP_POSTER)
    await engine.db.run(repo.insert_tasks_bulk, rows)
    panel.activated()
    await until(lambda: model.rowCount() == 1, what="the video")
    badges = [badge for badge, _value in model.index(0, Column.SUBTASKS).data(SUBTASKS_ROLE)]
    assert badges == ["C", "S", "A", "U", "P"]
    legend = model.subtask_legend()
    assert len({badge for badge, _name in legend}) == len(legend) == 9, "one badge per step, none shared"
    tip = model.headerData(Column.SUBTASKS, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines() == [f"{badge}  {name}" for badge, name in legend]
    assert "C  Cover" in tip and "T  Subtitles" in tip and "S  Show NFO" in tip
    assert panel.legend_label.isVisible() and "C Cover" in panel.legend_label.text()
    assert "C  Cover: gave up" in model.index(0, Column.SUBTASKS).data(Qt.ItemDataRole.ToolTipRole)

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translations = Translations(app)
    try:
        translations.apply("zh_CN")
        panel.retranslate()
        chinese = [badge for badge, _value in model.index(0, Column.SUBTASKS).data(SUBTASKS_ROLE)]
        assert chinese == ["封", "剧", "头", "主", "分"], "a character of the step's name, never a Latin letter"
        assert all(len(badge) == 1 and "\u4e00" <= badge <= "\u9fff" for badge, _ in model.subtask_legend())
        assert "封  封面" in model.headerData(Column.SUBTASKS, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert panel.legend_label.text().startswith("子任务：封 封面")
        screenshot(panel, "tasks-badges-zh")
    finally:
        translations.apply("en")
        panel.retranslate()
    await settle(panel)


async def test_the_subtasks_column_fits_a_full_row_of_badges(panel: TasksPanel) -> None:
    header = panel.tree.horizontalHeader()
    big = QFont(panel.tree.font())
    big.setPixelSize(22)
    panel.setFont(big)  # a large system font: the badges grow with the text
    line = QFontMetrics(big).height()
    # five badges, each at least a line of text wide, with a gap and the cell's margins
    assert header.sectionSize(Column.SUBTASKS) >= 8 + 5 * (line + 3)
    name = panel.model.headerData(Column.SUBTASKS, Qt.Orientation.Horizontal)
    assert header.fontMetrics().horizontalAdvance(name) < header.sectionSize(Column.SUBTASKS), "the name shows"


def test_the_text_in_a_narrow_progress_bar_is_shortened_not_clipped(panel: TasksPanel) -> None:
    from desktop.widgets.task_delegates import progress_text  # here: the other tests need none of it

    metrics = panel.tree.fontMetrics()
    wide = progress_text(250_000_000, 1_000_000_000, metrics, 1000)
    assert wide.startswith("25%") and "/" in wide, "room enough: percent and sizes"
    narrow = progress_text(250_000_000, 1_000_000_000, metrics, metrics.horizontalAdvance("25%") + 2)
    assert narrow == "25%", "a narrow bar keeps the percent"
    tiny = progress_text(250_000_000, 1_000_000_000, metrics, 10)
    assert metrics.horizontalAdvance(tiny) <= 10
    for width in (40, 80, 120, 160):
        assert metrics.horizontalAdvance(progress_text(5_000, 0, metrics, width)) <= width


async def test_the_active_filter_shows_only_what_downloads_now(bridge: EngineBridge, panel: TasksPanel) -> None:
    engine = bridge.engine
    model = panel.model
    source = await engine.add_source(world.SERIES_KEY)
    engine.db.call(repo.insert_tasks_bulk, video_rows(source.id or 0, 3000))
    panel.activated()
    await until(lambda: model.loaded == PAGE_SIZE, what="the first page")
    far = (await engine.tasks(limit=3000))[2500]
    assert model.row_of(far.id) is None, "far below what is loaded"
    engine.bus.publish(progress(far.id, 25_000, 1.5))
    await settle(panel)
    assert panel.state_combo.itemData(1) == "active", "right below All states"
    panel.state_combo.setCurrentIndex(1)
    await until(lambda: titles(model) == [far.title], what="only the downloading video")
    await until(lambda: model.total == 1, what="counted")
    assert model.index(0, Column.STATE).data() == "Downloading"
    assert model.index(0, Column.PROGRESS).data(PROGRESS_ROLE) == (25_000, 100_000), "its bar at once"
    assert panel.state_combo.currentText() == "Active"

    near = (await engine.tasks(limit=1))[0]
    engine.bus.publish(progress(near.id, 10_000))
    await until(lambda: titles(model) == [near.title, far.title], what="a download that starts joins")
    engine.bus.publish(TaskFinished(far.id, True))
    await until(lambda: titles(model) == [near.title], what="a finished download leaves")
    await settle(panel)
