"""Log in with cookies copied from a browser: a Cookie header, cookies.txt or a JSON export."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from desktop.bridge import EngineBridge
from desktop.dialogs.login_base import LoginDialog


class CookieLoginDialog(LoginDialog):
    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent, name="cookie-login")

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
        self._set_busy(self._busy())

    def _update_buttons(self) -> None:
        self.login_button.setEnabled(bool(self.cookie_edit.toPlainText().strip()) and not self._busy())

    def _set_busy(self, busy: bool) -> None:
        self.login_button.setText(self.tr("Checking…") if busy else self.tr("Log in"))
        self.cookie_edit.setReadOnly(busy)
        self.name_edit.setReadOnly(busy)
        self._update_buttons()

    def log_in(self) -> None:
        text = self.cookie_edit.toPlainText()
        if text.strip() and not self._busy():
            self._start(self.bridge.engine.import_cookie(text, self.name_edit.text().strip()), "cookie login")

    def _clear_secret(self) -> None:
        self.cookie_edit.clear()
