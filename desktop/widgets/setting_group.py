"""A box of settings: one row per setting (label, control, doc, back-to-default button and a
message line), then the box's action buttons with the line that shows their answer."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.config.settings import Setting, SettingAction
from desktop.resources import icon
from desktop.widgets.setting_editors import SettingEditor, editor_for, setting_text

MUTED = "color: palette(placeholder-text);"


@dataclass
class Field:
    spec: Setting
    editor: SettingEditor
    label: QLabel
    doc: QLabel
    reset: QToolButton  # shown while the value is not the default
    message: QLabel  # a problem or a note, under the doc

    @property
    def widget(self) -> QWidget:
        return self.editor.input


class SettingGroup(QGroupBox):
    actionClicked = Signal(object, object)  # SettingAction, QPushButton

    def __init__(self, section: str, title: str) -> None:
        super().__init__()
        self.section = section  # the page it is on
        self.group_title = title  # English; shown translated
        self.fields: dict[str, Field] = {}
        self.actions: list[tuple[SettingAction, QPushButton]] = []
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(10)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()

    @property
    def keys(self) -> list[str]:
        return list(self.fields)

    def add(self, spec: Setting) -> Field:
        editor = editor_for(spec)
        label, doc, message, reset = QLabel(), QLabel(), QLabel(), QToolButton()
        label.setBuddy(editor.input)
        doc.setWordWrap(True)
        doc.setStyleSheet(MUTED)
        doc.setVisible(spec.kind is not bool)  # a switch says it in its own text
        message.setObjectName(f"message:{spec.key}")
        message.setWordWrap(True)
        message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        message.hide()
        reset.setObjectName(f"reset:{spec.key}")
        reset.setIcon(icon("reset"))
        reset.setAutoRaise(True)
        keep_place = reset.sizePolicy()
        keep_place.setRetainSizeWhenHidden(True)  # rows keep their width when it comes and goes
        reset.setSizePolicy(keep_place)
        reset.clicked.connect(lambda: editor.set_value(spec.default))
        editor.row.addWidget(reset, 0, Qt.AlignmentFlag.AlignTop)
        self.add_row(label, editor, doc, message)
        field = self.fields[spec.key] = Field(spec, editor, label, doc, reset, message)
        return field

    def add_row(self, label: QLabel, *widgets: QWidget) -> None:
        holder = QWidget()
        stack = QVBoxLayout(holder)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(3)
        for widget in widgets:
            stack.addWidget(widget)
        self.form.addRow(label, holder)

    def add_actions(self, actions: list[SettingAction]) -> None:
        """A row of buttons under the settings, right-aligned, and the answer line below it."""
        if not actions:
            return
        row = QHBoxLayout()
        row.addStretch(1)
        for action in actions:
            button = QPushButton()
            button.setObjectName(f"action:{action.method}")
            button.clicked.connect(lambda _=False, a=action, b=button: self.actionClicked.emit(a, b))
            row.addWidget(button)
            self.actions.append((action, button))
        self.form.addRow(row)
        self.form.addRow(self.result)

    def labels(self) -> list[QLabel]:
        items = [self.form.itemAt(row, QFormLayout.ItemRole.LabelRole) for row in range(self.form.rowCount())]
        return [w for w in (item.widget() for item in items if item is not None) if isinstance(w, QLabel)]

    def show_result(self, text: str, color: str) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(f"color: {color};" if color else "")
        self.result.show()

    def retranslate(self) -> None:
        self.setTitle(setting_text(self.group_title))
        for action, button in self.actions:
            button.setText(setting_text(action.label))
        for field in self.fields.values():
            field.label.setText(self.tr("%1:").replace("%1", setting_text(field.spec.label)))
            field.doc.setText(setting_text(field.spec.doc))
            field.editor.retranslate()
