"""The Accounts panel: Bilibili logins, their state, and logging in or out."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from core.engine.views import AccountView
from core.events import AccountStateChanged
from core.secrets import KeyringStatus
from desktop.bridge import EngineBridge
from desktop.dialogs.cookie_login import CookieLoginDialog
from desktop.dialogs.llm_accounts import LlmAccountsBox
from desktop.dialogs.qr_login import QrLoginDialog
from desktop.dialogs.server_login import ServerLoginDialog
from desktop.models.accounts import AccountRole, AccountsModel, AvatarRole, round_avatar
from desktop.panels.base import Panel
from desktop.resources import icon

AVATAR_SIZE = 48
ROW_HEIGHT = 76
EXPIRED_COLOR = QColor("#e5484d")
OK_COLOR = QColor("#16a34a")
VIP_COLOR = QColor("#fb7299")  # Bilibili's pink, as its own 大会员 badge


class AccountDelegate(QStyledItemDelegate):
    """Avatar, name, 大会员 badge, UID and the login state; room on the right for a button."""

    def __init__(self, panel: AccountsPanel) -> None:
        super().__init__(panel)
        self.panel = panel

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(option.rect.width(), ROW_HEIGHT)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        account = index.data(AccountRole)
        if not isinstance(account, AccountView):
            return
        palette: QPalette = option.palette
        text_color = palette.text().color()
        muted = QColor(text_color)
        muted.setAlphaF(0.65)
        # A light tint instead of the full selection colour keeps the red "expired" readable.
        tint = QColor(palette.highlight().color())
        if option.state & QStyle.StateFlag.State_Selected:
            tint.setAlphaF(0.16)
            painter.fillRect(option.rect, tint)
        elif option.state & QStyle.StateFlag.State_MouseOver:
            tint.setAlphaF(0.07)
            painter.fillRect(option.rect, tint)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect
        avatar_rect = QRect(rect.left() + 14, rect.top() + (rect.height() - AVATAR_SIZE) // 2, AVATAR_SIZE, AVATAR_SIZE)
        avatar = index.data(AvatarRole)
        if avatar is not None:
            painter.drawPixmap(avatar_rect, avatar)
        else:  # until the picture arrives: the first letter on a calm circle
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#c9ccd1"))
            painter.drawEllipse(avatar_rect)
            painter.setPen(QColor("#ffffff"))
            initial_font = QFont(option.font)
            initial_font.setPixelSize(AVATAR_SIZE // 2)
            initial_font.setBold(True)
            painter.setFont(initial_font)
            painter.drawText(avatar_rect, Qt.AlignmentFlag.AlignCenter, (account.name or "?")[:1].upper())

        left = avatar_rect.right() + 14
        right = rect.right() - 16 - (self.panel.relogin_button_width() if account.state == "expired" else 0)
        name_font = QFont(option.font)
        name_font.setPointSizeF(name_font.pointSizeF() * 1.12)
        name_font.setBold(True)
        name_metrics = QFontMetrics(name_font)
        small_font = QFont(option.font)
        small_metrics = QFontMetrics(small_font)
        line_gap = 6
        block = name_metrics.height() + line_gap + small_metrics.height()
        top = rect.top() + (rect.height() - block) // 2

        vip_text = self.panel.vip_label(account)
        badge_font = QFont(option.font)
        badge_font.setPointSizeF(badge_font.pointSizeF() * 0.85)
        badge_font.setBold(True)
        badge_metrics = QFontMetrics(badge_font)
        badge_width = badge_metrics.horizontalAdvance(vip_text) + 12 if vip_text else 0
        name = account.name or account.user_name
        if account.user_name and account.user_name != name:
            name = f"{name} ({account.user_name})"
        name_room = max(right - left - (badge_width + 8 if badge_width else 0), 20)
        name = name_metrics.elidedText(name, Qt.TextElideMode.ElideRight, name_room)
        painter.setFont(name_font)
        painter.setPen(text_color)
        name_rect = QRect(left, top, name_room, name_metrics.height())
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        if vip_text:
            badge_left = left + name_metrics.horizontalAdvance(name) + 8
            badge_rect = QRect(
                badge_left,
                top + (name_metrics.height() - badge_metrics.height() - 2) // 2,
                badge_width,
                badge_metrics.height() + 2,
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(VIP_COLOR)
            painter.drawRoundedRect(badge_rect, 4, 4)
            painter.setPen(QColor("#ffffff"))
            painter.setFont(badge_font)
            painter.drawText(badge_rect, Qt.AlignmentFlag.AlignCenter, vip_text)

        second_top = top + name_metrics.height() + line_gap
        painter.setFont(small_font)
        uid_text = f"{account.provider_name} · UID {account.user_id}  ·  "
        painter.setPen(muted)
        painter.drawText(QRect(left, second_top, right - left, small_metrics.height()), 0, uid_text)
        state_left = left + small_metrics.horizontalAdvance(uid_text)
        expired = account.state == "expired"
        state_color = EXPIRED_COLOR if expired else OK_COLOR
        dot = small_metrics.height() // 2 - 1
        dot_rect = QRect(state_left, second_top + (small_metrics.height() - dot) // 2, dot, dot)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(state_color)
        painter.drawEllipse(dot_rect)
        state_font = QFont(small_font)
        state_font.setBold(expired)
        painter.setFont(state_font)
        painter.setPen(state_color)
        state_text = self.panel.state_label(account)
        state_rect = QRect(
            dot_rect.right() + 6, second_top, max(right - dot_rect.right() - 6, 10), small_metrics.height()
        )
        painter.drawText(
            state_rect,
            Qt.AlignmentFlag.AlignLeft,
            QFontMetrics(state_font).elidedText(state_text, Qt.TextElideMode.ElideRight, state_rect.width()),
        )
        painter.restore()


class ReloginButton(QWidget):
    """Sits on an expired account's row; clicks outside the button still select the row."""

    clicked = Signal(int)  # account id

    def __init__(self, account_id: int, text: str) -> None:
        super().__init__()
        self.account_id = account_id
        self.button = QPushButton(text)
        self.button.setObjectName("relogin-button")
        self.button.setStyleSheet(
            "QPushButton { color: #ffffff; background: #e5484d; border: none; border-radius: 6px;"
            " padding: 6px 14px; font-weight: bold; }"
            "QPushButton:hover { background: #d13438; }"
        )
        self.button.clicked.connect(lambda: self.clicked.emit(self.account_id))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 16, 0)
        layout.addStretch(1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)


