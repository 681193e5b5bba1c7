"""One control per setting, chosen from its declaration in `core.config.settings`: a switch, a
drop-down, an ordered check list, a number box or a line (with a folder or file picker, a
variable menu for name templates), or a schedule (every N minutes/hours, or cron).

Every editor offers `value()`, `set_value()`, a `changed` signal and `input`, the widget that
takes the focus (named after the setting's key, so tests and shortcuts find it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.config.settings import Setting
from desktop.resources import icon
from desktop.widgets.schedule_input import ScheduleInput

NUMBER_LIMIT = 2**31 - 1  # QSpinBox holds a C int


def setting_text(text: str) -> str:
    """A text of the settings list (label, doc, group, choice) in the interface language."""
    return QCoreApplication.translate("Setting", text) if text else ""


class SettingEditor(QWidget):
    changed = Signal()

    def __init__(self, spec: Setting, input_widget: QWidget) -> None:
        super().__init__()
        self.spec = spec
        self.input = input_widget
        input_widget.setObjectName(spec.key)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.addWidget(input_widget, 1)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def retranslate(self) -> None:
        """Set the texts that come from the settings list (the panel sets label and doc)."""


class SwitchEditor(SettingEditor):
    """A check box whose text is the setting's doc: "Write danmaku as ASS subtitles"."""

    def __init__(self, spec: Setting) -> None:
        self.box = QCheckBox()
        super().__init__(spec, self.box)
        self.box.toggled.connect(self.changed)

    def value(self) -> bool:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.setChecked(bool(value))

    def retranslate(self) -> None:
        self.box.setText(setting_text(self.spec.doc).rstrip(".。"))


class ChoiceEditor(SettingEditor):
    def __init__(self, spec: Setting) -> None:
        self.combo = QComboBox()
        super().__init__(spec, self.combo)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setMinimumWidth(220)
        self.combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.row.addStretch(1)
        for choice in spec.choices:
            self.combo.addItem(choice, choice)
        self.combo.currentIndexChanged.connect(self.changed)

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        self.combo.setCurrentIndex(self.combo.findData(value))

    def retranslate(self) -> None:
        for row in range(self.combo.count()):
            choice = self.combo.itemData(row)
            self.combo.setItemText(row, setting_text(self.spec.choice_labels.get(choice, choice)))


class OrderedChoicesEditor(SettingEditor):
    """Some of the choices, in order of preference: check to use, drag or use the arrows to rank."""

    def __init__(self, spec: Setting) -> None:
        self.list = QListWidget()
        super().__init__(spec, self.list)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setSpacing(3)
        self.list.setFixedHeight((self.fontMetrics().height() + 12) * len(spec.choices) + 8)
        for choice in spec.choices:
            item = QListWidgetItem(choice, self.list)
            item.setData(Qt.ItemDataRole.UserRole, choice)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
            item.setCheckState(Qt.CheckState.Checked)
        self.up, self.down = QToolButton(), QToolButton()
        arrows = QVBoxLayout()
        for button, name, step in ((self.up, "up", -1), (self.down, "down", 1)):
            button.setIcon(icon(name))
            button.clicked.connect(lambda _=False, step=step: self.move(step))
            arrows.addWidget(button)
        arrows.addStretch(1)
        self.row.addLayout(arrows)
        self.list.currentRowChanged.connect(self._update_arrows)
        self.list.itemChanged.connect(self.changed)
        self.list.model().rowsMoved.connect(self.changed)
        self._update_arrows()

    def value(self) -> list[str]:
        items = [self.list.item(row) for row in range(self.list.count())]
        return [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]

    def set_value(self, value: Any) -> None:
        chosen = list(value)
        items = {}
        while self.list.count():
            item = self.list.takeItem(0)
            items[item.data(Qt.ItemDataRole.UserRole)] = item
        for choice in chosen + [c for c in self.spec.choices if c not in chosen]:
            items[choice].setCheckState(Qt.CheckState.Checked if choice in chosen else Qt.CheckState.Unchecked)
            self.list.addItem(items[choice])
        self._update_arrows()

    def move(self, step: int) -> None:
        row = self.list.currentRow()
        if row < 0 or not 0 <= row + step < self.list.count():
            return
        self.list.insertItem(row + step, self.list.takeItem(row))
        self.list.setCurrentRow(row + step)
        self.changed.emit()

    def _update_arrows(self) -> None:
        row = self.list.currentRow()
        self.up.setEnabled(row > 0)
        self.down.setEnabled(0 <= row < self.list.count() - 1)

    def retranslate(self) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            choice = item.data(Qt.ItemDataRole.UserRole)
            item.setText(setting_text(self.spec.choice_labels.get(choice, choice)))
        self.list.setToolTip(self.tr("Drag to reorder; unchecked ones are never used"))
        self.up.setToolTip(self.tr("Move up: prefer more"))
        self.down.setToolTip(self.tr("Move down: prefer less"))


