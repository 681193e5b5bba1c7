"""LLM accounts in the Accounts panel: the list, and the buttons that open their dialogs."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.engine.llm.views import LlmAccountView
from desktop.bridge import EngineBridge
from desktop.dialogs.llm_account import LlmAccountDialog
from desktop.dialogs.llm_add import LlmAddDialog
from desktop.dialogs.llm_export import LlmExportDialog


class LlmAccountsBox(QGroupBox):
    """OpenAI-compatible and Gemini accounts: what notes are written with."""

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("llm-accounts")
        self.bridge = bridge
        self.accounts: list[LlmAccountView] = []
        self.add_dialog: LlmAddDialog | None = None
        self.account_dialog: LlmAccountDialog | None = None
        self.export_dialog: LlmExportDialog | None = None
        self.remove_box: QMessageBox | None = None

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("llm-accounts-table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMaximumHeight(150)
        self.table.itemSelectionChanged.connect(self._update_actions)
        self.table.doubleClicked.connect(lambda *_: self.open_account())
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: palette(placeholder-text);")

        self.add_button = QPushButton()
        self.add_button.setObjectName("llm-add")
        self.add_button.clicked.connect(self.open_add)
        self.open_button = QPushButton()
        self.open_button.setObjectName("llm-open")
        self.open_button.clicked.connect(lambda: self.open_account())
        self.export_button = QPushButton()
        self.export_button.setObjectName("llm-export")
        self.export_button.clicked.connect(self.open_export)
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("llm-remove")
        self.remove_button.clicked.connect(self.confirm_remove)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.add_button, self.open_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)
        bridge.stateChanged.connect(lambda what: self.refresh() if what == "llm" else None)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.setTitle(self.tr("LLM accounts (for notes)"))
        self.add_button.setText(self.tr("Add LLM account…"))
        self.open_button.setText(self.tr("Keys, models and health…"))
        self.export_button.setText(self.tr("Export to a gateway…"))
        self.remove_button.setText(self.tr("Remove"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Kind"), self.tr("Keys / models"), self.tr("Server")]
        )
        self.empty.setText(
            self.tr("No LLM account yet. Add an OpenAI-compatible server or a Gemini key to write notes from videos.")
        )
        self._show(self.accounts)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def refresh(self) -> None:
        self.bridge.run(self.bridge.engine.llm.accounts(), what=self.tr("List LLM accounts"), done=self._show)

    def _show(self, accounts: list[LlmAccountView]) -> None:
        selected = self.current()
        self.accounts = accounts
        self.table.setRowCount(len(accounts))
        kinds = {"openai": self.tr("OpenAI-compatible"), "gemini": self.tr("Gemini")}
        for row, a in enumerate(accounts):
            counts = self.tr("%1/%2 keys · %3/%4 models")
            for n, value in enumerate((a.usable_keys, a.keys, a.enabled_models, a.models), start=1):
                counts = counts.replace(f"%{n}", str(value))
            cells = (a.name, kinds.get(a.kind, a.kind), counts, a.base_url or self.tr("Google's default"))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if a.last_error:
                    item.setToolTip(a.last_error)
                self.table.setItem(row, column, item)
            if selected is not None and a.name == selected.name:
                self.table.selectRow(row)
        self.table.resizeColumnsToContents()
        self.empty.setVisible(not accounts)
        self.table.setVisible(bool(accounts))
        self._update_actions()

    def current(self) -> LlmAccountView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.accounts):
            return None
        return self.accounts[rows[0].row()]

    def _update_actions(self) -> None:
        chosen = self.current() is not None
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
        self.export_button.setEnabled(bool(self.accounts))

    def open_add(self) -> None:
        self.add_dialog = LlmAddDialog(self.bridge, self)
        self.add_dialog.added.connect(lambda _name: self.refresh())
        self.add_dialog.open()

    def open_account(self, name: str | None = None) -> None:
        account = next((a for a in self.accounts if a.name == name), None) if name else self.current()
        if account is None:
            return
        self.account_dialog = LlmAccountDialog(self.bridge, account, self)
        self.account_dialog.finished.connect(lambda _code: self.refresh())
        self.account_dialog.open()

    def open_export(self) -> None:
        self.export_dialog = LlmExportDialog(self.bridge, self)
        self.export_dialog.open()

    def confirm_remove(self) -> None:
        account = self.current()
        if account is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Remove LLM account"),
                          self.tr("Remove %1 and delete its keys from the keyring?").replace("%1", account.name),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)  # fmt: skip
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.accepted.connect(lambda: self._remove(account.name))
        self.remove_box = box
        box.open()

    def _remove(self, name: str) -> None:
        self.bridge.run(self.bridge.engine.llm.remove_account(name), what=self.tr("Remove LLM account"),
                        done=lambda _r: self.refresh())  # fmt: skip
