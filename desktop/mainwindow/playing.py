"""Connects what asks to play (the Playlists panel's queues, a note's timestamps) to one
player window, made on first use and kept (a closed player window only hides)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktop.bridge import EngineBridge
    from desktop.player import PlayerWindow, PositionReport

# the player's report states → the playback service's report events
_EVENTS = {"started": "start", "playing": "progress", "paused": "pause", "stopped": "stopped", "ended": "stopped"}


class LinkToPlay(NamedTuple):
    """A file or link played on its own (a note's timestamp), from `start` seconds."""

    title: str
    text: str
    start: float


class Playing:
    def __init__(self, bridge: EngineBridge, parent: QWidget) -> None:
        self.bridge = bridge
        self.parent = parent
        self.window: PlayerWindow | None = None

    def player(self) -> PlayerWindow:
        if self.window is None:
            from desktop.player import PlayerHooks, PlayerWindow

            hooks = PlayerHooks(resolve=self._resolve, report_position=self._report, open_external=self._external)
            self.window = PlayerWindow(hooks, self.parent)
        return self.window

    def play_queue(self, queue: Any) -> None:
        window = self.player()
        window.show()
        window.raise_()
        window.play(queue)

    def play_at(self, path: str, seconds: float) -> None:
        from desktop.player import ListQueue

        self.play_queue(ListQueue([LinkToPlay(path.rsplit("/", 1)[-1], path, seconds)]))

    async def _resolve(self, entry: Any, quality: str) -> Any:
        engine = self.bridge.engine
        if isinstance(entry, LinkToPlay):
            return await engine.playback.resolve_link(entry.text, quality=quality or None, start_at=entry.start)
        from desktop.models.playlists import resolve_play_ref

        return await resolve_play_ref(engine, entry, quality)

    async def _report(self, report: PositionReport) -> None:
        entry = report.entry
        if isinstance(entry, LinkToPlay):
            return
        engine = self.bridge.engine
        provider, account_id, item_json, part_key, _resume = await engine.playlists.ref_item(entry)
        await engine.playback.report(
            item_json, provider, account_id, event=_EVENTS[report.state], position=report.position,
            part_key=report.info.part_key or part_key, paused=report.state == "paused",
        )  # fmt: skip
        if entry.entry_id is not None and report.state in ("paused", "stopped", "ended", "playing"):
            await engine.playlists.record_position(entry.entry_id, report.position, report.duration)

    async def _external(self, entry: Any, info: Any) -> None:
        if info is None:
            info = await self._resolve(entry, "")
        await self.bridge.engine.playback.open_external(info)
