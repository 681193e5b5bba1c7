"""The bar under the video: transport buttons, the seek bar with its times, volume, speed, menus."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QIcon, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
SEEK_RESOLUTION = 10  # slider steps per second


def clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def tinted_icon(widget: QWidget, kind: QStyle.StandardPixmap) -> QIcon:
    """The style's icon in the palette's text colour: Fusion's own are dark, invisible on the dark theme."""
    base = widget.style().standardIcon(kind)
    icon = QIcon()
    for mode, role in ((QIcon.Mode.Normal, QPalette.ColorRole.ButtonText),
                       (QIcon.Mode.Disabled, QPalette.ColorRole.PlaceholderText)):  # fmt: skip
        pixmap = base.pixmap(32, 32)
        painter = QPainter(pixmap)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(pixmap.rect(), widget.palette().color(role))
        painter.end()
        icon.addPixmap(pixmap, mode)
    return icon


def _button(parent: QWidget, icon: QStyle.StandardPixmap | None = None, text: str = "") -> QToolButton:
    button = QToolButton(parent)
    if icon is not None:
        button.setProperty("standardIcon", icon)
        button.setIcon(tinted_icon(parent, icon))
    if text:
        button.setText(text)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the window's shortcuts
    button.setAutoRaise(True)
    return button


class JumpSlider(QSlider):
    """A click on the groove jumps there, as in every video player, instead of paging."""

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            option = QStyleOptionSlider()
            self.initStyleOption(option)
            handle = self.style().subControlRect(
                QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, self
            )
            if not handle.contains(event.position().toPoint()):
                value = QStyle.sliderValueFromPosition(
                    self.minimum(), self.maximum(), int(event.position().x()), self.width()
                )
                self.setValue(value)
                self.jumped.emit(value)
                event.accept()
                return
        super().mousePressEvent(event)

    jumped = Signal(int)


class SeekBar(QWidget):
    """A slider with "current / total"; while dragged, the position updates stop moving it."""

    seekRequested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slider = JumpSlider(Qt.Orientation.Horizontal, self)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.slider.setRange(0, 0)
        self.time = QLabel(self)
        self.time.setObjectName("playerTime")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.time)
        self._duration = 0.0
        self._position = 0.0
        self.slider.sliderReleased.connect(self._released)
        self.slider.jumped.connect(lambda value: self.seekRequested.emit(value / SEEK_RESOLUTION))
        self._show()

    def _show(self) -> None:
        self.time.setText(f"{clock(self._position)} / {clock(self._duration)}")

    def set_duration(self, seconds: float) -> None:
        self._duration = seconds
        self.slider.setRange(0, int(seconds * SEEK_RESOLUTION))
        self._show()

    def set_position(self, seconds: float) -> None:
        self._position = seconds
        if not self.slider.isSliderDown():
            self.slider.setValue(int(seconds * SEEK_RESOLUTION))
        self._show()

    def _released(self) -> None:
        self.seekRequested.emit(self.slider.value() / SEEK_RESOLUTION)


class ControlBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        S = QStyle.StandardPixmap
        self.previous = _button(self, S.SP_MediaSkipBackward)
        self.play = _button(self, S.SP_MediaPlay)
        self.next = _button(self, S.SP_MediaSkipForward)
        self.seek = SeekBar(self)
        self.loop = _button(self)
        self.shuffle = _button(self)
        self.shuffle.setCheckable(True)
        self.mute = _button(self, S.SP_MediaVolume)
        self.volume = QSlider(Qt.Orientation.Horizontal, self)
        self.volume.setRange(0, 100)
        self.volume.setValue(100)
        self.volume.setFixedWidth(90)
        self.volume.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.speed = QComboBox(self)
        self.speed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for speed in SPEEDS:
            self.speed.addItem(f"{speed:g}×", speed)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.quality = QComboBox(self)
        self.quality.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.subtitles = _button(self)
        self.subtitles.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.danmaku = _button(self)
        self.danmaku.setCheckable(True)
        self.external = _button(self)
        self.fullscreen = _button(self, S.SP_TitleBarMaxButton)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.previous, self.play, self.next, self.loop, self.shuffle):
            row.addWidget(widget)
        row.addStretch(1)
        for widget in (self.quality, self.subtitles, self.danmaku, self.speed, self.mute, self.volume,
                       self.external, self.fullscreen):  # fmt: skip
            row.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 6)
        layout.setSpacing(2)
        layout.addWidget(self.seek)
        layout.addLayout(row)
        self.retranslate()

    def retranslate(self) -> None:
        self.previous.setToolTip(self.tr("Previous"))
        self.next.setToolTip(self.tr("Next"))
        self.play.setToolTip(self.tr("Play/Pause (Space)"))
        self.shuffle.setText(self.tr("Shuffle"))
        self.shuffle.setToolTip(self.tr("Play the queue in a random order"))
        self.mute.setToolTip(self.tr("Mute"))
        self.volume.setToolTip(self.tr("Volume (↑/↓)"))
        self.speed.setToolTip(self.tr("Playback speed"))
        self.quality.setToolTip(self.tr("Quality"))
        self.subtitles.setText(self.tr("Subtitles"))
        self.danmaku.setText(self.tr("Danmaku"))
        self.danmaku.setToolTip(self.tr("Show danmaku over the video"))
        self.external.setText(self.tr("Open in external player"))
        self.fullscreen.setToolTip(self.tr("Full screen (F, double-click)"))

    def set_playing(self, playing: bool) -> None:
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play.setProperty("standardIcon", icon)
        self.play.setIcon(tinted_icon(self, icon))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # the theme changed: icons follow
            for button in self.findChildren(QToolButton):
                if (kind := button.property("standardIcon")) is not None:
                    button.setIcon(tinted_icon(self, QStyle.StandardPixmap(kind)))
        super().changeEvent(event)
