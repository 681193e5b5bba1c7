"""The Playlists page against the real engine and the toybox media server (a subprocess on
127.0.0.1): the tree, lazy lists, dynamic folders, drag and drop, play actions, the add
dialog, and changes made elsewhere showing at once."""

from __future__ import annotations

import asyncio
import types
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from keyring.backends.null import Keyring as NullKeyring
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from core.config import load_config
from core.engine.engine import Engine
from core.engine.playlists import rows
from core.engine.playlists.queue import PlayQueue
from core.engine.playlists.views import PlayRef
from core.providers.registry import PROVIDERS, ProviderRegistry
from core.secrets import SecretStore
from desktop.bridge import EngineBridge
from desktop.dialogs.playlist_add import PlaylistAddDialog
from desktop.models.playlists import KEY_ROLE, PAGE_SIZE, Column
from desktop.panels.playlists import PlaylistsPanel
from desktop.widgets.playlist_menu import AddToPlaylistMenu
from tests.desktop.conftest import screenshot, until
from tests.playlists.toybox import ToyboxServer, bound_toybox

pytestmark = pytest.mark.timeout(90)


@pytest.fixture(scope="module")
def toybox() -> Iterator[ToyboxServer]:
    with ToyboxServer(big=3000) as server:
        yield server


@pytest.fixture
async def bridge(toybox: ToyboxServer, tmp_path: Path) -> AsyncIterator[EngineBridge]:
    config = load_config(tmp_path / "c.toml", data_dir=tmp_path / "data",
                         environ={"SYNCDECK_LIBRARY_ROOT": str(tmp_path / "lib")})  # fmt: skip
    registry = ProviderRegistry(config, [*PROVIDERS, bound_toybox(toybox.base_url)])
    engine = Engine(config, secrets=SecretStore(NullKeyring()), registry=registry)
    bridge = EngineBridge(engine)
    yield bridge
    await bridge.shutdown()
    await engine.close()
    bridge.deleteLater()


async def settle(panel: PlaylistsPanel) -> None:
    await until(lambda: not panel.bridge._tasks and not panel.tree_model.busy, what="the panel idle")
    await asyncio.sleep(0.12)  # change events are gathered for 50 ms
    await until(lambda: not panel.bridge._tasks and not panel.tree_model.busy, what="the panel idle")


async def open_panel(bridge: EngineBridge, qtbot: Any) -> PlaylistsPanel:
    panel = PlaylistsPanel(bridge)
    qtbot.addWidget(panel)
    panel.resize(1100, 560)
    panel.show()
    await settle(panel)
    return panel


def choose(panel: PlaylistsPanel, key: tuple[Any, ...]) -> None:
    index = panel.tree_model.index_of(key)
    assert index.isValid(), key
    panel.tree.setCurrentIndex(index)


def shown_titles(panel: PlaylistsPanel) -> list[str]:
    return [panel.items.index(r, Column.TITLE).data() for r in range(panel.items.rowCount())]


def tree_titles(panel: PlaylistsPanel, parent: QModelIndex | None = None) -> list[str]:
    parent = parent or QModelIndex()
    return [panel.tree_model.index(r, 0, parent).data() for r in range(panel.tree_model.rowCount(parent))]


