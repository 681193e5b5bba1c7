"""The player window: video, transport, seek bar, volume, speed, quality, subtitles, danmaku, queue.

Public use:
    window = PlayerWindow(PlayerHooks(resolve=..., report_position=..., open_external=...), parent)
    window.play(queue)              # plays queue.current, then what queue.advance() answers
    window.play(queue, start_index) # "play from here": queue.play_from(start_index) first
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QLabel, QMenu, QVBoxLayout, QWidget

from core.engine.playback.views import PlaybackInfo
from desktop.player.backend import PlayerBackend, Track
from desktop.player.contract import LOOP_MODES, PlayerHooks, PlayQueue, PositionReport
from desktop.player.controls import ControlBar
from desktop.player.engine import install_hint
from desktop.player.overlay import merge_danmaku
from desktop.player.video import VideoArea, default_render

log = logging.getLogger(__name__)

REPORT_INTERVAL_MS = 10_000
SKIP_FAILED_AFTER_MS = 2_000  # an entry that cannot play: its error stays readable this long, then the next
CHROME_HIDE_AFTER_MS = 2_500  # full screen: the controls and the cursor hide after this long without a move
# Titles of the tracks the player adds; it finds them again by title, so they do not follow
# the interface language (the menu shows the subtitles' own labels).
DANMAKU_TRACK = "Danmaku"
SEEK_STEP = 5.0
VOLUME_STEP = 5


async def read_text(url: str, headers: dict[str, str]) -> str:
    """A subtitle's text from a local path or an http(s) URL (the proxy's, or upstream with its headers)."""
    if url.startswith(("http://", "https://")):
        import httpx

        async with httpx.AsyncClient(headers=headers, timeout=20, follow_redirects=True) as client:
            response = await client.get(url)
            response.raise_for_status()
            return response.text.lstrip("\ufeff")
    path = url.removeprefix("file://")
    return await asyncio.to_thread(Path(path).read_text, encoding="utf-8-sig")


class PlayerWindow(QWidget):
    itemStarted = Signal(object, object)  # entry, PlaybackInfo: its first frame is shown
    itemEnded = Signal(object)  # entry: played to its end
    queueFinished = Signal()  # the last entry ended and the queue does not loop
    tracksChanged = Signal(object)  # list[Track]
    positionReported = Signal(object)  # PositionReport, as handed to the report callback
    problem = Signal(str)  # what went wrong, as shown in the window

    def __init__(
        self,
        hooks: PlayerHooks,
        parent: QWidget | None = None,
        *,
        engine_options: dict[str, str] | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("playerWindow")
        self.hooks = hooks
        self.queue: PlayQueue | None = None
        self.entry: Any = None
        self.info: PlaybackInfo | None = None
        self.subtitle_label: str | None = None  # the chosen subtitle, None = off
        self.danmaku_on = True
        self._subtitles_off = False  # chosen by the person: stays off for the next items
        self._paused = False
        self._position = 0.0
        self._duration = 0.0
        self._generation = 0  # resolves that finish after another item was chosen are dropped
        self._failures = 0  # entries in a row that could not play: stop skipping once all failed
        self._pointer = QPoint()
        self._fullscreen = False  # as asked (some platforms report the window state late)
        self._tasks: set[asyncio.Future[Any]] = set()
        self._merged: dict[str, str] = {}  # subtitle label → merged subtitle+danmaku file
        self._tmp = tempfile.TemporaryDirectory(prefix="syncdeck-player-")

        options = dict(engine_options or {})
        self.video = VideoArea(self, options.setdefault("render", default_render()))
        self.controls = ControlBar(self)
        self.status = QLabel(self)
        self.status.setObjectName("playerStatus")
        self.status.setContentsMargins(8, 2, 8, 0)
        self.status.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.video, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.controls)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.resize(960, 600)

        self.backend: PlayerBackend | None = self._make_backend(options)
        self._subtitle_menu = QMenu(self)
        self.controls.subtitles.setMenu(self._subtitle_menu)
        self._report_timer = QTimer(self)
        self._report_timer.setInterval(REPORT_INTERVAL_MS)
        self._report_timer.timeout.connect(lambda: self._report("paused" if self._paused else "playing"))
        self._skip_timer = QTimer(self)
        self._skip_timer.setSingleShot(True)
        self._skip_timer.setInterval(SKIP_FAILED_AFTER_MS)
        self._skip_timer.timeout.connect(self._skip_failed)
        self._chrome_timer = QTimer(self)
        self._chrome_timer.setSingleShot(True)
        self._chrome_timer.setInterval(CHROME_HIDE_AFTER_MS)
        self._chrome_timer.timeout.connect(self._hide_chrome)
        self.setMouseTracking(True)
        for widget in (self.video, self.video.surface):
            widget.setMouseTracking(True)
            widget.installEventFilter(self)
        self._wire()
        app = QCoreApplication.instance()
        if app is not None:  # the engine's thread and the position report end with the app
            app.aboutToQuit.connect(self.shutdown)
        self.retranslate()
        self._sync_buttons()

    # ---------------------------------------------------------------- set-up

    def _make_backend(self, options: dict[str, str]) -> PlayerBackend | None:
        try:
            from desktop.player.mpv_backend import MpvBackend

            return MpvBackend(self.video.surface, **options)
        except RuntimeError:  # no libmpv
            message = install_hint()
        except Exception as error:  # noqa: BLE001 - e.g. a libmpv too old or refusing an option
            log.exception("the player engine could not start")
            message = self.tr("The player could not start: %1").replace("%1", str(error))
        external = self.hooks.open_external is not None
        self.video.show_missing(message, self.tr("Open in external player"), external)
        return None

    def _wire(self) -> None:
        c = self.controls
        c.play.clicked.connect(self.toggle_pause)
        c.previous.clicked.connect(self.previous)
        c.next.clicked.connect(self.next)
        c.seek.seekRequested.connect(self.seek)
        c.volume.valueChanged.connect(self._volume_changed)
        c.mute.clicked.connect(lambda: c.volume.setValue(0 if c.volume.value() else 100))
        c.speed.currentIndexChanged.connect(lambda _: self.backend and self.backend.set_speed(c.speed.currentData()))
        c.quality.activated.connect(lambda index: self.switch_quality(c.quality.itemData(index)))
        c.loop.clicked.connect(self._cycle_loop)
        c.shuffle.toggled.connect(self._shuffle_toggled)
        c.danmaku.toggled.connect(self.set_danmaku)
        c.external.clicked.connect(self.open_external)
        c.fullscreen.clicked.connect(self.toggle_fullscreen)
        self.video.surface.doubleClicked.connect(self.toggle_fullscreen)
        self.video.missing.externalRequested.connect(self.open_external)
        if self.backend is None:
            for control in (c.play, c.previous, c.next, c.seek, c.volume, c.mute, c.speed, c.quality, c.loop,
                            c.shuffle, c.subtitles, c.danmaku):  # fmt: skip
                control.setEnabled(False)
            return
        b = self.backend
        b.positionChanged.connect(self._position_changed)
        b.durationChanged.connect(self._duration_changed)
        b.pausedChanged.connect(self._paused_changed)
        b.loaded.connect(self._item_loaded)
        b.started.connect(self._item_started)
        b.ended.connect(self._item_ended)
        b.failed.connect(lambda message: self._entry_failed(self.tr("Could not play this: %1").replace("%1", message)))
        b.tracksChanged.connect(self.tracksChanged)

    def retranslate(self) -> None:
        self.controls.retranslate()
        self.controls.external.setVisible(self.hooks.open_external is not None)
        self.setWindowTitle(self.info.title if self.info else self.tr("Player"))
        self._sync_buttons()
        self._fill_subtitle_menu()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ---------------------------------------------------------------- public

    @property
    def engine_missing(self) -> bool:
        return self.backend is None

    def play(self, queue: PlayQueue, start_index: int | None = None) -> None:
        """Plays the queue's current entry (or the one at start_index), then the ones after it."""
        if self.queue is not None and self.info is not None:
            self._report("stopped")
        self.queue = queue
        self._failures = 0
        if start_index is not None:
            queue.play_from(start_index)
        self._sync_buttons()
        self.show()
        self.raise_()
        entry = queue.current
        if entry is not None:
            self._open(entry)

    def toggle_pause(self) -> None:
        if self.backend is not None and self.info is not None:
            self.backend.set_paused(not self._paused)

    def seek(self, seconds: float) -> None:
        if self.backend is not None and self.info is not None:
            self.backend.seek(max(0.0, min(seconds, self._duration or seconds)))

    def next(self) -> None:
        if self.queue is not None and (entry := self.queue.next()) is not None:
            self._report("stopped")
            self._open(entry)

    def previous(self) -> None:
        if self.queue is not None and (entry := self.queue.previous()) is not None:
            self._report("stopped")
            self._open(entry)

    def switch_quality(self, quality: str) -> None:
        """Opens the same entry in another quality where it is now, paused or not."""
        if self.info is None or quality == self.info.quality or self.backend is None:
            return
        self._open(self.entry, start=self.backend.position(), quality=quality, paused=self._paused)

    def select_subtitle(self, label: str | None) -> None:
        self.subtitle_label = label
        self._subtitles_off = label is None
        self._apply_subtitles()
        self._fill_subtitle_menu()

    def set_danmaku(self, on: bool) -> None:
        self.danmaku_on = on
        if self.controls.danmaku.isChecked() != on:
            self.controls.danmaku.setChecked(on)
        self._apply_subtitles()

    def tracks(self) -> list[Track]:
        return self.backend.tracks() if self.backend is not None else []

    def position(self) -> float:
        return self._position

    def open_external(self) -> None:
        if self.hooks.open_external is not None and self.entry is not None:
            self._report("stopped")
            if self.backend is not None:
                self.backend.set_paused(True)
            self._call(self.hooks.open_external(self.entry, self.info))

    def toggle_fullscreen(self) -> None:
        if self._fullscreen:
            self.leave_fullscreen()
        else:
            self._fullscreen = True
            self.showFullScreen()
            self._hide_chrome()

    def leave_fullscreen(self) -> None:
        self._fullscreen = False
        self._chrome_timer.stop()
        self.showNormal()
        self._show_chrome()

    def _hide_chrome(self) -> None:
        """Full screen: only the picture; a mouse move brings the controls and the cursor back."""
        if self._fullscreen:
            self.controls.hide()
            self.setCursor(Qt.CursorShape.BlankCursor)
            self.video.surface.setCursor(Qt.CursorShape.BlankCursor)

    def _show_chrome(self) -> None:
        self.controls.show()
        self.unsetCursor()
        self.video.surface.unsetCursor()
        if self._fullscreen:
            self._chrome_timer.start()

    def _mouse_moved(self, event: QMouseEvent) -> None:
        # Hiding the controls resizes the video, and Qt then sends a move with the pointer
        # where it was: only a real move brings the controls back.
        where = event.globalPosition().toPoint()
        if self._fullscreen and where != self._pointer:
            self._show_chrome()
        self._pointer = where

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            self._mouse_moved(event)
        return super().eventFilter(watched, event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._mouse_moved(event)
        super().mouseMoveEvent(event)

    def shutdown(self) -> None:
        """Reports where playback stopped and releases the engine (again: nothing happens)."""
        if self.backend is None and self.info is None:
            return
        self._report("stopped")
        self._report_timer.stop()
        self._generation += 1
        for task in list(self._tasks):
            task.cancel()
        if self.backend is not None:
            self.backend.close()
            self.backend = None
        self.info = None
        self._tmp.cleanup()

    # ---------------------------------------------------------------- opening an entry

    def _open(self, entry: Any, *, start: float | None = None, quality: str = "", paused: bool = False) -> None:
        self._skip_timer.stop()
        if entry is not self.entry:
            self.info = None  # no report may pair the new entry with the old one's stream
        self.entry = entry
        self._generation += 1
        generation = self._generation
        self._show_status(self.tr("Loading…"))
        try:
            result = self.hooks.resolve(entry, quality)
        except Exception as error:  # noqa: BLE001 - a provider's failure is shown, not raised
            self._entry_failed(str(error))
            return
        if inspect.isawaitable(result):
            task = asyncio.ensure_future(result)
            self._tasks.add(task)
            task.add_done_callback(lambda t: self._resolved(t, generation, start, paused))
        else:
            self._load(result, start, paused)

    def _resolved(self, task: asyncio.Future[Any], generation: int, start: float | None, paused: bool) -> None:
        self._tasks.discard(task)
        if task.cancelled() or generation != self._generation:
            return
        if (error := task.exception()) is not None:
            self._entry_failed(str(error))
            return
        self._load(task.result(), start, paused)

    def _load(self, info: PlaybackInfo, start: float | None, paused: bool) -> None:
        self.info = info
        labels = [s.label for s in info.subtitles]
        if self.subtitle_label not in labels and not (self.subtitle_label is None and self._subtitles_off):
            self.subtitle_label = labels[0] if labels else None
        self.setWindowTitle(info.title)
        self.controls.seek.slider.setEnabled(not info.live)  # a live stream has no end to seek in
        self._fill_qualities()
        self._fill_subtitle_menu()
        self.controls.danmaku.setEnabled(bool(info.danmaku_url) and self.backend is not None)
        if self.backend is None:
            self.status.hide()
            return
        self._merged.clear()  # the engine forgets external tracks with the file they were added to
        start = info.start_at if start is None else start
        self._position_changed(start)  # until the engine reports, the position is where it starts
        self.backend.load(info, start, paused)
        self._report_timer.start()

    def _item_loaded(self) -> None:
        if self.backend is None or self.info is None:
            return
        for choice in self.info.subtitles:
            self.backend.add_subtitle(choice.url, choice.label, choice.lang)
        if self.info.danmaku_url:
            self.backend.add_subtitle(self.info.danmaku_url, DANMAKU_TRACK)
        self._apply_subtitles()

    def _entry_failed(self, message: str) -> None:
        """Say why the entry cannot play, then move on to the next one (not when every entry
        of the queue failed in a row: a dead server must not make it spin)."""
        self._show_problem(message)
        self._failures += 1
        queue = self.queue
        size = len(getattr(queue, "items", None) or getattr(queue, "entries", None) or ())
        if queue is not None and self._failures < max(size, 1):
            self._skip_timer.start()

    def _skip_failed(self) -> None:
        if self.queue is None:
            return
        if (entry := self.queue.next()) is not None:
            status = self.status.text()
            self._open(entry, start=None)
            self.status.setText(f"{status}\n{self.status.text()}")  # the error stays readable while it loads
        else:
            self._report_timer.stop()
            self.info = None
            self.queueFinished.emit()

    def _item_started(self) -> None:
        self._failures = 0
        self.status.hide()
        self._report("started")
        self.itemStarted.emit(self.entry, self.info)

    def _item_ended(self) -> None:
        self._position = self._duration or self._position
        self._report("ended")
        self.itemEnded.emit(self.entry)
        if self.queue is None:
            return
        if (entry := self.queue.advance()) is not None:
            self._open(entry, start=0.0 if entry is self.entry else None)
        else:
            self._report_timer.stop()
            self.info = None
            self._show_status(self.tr("End of the queue"))
            self.queueFinished.emit()

    # ---------------------------------------------------------------- subtitles and danmaku

    def _track_id(self, title: str) -> int | None:
        for track in self.tracks():
            if track.kind == "sub" and track.title == title:
                return track.id
        return None

    def _apply_subtitles(self) -> None:
        if self.backend is None or self.info is None:
            return
        danmaku = self.danmaku_on and bool(self.info.danmaku_url)
        label = self.subtitle_label
        if danmaku and label is not None:
            title = f"{label} + {DANMAKU_TRACK}"
            if (track := self._track_id(title)) is not None:
                self.backend.select_subtitle(track)
            else:
                self._call(self._add_merged(label, title, self._generation))
            return
        title = DANMAKU_TRACK if danmaku else label
        self.backend.select_subtitle(self._track_id(title) if title is not None else None)

    async def _add_merged(self, label: str, title: str, generation: int) -> None:
        info = self.info
        assert info is not None
        choice = next(s for s in info.subtitles if s.label == label)
        headers = dict(info.headers)
        try:
            subtitle, danmaku = await asyncio.gather(
                read_text(choice.url, headers), read_text(info.danmaku_url, headers)
            )
            text = await asyncio.to_thread(merge_danmaku, subtitle, choice.format, danmaku)
        except Exception as error:  # noqa: BLE001 - keep playing; show the plain subtitle
            log.warning("could not put danmaku over %s: %s", label, error)
            if self.backend is not None:
                self.backend.select_subtitle(self._track_id(label))
            return
        if generation != self._generation or self.backend is None:
            return
        path = Path(self._tmp.name) / f"merged-{generation}-{len(self._merged)}.ass"
        path.write_text(text, encoding="utf-8")
        self._merged[label] = str(path)
        if self.subtitle_label == label and self.danmaku_on:
            self.backend.add_subtitle(str(path), title, choice.lang, select=True)

    def _fill_subtitle_menu(self) -> None:
        menu = self._subtitle_menu
        menu.clear()
        group = QActionGroup(menu)
        choices: list[tuple[str, str | None]] = [(self.tr("Off"), None)]
        if self.info is not None:
            choices += [(s.label, s.label) for s in self.info.subtitles]
        for text, label in choices:
            action = QAction(text, menu, checkable=True, checked=label == self.subtitle_label)
            action.triggered.connect(lambda _=False, chosen=label: self.select_subtitle(chosen))
            group.addAction(action)
            menu.addAction(action)
        self.controls.subtitles.setEnabled(len(choices) > 1 and self.backend is not None)

    # ---------------------------------------------------------------- controls

    def _fill_qualities(self) -> None:
        box = self.controls.quality
        box.blockSignals(True)
        box.clear()
        info = self.info
        qualities = list(info.qualities) if info else []
        if info and info.quality and info.quality not in qualities:
            qualities.insert(0, info.quality)
        for quality in qualities:
            box.addItem(quality, quality)
        if info and info.quality:
            box.setCurrentIndex(qualities.index(info.quality))
        box.setVisible(len(qualities) > 1)
        box.blockSignals(False)

    def _cycle_loop(self) -> None:
        if self.queue is None:
            return
        self.queue.set_loop(LOOP_MODES[(LOOP_MODES.index(str(self.queue.loop)) + 1) % len(LOOP_MODES)])
        self._sync_buttons()

    def _shuffle_toggled(self, on: bool) -> None:
        if self.queue is not None and self.queue.shuffled != on:
            self.queue.set_shuffle(on)

    def _sync_buttons(self) -> None:
        c = self.controls
        loop = str(self.queue.loop) if self.queue is not None else "off"
        c.loop.setText({"off": self.tr("Loop: off"), "one": self.tr("Loop: one"), "all": self.tr("Loop: all")}[loop])
        c.loop.setToolTip(self.tr("Repeat nothing, this item, or the whole queue"))
        c.shuffle.blockSignals(True)
        c.shuffle.setChecked(bool(self.queue and self.queue.shuffled))
        c.shuffle.blockSignals(False)
        c.danmaku.blockSignals(True)
        c.danmaku.setChecked(self.danmaku_on)
        c.danmaku.blockSignals(False)

    def _volume_changed(self, value: int) -> None:
        if self.backend is not None:
            self.backend.set_volume(value)

    def _position_changed(self, seconds: float) -> None:
        self._position = seconds
        self.controls.seek.set_position(seconds)

    def _duration_changed(self, seconds: float) -> None:
        self._duration = seconds
        self.controls.seek.set_duration(seconds)

    def _paused_changed(self, paused: bool) -> None:
        self._paused = paused
        self.controls.set_playing(not paused)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        volume = self.controls.volume
        if key == Qt.Key.Key_Space:
            self.toggle_pause()
        elif key == Qt.Key.Key_Left:
            self.seek(self._position - SEEK_STEP)
        elif key == Qt.Key.Key_Right:
            self.seek(self._position + SEEK_STEP)
        elif key == Qt.Key.Key_Up:
            volume.setValue(volume.value() + VOLUME_STEP)
        elif key == Qt.Key.Key_Down:
            volume.setValue(volume.value() - VOLUME_STEP)
        elif key == Qt.Key.Key_F:
            self.toggle_fullscreen()
        elif key == Qt.Key.Key_Escape and self._fullscreen:
            self.leave_fullscreen()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # ---------------------------------------------------------------- reporting

    def _report(self, state: str) -> None:
        if self.info is None or self.entry is None:
            return
        report = PositionReport(self.entry, self.info, self._position, self._duration, state)  # type: ignore[arg-type]
        self.positionReported.emit(report)
        if self.hooks.report_position is not None:
            try:
                self._call(self.hooks.report_position(report))
            except Exception:  # noqa: BLE001 - a failed report must not stop playback
                log.exception("reporting the position failed")

    def _call(self, result: object) -> None:
        """Runs a callback's coroutine, if it returned one, on the app's loop."""
        if inspect.isawaitable(result):
            task = asyncio.ensure_future(result)
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()

    def _show_problem(self, message: str) -> None:
        self._show_status(message)
        self.problem.emit(message)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._fullscreen:
            self.leave_fullscreen()  # opened again, it is a window with its controls
        self._skip_timer.stop()
        self._report("stopped")
        self._report_timer.stop()
        if self.backend is not None:
            self.backend.stop()
        self.info = None
        super().closeEvent(event)
