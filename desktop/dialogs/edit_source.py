"""Edit a source: name, folder, account, filter rules and its own schedule."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from core.config.schedule import Schedule
from core.engine.filters import RuleSet
from core.engine.views import AccountView, SourceView
from core.errors import SyncDeckError
from desktop.bridge import EngineBridge
from desktop.dialogs import AccountCombo, FolderField, MessageLabel, RulesField, while_alive
from desktop.models.sources import kind_icon, kind_label
from desktop.widgets.schedule_input import INHERIT, ScheduleInput


def rules_text(stored: str) -> str:
    """Stored rules (JSON) in the text syntax a person edits; unreadable rules come back empty."""
    try:
        return RuleSet.from_json(stored).describe()
    except SyncDeckError:
        return ""


class ScheduleField(QWidget):
    """This source's own schedule, or the global one; checked as it is set."""

    validityChanged = Signal(bool)

    def __init__(self, global_schedule: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.input = ScheduleInput(str(global_schedule))
        self.message = MessageLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.input)
        layout.addWidget(self.message)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)  # rows of a form stay compact
        self.setFocusProxy(self.input)
        self.valid = True
        self.input.changed.connect(self._check)

    def text(self) -> str:
        """What the source stores: "" for the global schedule, else seconds or a cron expression."""
        return self.input.value()

    def setText(self, text: str) -> None:
        self.input.set_value(text)

    def _check(self) -> None:
        text = self.text()
        try:
            # Outside "Global schedule" an empty cron line is a mistake, not a way to inherit.
            if text or self.input.current_mode() != INHERIT:
                Schedule.parse(text)
        except SyncDeckError as exc:
            self.message.show_error(str(exc))
            valid = False
        else:
            self.message.clear_message()
            valid = True
        if valid != self.valid:
            self.valid = valid
            self.validityChanged.emit(valid)

    def retranslate(self) -> None:
        self.input.retranslate()
        self._check()