def select_row(panel: PlaylistsPanel, *rows_: int) -> None:
    selection = panel.list.selectionModel()
    selection.clearSelection()
    for row in rows_:
        selection.select(panel.items.index(row, 0), selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    panel.update_actions()


async def test_the_tree_and_a_playlists_entries_with_their_details(bridge: EngineBridge, qtbot: Any) -> None:
    book = bridge.engine.playlists
    films = await book.create("Films")
    await book.create("Classics", parent=films)
    await book.add_dynamic(None, "/Movies", provider="toybox")
    await book.add_link(films, "toybox:/Movies/Film A.mp4")
    series = await book.add_link(films, "toybox:/Movies/Series/Ep 2.mp4")
    await book.set_resume(series.id, 754)
    panel = await open_panel(bridge, qtbot)
    assert tree_titles(panel) == ["Films", "Movies"]
    assert tree_titles(panel, panel.tree_model.index_of(("node", films))) == ["Classics"]
    assert panel.heading.text() == "Films", "the first playlist is chosen"
    await until(lambda: panel.items.rowCount() == 2)
    assert [
        [panel.items.index(r, c).data() for c in Column] for r in range(2)
    ] == [["Film A.mp4", "Toybox", "1:30:00", ""], ["Ep 2.mp4", "Toybox", "25:00", "12:34"]]  # fmt: skip
    assert panel.items.index(0, Column.TITLE).data(Qt.ItemDataRole.DecorationRole) is not None, "a cover (placeholder)"
    assert panel.count_label.text() == "2 items"
    screenshot(panel, "playlists-panel")


async def test_a_long_playlist_loads_as_it_scrolls(bridge: EngineBridge, qtbot: Any) -> None:
    playlist = await bridge.engine.playlists.create("Long")
    await bridge.engine.db.run(rows.insert_entries_bulk, playlist, [
        {"title": f"Item {n:05d}", "provider": "toybox", "duration": 60, "item_json": "{}"} for n in range(5000)
    ])  # fmt: skip
    panel = await open_panel(bridge, qtbot)
    loaded = panel.items.rowCount()
    assert PAGE_SIZE <= loaded < 5000, "only the first pages are read"
    assert panel.count_label.text() == f"Showing {loaded} of 5000"
    bar = panel.list.verticalScrollBar()
    for _ in range(40):
        bar.setValue(bar.maximum())
        await settle(panel)
        if panel.items.rowCount() == 5000:
            break
    assert shown_titles(panel)[::1000] == [f"Item {n:05d}" for n in range(0, 5000, 1000)]
    assert shown_titles(panel)[-1] == "Item 04999" and panel.count_label.text() == "5000 items"


async def test_a_dynamic_folder_lists_its_server_and_opens_sub_folders(bridge: EngineBridge, qtbot: Any) -> None:
    folder = await bridge.engine.playlists.add_dynamic(None, "/Movies", provider="toybox")
    panel = await open_panel(bridge, qtbot)
    await until(lambda: panel.items.rowCount() == 3)
    assert shown_titles(panel) == ["Film A.mp4", "Film B.mkv", "Series"]
    assert panel.items.index(0, Column.DURATION).data() == "1:30:00"
    node = panel.tree_model.index_of(("node", folder))
    assert panel.tree_model.hasChildren(node) and panel.tree_model.canFetchMore(node), "lazy until opened"
    panel.tree.expand(node)
    await until(lambda: tree_titles(panel, node) == ["Series"], what="the sub-folder in the tree")
    panel.list.doubleClicked.emit(panel.items.index(2, 0))  # into Series
    await until(lambda: shown_titles(panel) == ["Ep 1.mp4", "Ep 2.mp4", "Ep 3.mp4"])
    assert panel.heading.text() == "Movies / Series  (Toybox /Movies)"
    assert panel.tree.currentIndex().data(KEY_ROLE) == ("sub", folder, "Series")
    screenshot(panel, "playlists-dynamic-folder")


async def test_a_big_dynamic_folder_pages_from_the_server(bridge: EngineBridge, qtbot: Any) -> None:
    await bridge.engine.playlists.add_dynamic(None, "/Big", provider="toybox")
    panel = await open_panel(bridge, qtbot)
    await until(lambda: panel.items.rowCount() >= 500)
    assert panel.items.rowCount() < 3000 and panel.count_label.text().endswith("of 3000")
    bar = panel.list.verticalScrollBar()
    for _ in range(20):
        bar.setValue(bar.maximum())
        await settle(panel)
        if panel.items.rowCount() == 3000:
            break
    assert shown_titles(panel)[-1] == "file-02999.mp4" and panel.count_label.text() == "3000 items"


async def test_changes_made_elsewhere_show_at_once(bridge: EngineBridge, qtbot: Any) -> None:
    book = bridge.engine.playlists
    playlist = await book.create("Live")
    panel = await open_panel(bridge, qtbot)
    entry = await book.add_link(playlist, "toybox:/Movies/Film B.mkv")  # as `syncdeck playlist add` would
    await until(lambda: shown_titles(panel) == ["Film B.mkv"], what="the new entry")
    await book.set_resume(entry.id, 65)
    await until(lambda: panel.items.index(0, Column.RESUME).data() == "1:05", what="the resume position")
    await book.create("Another")
    await until(lambda: tree_titles(panel) == ["Live", "Another"], what="the new playlist")
    await book.rename(playlist, "Renamed")
    await until(lambda: tree_titles(panel)[0] == "Renamed")
    assert panel.heading.text() == "Renamed", "the choice survives the tree's reload"


async def test_drag_and_drop_reorders_and_moves_entries(bridge: EngineBridge, qtbot: Any) -> None:
    book = bridge.engine.playlists
    a = await book.create("A")
    b = await book.create("B")
    for n in (1, 2, 3):
        await book.add_link(a, f"toybox:/Movies/Series/Ep {n}.mp4")
    panel = await open_panel(bridge, qtbot)
    await until(lambda: panel.items.rowCount() == 3)
    # drag Ep 3 above Ep 1 in the list (what the view hands the model on a drop)
    data = panel.items.mimeData([panel.items.index(2, 0)])
    panel.items.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    await until(lambda: shown_titles(panel) == ["Ep 3.mp4", "Ep 1.mp4", "Ep 2.mp4"], what="the reorder")
    # drag Ep 1 below the last one
    data = panel.items.mimeData([panel.items.index(1, 0)])
    panel.items.dropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    await until(lambda: shown_titles(panel) == ["Ep 3.mp4", "Ep 2.mp4", "Ep 1.mp4"], what="the move down")
    # drag two entries onto playlist B in the tree
    data = panel.items.mimeData([panel.items.index(0, 0), panel.items.index(2, 0)])
    target = panel.tree_model.index_of(("node", b))
    assert panel.tree_model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, 0, target)
    panel.tree_model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, target)
    await until(lambda: shown_titles(panel) == ["Ep 2.mp4"], what="the entries gone from A")
    assert [e.title for e in await book.entries(b)] == ["Ep 3.mp4", "Ep 1.mp4"]
    # drag playlist B into A in the tree
    data = panel.tree_model.mimeData([panel.tree_model.index_of(("node", b))])
    panel.tree_model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, panel.tree_model.index_of(("node", a)))
    await until(lambda: tree_titles(panel) == ["A"], what="B inside A")
    assert tree_titles(panel, panel.tree_model.index_of(("node", a))) == ["B"]


