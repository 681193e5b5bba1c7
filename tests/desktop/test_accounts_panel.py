"""The Accounts panel with a real Secret Service keyring: QR login through every state, an
expired login and its one-click renewal, cookie login, logout, and the insecure-keyring notice."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from core.engine.engine import Engine
from core.engine.views import AccountView
from core.secrets import SERVICE_NAME
from desktop.bridge import EngineBridge
from desktop.dialogs import qr_login
from desktop.dialogs.qr_login import QR_SIZE, QrLoginDialog
from desktop.models.accounts import AvatarRole
from desktop.panels.accounts import AccountsPanel, ReloginButton
from tests.desktop.conftest import desktop_config, screenshot, until
from tests.desktop.test_settings_panel import chinese_translator
from tests.fakes.bilibili import FakeBilibili, world
from tests.keyring_service import PrivateSecretService

pytestmark = [pytest.mark.timeout(90), pytest.mark.keyring]

POLL_ENDPOINT = "/x/passport-login/web/qrcode/poll"


@pytest.fixture
async def keyring_bridge(
    fake_bili: FakeBilibili,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    secret_service: PrivateSecretService,
) -> AsyncIterator[EngineBridge]:
    """An engine that keeps logins in the private Secret Service, with no environment login."""
    monkeypatch.delenv("SYNCDECK_BILIBILI_COOKIE", raising=False)
    # Two seconds between polls is right for a person, too slow for a test.
    monkeypatch.setattr(qr_login, "POLL_INTERVAL_MS", 150)
    engine = Engine(desktop_config(fake_bili, tmp_path))
    bridge = EngineBridge(engine)
    yield bridge
    await bridge.shutdown()
    await engine.close()
    bridge.deleteLater()


def make_panel(qtbot: QtBot, bridge: EngineBridge) -> AccountsPanel:
    panel = AccountsPanel(bridge)
    qtbot.addWidget(panel)
    panel.resize(860, 560)
    panel.show()
    return panel


def keyring_ref(account: AccountView) -> str:
    return f"{account.provider}/account/{account.id}"


def saved_login(service: PrivateSecretService, ref: str) -> dict[str, str] | None:
    text = service.backend.get_password(SERVICE_NAME, ref)
    return None if text is None else json.loads(text)


def relogin_text(panel: AccountsPanel) -> str:
    widget = panel.view.indexWidget(panel.model.index(0))
    return widget.button.text() if isinstance(widget, ReloginButton) else ""


def is_crisp_qr(dialog: QrLoginDialog) -> bool:
    """Only pure black and white pixels (no smoothing), and a white quiet zone on every side."""
    image = dialog.code_label.pixmap().toImage()
    colors = {image.pixelColor(x, y).name() for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    border = [image.pixelColor(x, 2) for x in range(image.width())] + [
        image.pixelColor(2, y) for y in range(image.height())
    ]
    return colors == {"#000000", "#ffffff"} and all(c == QColor("#ffffff") for c in border)


async def test_qr_login_walks_every_state_and_saves_the_account_in_the_keyring(
    qtbot: QtBot, keyring_bridge: EngineBridge, fake_bili: FakeBilibili, secret_service: PrivateSecretService
) -> None:
    panel = make_panel(qtbot, keyring_bridge)
    await until(lambda: panel.keyring is not None, what="keyring checked")
    assert panel.keyring is not None and panel.keyring.secure
    assert panel.stack.currentWidget() is panel.empty, "no account yet: the panel invites a login"
    assert not panel.keyring_banner.isVisible() and not panel.logout_button.isEnabled()
    screenshot(panel, "accounts-empty")

    QTest.mouseClick(panel.empty_qr_button, Qt.MouseButton.LeftButton)
    dialog = panel.qr_dialog
    assert dialog is not None and dialog.isVisible()
    await until(lambda: dialog.state == "waiting", what="a QR code")
    assert dialog.ticket is not None and dialog.ticket.key == fake_bili.latest_qr_key()
    assert dialog.state_label.text() == "Scan with the Bilibili app"
    pixmap = dialog.code_label.pixmap()
    assert pixmap.width() / pixmap.devicePixelRatio() >= QR_SIZE * 0.8, "large enough to scan"
    assert is_crisp_qr(dialog)
    assert not dialog.refresh_button.isVisible()
    screenshot(dialog, "qr-login-waiting")

    first_key = dialog.ticket.key
    fake_bili.qr_scan(first_key)
    await until(lambda: dialog.state == "scanned", what="scanned")
    assert dialog.state_label.text() == "Scanned — confirm on your phone"
    screenshot(dialog, "qr-login-scanned")

    fake_bili.qr_expire(first_key)
    await until(lambda: dialog.state == "expired", what="expired")
    assert dialog.refresh_button.isVisible() and dialog.refresh_button.text() == "Get a new code"
    await until(lambda: not dialog.polling, what="polling stopped")
    screenshot(dialog, "qr-login-expired")

    QTest.mouseClick(dialog.refresh_button, Qt.MouseButton.LeftButton)
    await until(lambda: dialog.state == "waiting", what="a fresh code")
    second_key = dialog.ticket.key
    assert second_key != first_key and second_key == fake_bili.latest_qr_key()
    fake_bili.qr_scan(second_key)
    fake_bili.qr_confirm(second_key)
    await until(lambda: panel.model.rowCount() == 1, what="the account in the list")
    assert panel.qr_dialog is None, "confirmed: the dialog closes by itself"

    account = panel.model.account(0)
    assert account.name == "同步测试员" and account.user_id == str(world.ACCOUNT_MID)
    assert panel.vip_label(account) == "VIP"
    assert panel.stack.currentWidget() is panel.view and panel.logout_button.isEnabled()
    login = saved_login(secret_service, keyring_ref(account))
    assert login is not None and login["dedeuserid"] == str(world.ACCOUNT_MID) and login["sessdata"]
    await until(lambda: panel.model.index(0).data(AvatarRole) is not None, what="the avatar")
    screenshot(panel, "accounts-with-account")


async def test_an_expired_login_is_shown_in_red_and_renewed_in_one_click(
    qtbot: QtBot, keyring_bridge: EngineBridge, fake_bili: FakeBilibili
) -> None:
    engine = keyring_bridge.engine
    account = await engine.import_cookie(world.COOKIE)
    panel = make_panel(qtbot, keyring_bridge)
    await until(lambda: panel.model.rowCount() == 1, what="the account")
    assert panel.view.indexWidget(panel.model.index(0)) is None

    assert account.id is not None
    await engine.accounts.mark_expired(account.id, "账号未登录")
    await until(lambda: panel.model.account(0).state == "expired", what="expired state shown")
    assert panel.state_label(panel.model.account(0)).startswith("Login expired")
    relogin = panel.view.indexWidget(panel.model.index(0))
    assert isinstance(relogin, ReloginButton) and relogin.button.isEnabled()
    await until(lambda: panel.model.index(0).data(AvatarRole) is not None, what="the avatar")
    screenshot(panel, "accounts-login-expired")
    app = QApplication.instance()
    assert app is not None
    chinese = chinese_translator()
    app.installTranslator(chinese)
    try:
        await until(lambda: relogin_text(panel) == "重新登录", what="Chinese text")
        assert panel.heading.text() == "B站账号"
        assert panel.state_label(panel.model.account(0)) == "登录已失效，请重新登录以继续同步"
        screenshot(panel, "accounts-login-expired-zh")
    finally:
        app.removeTranslator(chinese)
    await until(lambda: relogin_text(panel) == "Log in again", what="English again")
    relogin = panel.view.indexWidget(panel.model.index(0))
    assert isinstance(relogin, ReloginButton)

    fake_bili.scenario(qr_auto_confirm=3)  # the person scans and confirms on the phone
    QTest.mouseClick(relogin.button, Qt.MouseButton.LeftButton)
    dialog = panel.qr_dialog
    assert dialog is not None and dialog.windowTitle() == "Log in again as 同步测试员"
    await until(lambda: panel.model.rowCount() == 1 and panel.model.account(0).state == "ok", what="renewed")
    assert panel.model.account(0).id == account.id, "the same account is updated, not a second one added"
    assert panel.view.indexWidget(panel.model.index(0)) is None


async def test_log_out_asks_first_and_removes_the_login_from_the_keyring(
    qtbot: QtBot, keyring_bridge: EngineBridge, secret_service: PrivateSecretService
) -> None:
    account = await keyring_bridge.engine.import_cookie(world.COOKIE, "主账号")
    assert saved_login(secret_service, keyring_ref(account)) is not None
    panel = make_panel(qtbot, keyring_bridge)
    await until(lambda: panel.model.rowCount() == 1, what="the account")

    QTest.mouseClick(panel.logout_button, Qt.MouseButton.LeftButton)
    box = panel.logout_box
    assert box is not None and box.text() == "Log out of 主账号?"
    box.button(QMessageBox.StandardButton.Cancel).click()
    await until(lambda: panel.logout_box is None, what="box closed")
    assert panel.model.rowCount() == 1 and saved_login(secret_service, keyring_ref(account)) is not None

    box = panel.confirm_logout()
    assert box is not None
    confirm = next(b for b in box.buttons() if b.text() == "Log out")
    confirm.click()
    await until(lambda: panel.model.rowCount() == 0, what="account removed")
    assert panel.stack.currentWidget() is panel.empty
    assert saved_login(secret_service, keyring_ref(account)) is None


async def test_pasted_cookies_log_in_and_bad_ones_explain_the_problem_inline(
    qtbot: QtBot, keyring_bridge: EngineBridge
) -> None:
    panel = make_panel(qtbot, keyring_bridge)
    await until(lambda: panel.keyring is not None, what="keyring checked")
    QTest.mouseClick(panel.cookie_button, Qt.MouseButton.LeftButton)
    dialog = panel.cookie_dialog
    assert dialog is not None and not dialog.login_button.isEnabled(), "nothing pasted yet"

    dialog.cookie_edit.setPlainText("buvid3=abc; sid=xyz")
    QTest.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    await until(lambda: dialog.error_label.isVisible(), what="inline error")
    assert "SESSDATA" in dialog.error_label.text() and dialog.isVisible()
    screenshot(dialog, "cookie-login-error")

    dialog.cookie_edit.setPlainText("Cookie: " + world.COOKIE)
    dialog.name_edit.setText("客厅电脑")
    QTest.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    await until(lambda: panel.model.rowCount() == 1, what="the account")
    assert panel.model.account(0).name == "客厅电脑" and panel.cookie_dialog is None


async def test_closing_the_qr_dialog_stops_polling(
    qtbot: QtBot, keyring_bridge: EngineBridge, fake_bili: FakeBilibili
) -> None:
    panel = make_panel(qtbot, keyring_bridge)
    dialog = panel.open_qr_login()
    await until(lambda: fake_bili.calls(POLL_ENDPOINT) >= 2, what="polling")
    dialog.reject()
    assert not dialog.polling
    polls = fake_bili.calls(POLL_ENDPOINT)
    await asyncio.sleep(0.6)  # four poll intervals
    assert fake_bili.calls(POLL_ENDPOINT) == polls, "no request after the dialog closed"
    running = [task.get_coro().__qualname__ for task in keyring_bridge._tasks]
    assert not [name for name in running if name.startswith("Engine.qr_login")], "no orphan task"


async def test_qr_service_errors_are_shown_with_a_way_to_try_again(
    qtbot: QtBot, keyring_bridge: EngineBridge, fake_bili: FakeBilibili
) -> None:
    fake_bili.scenario(fail={"endpoint": "/x/passport-login/web/qrcode/generate", "code": -503})
    panel = make_panel(qtbot, keyring_bridge)
    dialog = panel.open_qr_login()
    await until(lambda: dialog.state == "error", what="the error")
    assert dialog.state_label.text() == "Could not get a QR code"
    assert "-503" in dialog.hint_label.text()
    assert dialog.refresh_button.isVisible() and dialog.refresh_button.text() == "Try again"
    screenshot(dialog, "qr-login-error")

    QTest.mouseClick(dialog.refresh_button, Qt.MouseButton.LeftButton)
    await until(lambda: dialog.state == "waiting", what="a code on the second try")
    fake_bili.scenario(fail={"endpoint": POLL_ENDPOINT, "code": -503})
    await until(lambda: dialog.state == "error", what="a failed poll")
    assert dialog.state_label.text() == "Login failed" and not dialog.polling
    dialog.reject()


async def test_without_a_secure_keyring_the_panel_says_why_it_cannot_log_in(qtbot: QtBot, bridge: EngineBridge) -> None:
    panel = make_panel(qtbot, bridge)
    await until(lambda: panel.keyring is not None, what="keyring checked")
    assert panel.keyring_banner.isVisible()
    message = panel.keyring_banner.text_label.text()
    assert message.startswith("Logins cannot be stored securely") and "SYNCDECK_BILIBILI_COOKIE" in message
    buttons: list[QPushButton] = [panel.qr_button, panel.cookie_button, panel.empty_qr_button]
    assert all(not b.isEnabled() and "no secure keyring" in b.toolTip() for b in buttons)
    assert panel.env_banner.isVisible(), "the environment login in use is mentioned"
    screenshot(panel, "accounts-insecure-keyring")
