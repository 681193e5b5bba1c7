"""A new note batch: what to read, which template and LLM, what to write where, how many at once."""

from __future__ import annotations

import inspect
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.engine.notes.views import TemplateView
from desktop.bridge import EngineBridge
from desktop.dialogs import FolderField, MessageLabel, while_alive

FORMATS = ("md", "json", "html")
LANGUAGES = ("ui", "zh_CN", "en")


class NewNoteBatchDialog(QDialog):
    """Collects a batch's settings; `values()` are create_batch's keyword arguments."""

    def __init__(self, bridge: EngineBridge, inputs: list[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.setObjectName("new-note-batch")
        config = bridge.engine.config
        self.inputs = QPlainTextEdit("\n".join(inputs or []))
        self.inputs.setObjectName("note-inputs")
        self.inputs.setMinimumHeight(90)
        self.add_files = QPushButton()
        self.add_folder = QPushButton()
        self.add_files.clicked.connect(self._pick_files)
        self.add_folder.clicked.connect(self._pick_folder)
        self.template = QComboBox()
        self.template.setObjectName("note-template")
        self.llm = QComboBox()
        self.llm.setEditable(True)
        self.llm.setObjectName("note-llm")
        self.llm.setEditText(config["notes.llm"])
        self.model = QLineEdit(config["notes.model"])
        self.format_boxes = {fmt: QCheckBox() for fmt in FORMATS}
        for fmt, box in self.format_boxes.items():
            box.setChecked(fmt in config["notes.formats"])
        self.folder = FolderField()
        self.folder.setText(config["notes.out_dir"])
        self.workers = QSpinBox()
        self.workers.setRange(1, 8)
        self.workers.setValue(config["notes.workers"])
        self.language = QComboBox()
        for code in LANGUAGES:
            self.language.addItem("", code)
        self.language.setCurrentIndex(LANGUAGES.index(config["notes.language"]))
        self.message = MessageLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)

        pick = QHBoxLayout()
        pick.addWidget(self.add_files)
        pick.addWidget(self.add_folder)
        pick.addStretch(1)
        formats = QHBoxLayout()
        for box in self.format_boxes.values():
            formats.addWidget(box)
        formats.addStretch(1)
        self.form = QFormLayout()
        self.labels = [QLabel() for _ in range(8)]  # texts in retranslate()
        fields = (self.inputs, self.template, self.llm, self.model, formats, self.folder, self.workers, self.language)
        for label, field in zip(self.labels, fields, strict=True):
            self.form.addRow(label, field)
            if field is self.inputs:
                self.form.addRow("", pick)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._picker: QFileDialog | None = None
        self._template_default = config["notes.template"]
        self.retranslate()
        self.resize(560, 520)
        bridge.run(bridge.engine.notes.templates(), what="templates", done=while_alive(self, self.set_templates))
        accounts = getattr(bridge.engine.llm, "accounts", None)
        if inspect.iscoroutinefunction(accounts):  # the LLM accounts feature, where this build has it
            bridge.run(accounts(), what="LLM accounts", done=while_alive(self, self._set_accounts),
                       failed=lambda _message: None)  # fmt: skip

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Make notes"))
        texts = (self.tr("Videos"), self.tr("Template"), self.tr("LLM account"), self.tr("Model"), self.tr("Write"),
                 self.tr("Folder"), self.tr("At once"), self.tr("Language"))  # fmt: skip
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.inputs.setPlaceholderText(self.tr(
            "One per line: a video file, a folder, a .txt list, a .csv, a link, source:ID or task:ID"))  # fmt: skip
        self.add_files.setText(self.tr("Add files…"))
        self.add_folder.setText(self.tr("Add folder…"))
        self.llm.lineEdit().setPlaceholderText(self.tr("The first account"))
        self.model.setPlaceholderText(self.tr("The account's default model"))
        for fmt, text in zip(FORMATS, (self.tr("Markdown"), self.tr("JSON"), self.tr("HTML")), strict=True):
            self.format_boxes[fmt].setText(text)
        self.folder.setPlaceholderText(self.tr("Next to each video"))
        for row, text in enumerate((self.tr("The interface language"), "简体中文", "English")):
            self.language.setItemText(row, text)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Start"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_templates(self, templates: list[TemplateView]) -> None:
        self.template.clear()
        for t in templates:
            self.template.addItem(t.title, t.name)
            self.template.setItemData(self.template.count() - 1, t.description, Qt.ItemDataRole.ToolTipRole)
        index = self.template.findData(self._template_default)
        self.template.setCurrentIndex(max(index, 0))

    def _set_accounts(self, accounts: Any) -> None:
        current = self.llm.currentText()
        names = [getattr(a, "name", str(a)) for a in accounts or []]
        self.llm.clear()
        self.llm.addItems(names)
        self.llm.setEditText(current or (names[0] if names else ""))

    def _pick_files(self) -> None:
        picker = QFileDialog(self, self.tr("Videos to make notes of"))
        picker.setFileMode(QFileDialog.FileMode.ExistingFiles)
        picker.filesSelected.connect(self._add_lines)
        picker.finished.connect(picker.deleteLater)
        self._picker = picker
        picker.open()

    def _pick_folder(self) -> None:
        picker = QFileDialog(self, self.tr("A folder of videos (searched with its subfolders)"))
        picker.setFileMode(QFileDialog.FileMode.Directory)
        picker.fileSelected.connect(lambda path: self._add_lines([path]))
        picker.finished.connect(picker.deleteLater)
        self._picker = picker
        picker.open()

    def _add_lines(self, lines: list[str]) -> None:
        text = self.inputs.toPlainText().rstrip("\n")
        self.inputs.setPlainText("\n".join([*(text.splitlines() if text else []), *lines]))

    def input_lines(self) -> list[str]:
        return [line.strip() for line in self.inputs.toPlainText().splitlines() if line.strip()]

    def values(self) -> dict[str, Any]:
        return {
            "inputs": self.input_lines(),
            "template": self.template.currentData() or self._template_default,
            "llm": self.llm.currentText().strip(),
            "model": self.model.text().strip(),
            "formats": [fmt for fmt, box in self.format_boxes.items() if box.isChecked()],
            "out_dir": self.folder.text(),
            "workers": self.workers.value(),
            "language": self.language.currentData(),
        }

    def _accept(self) -> None:
        if not self.input_lines():
            self.message.show_error(self.tr("Add at least one video, folder or list."))
            return
        if not any(box.isChecked() for box in self.format_boxes.values()):
            self.message.show_error(self.tr("Choose at least one format to write."))
            return
        self.accept()
