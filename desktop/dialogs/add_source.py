"""Add a source: paste a link, see what it points at, choose where it goes, add it.

The link is looked up while the person types (after a short pause, so pasting or typing a
long URL costs one request); a newer lookup always wins over an older one that answers late.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.engine.views import AccountView, LinkPreview, SourceView
from core.errors import SyncDeckError
from desktop.bridge import EngineBridge
from desktop.dialogs import AccountCombo, FolderField, MessageLabel, RulesField, while_alive
from desktop.models.sources import kind_icon, kind_label, muted_color

LOOKUP_DELAY_MS = 400
COVER_SIZE = QSize(192, 108)


def clipboard_link(bridge: EngineBridge) -> str:
    """The clipboard's text when some provider can use it as a link, not just any text."""
    text = QGuiApplication.clipboard().text().strip()
    if not text or len(text) > 2000 or "\n" in text:
        return ""
    return text if bridge.engine.link_provider(text) is not None else ""


class PreviewCard(QFrame):
    """What the link points at: cover, title, owner, size and kind. Always in place (with a
    placeholder text while there is nothing to show), so the dialog does not jump as one types."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("source-preview")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.cover = QLabel()
        self.cover.setFixedSize(COVER_SIZE)
        self.cover.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cover.setObjectName("source-preview-cover")
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title_font = self.title.font()
        self.title_font.setPointSizeF(self.title_font.pointSizeF() * 1.15)
        self.title_font.setBold(True)
        self.kind_icon = QLabel()
        self.kind = QLabel()
        self.owner = QLabel()
        self.count = QLabel()
        for label in (self.owner, self.count):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QGridLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setHorizontalSpacing(12)
        layout.setVerticalSpacing(4)
        layout.addWidget(self.cover, 0, 0, 5, 1, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.title, 0, 1, 1, 2)
        layout.addWidget(self.kind_icon, 1, 1)
        layout.addWidget(self.kind, 1, 2)
        layout.addWidget(self.owner, 2, 1, 1, 2)
        layout.addWidget(self.count, 3, 1, 1, 2)
        layout.setColumnStretch(2, 1)
        layout.setRowStretch(4, 1)  # the text stays together at the top, beside the cover
        self.info: LinkPreview | None = None
        self.show_placeholder("")

    def show_placeholder(self, text: str) -> None:
        """No source to show: a muted line of text (a hint, or "Looking up…") instead."""
        self.info = None
        self.title.setFont(self.font())
        self.title.setStyleSheet(f"color: {muted_color().name()};")
        self.title.setText(text)
        for label in (self.kind_icon, self.kind, self.owner, self.count):
            label.setVisible(False)
        self.show_placeholder_cover("link")

    def show_info(self, info: LinkPreview) -> None:
        self.info = info
        self.title.setFont(self.title_font)
        self.title.setStyleSheet("")
        for label in (self.kind_icon, self.kind, self.count):
            label.setVisible(True)
        self.show_placeholder_cover(info.kind)
        self.retranslate()

    def retranslate(self) -> None:
        info = self.info
        if info is None:
            return
        self.title.setText(info.title or info.locator)
        self.kind_icon.setPixmap(kind_icon(info.kind).pixmap(16, 16))
        self.kind.setText(f"{info.provider_name} · {kind_label(info.kind, info.kind_label)} · {info.locator}")
        self.owner.setText(self.tr("By %1").replace("%1", info.owner) if info.owner else "")
        self.owner.setVisible(bool(info.owner))
        if info.show:
            text = self.tr("%n episode", "", 1) if info.count == 1 else self.tr("%n episodes", "", info.count)
        else:
            text = self.tr("%n video", "", 1) if info.count == 1 else self.tr("%n videos", "", info.count)
        self.count.setText(text)

    def show_placeholder_cover(self, kind: str) -> None:
        self.cover.setPixmap(kind_icon(kind).pixmap(48, 48))

    def show_cover(self, data: bytes) -> bool:
        pixmap = QPixmap()
        if not data or not pixmap.loadFromData(data):
            return False
        ratio = self.devicePixelRatioF()
        scaled = pixmap.scaled(
            COVER_SIZE * ratio, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        scaled.setDevicePixelRatio(ratio)
        self.cover.setPixmap(scaled)
        return True


class AddSourceDialog(QDialog):
    """Non-modal to the loop: opened with `open()`, every engine call goes through the bridge."""

    sourceAdded = Signal(object)  # the new SourceView

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.setObjectName("add-source-dialog")
        self.setMinimumWidth(620)

        self.link_edit = QLineEdit()
        self.link_edit.setClearButtonEnabled(True)
        self.link_edit.setObjectName("source-link")
        self.link_message = MessageLabel()
        self.forms_toggle = QLabel()  # "Which links work?" under an error, unfolds the list below
        self.forms_toggle.setVisible(False)
        self.forms_toggle.linkActivated.connect(lambda _link: self._show_link_forms(not self.link_details.isVisible()))
        self.link_details = QLabel()  # the accepted link forms, as the engine lists them
        self.link_details.setVisible(False)
        self.link_details.setTextFormat(Qt.TextFormat.PlainText)
        self.link_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setPointSizeF(self.font().pointSizeF() * 0.85)
        self.link_details.setFont(fixed)  # the list is aligned with spaces
        self.preview = PreviewCard()

        self.account_combo = AccountCombo()
        self.folder_field = FolderField()
        self.name_edit = QLineEdit()
        self.rules_field = RulesField()
        self.add_message = MessageLabel()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = QPushButton()
        self.add_button.setObjectName("add-source-button")
        self.add_button.setDefault(True)
        self.buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.setVerticalSpacing(10)
        self.labels = {key: QLabel() for key in ("account", "folder", "name", "rules")}
        self.form.addRow(self.labels["account"], self.account_combo)
        self.form.addRow(self.labels["folder"], self.folder_field)
        self.form.addRow(self.labels["name"], self.name_edit)
        self.form.addRow(self.labels["rules"], self.rules_field)
        self.link_label = QLabel()
        self.link_label.setBuddy(self.link_edit)
        for key, field in (
            ("account", self.account_combo),
            ("folder", self.folder_field.edit),
            ("name", self.name_edit),
            ("rules", self.rules_field.edit),
        ):
            self.labels[key].setBuddy(field)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 14)
        layout.setSpacing(8)
        layout.addWidget(self.link_label)
        layout.addWidget(self.link_edit)
        layout.addWidget(self.link_message)
        layout.addWidget(self.forms_toggle)
        layout.addWidget(self.link_details)
        layout.addWidget(self.preview)
        layout.addSpacing(6)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addWidget(self.add_message)
        layout.addWidget(self.buttons)

        self.info: LinkPreview | None = None  # the preview of the link as it reads now
        self._accounts: list[AccountView] = []  # of every provider
        self._provider: str | None = None  # the provider that claims the link as typed
        self._looked_up = ""  # the link text `info` belongs to
        self._lookup: asyncio.Task[Any] | None = None
        self._cover_task: asyncio.Task[Any] | None = None
        self._adding = False
        self._name_edited = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(LOOKUP_DELAY_MS)
        self._debounce.timeout.connect(self._look_up)

        self.link_edit.textChanged.connect(self._link_changed)
        self.account_combo.currentIndexChanged.connect(self._account_changed)
        self.name_edit.textEdited.connect(self._name_typed)
        self.name_edit.textChanged.connect(lambda _text: self._update_default_folder())
        self.rules_field.validityChanged.connect(lambda _valid: self._update_add_button())
        self.buttons.rejected.connect(self.reject)
        self.add_button.clicked.connect(self._add)

        self.retranslate()
        self.bridge.run(
            self.bridge.engine.list_accounts(),
            what=self.tr("Loading accounts"),
            done=while_alive(self, self._accounts_loaded),
        )
        link = clipboard_link(bridge)
        if link:
            self.link_edit.setText(link)
            self.link_edit.selectAll()

    # ------------------------------------------------------------ texts

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Add source"))
        self.link_label.setText(self.tr("&Link"))
        followable = [p.display_name for p in self.bridge.engine.providers() if "parse" in p.capabilities]
        self.link_edit.setPlaceholderText(self.tr("Paste a link: %1").replace("%1", ", ".join(followable)))
        self.labels["account"].setText(self.tr("A&ccount"))
        self.labels["folder"].setText(self.tr("&Folder"))
        self.labels["name"].setText(self.tr("&Name"))
        self.labels["rules"].setText(self.tr("Fil&ter"))
        self.name_edit.setPlaceholderText(self.tr("The title of the list"))
        self.add_button.setText(self.tr("&Add"))
        self.folder_field.retranslate()
        self.rules_field.retranslate()
        self.account_combo.retranslate()
        self.preview.retranslate()
        if self.preview.info is None and not self.link_edit.text().strip():
            self.preview.show_placeholder(self._empty_hint())
        self._update_default_folder()
        self._update_add_button()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _empty_hint(self) -> str:
        return self.tr(
            "Paste a link to see what it points at. Links to spaces, lists and b23.tv short links work, "
            "and so do short forms like fav:123."
        )

    # ------------------------------------------------------------ the link

    def _link_changed(self, text: str) -> None:
        provider = self.bridge.engine.link_provider(text.strip()) if text.strip() else None
        if provider != self._provider:  # only the accounts of the link's service fit
            self._provider = provider
            self._show_accounts()
        self.info = None
        self._looked_up = ""
        self._cancel_lookups()
        self.link_message.clear_message()
        self._show_link_forms(False)
        self.forms_toggle.setVisible(False)
        self.add_message.clear_message()
        if text.strip():
            self.preview.show_placeholder(self.tr("Looking up…"))
            self._debounce.start()
        else:
            self._debounce.stop()
            self.preview.show_placeholder(self._empty_hint())
        self._update_default_folder()
        self._update_add_button()

    def _account_changed(self, _index: int) -> None:
        if self.link_edit.text().strip():  # a private list may only be visible to its owner
            self._link_changed(self.link_edit.text())

    def _cancel_lookups(self) -> None:
        for task in (self._lookup, self._cover_task):
            if task is not None and not task.done():
                task.cancel()
        self._lookup = self._cover_task = None

    def _look_up(self) -> None:
        text = self.link_edit.text().strip()
        if not text:
            return
        self._lookup = self.bridge.run(
            self.bridge.engine.preview_link(text, self.account_combo.account_id()),
            what=self.tr("Looking up the link"),
            done=while_alive(self, lambda info: self._found(text, info)),
            failed=while_alive(self, lambda message: self._not_found(text, message)),
        )

    def _found(self, text: str, info: LinkPreview) -> None:
        if text != self.link_edit.text().strip():
            return  # the link changed while this lookup ran
        self.info = info
        self._looked_up = text
        self.preview.show_info(info)
        if not self._name_edited:
            self.name_edit.setText(info.title)
        self._update_default_folder()
        self._update_add_button()
        # Series have no cover of their own: their owner's avatar stands in for it.
        picture = info.cover or info.owner_face
        if picture:
            self._cover_task = self.bridge.run(
                self.bridge.engine.image(picture),
                what=self.tr("Loading the cover"),
                done=while_alive(self, lambda data: self._cover_loaded(text, data)),
                failed=lambda _message: None,  # the kind icon stays in place of the cover
            )

    def _cover_loaded(self, text: str, data: bytes) -> None:
        if text == self._looked_up:
            self.preview.show_cover(data)

    def _not_found(self, text: str, message: str) -> None:
        if text != self.link_edit.text().strip():
            return
        headline, _, details = message.partition("\n")
        self.link_message.show_error(headline)
        self.preview.show_placeholder(self.tr("Nothing to show for this link."))
        self.link_details.setText(details.strip())
        self.link_details.setStyleSheet(f"color: {muted_color().name()};")
        self.forms_toggle.setVisible(bool(details.strip()))
        self._update_add_button()

    def _show_link_forms(self, shown: bool) -> None:
        if shown != self.link_details.isVisible() and self.isVisible():
            QTimer.singleShot(0, self.adjustSize)  # room for the list, or back to the usual size
        self.link_details.setVisible(shown)
        text = self.tr("Hide the list") if shown else self.tr("Which links work?")
        self.forms_toggle.setText(f'<a href="#forms">{text}</a>')

    # ------------------------------------------------------------ the other fields

    def _accounts_loaded(self, accounts: list[AccountView]) -> None:
        self._accounts = accounts
        self._show_accounts()
        if accounts and self.link_edit.text().strip():
            self._link_changed(self.link_edit.text())

    def _show_accounts(self) -> None:
        accounts = [a for a in self._accounts if self._provider is None or a.provider == self._provider]
        usable = [a for a in accounts if a.state != "expired"]
        self.account_combo.blockSignals(True)
        self.account_combo.set_accounts(accounts, select=usable[0].id if usable else None)
        self.account_combo.blockSignals(False)

    def _name_typed(self, text: str) -> None:
        self._name_edited = bool(text)

    def _update_default_folder(self) -> None:
        if self.info is None:
            self.folder_field.setPlaceholderText(self.tr("Default: in the library, by kind and name"))
            return
        title = self.name_edit.text().strip() or self.info.title or self.info.locator
        try:
            default = self.bridge.engine.default_folder(self.info, title)
        except SyncDeckError:
            default = self.bridge.engine.config.library_root
        self.folder_field.setPlaceholderText(self.tr("Default: ") + str(default))

    def _update_add_button(self) -> None:
        ready = self.info is not None and self.rules_field.valid and not self._adding
        self.add_button.setEnabled(ready)
        if self.info is None:
            self.add_button.setToolTip(self.tr("Paste a link first; it is checked before it can be added"))
        elif not self.rules_field.valid:
            self.add_button.setToolTip(self.tr("Fix the filter rules first"))
        else:
            self.add_button.setToolTip("")

    # ------------------------------------------------------------ adding

    def _add(self) -> None:
        if self.info is None or self._adding:
            return
        self._adding = True
        self._update_add_button()
        self.add_message.show_hint(self.tr("Adding…"))
        engine = self.bridge.engine
        self.bridge.run(
            engine.add_source(
                self._looked_up,
                path=self.folder_field.text() or None,
                name=self.name_edit.text().strip() or None,
                account_id=self.account_combo.account_id(),
                rules=self.rules_field.text() or None,
            ),
            what=self.tr("Adding the source"),
            done=while_alive(self, self._added),
            failed=while_alive(self, self._add_failed),
        )

    def _added(self, source: SourceView) -> None:
        self._adding = False
        self.sourceAdded.emit(source)
        self.accept()

    def _add_failed(self, message: str) -> None:
        self._adding = False
        self.add_message.show_error(message.partition("\n")[0])
        self.add_message.setToolTip(message)
        self._update_add_button()

    def done(self, result: int) -> None:
        self._debounce.stop()
        self._cancel_lookups()
        super().done(result)

    def sizeHint(self) -> QSize:
        return QSize(660, super().sizeHint().height())
