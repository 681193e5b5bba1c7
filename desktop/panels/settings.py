"""The Settings panel: the same config.toml the command line reads, edited with live checks.

Built entirely from `core.config.settings`: every setting gets a control chosen by its kind,
choices and widget hint, on the page and in the box its declaration names, with its label in
front, its doc below and, when changed, a button back to the default. Values are checked by
`Setting.coerce` as you type and each problem is explained next to its control; Save writes
only what changed, through `Engine.apply_settings`. Buttons declared in `ACTIONS` run an
engine call and show its answer in their box. The name templates show where sample videos
would go (`core.library.preview`).
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Coroutine
from types import ModuleType
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.config import Config
from core.config import settings as catalog
from core.config.loader import default_library_root
from core.errors import ConfigError
from core.library.preview import PREVIEW_SETTINGS
from desktop.bridge import EngineBridge
from desktop.panels.base import Panel
from desktop.resources import icon
from desktop.widgets.path_preview import PathPreview
from desktop.widgets.setting_editors import setting_text
from desktop.widgets.setting_group import Field, SettingGroup

ERROR_COLOR = "#e5484d"
NOTE_COLOR = "#d97706"
OK_COLOR = "#16a34a"
# Appearance is seen at once, so it is saved the moment it is chosen: a language picked but
# not yet in force (waiting for Save) looks like a switch that does not work.
LIVE_SETTINGS = ("ui.language", "ui.theme")


def load_autostart() -> ModuleType | None:
    """The start-at-login helper of this platform, when this build has one."""
    try:
        return importlib.import_module("desktop.autostart")
    except ImportError:
        return None


class SettingsPanel(Panel):
    key = "settings"
    icon_name = "settings"

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self.fields: dict[str, Field] = {}
        self.groups: dict[tuple[str, str], SettingGroup] = {}
        self.errors: dict[str, str] = {}
        self.parsed: dict[str, Any] = {}
        self.section_keys: list[str] = []
        self.section_of: dict[str, int] = {}  # setting key → row of its page
        self.autostart = load_autostart()
        self._autostart_saved = False
        self._loading = self._saving = False
        self._live: asyncio.Task[Any] | None = None  # the last save under way

        self.sections = QListWidget()
        self.sections.setObjectName("settings-sections")
        self.sections.setFixedWidth(170)
        self.sections.setSpacing(2)
        self.pages = QStackedWidget()
        self.page_titles: list[QLabel] = []
        self.sections.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.preview = PathPreview()
        self._build()

        self.status = QLabel()
        self.status.setObjectName("settings-status")
        self.status.setWordWrap(True)
        self.revert_button = QPushButton()
        self.revert_button.setObjectName("settings-revert")
        self.revert_button.clicked.connect(self.revert)
        self.save_button = QPushButton()
        self.save_button.setObjectName("settings-save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        save_shortcut = QAction(self)
        save_shortcut.setShortcut(QKeySequence.StandardKey.Save)
        save_shortcut.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.triggered.connect(self.save)
        self.addAction(save_shortcut)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.revert_button)
        bottom.addWidget(self.save_button)
        body = QHBoxLayout()
        body.setSpacing(12)
        body.addWidget(self.sections)
        body.addWidget(self.pages, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 12, 12, 10)
        outer.addLayout(body, 1)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        outer.addWidget(line)
        outer.addLayout(bottom)

        bridge.stateChanged.connect(self._state_changed)
        self.sections.setCurrentRow(0)
        self.load()
        self.retranslate()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        """Pages in the order of SECTIONS (then any other section named), boxes and rows in the
        order of SETTINGS (stably sorted by `order`); advanced settings on the Advanced page."""
        specs = sorted(catalog.SETTINGS, key=lambda s: s.order)
        page_of = {s.key: "advanced" if s.advanced else s.section for s in specs}
        named = [section.key for section in catalog.SECTIONS] + list(page_of.values())
        for section in [*dict.fromkeys(key for key in named if key != "advanced"), "advanced"]:
            chosen = [s for s in specs if page_of[s.key] == section]
            if not chosen:
                continue
            column = self._page(section)
            for title in dict.fromkeys(s.group for s in chosen):
                group = self.groups[(section, title)] = SettingGroup(section, title)
                for spec in (s for s in chosen if s.group == title):
                    self.fields[spec.key] = group.add(spec)
                    self.fields[spec.key].editor.changed.connect(self._changed)
                    if spec.key in LIVE_SETTINGS:
                        self.fields[spec.key].editor.changed.connect(lambda key=spec.key: self._apply_live(key))
                    self.section_of[spec.key] = self.pages.count() - 1
                group.add_actions([catalog.ACTIONS[key] for key in group.keys if key in catalog.ACTIONS])
                group.actionClicked.connect(lambda action, button, g=group: self.run_action(g, action, button))
                column.addWidget(group)
                if set(group.keys) & set(PREVIEW_SETTINGS) and self.preview.parent() is None:
                    column.addWidget(self.preview)
            column.addStretch(1)
        self._add_start_at_login(next(g for g in self.groups.values() if "ui.start_minimized" in g.keys))

    def _page(self, section: str) -> QVBoxLayout:
        content = QWidget()
        content.setObjectName(f"settings-page:{section}")
        column = QVBoxLayout(content)
        column.setContentsMargins(4, 0, 12, 12)
        column.setSpacing(12)
        title = QLabel()
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        title.setFont(font)
        column.addWidget(title)
        self.page_titles.append(title)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.pages.addWidget(scroll)
        icon_name = next((s.icon for s in catalog.SECTIONS if s.key == section), "settings")
        item = QListWidgetItem(icon(icon_name), "", self.sections)
        item.setData(Qt.ItemDataRole.UserRole, icon_name)
        self.section_keys.append(section)
        return column

    def _add_start_at_login(self, group: SettingGroup) -> None:
        """Not a setting but the system's: shown with the tray settings, switched on Save."""
        self.start_at_login = QCheckBox()
        self.start_at_login.setObjectName("start-at-login")
        self.start_at_login.setEnabled(self.autostart is not None)
        self.start_at_login.toggled.connect(self._changed)
        self.start_at_login_label = QLabel()
        self.start_at_login_message = QLabel()
        self.start_at_login_message.setWordWrap(True)
        self.start_at_login_message.hide()
        group.add_row(self.start_at_login_label, self.start_at_login, self.start_at_login_message)

    # ------------------------------------------------------------------ text

    def title(self) -> str:
        return self.tr("Settings")

    def retranslate(self) -> None:
        for row, section in enumerate(self.section_keys):
            text = setting_text(catalog.section_title(section))
            self.sections.item(row).setText(text)
            self.page_titles[row].setText(text)
        for group in self.groups.values():
            group.retranslate()
        self.start_at_login_label.setText(self.tr("Startup:"))
        self.start_at_login.setText(self.tr("Start SyncDeck when I log in to the computer"))
        self.start_at_login.setToolTip(
            "" if self.autostart is not None else self.tr("Starting at login is not supported on this system")
        )
        self.revert_button.setText(self.tr("Revert"))
        self.revert_button.setToolTip(self.tr("Throw away the changes not saved yet"))
        self.save_button.setText(self.tr("Save"))
        self._align_labels()
        self._update_state()

    def _align_labels(self) -> None:
        """The labels of all boxes on a page get one width, so their controls line up."""
        for section in self.section_keys:
            labels = [label for g in self.groups.values() if g.section == section for label in g.labels()]
            for label in labels:
                label.setMinimumWidth(0)  # measured afresh: the other language's width does not count
            width = max(label.sizeHint().width() for label in labels)
            for label in labels:
                label.setMinimumWidth(width)

    # ------------------------------------------------------------------ values

    @property
    def config(self) -> Config:
        return self.bridge.engine.config

    def load(self) -> None:
        """Show the values in force now (after start, Revert and Save)."""
        self._loading = True
        try:
            for key, field in self.fields.items():
                field.editor.set_value(self.config.values[key])
            self._autostart_saved = bool(self.autostart is not None and self.autostart.is_enabled())
            self.start_at_login.setChecked(self._autostart_saved)
        finally:
            self._loading = False
        self._update_state()

    def values(self) -> dict[str, Any]:
        """What the controls show, as typed."""
        return {key: field.editor.value() for key, field in self.fields.items()}

    def changes(self) -> dict[str, Any]:
        """The settings whose control differs from what is in force (valid ones as their type)."""
        values = {**self.values(), **self.parsed}
        return {key: value for key, value in values.items() if value != self.config.values[key]}

    def autostart_changed(self) -> bool:
        return self.autostart is not None and self.start_at_login.isChecked() != self._autostart_saved

    def validate(self) -> dict[str, str]:
        """Problems per setting key, from the settings list's own checks."""
        errors: dict[str, str] = {}
        self.parsed = {}
        for key, value in self.values().items():
            try:
                self.parsed[key] = self.fields[key].spec.coerce(value, "")
            except ConfigError as exc:
                errors[key] = str(exc)
        for key, problem in catalog.check_together(self.parsed).items():
            errors.setdefault(key, problem)
        return errors

    # ------------------------------------------------------------------ state

    def _changed(self, *_args: object) -> None:
        if not self._loading:
            self._update_state()

    def _update_state(self) -> None:
        self.errors = self.validate()
        changes = self.changes()
        for key, field in self.fields.items():
            origin = self.config.origins.get(key, "default")
            field.reset.setHidden(self.parsed.get(key, None) == field.spec.default)
            default = field.spec.default
            labels = field.spec.choice_labels
            shown = setting_text(labels[default]) if isinstance(default, str) and default in labels else _shown(default)
            field.reset.setToolTip(self.tr("Back to the default: %1").replace("%1", shown))
            if key in self.errors:
                self._show_message(field.message, self.errors[key], ERROR_COLOR)
            elif origin in ("environment", "command line"):
                source = field.spec.env if origin == "environment" else "--set " + key
                note = self.tr("%1 sets this for now; it wins over the saved value.").replace("%1", source)
                self._show_message(field.message, note, NOTE_COLOR)
            else:
                field.message.hide()
        broken = {self.section_of[key] for key in self.errors}
        for row in range(self.sections.count()):
            item = self.sections.item(row)
            item.setIcon(icon("warning" if row in broken else item.data(Qt.ItemDataRole.UserRole)))
        self._show_preview()
        self._update_actions(changes)
        pending = bool(changes) or self.autostart_changed()
        self.save_button.setEnabled(pending and not self.errors and not self._saving)
        self.revert_button.setEnabled(pending and not self._saving)
        if self._saving:
            return
        if self.errors:
            names = ", ".join(self.sections.item(row).text() for row in sorted(broken))
            text = self.tr("Fix the settings marked in red before saving: %1.").replace("%1", names)
            self._set_status(text, ERROR_COLOR)
        elif pending:
            self._set_status(self.tr("Changes not saved yet."), "")
        elif not self.status.property("saved"):
            self._set_status("", "")

    @staticmethod
    def _show_message(label: QLabel, text: str, color: str) -> None:
        label.setText(text)
        label.setStyleSheet(f"color: {color};")
        label.show()

    def _show_preview(self) -> None:
        if self.preview.parent() is None:
            return
        values = self.values()
        root = values.get("library.root") or str(default_library_root())
        broken = any(key in self.errors for key in PREVIEW_SETTINGS)
        self.preview.show_paths(values, root, self.tr("(fix the name templates to see the path)") if broken else "")

    def _update_actions(self, changes: dict[str, Any]) -> None:
        for group in self.groups.values():
            unsaved = any(key in changes for key in group.keys)
            for action, button in group.actions:
                available = hasattr(self.bridge.engine, action.method)
                button.setEnabled(available and not unsaved and not button.property("running"))
                button.setToolTip(
                    self.tr("Save first: this uses the saved settings")
                    if unsaved
                    else ("" if available else self.tr("Not available in this version"))
                )

    def _apply_live(self, key: str) -> None:
        """Save an appearance setting on its own, now; other unsaved changes stay unsaved."""
        if self._loading or key in self.errors:
            return
        value = self.parsed.get(key)
        if value is None or value == self.config.values[key]:
            return
        self._live = self.bridge.run(
            self._after_live(self.bridge.engine.apply_settings({key: value})),
            what=self.tr("Save settings"),
            done=lambda _result: self._update_state(),
            failed=self._save_failed,
        )

    def _after_live(self, coro: Coroutine[Any, Any, None]) -> Coroutine[Any, Any, None]:
        """Saves one after the other: two writers of config.toml at once would lose a change."""
        return _after(self._live, coro)

    def _set_status(self, text: str, color: str, *, saved: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {color};" if color else "")
        self.status.setProperty("saved", saved)

    # ------------------------------------------------------------------ actions

    def revert(self) -> None:
        self.status.setProperty("saved", False)
        self.load()

    def save(self) -> None:
        changes = self.changes()
        if self.validate() or self._saving or not (changes or self.autostart_changed()):
            return
        self._saving = True
        self.save_button.setEnabled(False)
        self.revert_button.setEnabled(False)
        self._set_status(self.tr("Saving…"), "")
        if changes:
            self._live = self.bridge.run(
                self._after_live(self.bridge.engine.apply_settings(changes)),
                what=self.tr("Save settings"),
                done=lambda _result: self._saved(),
                failed=self._save_failed,
            )
        else:
            self._saved()

    def _saved(self) -> None:
        if self.autostart_changed():
            assert self.autostart is not None
            try:
                self.autostart.set_enabled(self.start_at_login.isChecked())
            except OSError as exc:
                problem = self.tr("Could not change the start at login: %1").replace("%1", str(exc))
                self._show_message(self.start_at_login_message, problem, ERROR_COLOR)
            else:
                self.start_at_login_message.hide()
        self._saving = False
        self.load()
        self._set_status(
            self.tr("Saved. The command line and the next round use these settings."), OK_COLOR, saved=True
        )

    def _save_failed(self, message: str) -> None:
        self._saving = False
        self._update_state()
        self._set_status(self.tr("Not saved: %1").replace("%1", message), ERROR_COLOR)

    def run_action(self, group: SettingGroup, action: catalog.SettingAction, button: QPushButton) -> None:
        """`await engine.<method>(arg)`; its answer (or error) appears under the box's buttons."""
        button.setProperty("running", True)
        button.setEnabled(False)
        group.show_result(self.tr("Working…"), "")

        def finished(text: str, color: str) -> None:
            button.setProperty("running", False)
            group.show_result(text, color)
            self._update_state()

        self.bridge.run(
            getattr(self.bridge.engine, action.method)(action.arg),
            what=setting_text(action.label),
            done=lambda result: finished(self.tr("Done.") if result is None else str(result), OK_COLOR),
            failed=lambda message: finished(message, ERROR_COLOR),
        )

    def _state_changed(self, what: str) -> None:
        # Settings saved elsewhere (the command line, a hot reload): show them unless the
        # person is in the middle of editing.
        if what == "settings" and not self._saving and not self.changes() and not self.autostart_changed():
            self.load()


async def _after(earlier: asyncio.Task[Any] | None, coro: Coroutine[Any, Any, None]) -> None:
    if earlier is not None and not earlier.done():
        await asyncio.gather(earlier, return_exceptions=True)
    await coro


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value) if value != "" else "—"
