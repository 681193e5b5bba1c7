"""Where the video goes: a native child window mpv draws into, or what to install instead."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPalette
from PySide6.QtWidgets import QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget


class VideoSurface(QWidget):
    doubleClicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # mpv draws into this widget's own window; its ancestors stay non-native so Qt's
        # painting of the rest of the window is unaffected.
        self.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors)
        self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("black"))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.setMinimumSize(320, 180)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.doubleClicked.emit()
        event.accept()


class MissingEngine(QWidget):
    """Shown instead of the video when no playback library is installed."""

    externalRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = QLabel(self)
        self.message.setObjectName("playerMissingEngine")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.external = QPushButton(self)
        self.external.clicked.connect(self.externalRequested)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addWidget(self.external, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)


class VideoArea(QStackedWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.surface = VideoSurface(self)
        self.missing = MissingEngine(self)
        self.addWidget(self.surface)
        self.addWidget(self.missing)

    def show_missing(self, message: str, external_text: str, can_open_external: bool) -> None:
        self.missing.message.setText(message)
        self.missing.external.setText(external_text)
        self.missing.external.setVisible(can_open_external)
        self.setCurrentWidget(self.missing)
