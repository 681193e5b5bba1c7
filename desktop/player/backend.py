"""What the player window asks of a playback engine, whichever library is behind it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from core.engine.playback.views import PlaybackInfo


@dataclass(frozen=True)
class Track:
    id: int
    kind: str  # "video", "audio" or "sub"
    title: str
    lang: str = ""
    codec: str = ""
    external: bool = False
    selected: bool = False


class PlayerBackend(QObject):
    """Signals arrive on the GUI thread whatever thread the engine reports from."""

    positionChanged = Signal(float)  # seconds
    durationChanged = Signal(float)
    pausedChanged = Signal(bool)
    loaded = Signal()  # an item is open: its tracks can be added to now
    started = Signal()  # the first frame of a loaded item is shown
    ended = Signal()  # the item played to its end (not stopped, not replaced)
    failed = Signal(str)  # the item could not be played
    tracksChanged = Signal(object)  # list[Track]

    def load(self, info: PlaybackInfo, start: float = 0.0, paused: bool = False) -> None:
        raise NotImplementedError

    def set_paused(self, paused: bool) -> None:
        raise NotImplementedError

    def seek(self, seconds: float) -> None:
        raise NotImplementedError

    def set_volume(self, percent: int) -> None:
        raise NotImplementedError

    def set_speed(self, speed: float) -> None:
        raise NotImplementedError

    def add_subtitle(self, url: str, title: str, lang: str = "", select: bool = False) -> None:
        raise NotImplementedError

    def select_subtitle(self, track_id: int | None) -> None:
        raise NotImplementedError

    def tracks(self) -> list[Track]:
        raise NotImplementedError

    def position(self) -> float:
        raise NotImplementedError

    def duration(self) -> float:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError
