"""Export LLM accounts to a gateway: a preview of uni-api's or LiteLLM's file, or gpt-load's plan."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.engine.llm.views import ExportResult
from desktop.bridge import EngineBridge


class LlmExportDialog(QDialog):
    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("llm-export-dialog")
        self.bridge = bridge
        self.target = QComboBox()
        self.target.setObjectName("llm-export-target")
        self.target.addItem("uni-api (api.yaml)", "uni-api")
        self.target.addItem("LiteLLM (config.yaml)", "litellm")
        self.target.addItem("gpt-load (admin API)", "gpt-load")
        self.target.currentIndexChanged.connect(self._target_changed)
        self.include_keys = QCheckBox()
        self.url = QLineEdit()
        self.url.setObjectName("llm-gpt-load-url")
        self.url.setPlaceholderText("http://127.0.0.1:3001")
        self.admin_key = QLineEdit()
        self.admin_key.setObjectName("llm-gpt-load-key")
        self.admin_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.form = QFormLayout()
        self.form.addRow(self.tr("Gateway"), self.target)
        self.form.addRow("", self.include_keys)
        self.form.addRow(self.tr("gpt-load address"), self.url)
        self.form.addRow(self.tr("Admin key (AUTH_KEY)"), self.admin_key)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("llm-export-preview")
        self.preview.setReadOnly(True)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.status = QLabel()
        self.status.setObjectName("llm-export-status")
        self.status.setWordWrap(True)
        self.preview_button = QPushButton()
        self.preview_button.setObjectName("llm-export-preview-button")
        self.preview_button.clicked.connect(self.show_preview)
        self.save_button = QPushButton()
        self.save_button.setObjectName("llm-export-save")
        self.save_button.clicked.connect(self.choose_file)
        self.apply_button = QPushButton()
        self.apply_button.setObjectName("llm-export-apply")
        self.apply_button.clicked.connect(self.apply)
        close = QPushButton()
        close.clicked.connect(self.reject)
        self.close_button = close
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.save_button, self.apply_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(720, 520)
        self.retranslate()
        self._target_changed()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Export LLM accounts to a gateway"))
        self.include_keys.setText(self.tr("Write the keys themselves (otherwise environment-variable references)"))
        self.preview_button.setText(self.tr("Preview"))
        self.save_button.setText(self.tr("Save to file…"))
        self.apply_button.setText(self.tr("Apply to gpt-load"))
        self.close_button.setText(self.tr("Close"))

    def _target(self) -> str:
        return str(self.target.currentData())

    def _target_changed(self) -> None:
        gpt_load = self._target() == "gpt-load"
        for widget in (self.url, self.admin_key):
            widget.setVisible(gpt_load)
            self.form.labelForField(widget).setVisible(gpt_load)
        self.include_keys.setVisible(not gpt_load)
        self.save_button.setVisible(not gpt_load)
        self.apply_button.setVisible(gpt_load)
        self.preview.clear()
        self.status.clear()

    def _run(self, coro: object, done: object) -> None:
        self.status.setText(self.tr("Working…"))
        self.bridge.run(coro, what=self.tr("Export"), done=done, failed=self.status.setText)  # type: ignore[arg-type]

    def show_preview(self) -> None:
        llm = self.bridge.engine.llm
        if self._target() == "gpt-load":
            coro = llm.export_gpt_load(self.url.text().strip(), self.admin_key.text().strip())
        else:
            coro = llm.export(self._target(), include_keys=self.include_keys.isChecked())
        self._run(coro, self._previewed)

    def _previewed(self, result: ExportResult) -> None:
        self.preview.setPlainText(result.text)
        self.status.setText(self.tr("Nothing was written yet."))

    def choose_file(self) -> None:
        name = "api.yaml" if self._target() == "uni-api" else "config.yaml"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save gateway configuration"), name, "YAML (*.yaml *.yml)")
        if path:
            self.save(Path(path))

    def save(self, path: Path) -> None:
        coro = self.bridge.engine.llm.export(self._target(), path=path, include_keys=self.include_keys.isChecked())
        self._run(coro, self._saved)

    def _saved(self, result: ExportResult) -> None:
        self.preview.setPlainText(result.text)
        text = self.tr("Written to %1.").replace("%1", result.path)
        if result.backup:
            text += " " + self.tr("The previous file is kept as %1.").replace("%1", result.backup)
        self.status.setText(text)

    def apply(self) -> None:
        coro = self.bridge.engine.llm.export_gpt_load(
            self.url.text().strip(), self.admin_key.text().strip(), apply=True
        )
        self._run(coro, self._applied)

    def _applied(self, result: ExportResult) -> None:
        self.preview.setPlainText(result.text)
        self.status.setText("\n".join(result.steps))
