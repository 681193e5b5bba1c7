"""Log in to a media server of one's own: Alist, OpenList, Emby or Jellyfin (whichever
installed provider logs in with a password and has folders). Errors show in the dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.bridge import EngineBridge
from desktop.dialogs.login_base import LoginDialog


class ServerLoginDialog(LoginDialog):
    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None, *, kind: str = "") -> None:
        super().__init__(bridge, parent, name="server-login")

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("server-kind")
        for provider in bridge.engine.providers():
            if "browse" in provider.capabilities and "password" in provider.login_methods:
                self.kind_combo.addItem(provider.display_name, provider.name)
        if kind and (index := self.kind_combo.findData(kind)) >= 0:
            self.kind_combo.setCurrentIndex(index)
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("server-url")
        self.user_edit = QLineEdit()
        self.user_edit.setObjectName("server-user")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("server-password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("server-name")
        self.labels = [QLabel() for _ in range(5)]
        for label, edit in zip(
            self.labels, (self.kind_combo, self.url_edit, self.user_edit, self.password_edit, self.name_edit),
            strict=True,
        ):  # fmt: skip
            label.setBuddy(edit)
        self.url_edit.textChanged.connect(self._update_buttons)

        form = QFormLayout()
        for label, edit in zip(
            self.labels, (self.kind_combo, self.url_edit, self.user_edit, self.password_edit, self.name_edit),
            strict=True,
        ):  # fmt: skip
            form.addRow(label, edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(520, 340)
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Add a media server"))
        self.intro.setText(
            self.tr(
                "Log in to your own Alist, OpenList, Emby or Jellyfin server to browse it, add its videos to "
                "playlists and mirror its folders. The login is kept in the system keyring."
            )
        )
        texts = (self.tr("&Kind:"), self.tr("&Server address:"), self.tr("&User:"), self.tr("&Password:"),
                 self.tr("&Name in SyncDeck:"))  # fmt: skip
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.url_edit.setPlaceholderText("http://192.168.1.2:5244")
        self.user_edit.setPlaceholderText(self.tr("Empty: the guest user (Alist, OpenList)"))
        self.name_edit.setPlaceholderText(self.tr("Optional; user@server by default"))
        self._set_busy(self._busy())

    def _update_buttons(self) -> None:
        self.login_button.setEnabled(
            bool(self.url_edit.text().strip()) and self.kind_combo.count() > 0 and not self._busy()
        )

    def _set_busy(self, busy: bool) -> None:
        self.login_button.setText(self.tr("Checking…") if busy else self.tr("Log in"))
        for edit in (self.url_edit, self.user_edit, self.password_edit, self.name_edit):
            edit.setReadOnly(busy)
        self.kind_combo.setEnabled(not busy)
        self._update_buttons()

    def log_in(self) -> None:
        if not self.url_edit.text().strip() or self._busy():
            return
        login = self.bridge.engine.servers.login(
            str(self.kind_combo.currentData()), self.url_edit.text().strip(), self.user_edit.text().strip(),
            self.password_edit.text(), self.name_edit.text().strip(),
        )  # fmt: skip
        self._start(login, "server login")

    def _clear_secret(self) -> None:
        self.password_edit.clear()
