"""Dialogs of the main window, and the input fields several of them share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from core.engine.filters import parse_rules
from core.engine.views import AccountView
from core.errors import SyncDeckError
from desktop.models.sources import error_color, muted_color


def while_alive(owner: QObject, callback: Callable[[Any], None]) -> Callable[[Any], None]:
    """`callback`, skipped when `owner` was deleted before an engine call finished (a
    dialog closed or a panel torn down while its request was still on the way)."""

    def call(value: Any) -> None:
        if shiboken6.isValid(owner):
            callback(value)

    return call


class MessageLabel(QLabel):
    """An inline message under a field: red for errors, muted for hints, hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setVisible(False)
        self.is_error = False

    def show_error(self, text: str) -> None:
        self._show(text, error_color().name(), error=True)

    def show_hint(self, text: str) -> None:
        self._show(text, muted_color().name(), error=False)

    def _show(self, text: str, color: str, *, error: bool) -> None:
        self.is_error = error
        self.setStyleSheet(f"color: {color};")
        self.setText(text)
        self.setVisible(bool(text))
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        # A dialog's layout sizes a wrapped label for one line; a long message would then
        # overlap the widgets below it. Reserve the height its lines need at this width.
        needed = self.heightForWidth(self.width()) if self.text() else 0
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    def clear_message(self) -> None:
        self.is_error = False
        self.clear()
        self.setVisible(False)


class FolderField(QWidget):
    """A folder path: typed, pasted, or picked with Browse… (a non-blocking file dialog)."""

    changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setClearButtonEnabled(True)
        self.browse_button = QPushButton()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.browse_button)
        self.browse_button.clicked.connect(self._browse)
        self.edit.textChanged.connect(self.changed)
        self._picker: QFileDialog | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.browse_button.setText(self.tr("Browse…"))

    def text(self) -> str:
        return self.edit.text().strip()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    def setPlaceholderText(self, text: str) -> None:
        self.edit.setPlaceholderText(text)
        self.edit.setToolTip(text)

    def _browse(self) -> None:
        start = self.text() or self.edit.placeholderText().removeprefix(self.tr("Default: "))
        picker = QFileDialog(self, self.tr("Choose the folder for this source"), start)
        picker.setFileMode(QFileDialog.FileMode.Directory)
        picker.setOption(QFileDialog.Option.ShowDirsOnly, True)
        picker.fileSelected.connect(self.edit.setText)
        picker.finished.connect(picker.deleteLater)
        self._picker = picker
        picker.open()


class AccountCombo(QComboBox):
    """Logged-in accounts, plus (where allowed) "no account" for public lists."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._allow_none = True
        self._accounts: list[AccountView] = []
        self.setMinimumContentsLength(18)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.set_accounts([])

    def set_accounts(
        self, accounts: Sequence[AccountView], *, allow_none: bool = True, select: int | None = None
    ) -> None:
        self._accounts = list(accounts)
        self._allow_none = allow_none
        self.blockSignals(True)
        self.clear()
        if allow_none:
            self.addItem(self.tr("No account (public lists only)"), None)
        for account in self._accounts:
            label = account.name or account.user_name or account.user_id
            if account.user_name and account.user_name != label:
                label = f"{label} ({account.user_name})"
            if account.state == "expired":
                label = self.tr("%1 — login expired").replace("%1", label)
            self.addItem(label, account.id)
        self.blockSignals(False)
        self.select_account(select)

    def select_account(self, account_id: int | None) -> None:
        row = self.findData(account_id) if account_id is not None else (0 if self._allow_none else -1)
        self.setCurrentIndex(max(row, 0))

    def account_id(self) -> int | None:
        value = self.currentData()
        return int(value) if value is not None else None

    def retranslate(self) -> None:
        self.set_accounts(self._accounts, allow_none=self._allow_none, select=self.account_id())


class CheckedField(QWidget):
    """A line edit checked as it is typed, with the problem (or a hint) shown under it.

    Subclasses implement `validate(text)`: raise SyncDeckError for bad input, return a hint
    to show (or "") for good input.
    """

    validityChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setClearButtonEnabled(True)
        self.message = MessageLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.edit)
        layout.addWidget(self.message)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)  # rows of a form stay compact
        self.valid = True
        self.edit.textChanged.connect(self._check)

    def validate(self, text: str) -> str:
        raise NotImplementedError

    def text(self) -> str:
        return self.edit.text().strip()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    def _check(self, text: str) -> None:
        try:
            hint = self.validate(text.strip())
        except SyncDeckError as exc:
            self.message.show_error(str(exc))
            valid = False
        else:
            if hint:
                self.message.show_hint(hint)
            else:
                self.message.clear_message()
            valid = True
        if valid != self.valid:
            self.valid = valid
            self.validityChanged.emit(valid)


class RulesField(CheckedField):
    """Filter rules in the text syntax, checked as they are typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.retranslate()

    def validate(self, text: str) -> str:
        parse_rules(text)
        return ""

    def retranslate(self) -> None:
        self.edit.setPlaceholderText(self.tr("Optional, e.g. title contains tutorial and duration > 60"))
        self.edit.setToolTip(
            self.tr(
                "Only videos that match are downloaded. Conditions on title, tags, duration, page_count, "
                "pub_time, fav_time, multi_upper, size (e.g. size < 2GiB); join them with and / or; "
                "prefix not to negate."
            )
        )
        self._check(self.edit.text())
