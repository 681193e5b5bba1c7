"""Where the video goes: a native child window mpv draws into, or what to install instead."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QMouseEvent, QOpenGLContext, QPalette
from PySide6.QtOpenGLWidgets import QOpenGLWidget
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


class GlVideoSurface(QOpenGLWidget):
    """mpv renders into this widget's OpenGL framebuffer (its render API, `vo=libmpv`).

    For platforms where a foreign window cannot be embedded: Wayland, and macOS where it is
    unreliable. mpv asks for a repaint from its own thread; the signal brings that to the GUI
    thread.
    """

    doubleClicked = Signal()
    _frameReady = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(320, 180)
        self._player: Any = None
        self._context: Any = None
        self._frameReady.connect(self.update)

    def attach(self, player: Any) -> None:
        self._player = player
        if self.context() is not None and self.context().isValid():
            self.makeCurrent()
            self._create()
            self.doneCurrent()

    def _create(self) -> None:
        if self._player is None or self._context is not None:
            return
        from desktop.player.engine import load_mpv

        mpv = load_mpv()

        def address(_: object, name: bytes) -> int:
            context = QOpenGLContext.currentContext()
            return int(context.getProcAddress(name) or 0) if context is not None else 0

        self._address = mpv.MpvGlGetProcAddressFn(address)  # kept: mpv calls it later
        self._context = mpv.MpvRenderContext(
            self._player, "opengl", opengl_init_params={"get_proc_address": self._address}
        )
        self._context.update_cb = self._frameReady.emit

    def detach(self) -> None:
        """Frees the render context; it must go before the player itself."""
        if self._context is not None:
            self.makeCurrent()
            self._context.free()
            self._context = None
            self.doneCurrent()
        self._player = None

    def initializeGL(self) -> None:
        self._create()

    def paintGL(self) -> None:
        if self._context is None:
            functions = self.context().functions()
            functions.glClearColor(0.0, 0.0, 0.0, 1.0)
            functions.glClear(0x4000)  # GL_COLOR_BUFFER_BIT
            return
        ratio = self.devicePixelRatioF()
        fbo = {"w": int(self.width() * ratio), "h": int(self.height() * ratio), "fbo": self.defaultFramebufferObject()}
        self._context.render(flip_y=True, opengl_fbo=fbo)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.doubleClicked.emit()
        event.accept()


def default_render() -> str:
    """ "wid" where mpv can draw into an embedded native window, else "opengl"."""
    return "wid" if QGuiApplication.platformName() in ("xcb", "windows", "offscreen", "minimal") else "opengl"


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
    def __init__(self, parent: QWidget | None = None, render: str = "wid") -> None:
        super().__init__(parent)
        self.render = render
        self.surface: VideoSurface | GlVideoSurface = GlVideoSurface(self) if render == "opengl" else VideoSurface(self)
        self.missing = MissingEngine(self)
        self.addWidget(self.surface)
        self.addWidget(self.missing)

    def show_missing(self, message: str, external_text: str, can_open_external: bool) -> None:
        self.missing.message.setText(message)
        self.missing.external.setText(external_text)
        self.missing.external.setVisible(can_open_external)
        self.setCurrentWidget(self.missing)