class EditSourceDialog(QDialog):
    """Opened with `open()`; saves through `Engine.update_source` and closes when it succeeded."""

    sourceChanged = Signal(int)  # source id

    def __init__(self, bridge: EngineBridge, view: SourceView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.view = view
        source = view
        self.setObjectName("edit-source-dialog")
        self.setMinimumWidth(560)

        self.kind_icon = QLabel()
        self.kind_icon.setPixmap(kind_icon(source.kind).pixmap(16, 16))
        self.kind_text = QLabel()
        self.kind_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        kind_row = QHBoxLayout()
        kind_row.setSpacing(6)
        kind_row.addWidget(self.kind_icon)
        kind_row.addWidget(self.kind_text, 1)

        self.name_edit = QLineEdit(source.name)
        self.folder_field = FolderField()
        self.folder_field.setText(source.path)
        self.folder_note = MessageLabel()
        self.account_combo = AccountCombo()
        self.rules_field = RulesField()
        self.original_rules = rules_text(source.rules)
        self.rules_field.setText(self.original_rules)
        self.schedule_field = ScheduleField(bridge.engine.config["schedule.every"])
        self.schedule_field.setText(source.schedule)
        self.schedule_field.validityChanged.connect(lambda _valid: self._update_save_button())
        self.save_message = MessageLabel()

        self.labels = {key: QLabel() for key in ("kind", "name", "folder", "account", "rules", "schedule")}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setVerticalSpacing(10)
        form.addRow(self.labels["kind"], kind_row)
        form.addRow(self.labels["name"], self.name_edit)
        folder_box = QVBoxLayout()
        folder_box.setSpacing(4)
        folder_box.addWidget(self.folder_field)
        folder_box.addWidget(self.folder_note)
        form.addRow(self.labels["folder"], folder_box)
        form.addRow(self.labels["account"], self.account_combo)
        form.addRow(self.labels["rules"], self.rules_field)
        form.addRow(self.labels["schedule"], self.schedule_field)
        self.labels["schedule"].setBuddy(self.schedule_field.input)
        self.labels["name"].setBuddy(self.name_edit)
        self.labels["folder"].setBuddy(self.folder_field.edit)
        self.labels["account"].setBuddy(self.account_combo)
        self.labels["rules"].setBuddy(self.rules_field.edit)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = QPushButton()
        self.save_button.setObjectName("save-source-button")
        self.save_button.setDefault(True)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 14)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.save_message)
        layout.addWidget(self.buttons)

        self._saving = False
        self._accounts_ready = False
        self.name_edit.textChanged.connect(lambda _text: self._update_save_button())
        self.folder_field.changed.connect(self._folder_changed)
        self.rules_field.validityChanged.connect(lambda _valid: self._update_save_button())
        self.buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self._save)
        self.account_combo.setEnabled(False)  # until the accounts are loaded
        self.retranslate()
        self.bridge.run(
            bridge.engine.list_accounts(),
            what=self.tr("Loading accounts"),
            done=while_alive(self, self._accounts_loaded),
        )

    def retranslate(self) -> None:
        source = self.view
        self.setWindowTitle(self.tr("Edit source — %1").replace("%1", source.name))
        self.kind_text.setText(f"{kind_label(source.kind)} · {source.locator}")
        self.labels["kind"].setText(self.tr("Source"))
        self.labels["name"].setText(self.tr("&Name"))
        self.labels["folder"].setText(self.tr("&Folder"))
        self.labels["account"].setText(self.tr("A&ccount"))
        self.labels["rules"].setText(self.tr("Fil&ter"))
        self.save_button.setText(self.tr("&Save"))
        self.folder_field.retranslate()
        self.rules_field.retranslate()
        self.account_combo.retranslate()
        self.labels["schedule"].setText(self.tr("Sche&dule"))
        self.schedule_field.retranslate()
        self._folder_changed(self.folder_field.text())
        self._update_save_button()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _accounts_loaded(self, accounts: list[AccountView]) -> None:
        current = self.view.account_id
        self.account_combo.set_accounts(accounts, allow_none=True, select=current)
        self.account_combo.setEnabled(bool(accounts))
        self._accounts_ready = True

    def _folder_changed(self, text: str) -> None:
        if text.strip() and text.strip() != self.view.path:
            self.folder_note.show_hint(self.tr("Videos already downloaded are not moved; new ones go to this folder."))
        else:
            self.folder_note.clear_message()
        self._update_save_button()

    def _update_save_button(self) -> None:
        valid = bool(self.name_edit.text().strip()) and self.rules_field.valid and self.schedule_field.valid
        self.save_button.setEnabled(valid and not self._saving)

    def changes(self) -> dict[str, Any]:
        """What differs from the source as it was opened, as `update_source` arguments."""
        source = self.view
        changes: dict[str, Any] = {}
        name = self.name_edit.text().strip()
        if name != source.name:
            changes["name"] = name
        folder = self.folder_field.text()
        if folder and folder != source.path:
            changes["path"] = folder
        if self.rules_field.text() != self.original_rules:
            changes["rules"] = self.rules_field.text()
        account_id = self.account_combo.account_id()
        if self._accounts_ready and account_id != source.account_id:
            changes["account_id"] = account_id  # None unbinds it
        if self.schedule_field.text() != source.schedule:
            changes["schedule"] = self.schedule_field.text()
        return changes

    def _save(self) -> None:
        changes = self.changes()
        if not changes:
            self.accept()
            return
        self._saving = True
        self._update_save_button()
        self.save_message.show_hint(self.tr("Saving…"))
        source_id = self.view.id
        self.bridge.run(
            self.bridge.engine.update_source(source_id, **changes),
            what=self.tr("Saving the source"),
            done=while_alive(self, lambda _none: self._saved(source_id)),
            failed=while_alive(self, self._save_failed),
        )

    def _saved(self, source_id: int) -> None:
        self._saving = False
        self.sourceChanged.emit(source_id)
        self.accept()

    def _save_failed(self, message: str) -> None:
        self._saving = False
        self.save_message.show_error(message)
        self._update_save_button()

    def sizeHint(self) -> QSize:
        return QSize(600, super().sizeHint().height())
