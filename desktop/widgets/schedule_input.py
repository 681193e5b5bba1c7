"""A schedule as a person sets it: "Every" a number of minutes or hours, or "Cron" with an
expression and its next run times (optionally "Global schedule" for a source that follows it).

The value stays the text `core.config.schedule` parses (seconds as digits, or the cron
expression), so config.toml, the command line and the docs read it as before.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from core.config.schedule import MAX_INTERVAL, Schedule
from core.errors import ConfigError
from desktop.format import local_time

OK_COLOR = "#16a34a"
NOTE_COLOR = "#b45309"
INHERIT, EVERY, CRON = "inherit", "every", "cron"
MINUTE, HOUR = 60, 3600
NEXT_RUNS = 3


class ScheduleInput(QWidget):
    changed = Signal()  # only for the person's edits and set_value, once per change

    def __init__(self, global_schedule: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.global_schedule = global_schedule  # None: no "Global schedule" choice
        self.mode = QComboBox()
        self.mode.setObjectName("schedule-mode")
        for mode in ([INHERIT] if global_schedule is not None else []) + [EVERY, CRON]:
            self.mode.addItem(mode, mode)
        self.amount = QSpinBox()
        self.amount.setObjectName("schedule-amount")
        self.amount.setFixedWidth(100)
        self.unit = QComboBox()
        self.unit.setObjectName("schedule-unit")
        self.unit.addItem("minutes", MINUTE)
        self.unit.addItem("hours", HOUR)
        self.cron = QLineEdit()
        self.cron.setObjectName("schedule-cron")
        self.cron.setPlaceholderText("0 3 * * *")
        self.cron.setClearButtonEnabled(True)
        self.description = QLabel()
        self.description.setObjectName("schedule-description")
        self.description.setStyleSheet(f"color: {OK_COLOR};")
        self.description.setWordWrap(True)
        self.note = QLabel()
        self.note.setObjectName("schedule-note")
        self.note.setStyleSheet(f"color: {NOTE_COLOR};")
        self.note.setWordWrap(True)
        self.note.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.mode, self.amount, self.unit):
            row.addWidget(widget)
        row.addWidget(self.cron, 1)
        self.stretch = QWidget()  # keeps the Every controls left-aligned while the cron line is hidden
        row.addWidget(self.stretch, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        column.addLayout(row)
        column.addWidget(self.description)
        column.addWidget(self.note)
        self.setFocusProxy(self.mode)  # a label's mnemonic lands on the mode choice

        # Stored seconds that are not a whole number of minutes are kept as they are until the
        # person edits the duration: merely opening the page must not change the saved value.
        self._exact: str | None = None
        self._setting = False
        self._set_unit_range()
        self.mode.currentIndexChanged.connect(self._edited)
        self.amount.valueChanged.connect(self._edited)
        self.unit.currentIndexChanged.connect(self._unit_changed)
        self.cron.textChanged.connect(self._edited)
        self.retranslate()
        self.set_value("" if global_schedule is not None else str(Schedule().interval))

    # ------------------------------------------------------------------ value

    def current_mode(self) -> str:
        return str(self.mode.currentData())

    def value(self) -> str:
        """Seconds as digits, the cron expression, or "" for the global schedule."""
        mode = self.current_mode()
        if mode == INHERIT:
            return ""
        if mode == CRON:
            return self.cron.text().strip()
        if self._exact is not None:
            return self._exact
        return str(self.amount.value() * int(self.unit.currentData()))

    def set_value(self, text: str) -> None:
        text = str(text).strip()
        self._setting = True
        try:
            self._exact = None
            if not text and self.global_schedule is not None:
                self.mode.setCurrentIndex(self.mode.findData(INHERIT))
            elif re.fullmatch(r"[0-9]+", text):
                seconds = int(text)
                self.mode.setCurrentIndex(self.mode.findData(EVERY))
                unit = HOUR if seconds and seconds % HOUR == 0 else MINUTE
                self.unit.setCurrentIndex(self.unit.findData(unit))
                self._set_unit_range()
                self.amount.setValue(round(seconds / unit))
                if self.amount.value() * unit != seconds:  # rounded, or out of range (the owner says so)
                    self._exact = text
            else:
                self.mode.setCurrentIndex(self.mode.findData(CRON))
                self.cron.setText(text)
        finally:
            self._setting = False
        self._refresh()
        self.changed.emit()

    def _unit_changed(self) -> None:
        self._set_unit_range()
        self._edited()

    def _set_unit_range(self) -> None:
        # The same 30 days Schedule accepts; the lower bound of 1 minute is its 60 seconds.
        self.amount.setRange(1, MAX_INTERVAL // int(self.unit.currentData()))

    def _edited(self) -> None:
        if self._setting:
            return
        if self.sender() is not self.mode:
            self._exact = None  # the person chose a duration: save it in whole minutes or hours
        self._refresh()
        self.changed.emit()

    # ------------------------------------------------------------------ words

    def summary(self, text: str) -> str:
        """A schedule in a few words: "every 20 min", "cron 0 3 * * *"."""
        try:
            schedule = Schedule.parse(text)
        except ConfigError:
            return text
        if schedule.cron is not None:
            return self.tr("cron %1").replace("%1", schedule.cron)
        seconds = schedule.interval or 0
        if seconds % HOUR == 0:
            return self.tr("every %n h", "", seconds // HOUR)
        if seconds % MINUTE == 0:
            return self.tr("every %n min", "", seconds // MINUTE)
        return self.tr("every %n s", "", seconds)

    def next_runs(self, count: int = NEXT_RUNS) -> list[datetime]:
        """When the next rounds start under the cron expression shown (none if it is not valid)."""
        try:
            schedule = Schedule.parse(self.cron.text())
        except ConfigError:
            return []
        if schedule.cron is None:
            return []
        runs: list[datetime] = []
        moment = datetime.now(UTC)
        for _ in range(count):
            moment = schedule.next_after(None, moment)
            runs.append(moment)
        return runs

    def _refresh(self) -> None:
        mode = self.current_mode()
        for widget in (self.amount, self.unit):
            widget.setVisible(mode == EVERY)
        self.cron.setVisible(mode == CRON)
        self.stretch.setVisible(mode != CRON)
        rounded = self._exact is not None and int(self._exact) % MINUTE != 0
        self.note.setVisible(mode == EVERY and rounded)
        if rounded:
            text = self.tr("Saved as %1 seconds, not a whole number of minutes; shown rounded.")
            self.note.setText(text.replace("%1", self._exact))
        self.description.setText(self._describe(mode))
        self.description.setVisible(bool(self.description.text()))

    def _describe(self, mode: str) -> str:
        if mode == CRON:
            runs = self.next_runs()
            if not runs:
                return ""  # the owner shows the problem
            return self.tr("Next rounds: %1").replace("%1", ", ".join(local_time(run) for run in runs))
        if mode == EVERY:
            try:
                interval = Schedule.parse(self.value()).interval or 0
            except ConfigError:
                return ""
            minutes, seconds = divmod(interval, MINUTE)
            hours, minutes = divmod(minutes, 60)
            units = ((hours, self.tr("%1 h")), (minutes, self.tr("%1 min")), (seconds, self.tr("%1 s")))
            parts = [unit.replace("%1", str(amount)) for amount, unit in units if amount]
            return self.tr("A round starts every %1.").replace("%1", " ".join(parts))
        return ""

    def retranslate(self) -> None:
        names = {
            INHERIT: self.tr("Global schedule (%1)").replace("%1", self.summary(str(self.global_schedule))),
            EVERY: self.tr("Every"),
            CRON: self.tr("Cron"),
        }
        for row in range(self.mode.count()):
            self.mode.setItemText(row, names[self.mode.itemData(row)])
        self.unit.setItemText(self.unit.findData(MINUTE), self.tr("minutes"))
        self.unit.setItemText(self.unit.findData(HOUR), self.tr("hours"))
        self.mode.setToolTip(self.tr("Start rounds at a fixed interval, or at the times a cron expression gives"))
        self.cron.setToolTip(
            self.tr("Five fields (minute hour day month weekday) or six with the seconds first, in local time")
        )
        self._refresh()
