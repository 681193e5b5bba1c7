"""Add an LLM account: kind, name, base URL, keys (one a line), rate limits."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.engine.llm.views import LlmAccountView
from desktop.bridge import EngineBridge


class LlmAddDialog(QDialog):
    added = Signal(str)  # the new account's name

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("llm-add-dialog")
        self.bridge = bridge
        self.kind = QComboBox()
        self.kind.addItem(self.tr("OpenAI-compatible (OpenAI, DeepSeek, Groq, Ollama, a gateway…)"), "openai")
        self.kind.addItem(self.tr("Gemini (Google AI Studio key; can watch videos)"), "gemini")
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.name = QLineEdit()
        self.base_url = QLineEdit()
        self.keys = QPlainTextEdit()
        self.keys.setPlaceholderText(self.tr("One API key a line; they are used in turn and kept in the keyring"))
        self.keys.setFixedHeight(90)
        self.rpm = QSpinBox()
        self.rpm.setRange(0, 100_000)
        self.rpm.setSpecialValueText(self.tr("no limit"))
        self.tpm = QSpinBox()
        self.tpm.setRange(0, 100_000_000)
        self.tpm.setSingleStep(1000)
        self.tpm.setSpecialValueText(self.tr("no limit"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #e5484d;")
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Base URL"), self.base_url)
        form.addRow(self.tr("API keys"), self.keys)
        form.addRow(self.tr("Requests a minute"), self.rpm)
        form.addRow(self.tr("Tokens a minute"), self.tpm)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setWindowTitle(self.tr("Add LLM account"))
        self._kind_changed()

    def _kind_changed(self) -> None:
        gemini = self.kind.currentData() == "gemini"
        self.base_url.setPlaceholderText(
            self.tr("empty = https://generativelanguage.googleapis.com") if gemini else "https://api.openai.com/v1"
        )

    def submit(self) -> None:
        self.error.hide()
        self.buttons.setEnabled(False)
        keys = self.keys.toPlainText().splitlines()
        coro = self.bridge.engine.llm.add_account(
            str(self.kind.currentData()), self.name.text(), keys, base_url=self.base_url.text(),
            rpm=self.rpm.value(), tpm=self.tpm.value(),
        )  # fmt: skip
        self.bridge.run(coro, what=self.tr("Add LLM account"), done=self._added, failed=self._failed)

    def _added(self, view: LlmAccountView) -> None:
        self.keys.clear()  # the keys stay in the keyring only
        self.added.emit(view.name)
        self.accept()

    def _failed(self, message: str) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(message)
        self.error.show()