class NumberEditor(SettingEditor):
    def __init__(self, spec: Setting) -> None:
        self.box: QSpinBox | QDoubleSpinBox = QDoubleSpinBox() if spec.kind is float else QSpinBox()
        super().__init__(spec, self.box)
        self.row.addStretch(1)
        low = spec.minimum if spec.minimum is not None else -NUMBER_LIMIT
        high = spec.maximum if spec.maximum is not None else NUMBER_LIMIT
        if isinstance(self.box, QDoubleSpinBox):
            self.box.setDecimals(2)
            self.box.setRange(low, high)
        else:
            self.box.setRange(int(low), int(high))
        self.box.setSuffix(f" {spec.unit}" if spec.unit else "")
        self.box.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.box.setFixedWidth(140)  # numbers of one page line up
        self.box.valueChanged.connect(self.changed)

    def value(self) -> int | float:
        return self.box.value()

    def set_value(self, value: Any) -> None:
        self.box.setValue(value)


class LineEditor(SettingEditor):
    """Text, a comma-separated list, or a path with a picker ("folder"/"file" widgets)."""

    def __init__(self, spec: Setting) -> None:
        self.edit = QLineEdit()
        super().__init__(spec, self.edit)
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self.changed)
        self.button: QToolButton | None = None
        if spec.widget in ("folder", "file"):
            self.button = QToolButton()
            self.button.setObjectName(f"browse:{spec.key}")
            self.button.setIcon(icon("folder"))
            self.button.clicked.connect(self.browse)
            self.row.addWidget(self.button)

    def value(self) -> str:
        return self.edit.text().strip()

    def set_value(self, value: Any) -> None:
        self.edit.setText(", ".join(value) if isinstance(value, list) else str(value))

    def browse(self) -> None:
        start = self.value() or str(Path.home())
        title = self.tr("Choose: %1").replace("%1", setting_text(self.spec.label))
        if self.spec.widget == "folder":
            chosen = QFileDialog.getExistingDirectory(self, title, start)
        else:
            chosen, _filter = QFileDialog.getOpenFileName(self, title, start)
        if chosen:
            self.edit.setText(chosen)

    def retranslate(self) -> None:
        if self.button is not None:
            self.button.setToolTip(self.tr("Choose…"))


class TemplateEditor(LineEditor):
    """A name template with a menu of the variables this name may use."""

    def __init__(self, spec: Setting) -> None:
        super().__init__(spec)
        self.variables = QToolButton()
        self.variables.setObjectName(f"variables:{spec.key}")
        self.variables.setText("{{…}}")
        self.variables.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.variables)
        for name in sorted(spec.variables):
            menu.addAction(f"{{{{{name}}}}}", lambda name=name: self.edit.insert(f"{{{{{name}}}}}"))
        self.variables.setMenu(menu)
        self.row.addWidget(self.variables)

    def retranslate(self) -> None:
        self.variables.setToolTip(
            self.tr("Insert a variable. {{truncate title 40}} keeps at most 40 characters; / starts a subfolder.")
        )


class ScheduleEditor(SettingEditor):
    """Every so many minutes or hours, or a cron expression with its next runs (see ScheduleInput)."""

    def __init__(self, spec: Setting) -> None:
        self.schedule = ScheduleInput()
        super().__init__(spec, self.schedule)
        self.description = self.schedule.description
        self.schedule.changed.connect(self.changed)

    def value(self) -> str:
        return self.schedule.value()

    def set_value(self, value: Any) -> None:
        self.schedule.set_value(str(value))

    def retranslate(self) -> None:
        self.schedule.retranslate()


def editor_for(spec: Setting) -> SettingEditor:
    if spec.kind is bool:
        return SwitchEditor(spec)
    if spec.choices:
        return OrderedChoicesEditor(spec) if spec.kind is list else ChoiceEditor(spec)
    if spec.kind in (int, float):
        return NumberEditor(spec)
    if spec.widget == "template":
        return TemplateEditor(spec)
    if spec.widget == "schedule":
        return ScheduleEditor(spec)
    return LineEditor(spec)