async def test_files_of_a_dynamic_folder_dropped_on_a_playlist_are_added(bridge: EngineBridge, qtbot: Any) -> None:
    book = bridge.engine.playlists
    keep = await book.create("Keep")
    folder = await book.add_dynamic(None, "/Movies", provider="toybox")
    panel = await open_panel(bridge, qtbot)
    choose(panel, ("node", folder))
    await until(lambda: panel.items.rowCount() == 3)
    data = panel.items.mimeData([panel.items.index(1, 0)])
    panel.tree_model.dropMimeData(data, Qt.DropAction.CopyAction, -1, 0, panel.tree_model.index_of(("node", keep)))
    await until(lambda: bool(panel.bridge.engine) and not panel.bridge._tasks)
    await settle(panel)
    assert [e.title for e in await book.entries(keep)] == ["Film B.mkv"]
    assert shown_titles(panel) == ["Film A.mp4", "Film B.mkv", "Series"], "the folder itself is unchanged"


async def test_play_from_here_hands_the_player_the_whole_list(bridge: EngineBridge, qtbot: Any) -> None:
    book = bridge.engine.playlists
    playlist = await book.create("Queue")
    for n in (1, 2, 3):
        await book.add_link(playlist, f"toybox:/Movies/Series/Ep {n}.mp4")
    panel = await open_panel(bridge, qtbot)
    await until(lambda: panel.items.rowCount() == 3)
    select_row(panel, 1)
    assert not panel.play_here_action.isEnabled(), "no player listens yet"
    assert "player" in panel.play_here_action.toolTip()
    queues: list[PlayQueue[PlayRef]] = []
    panel.playRequested.connect(queues.append)
    panel.update_actions()
    assert panel.play_here_action.isEnabled()
    panel.play_here_action.trigger()
    await until(lambda: bool(queues), what="a queue")
    queue = queues[0]
    assert [r.title for r in queue.items] == ["Ep 1.mp4", "Ep 2.mp4", "Ep 3.mp4"]
    assert queue.current is not None and queue.current.title == "Ep 2.mp4" and queue.current.entry_id is not None
    assert queue.advance() is not None and queue.current.title == "Ep 3.mp4"
    select_row(panel, 0, 2)
    panel.play_action.trigger()
    assert [r.title for r in queues[1].items] == ["Ep 1.mp4", "Ep 3.mp4"], "play: the chosen entries"


