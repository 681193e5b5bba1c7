"""What every log-in dialog shares: one login running at a time, its error shown inline, the
secret cleared from the screen once it is in the keyring, and a login cancelled with the dialog."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QWidget

from core.engine.views import AccountView
from desktop.bridge import EngineBridge


class LoginDialog(QDialog):
    loggedIn = Signal(object)  # AccountView

    def __init__(self, bridge: EngineBridge, parent: QWidget | None, *, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}-dialog")
        self.bridge = bridge
        self.account: AccountView | None = None
        self._task: asyncio.Task[Any] | None = None

        self.error_label = QLabel()
        self.error_label.setObjectName(f"{name}-error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #e5484d;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.login_button = QPushButton()
        self.login_button.setObjectName(name)
        self.login_button.setDefault(True)
        self.buttons.addButton(self.login_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.log_in)
        self.buttons.rejected.connect(self.reject)

    # subclasses fill these in
    def retranslate(self) -> None:
        raise NotImplementedError

    def log_in(self) -> None:
        raise NotImplementedError

    def _set_busy(self, busy: bool) -> None:
        raise NotImplementedError

    def _clear_secret(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def _start(self, login: Coroutine[Any, Any, AccountView], what: str) -> None:
        self.error_label.hide()
        self._task = self.bridge.run(login, what=what, done=self._logged_in, failed=self._failed)
        self._set_busy(True)

    def _logged_in(self, account: AccountView) -> None:
        self._task = None
        self.account = account
        self._clear_secret()  # the login is in the keyring now; keep no copy on screen
        self.loggedIn.emit(account)
        self.accept()

    def _failed(self, message: str) -> None:
        self._task = None
        self._set_busy(False)
        self.error_label.setText(message)
        self.error_label.show()

    def done(self, result: int) -> None:
        if self._busy():
            assert self._task is not None
            self._task.cancel()
        self._task = None
        super().done(result)
