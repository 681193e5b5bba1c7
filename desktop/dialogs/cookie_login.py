"""Log in with cookies copied from a browser: a Cookie header, cookies.txt or a JSON export."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.engine.views import AccountView
from desktop.bridge import EngineBridge


class CookieLoginDialog(QDialog):
    loggedIn = Signal(object)  # AccountView

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cookie-login-dialog")
        self.bridge = bridge
        self.account: AccountView | None = None
        self._task: asyncio.Task[Any] | None = None

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.cookie_edit = QPlainTextEdit()
        self.cookie_edit.setObjectName("cookie-text")
        self.cookie_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.cookie_edit.setTabChangesFocus(True)
        self.cookie_edit.setMinimumHeight(140)
        self.cookie_edit.textChanged.connect(self._update_buttons)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("cookie-name")
        self.name_label = QLabel()
        self.name_label.setBuddy(self.name_edit)
        self.error_label = QLabel()
        self.error_label.setObjectName("cookie-error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #e5484d;")
        self.error_label.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.login_button = QPushButton()
        self.login_button.setObjectName("cookie-login")
        self.login_button.setDefault(True)
        self.buttons.addButton(self.login_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.log_in)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.name_label, self.name_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(self.intro)
        layout.addWidget(self.cookie_edit, 1)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(560, 380)
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Log in with cookies"))
        self.intro.setText(
            self.tr(
                "Paste the cookies of a logged-in bilibili.com tab: the Cookie header from the browser's "
                "developer tools, a cookies.txt file, or a JSON export from a cookie extension. "
                "SESSDATA, bili_jct and DedeUserID are needed."
            )
        )
        self.cookie_edit.setPlaceholderText("SESSDATA=…; bili_jct=…; DedeUserID=…; buvid3=…")
        self.name_label.setText(self.tr("&Name in SyncDeck:"))
        self.name_edit.setPlaceholderText(self.tr("Optional; the Bilibili nickname by default"))
        self._set_busy(self._task is not None and not self._task.done())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _update_buttons(self) -> None:
        busy = self._task is not None and not self._task.done()
        self.login_button.setEnabled(bool(self.cookie_edit.toPlainText().strip()) and not busy)

    def _set_busy(self, busy: bool) -> None:
        self.login_button.setText(self.tr("Checking…") if busy else self.tr("Log in"))
        self.cookie_edit.setReadOnly(busy)
        self.name_edit.setReadOnly(busy)
        self._update_buttons()

    def log_in(self) -> None:
        text = self.cookie_edit.toPlainText()
        if not text.strip() or (self._task is not None and not self._task.done()):
            return
        self.error_label.hide()
        self._task = self.bridge.run(
            self.bridge.engine.import_cookie(text, self.name_edit.text().strip()),
            what="cookie login",
            done=self._logged_in,
            failed=self._failed,
        )
        self._set_busy(True)

    def _logged_in(self, account: AccountView) -> None:
        self._task = None
        self.account = account
        self.cookie_edit.clear()  # the login is in the keyring now; keep no copy on screen
        self.loggedIn.emit(account)
        self.accept()

    def _failed(self, message: str) -> None:
        self._task = None
        self._set_busy(False)
        self.error_label.setText(message)
        self.error_label.show()

    def done(self, result: int) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None
        super().done(result)