async def test_actions_that_need_playback_say_why_they_are_off(
    bridge: EngineBridge, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    playlist = await bridge.engine.playlists.create("P")
    await bridge.engine.playlists.add_link(playlist, "toybox:/Movies/Film A.mp4")
    panel = await open_panel(bridge, qtbot)
    await until(lambda: panel.items.rowCount() == 1)
    select_row(panel, 0)
    resolved: list[tuple[Any, ...]] = []
    opened: list[Any] = []

    async def resolve(item_json: Any, provider: str, account_id: Any, part_key: Any, **options: Any) -> Any:
        resolved.append((item_json["title"], provider, options["start_at"], options.get("mode")))
        return types.SimpleNamespace(mode=options.get("mode") or "direct")

    async def needs_proxy(info: Any) -> bool:
        return info.mode == "direct"  # as for a player that cannot send headers

    async def open_external(info: Any) -> None:
        opened.append(info)

    for name, method in (("resolve", resolve), ("open_external", open_external), ("player_needs_proxy", needs_proxy)):
        monkeypatch.setattr(bridge.engine.playback, name, method, raising=False)
    await bridge.engine.playlists.set_resume(panel.items.rows[0].id, 42)  # type: ignore[union-attr]
    panel.update_actions()
    assert panel.external_action.isEnabled()
    panel.external_action.trigger()
    await until(lambda: bool(opened))
    assert resolved == [("Film A.mp4", "toybox", 42.0, None), ("Film A.mp4", "toybox", 42.0, "proxied")]
    assert opened[0].mode == "proxied", "proxied for a player that cannot send the stream's headers"
    panel.copy_action.trigger()
    assert QGuiApplication.clipboard().text() == "toybox:/Movies/Film A.mp4"


async def test_download_to_library_makes_a_task_and_the_file(bridge: EngineBridge, qtbot: Any, tmp_path: Path) -> None:
    playlist = await bridge.engine.playlists.create("P")
    await bridge.engine.playlists.add_link(playlist, "toybox:/Movies/Film B.mkv")
    local = tmp_path / "here.mp4"
    local.write_bytes(b"x")
    await bridge.engine.playlists.add_link(playlist, str(local))
    panel = await open_panel(bridge, qtbot)
    await until(lambda: panel.items.rowCount() == 2)
    select_row(panel, 1)
    panel.update_actions()
    assert not panel.download_action.isEnabled() and "already" in panel.download_action.toolTip()
    select_row(panel, 0)
    panel.update_actions()
    assert panel.download_action.isEnabled()
    panel.download_action.trigger()
    target = tmp_path / "lib" / "Downloads" / "Toybox" / "Film B.mkv"
    await until(lambda: target.exists(), what="the downloaded file")
    tasks = await bridge.engine.tasks()
    assert [(t.title, t.kind) for t in tasks] == [("Film B.mkv", "file")]


async def test_the_add_dialog_previews_a_link_before_adding_it(bridge: EngineBridge, qtbot: Any) -> None:
    playlist = await bridge.engine.playlists.create("Mine")
    panel = await open_panel(bridge, qtbot)
    dialog = PlaylistAddDialog(bridge, playlist, "Mine", panel)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.browse_button.isHidden(), "media servers can be browsed"
    dialog.link_edit.setText("gopher://nowhere")
    dialog.preview()
    await until(lambda: dialog.message.isVisible() and dialog.message.is_error, what="the error")
    assert "No provider can play" in dialog.message.text() and not dialog.add_button.isEnabled()
    dialog.link_edit.setText("toybox:/Parts/Two parts.mp4")
    dialog.preview()
    await until(lambda: dialog.add_button.isEnabled(), what="the preview")
    assert dialog.title_label.text() == "Two parts.mp4"
    assert dialog.detail_label.text() == "Toybox · 20:00 · 2 parts (chosen when it plays)"
    screenshot(dialog, "playlist-add-dialog")
    dialog.add_button.click()
    await until(lambda: shown_titles(panel) == ["Two parts.mp4"], what="the entry in the list")
    assert not dialog.isVisible()


async def test_the_add_dialog_takes_a_media_server_folder_as_a_dynamic_folder(bridge: EngineBridge, qtbot: Any) -> None:
    playlist = await bridge.engine.playlists.create("Mine")
    panel = await open_panel(bridge, qtbot)
    dialog = PlaylistAddDialog(bridge, playlist, "Mine", panel)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.link_edit.setText("7:/Movies")  # an account id that does not exist
    assert dialog.dynamic_box.isVisibleTo(dialog) and dialog.add_button.isEnabled()
    dialog.add_button.click()
    await until(lambda: dialog.message.is_error and dialog.message.isVisible())
    assert "'7:/Movies'" in dialog.message.text() and "account" in dialog.message.text()
    dialog.link_edit.setText("toybox:/Movies/Series")
    assert dialog.dynamic_box.isHidden(), "a link a provider claims is previewed, not a server path"


async def test_the_tasks_menu_adds_links_to_a_chosen_playlist(bridge: EngineBridge, qtbot: Any) -> None:
    book = bridge.engine.playlists
    top = await book.create("Top")
    inner = await book.create("Inner", parent=top)
    await book.add_dynamic(None, "/Movies", provider="toybox")
    menu = AddToPlaylistMenu(bridge, lambda: ["toybox:/Movies/Film A.mp4"])
    qtbot.addWidget(menu)
    menu.load()
    await until(lambda: len(menu.actions()) == 2 and menu.actions()[0].data() == top, what="the playlists")
    assert [a.text() for a in menu.actions()] == ["Top", "    Inner"], "static playlists only, nested"
    menu.actions()[1].trigger()
    await until(lambda: not bridge._tasks)
    assert [e.title for e in await book.entries(inner)] == ["Film A.mp4"]


async def test_the_window_lists_playlists_after_tasks(bridge: EngineBridge, qtbot: Any) -> None:
    from desktop.app import panel_factories
    from desktop.mainwindow.window import NAVIGATION

    keys = [factory.key for factory in panel_factories()]
    assert keys.index("playlists") == keys.index("tasks") + 1
    assert [key for key, _, _ in NAVIGATION].index("playlists") == 2
    assert QApplication.instance() is not None


async def test_both_models_keep_qts_rules_while_loading_and_changing(bridge: EngineBridge, qtbot: Any) -> None:
    from PySide6.QtTest import QAbstractItemModelTester

    book = bridge.engine.playlists
    top = await book.create("Top")
    await book.create("Inner", parent=top)
    folder = await book.add_dynamic(top, "/Movies", provider="toybox")
    for n in (1, 2):
        await book.add_link(top, f"toybox:/Movies/Series/Ep {n}.mp4")
    panel = await open_panel(bridge, qtbot)
    fatal = QAbstractItemModelTester.FailureReportingMode.Fatal
    QAbstractItemModelTester(panel.tree_model, fatal, panel)
    QAbstractItemModelTester(panel.items, fatal, panel)
    node = panel.tree_model.index_of(("node", folder))
    panel.tree.expand(panel.tree_model.index_of(("node", top)))
    panel.tree.expand(node)
    await until(lambda: tree_titles(panel, node) == ["Series"])
    choose(panel, ("sub", folder, "Series"))
    await until(lambda: panel.items.rowCount() == 3)
    choose(panel, ("node", top))
    await until(lambda: panel.items.rowCount() == 2)
    await book.create("Later", parent=top)
    await until(lambda: tree_titles(panel, panel.tree_model.index_of(("node", top))) == ["Inner", "Movies", "Later"])
    assert tree_titles(panel, panel.tree_model.index_of(("node", folder))) == ["Series"], "opened folders stay read"


async def test_a_playlist_dragged_between_its_siblings_lands_where_dropped(bridge: EngineBridge, qtbot: Any) -> None:
    book = bridge.engine.playlists
    a, _b, _c = [await book.create(name) for name in ("A", "B", "C")]
    panel = await open_panel(bridge, qtbot)
    data = panel.tree_model.mimeData([panel.tree_model.index_of(("node", a))])
    panel.tree_model.dropMimeData(data, Qt.DropAction.MoveAction, 2, 0, QModelIndex())  # between B and C
    await until(lambda: tree_titles(panel) == ["B", "A", "C"], what="A between B and C")
    data = panel.tree_model.mimeData([panel.tree_model.index_of(("node", a))])
    panel.tree_model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())  # above B
    await until(lambda: tree_titles(panel) == ["A", "B", "C"], what="A first again")


