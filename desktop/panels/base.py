"""What every panel of the main window has in common."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from desktop.bridge import EngineBridge


class Panel(QWidget):
    """A page of the main window. Subclasses set `key` and `icon_name`, build their widgets in
    `__init__`, and put every visible string in `retranslate()` (called again when the
    language changes) so a switch in Settings takes effect at once."""

    key: ClassVar[str]
    icon_name: ClassVar[str]

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.setObjectName(f"{self.key}-panel")

    def title(self) -> str:
        raise NotImplementedError

    def retranslate(self) -> None:
        raise NotImplementedError

    def activated(self) -> None:
        """The panel became visible (refresh what may be stale)."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
