"""Media server accounts in the window, against the fake Alist with a real keyring: the
Accounts panel's login dialog (errors inline) and the browse/search dialog (folders, pages
as the list scrolls, a folder password asked in place, several entries chosen)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from core.config import load_config
from core.engine.engine import Engine
from desktop.bridge import EngineBridge
from desktop.dialogs.browse import BrowseDialog, EntryRole
from desktop.dialogs.server_login import ServerLoginDialog
from desktop.panels.accounts import AccountsPanel
from tests.desktop.conftest import screenshot, until
from tests.fakes.alist import FakeAlist
from tests.fakes.alist.fixtures import fake_alist, fake_alist_server  # noqa: F401  (registers the fixtures)
from tests.keyring_service import PrivateSecretService

pytestmark = [pytest.mark.timeout(90), pytest.mark.keyring]


@pytest.fixture
async def server_bridge(
    fake_alist: FakeAlist,  # noqa: F811
    tmp_path: Path,
    secret_service: PrivateSecretService,
) -> AsyncIterator[EngineBridge]:
    config = load_config(tmp_path / "config.toml", data_dir=tmp_path / "data",
                         environ={"SYNCDECK_LIBRARY_ROOT": str(tmp_path / "library")})  # fmt: skip
    engine = Engine(config)
    bridge = EngineBridge(engine)
    yield bridge
    await bridge.shutdown()
    await engine.close()
    bridge.deleteLater()


def fill(dialog: ServerLoginDialog, url: str, user: str, password: str, kind: str = "alist") -> None:
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(kind))
    dialog.url_edit.setText(url)
    dialog.user_edit.setText(user)
    dialog.password_edit.setText(password)


async def test_adding_a_server_account_shows_errors_in_the_dialog(
    qtbot: QtBot,
    server_bridge: EngineBridge,
    fake_alist: FakeAlist,  # noqa: F811
) -> None:
    panel = AccountsPanel(server_bridge)
    qtbot.addWidget(panel)
    panel.resize(860, 560)
    panel.show()
    await until(lambda: panel.keyring is not None, what="keyring checked")
    panel.empty_server_button.click()
    dialog = panel.server_dialog
    assert isinstance(dialog, ServerLoginDialog) and dialog.isVisible()
    kinds = [dialog.kind_combo.itemData(i) for i in range(dialog.kind_combo.count())]
    assert {"alist", "openlist"} <= set(kinds)

    fill(dialog, fake_alist.base_url, "alice", "nope")
    dialog.login_button.click()
    await until(lambda: dialog.error_label.isVisible(), what="the error shown")
    assert "wrong user name or password" in dialog.error_label.text()
    assert dialog.isVisible() and not [w for w in panel.findChildren(QMessageBox) if w.isVisible()]
    screenshot(dialog, "server-login-error")

    dialog.password_edit.setText(FakeAlist.PASSWORD)
    dialog.name_edit.setText("nas")
    with qtbot.assertNotEmitted(server_bridge.errorRaised):
        dialog.login_button.click()
        await until(lambda: panel.server_dialog is None, what="the dialog closed")
    await until(lambda: panel.model.rowCount() == 1, what="the account listed")
    account = panel.current_account()
    assert account is not None and (account.name, account.server_url) == ("nas", fake_alist.base_url)
    screenshot(panel, "accounts-with-server")


async def test_browse_dialog_pages_searches_unlocks_and_returns_the_chosen_entries(
    qtbot: QtBot,
    server_bridge: EngineBridge,
    fake_alist: FakeAlist,  # noqa: F811
) -> None:
    account = await server_bridge.engine.servers.login("alist", fake_alist.base_url, "alice", FakeAlist.PASSWORD)
    dialog = BrowseDialog(server_bridge, account_id=account.id, page_size=50)
    qtbot.addWidget(dialog)
    dialog.show()
    await until(lambda: dialog.model.rowCount() == 4, what="the top folder")
    titles = [dialog.model.entries[i].title for i in range(4)]
    assert titles == ["Empty", "Locked", "Many", "Movies"]

    def open_row(title: str) -> None:
        row = [e.title for e in dialog.model.entries].index(title)
        dialog.view.doubleClicked.emit(dialog.model.index(row))

    open_row("Many")
    await until(lambda: dialog.path == "/Many" and dialog.model.rowCount() == 50, what="the first page")
    dialog.view.scrollToBottom()  # the view asks for more as it reaches the end
    await until(lambda: dialog.model.rowCount() == 100, what="the second page")
    dialog.view.scrollToBottom()
    await until(lambda: dialog.model.rowCount() == 120, what="the last page")
    assert not dialog.model.canFetchMore(dialog.model.index(-1))

    dialog.go_up()
    await until(lambda: dialog.path == "/" and dialog.model.rowCount() == 4, what="back at the top")
    open_row("Locked")
    await until(lambda: dialog.password_row.isVisible(), what="asked for the folder password")
    dialog.password_edit.setText("guess")
    dialog.unlock_button.click()
    await until(lambda: "Wrong password" in dialog.status_label.text(), what="a wrong password told")
    dialog.password_edit.setText(FakeAlist.FOLDER_PASSWORD)
    dialog.unlock_button.click()
    await until(lambda: [e.title for e in dialog.model.entries] == ["Secret.mp4"], what="the locked folder open")

    dialog.search_edit.setText("clip")
    dialog.search()
    await until(lambda: "no search index" in dialog.status_label.text(), what="no index told plainly")
    fake_alist.knobs(search_index=True)
    dialog.search()
    await until(lambda: [e.key for e in dialog.model.entries] == ["/Movies/Clip.mp4"], what="search results")

    dialog.open_folder("/Movies")
    await until(lambda: dialog.model.rowCount() == 6, what="the Movies folder")
    for title in ("Clip.mp4", "Other.mp4"):
        row = [e.title for e in dialog.model.entries].index(title)
        dialog.view.selectionModel().select(dialog.model.index(row), dialog.view.selectionModel().SelectionFlag.Select)
    assert dialog.choose_button.isEnabled()
    screenshot(dialog, "browse-dialog")
    dialog.choose_button.click()
    chosen = dialog.chosen()
    assert [e.key for e in chosen] == ["/Movies/Clip.mp4", "/Movies/Other.mp4"]
    assert all(e.item_json and e.provider == "alist" and e.account_id == account.id for e in chosen)
    assert dialog.model.index(0).data(EntryRole) is not None
    assert dialog.model.index(0).data(Qt.ItemDataRole.DisplayRole)