async def test_browse_adds_what_the_media_server_browser_picked(
    bridge: EngineBridge, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.machinery
    import sys

    from PySide6.QtWidgets import QDialog

    class BrowseDialog(QDialog):
        """Stands in for desktop/dialogs/browse.py: picks two files on the server."""

        opened: list[BrowseDialog] = []

        def __init__(self, bridge: EngineBridge, parent: Any = None) -> None:
            super().__init__(parent)
            BrowseDialog.opened.append(self)

        def selected_refs(self) -> list[str]:
            return ["toybox:/Movies/Film B.mkv", "toybox:/Movies/Series/Ep 1.mp4"]

    module = types.ModuleType("desktop.dialogs.browse")
    module.__spec__ = importlib.machinery.ModuleSpec("desktop.dialogs.browse", None)
    module.BrowseDialog = BrowseDialog  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "desktop.dialogs.browse", module)
    import desktop.dialogs

    monkeypatch.setattr(desktop.dialogs, "browse", module, raising=False)  # once imported, the package holds it
    playlist = await bridge.engine.playlists.create("Picked")
    panel = await open_panel(bridge, qtbot)
    dialog = PlaylistAddDialog(bridge, playlist, "Picked", panel)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.browse_button.isVisible()
    dialog.browse_button.click()
    assert len(BrowseDialog.opened) == 1
    BrowseDialog.opened[0].accept()
    await until(lambda: shown_titles(panel) == ["Film B.mkv", "Ep 1.mp4"], what="the picked files, in order")
    assert not dialog.isVisible()


