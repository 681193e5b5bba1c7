"""The libmpv engine: plays into a native child widget, renders ASS, sends HTTP headers.

python-mpv calls back on its own event thread; everything it reports is re-emitted as Qt
signals, which Qt queues to the GUI thread, so widgets are only touched there.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from core.engine.playback.views import PlaybackInfo
from desktop.player.backend import PlayerBackend, Track
from desktop.player.engine import load_mpv

log = logging.getLogger(__name__)

POSITION_STEP = 0.2  # seconds between position signals: the seek bar needs no more


def _embeddable() -> bool:
    """A window id only means something to mpv on a real windowing system."""
    return QGuiApplication.platformName() in ("xcb", "windows", "cocoa")


class MpvBackend(PlayerBackend):
    _eventArrived = Signal(str, object)  # from mpv's thread; handled on the GUI thread

    def __init__(
        self, surface: QWidget | None = None, *, vo: str = "", ao: str = "", hwdec: str = "auto-safe",
        render: str = "wid",
    ) -> None:  # fmt: skip
        super().__init__(surface)
        mpv = load_mpv()
        options: dict[str, Any] = {
            "idle": "yes",
            "keep_open": "no",
            "input_default_bindings": False,
            "input_vo_keyboard": False,
            "osc": False,
            "ytdl": False,
            "sub_auto": "no",
            "hwdec": hwdec,
            "config": False,
        }
        if render == "opengl":
            options["vo"] = "libmpv"  # frames go to the widget's render context
        elif vo:
            options["vo"] = vo
        if ao:
            options["ao"] = ao
        if render == "wid" and surface is not None and _embeddable():
            options["wid"] = str(int(surface.winId()))
        self._mpv = mpv.MPV(log_handler=self._log, loglevel="warn", **options)
        self._surface = surface
        if render == "opengl" and surface is not None and hasattr(surface, "attach"):
            surface.attach(self._mpv)
        self._end_of_file = mpv.MpvEventEndFile.EOF
        self._error = mpv.MpvEventEndFile.ERROR
        self._position = 0.0
        self._duration = 0.0
        self._awaiting_frame = False
        self._closed = False
        self._eventArrived.connect(self._handle)
        self._mpv.register_event_callback(self._on_event)
        for name in ("time-pos", "duration", "pause", "track-list"):
            self._mpv.observe_property(name, self._on_property)

    # ---------------------------------------------------------------- mpv's thread

    @staticmethod
    def _log(level: str, prefix: str, text: str) -> None:
        log.warning("mpv %s: %s", prefix, text.strip())

    def _send(self, name: str, value: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the window was deleted without shutdown(): nobody listens
            self._eventArrived.emit(name, value)

    def _on_property(self, name: str, value: Any) -> None:
        if name == "time-pos":
            if value is None or abs(value - self._position) < POSITION_STEP:
                return
            self._position = float(value)
        elif name == "track-list":
            value = [dict(item) for item in value or []]
        self._send(name, value)

    def _on_event(self, event: Any) -> None:
        kind = event.event_id.value
        names = {6: "start-file", 7: "end-file", 8: "file-loaded", 21: "playback-restart"}
        if kind not in names:
            return
        payload = None
        if names[kind] == "end-file":
            data = event.data
            payload = (data.reason, data.error)
        self._send(names[kind], payload)

    # ---------------------------------------------------------------- GUI thread

    def _handle(self, name: str, value: Any) -> None:
        if self._closed:
            return
        if name == "time-pos":
            self.positionChanged.emit(value)
        elif name == "duration":
            self._duration = float(value or 0.0)
            self.durationChanged.emit(self._duration)
        elif name == "pause":
            self.pausedChanged.emit(bool(value))
        elif name == "track-list":
            self.tracksChanged.emit([self._track(item) for item in value])
        elif name == "file-loaded":
            self.loaded.emit()
        elif name == "playback-restart" and self._awaiting_frame:
            self._awaiting_frame = False
            self.started.emit()
        elif name == "end-file":
            reason, error = value
            if reason == self._end_of_file:
                self.ended.emit()
            elif reason == self._error:
                self._awaiting_frame = False
                self.failed.emit(self._error_text(error))

    def _error_text(self, code: int) -> str:
        try:
            import mpv

            return mpv._mpv_error_string(code).decode("utf-8", "replace")
        except Exception:  # noqa: BLE001 - only a better message is lost
            return f"error {code}"

    @staticmethod
    def _track(item: dict[str, Any]) -> Track:
        return Track(
            id=int(item.get("id", 0)),
            kind=str(item.get("type", "")),
            title=str(item.get("title") or item.get("lang") or ""),
            lang=str(item.get("lang") or ""),
            codec=str(item.get("codec") or ""),
            external=bool(item.get("external")),
            selected=bool(item.get("selected")),
        )

    def load(self, info: PlaybackInfo, start: float = 0.0, paused: bool = False) -> None:
        # Options set before loadfile apply to that file: the list forms keep commas in values intact.
        self._mpv["http-header-fields"] = [f"{name}: {value}" for name, value in info.headers.items()]
        self._mpv["audio-files"] = [info.audio_url] if info.audio_url else []
        self._mpv["start"] = f"{start:.3f}" if start > 0 and not info.live else "none"
        self._mpv["pause"] = paused
        self._position = start
        self._awaiting_frame = True
        self._mpv.loadfile(info.url, "replace")

    def set_paused(self, paused: bool) -> None:
        self._mpv["pause"] = paused

    def seek(self, seconds: float) -> None:
        with contextlib.suppress(SystemError):  # nothing is loaded: there is nowhere to seek
            self._mpv.seek(max(0.0, seconds), reference="absolute", precision="exact")

    def set_volume(self, percent: int) -> None:
        self._mpv["volume"] = max(0, min(130, percent))

    def set_speed(self, speed: float) -> None:
        self._mpv["speed"] = speed

    def add_subtitle(self, url: str, title: str, lang: str = "", select: bool = False) -> None:
        self._mpv.sub_add(url, "select" if select else "auto", title, lang or None)

    def select_subtitle(self, track_id: int | None) -> None:
        self._mpv["sid"] = track_id if track_id is not None else "no"

    def tracks(self) -> list[Track]:
        return [self._track(dict(item)) for item in self._mpv.track_list or []]

    def position(self) -> float:
        value = self._mpv.time_pos
        return float(value) if value is not None else self._position

    def duration(self) -> float:
        return self._duration

    def stop(self) -> None:
        self._awaiting_frame = False
        self._mpv.command("stop")

    def screenshot(self, path: str) -> None:
        """The current frame with its subtitles, as mpv renders them, into a PNG or JPEG file."""
        self._mpv.screenshot_to_file(path, "subtitles")

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            if hasattr(self._surface, "detach"):
                self._surface.detach()
            self._mpv.terminate()