class Banner(QFrame):
    """A coloured note across the top of the panel."""

    def __init__(self, icon_name: str, background: str, border: str) -> None:
        super().__init__()
        self.setObjectName("banner")
        self.setStyleSheet(
            f"QFrame#banner {{ background: {background}; border: 1px solid {border}; border-radius: 8px; }}"
            "QFrame#banner QLabel { color: #3b2a00; background: transparent; }"
        )
        self.icon_label = QLabel()
        self.icon_label.setPixmap(icon(icon_name).pixmap(20, 20))
        self.text_label = QLabel()
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(10)
        layout.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text_label, 1)


class AccountsPanel(Panel):
    key = "accounts"
    icon_name = "accounts"

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self.keyring: KeyringStatus | None = None
        self.qr_dialog: QrLoginDialog | None = None
        self.cookie_dialog: CookieLoginDialog | None = None
        self.server_dialog: ServerLoginDialog | None = None
        self.logout_box: QMessageBox | None = None
        self._select_after_refresh: int | None = None
        self._refresh_task: asyncio.Task[object] | None = None
        self._env_expired = False

        self.heading = QLabel()
        heading_font = QFont(self.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.35)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet("color: palette(placeholder-text);")

        self.keyring_banner = Banner("warning", "#fff4e5", "#f5b971")
        self.keyring_banner.hide()
        self.env_banner = Banner("accounts", "#eef6ff", "#9cc7f0")
        self.env_banner.hide()

        self.qr_button = QPushButton(icon("qr"), "")
        self.qr_button.setObjectName("qr-login")
        self.qr_button.clicked.connect(lambda: self.open_qr_login())
        self.cookie_button = QPushButton(icon("cookie"), "")
        self.cookie_button.setObjectName("cookie-login")
        self.cookie_button.clicked.connect(self.open_cookie_login)
        # media servers of one's own (Alist, Emby…): their own dialog
        self.server_button = QPushButton(icon("add"), "")
        self.server_button.setObjectName("server-login")
        self.server_button.clicked.connect(lambda: self.open_server_login())
        self.logout_button = QPushButton(icon("logout"), "")
        self.logout_button.setObjectName("logout")
        self.logout_button.clicked.connect(self.confirm_logout)
        self.actions_bar = QWidget()
        actions = QHBoxLayout(self.actions_bar)
        actions.setContentsMargins(0, 0, 0, 0)
        actions.addWidget(self.qr_button)
        actions.addWidget(self.cookie_button)
        actions.addWidget(self.server_button)
        actions.addStretch(1)
        actions.addWidget(self.logout_button)

        self.model = AccountsModel(self)
        self.view = QListView()
        self.view.setObjectName("accounts-view")
        self.view.setModel(self.model)
        self.view.setItemDelegate(AccountDelegate(self))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformItemSizes(True)
        self.view.setMouseTracking(True)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_actions())
        self.view.doubleClicked.connect(self._double_clicked)

        self.empty = QWidget()
        self.empty.setObjectName("accounts-empty")
        self.empty_icon = QLabel()
        self.empty_icon.setPixmap(icon("accounts").pixmap(56, 56))
        self.empty_icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_title = QLabel()
        empty_font = QFont(self.font())
        empty_font.setPointSizeF(empty_font.pointSizeF() * 1.2)
        empty_font.setBold(True)
        self.empty_title.setFont(empty_font)
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text = QLabel()
        self.empty_text.setWordWrap(True)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text.setFixedWidth(460)
        self.empty_qr_button = QPushButton(icon("qr"), "")
        self.empty_qr_button.setObjectName("empty-qr-login")
        self.empty_qr_button.clicked.connect(lambda: self.open_qr_login())
        self.empty_cookie_button = QPushButton(icon("cookie"), "")
        self.empty_cookie_button.clicked.connect(self.open_cookie_login)
        self.empty_server_button = QPushButton(icon("add"), "")
        self.empty_server_button.clicked.connect(lambda: self.open_server_login())
        empty_buttons = QHBoxLayout()
        empty_buttons.addStretch(1)
        empty_buttons.addWidget(self.empty_qr_button)
        empty_buttons.addWidget(self.empty_cookie_button)
        empty_buttons.addWidget(self.empty_server_button)
        empty_buttons.addStretch(1)
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addStretch(2)
        empty_layout.addWidget(self.empty_icon)
        empty_layout.addWidget(self.empty_title)
        empty_layout.addWidget(self.empty_text, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addSpacing(8)
        empty_layout.addLayout(empty_buttons)
        empty_layout.addStretch(3)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.view)
        self.stack.setCurrentWidget(self.view)  # until the list arrives: no "no account" flash

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.keyring_banner)
        layout.addWidget(self.env_banner)
        layout.addWidget(self.actions_bar)
        layout.addWidget(self.stack, 1)
        self.llm_box = LlmAccountsBox(bridge)  # OpenAI-compatible and Gemini accounts, for notes
        layout.addWidget(self.llm_box)

        bridge.stateChanged.connect(self._state_changed)
        bridge.accountStateChanged.connect(self._account_state_changed)
        self.model.modelReset.connect(self._place_relogin_buttons)
        self.retranslate()
        self.refresh()

    # ------------------------------------------------------------------ text

    def title(self) -> str:
        return self.tr("Accounts")

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Bilibili accounts"))
        self.intro.setText(
            self.tr(
                "SyncDeck uses these logins to read your favorites, watch later and members-only videos. "
                "Logins are kept in the system keyring, never in files."
            )
        )
        self.logout_button.setText(self.tr("Log out"))
        self.logout_button.setToolTip(self.tr("Remove the selected login from SyncDeck and the keyring"))
        for button in (self.qr_button, self.empty_qr_button):
            button.setText(self.tr("Log in with QR code"))
        for button in (self.cookie_button, self.empty_cookie_button):
            button.setText(self.tr("Paste cookie…"))
        for button in (self.server_button, self.empty_server_button):
            button.setText(self.tr("Add a media server…"))
            button.setToolTip(self.tr("Log in to your Alist, OpenList, Emby or Jellyfin server"))
        self.empty_title.setText(self.tr("No Bilibili account yet"))
        self.empty_text.setText(
            self.tr(
                "Log in to sync your favorites, watch later and videos only members can see. "
                "Scan a QR code with the Bilibili app, or paste cookies from a browser where you are logged in. "
                "Public lists sync without an account."
            )
        )
        # A wrapped label inside an aligned layout item is not asked for its height: give it.
        self.empty_text.setFixedHeight(self.empty_text.heightForWidth(self.empty_text.width()))
        self._show_keyring(self.keyring)
        self._show_env_login()
        self._place_relogin_buttons()
        self.view.viewport().update()

    def vip_label(self, account: AccountView) -> str:
        return self.tr("VIP") if account.vip else ""

    def state_label(self, account: AccountView) -> str:
        if account.state == "expired":
            return self.tr("Login expired — log in again to keep syncing")
        return self.tr("Logged in")

    def relogin_button_width(self) -> int:
        return self.fontMetrics().horizontalAdvance(self.tr("Log in again")) + 80

    # ------------------------------------------------------------------ data

    def activated(self) -> None:
        self.refresh()
        self.llm_box.refresh()  # LLM accounts added elsewhere (the command line, another window)

    def refresh(self) -> None:
        engine = self.bridge.engine
        if self._refresh_task is None or self._refresh_task.done():
            self._refresh_task = self.bridge.run(engine.list_accounts(), what=self.tr("List accounts"), done=self._show)
        # The first keyring lookup may probe D-Bus: keep it off the GUI thread.
        self.bridge.run(
            asyncio.to_thread(engine.keyring_status), what=self.tr("Check the keyring"), done=self._show_keyring
        )

    def _state_changed(self, what: str) -> None:
        if what == "accounts":
            self.refresh()

    def _account_state_changed(self, event: AccountStateChanged) -> None:
        if event.account_id == 0:  # the login given through the environment
            self._env_expired = event.state == "expired"
            self._show_env_login()
        self.refresh()

    def _show(self, accounts: list[AccountView]) -> None:
        current = self.current_account()
        keep = self._select_after_refresh or (current.id if current else None)
        self._select_after_refresh = None
        self.model.set_accounts(accounts)
        self.stack.setCurrentWidget(self.view if accounts else self.empty)
        self.actions_bar.setVisible(bool(accounts))  # the empty page has its own buttons
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and accounts:
            row = 0
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row))
        self._update_actions()
        self._load_avatars()

    def _load_avatars(self) -> None:
        ratio = self.devicePixelRatioF()
        for url in self.model.missing_avatars():

            def arrived(data: bytes, url: str = url) -> None:
                pixmap = round_avatar(data, AVATAR_SIZE, ratio)
                if pixmap is not None:
                    self.model.set_avatar(url, pixmap)

            # A missing avatar is not worth an error box: the initial stays in its place.
            self.bridge.run(self.bridge.engine.image(url), done=arrived, failed=lambda _message: None)

    def _show_keyring(self, status: KeyringStatus | None) -> None:
        self.keyring = status
        insecure = status is not None and not status.secure
        self.keyring_banner.setVisible(insecure)
        if status is not None and insecure:
            self.keyring_banner.text_label.setText(
                self.tr(
                    "Logins cannot be stored securely: no secure keyring service was found (%1). On Linux, "
                    "install and unlock a Secret Service such as GNOME Keyring or KWallet (it normally starts "
                    "with your desktop session). On a server, give a login to SyncDeck only through the "
                    "environment variable SYNCDECK_BILIBILI_COOKIE; it is never saved."
                ).replace("%1", status.backend.rpartition(".")[0] or status.backend)
            )
        reason = self.tr("A login can't be saved: no secure keyring (see the message above).") if insecure else ""
        for button in (self.qr_button, self.empty_qr_button, self.cookie_button, self.empty_cookie_button,
                       self.server_button, self.empty_server_button):  # fmt: skip
            button.setEnabled(not insecure)
            button.setToolTip(reason)
        if not insecure:
            self.qr_button.setToolTip(self.tr("Scan a code with the Bilibili app on your phone"))
            self.cookie_button.setToolTip(self.tr("Use cookies copied from a logged-in browser"))
        self._place_relogin_buttons()

    def _show_env_login(self) -> None:
        if not self.bridge.engine.environment_logins():
            self.env_banner.hide()
            return
        if self._env_expired:
            text = self.tr(
                "The login given in SYNCDECK_BILIBILI_COOKIE has expired. Set a fresh cookie and restart SyncDeck."
            )
        else:
            text = self.tr(
                "This session also uses the login given in SYNCDECK_BILIBILI_COOKIE for sources without an "
                "account. It is never saved."
            )
        self.env_banner.text_label.setText(text)
        self.env_banner.show()

    def _place_relogin_buttons(self) -> None:
        can_save = self.keyring is None or self.keyring.secure
        for row, account in enumerate(self.model.accounts()):
            index = self.model.index(row)
            if account.state != "expired" or account.id is None:
                self.view.setIndexWidget(index, None)  # type: ignore[arg-type]
                continue
            widget = ReloginButton(account.id, self.tr("Log in again"))
            widget.button.setEnabled(can_save)
            widget.button.setToolTip(self.tr("Scan a new QR code for %1").replace("%1", account.name))
            widget.clicked.connect(self.relogin)
            self.view.setIndexWidget(index, widget)

    def current_account(self) -> AccountView | None:
        index = self.view.currentIndex()
        account = index.data(AccountRole) if index.isValid() else None
        return account if isinstance(account, AccountView) else None

    def _update_actions(self) -> None:
        self.logout_button.setEnabled(self.current_account() is not None)

    def _double_clicked(self, index: QModelIndex) -> None:
        account = index.data(AccountRole)
        if isinstance(account, AccountView) and account.state == "expired" and account.id is not None:
            self.relogin(account.id)

    # ------------------------------------------------------------------ actions

    def relogin(self, account_id: int) -> None:
        row = self.model.row_of(account_id)
        if row < 0:
            return
        account = self.model.account(row)
        if account.server_url:  # a media server: its password again
            dialog = self.open_server_login(account.provider)
            dialog.url_edit.setText(account.server_url)
            dialog.name_edit.setText(account.name)
            return
        self.open_qr_login(account.name)

    def open_qr_login(self, account_name: str = "") -> QrLoginDialog:
        if self.qr_dialog is not None:
            self.qr_dialog.reject()
        dialog = QrLoginDialog(self.bridge, self, account_name=account_name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.loggedIn.connect(self._logged_in)
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        self.qr_dialog = dialog
        dialog.open()
        return dialog

    def open_cookie_login(self) -> CookieLoginDialog:
        if self.cookie_dialog is not None:
            self.cookie_dialog.reject()
        dialog = CookieLoginDialog(self.bridge, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.loggedIn.connect(self._logged_in)
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        self.cookie_dialog = dialog
        dialog.open()
        return dialog

    def open_server_login(self, kind: str = "") -> ServerLoginDialog:
        if self.server_dialog is not None:
            self.server_dialog.reject()
        dialog = ServerLoginDialog(self.bridge, self, kind=kind)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.loggedIn.connect(self._logged_in)
        dialog.finished.connect(lambda _result: setattr(self, "server_dialog", None))
        self.server_dialog = dialog
        dialog.open()
        return dialog

    def _forget_dialog(self, dialog: QWidget) -> None:
        if dialog is self.qr_dialog:
            self.qr_dialog = None
        if dialog is self.cookie_dialog:
            self.cookie_dialog = None

    def _logged_in(self, account: AccountView) -> None:
        self._select_after_refresh = account.id
        self.refresh()

    def confirm_logout(self) -> QMessageBox | None:
        account = self.current_account()
        if account is None or account.id is None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Log out"),
            self.tr("Log out of %1?").replace("%1", account.name),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("logout-box")
        box.setInformativeText(
            self.tr(
                "The login is removed from SyncDeck and from the system keyring. Sources that use this "
                "account stop syncing private lists until you log in again. Downloaded files are kept."
            )
        )
        logout = box.addButton(self.tr("Log out"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        account_id = account.id
        box.buttonClicked.connect(lambda button: self._logout(account_id) if button is logout else None)
        box.finished.connect(lambda _result: setattr(self, "logout_box", None))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.logout_box = box
        box.open()
        return box

    def _logout(self, account_id: int) -> None:
        self.bridge.run(self.bridge.engine.logout(account_id), what=self.tr("Log out"))