async def test_the_tasks_context_menu_offers_add_to_playlist(bridge: EngineBridge, qtbot: Any) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QMenu

    from desktop.panels.tasks import TasksPanel

    tasks = TasksPanel(bridge)
    qtbot.addWidget(tasks)
    tasks.show()
    await until(lambda: tasks.model.idle and not bridge._tasks)
    tasks._show_menu(QPoint(5, 5))
    menu = tasks.findChild(QMenu, "task-menu")
    assert menu is not None
    submenu = menu.findChild(QMenu, "add-to-playlist-menu")
    assert submenu is not None and submenu.title() == "Add to playlist"
    assert not submenu.isEnabled(), "nothing chosen, nothing to add"
    menu.close()


async def test_keys_play_from_here_rename_and_remove(bridge: EngineBridge, qtbot: Any) -> None:
    from PySide6.QtTest import QTest

    book = bridge.engine.playlists
    playlist = await book.create("Keys")
    for n in (1, 2):
        await book.add_link(playlist, f"toybox:/Movies/Series/Ep {n}.mp4")
    panel = await open_panel(bridge, qtbot)
    await until(lambda: panel.items.rowCount() == 2)
    queues: list[Any] = []
    panel.playRequested.connect(queues.append)
    panel.list.setFocus()
    panel.list.setCurrentIndex(panel.items.index(1, 0))
    select_row(panel, 1)
    QTest.keyClick(panel.list, Qt.Key.Key_Return)
    await until(lambda: bool(queues), what="Return plays from here")
    assert queues[0].current.title == "Ep 2.mp4"
    QTest.keyClick(panel.list, Qt.Key.Key_F2)
    dialog = panel.dialog
    assert dialog is not None and dialog.objectName() == "playlist-name-dialog"
    dialog.setTextValue("Episode two")  # type: ignore[attr-defined]
    dialog.accept()  # type: ignore[attr-defined]
    await until(lambda: shown_titles(panel) == ["Ep 1.mp4", "Episode two"], what="the new title")
    panel.activateWindow()  # back from the dialog
    panel.list.setFocus()
    await until(panel.list.hasFocus, what="the list focused again")
    select_row(panel, 0)
    QTest.keyClick(panel.list, Qt.Key.Key_Delete)
    await until(lambda: shown_titles(panel) == ["Episode two"], what="the entry removed")


async def test_the_list_keeps_its_place_when_entries_change_elsewhere(bridge: EngineBridge, qtbot: Any) -> None:
    book = bridge.engine.playlists
    playlist = await book.create("Long")
    await bridge.engine.db.run(rows.insert_entries_bulk, playlist, [
        {"title": f"Item {n:04d}", "provider": "toybox", "item_json": "{}"} for n in range(1500)
    ])  # fmt: skip
    panel = await open_panel(bridge, qtbot)
    bar = panel.list.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    await settle(panel)
    where = bar.value()
    top_row = panel.list.rowAt(0)
    first = (await book.entries(playlist, limit=1))[0]
    await book.reorder(first.id, 1499)  # as `syncdeck playlist move --entry` would
    await until(lambda: shown_titles(panel)[0] == "Item 0001", what="the list read again")
    await settle(panel)
    assert bar.value() == where and panel.list.rowAt(0) == top_row, "still showing the same place"
