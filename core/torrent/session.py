"""One libtorrent session driven from an asyncio loop.

libtorrent calls the notify function on its own thread when its alert queue goes from empty
to non-empty; that function only wakes the loop (pitfall 7), and a task on the loop drains
`pop_alerts()` completely and hands each alert to the listener. Status updates come from a
timer calling `post_torrent_updates()` (never from the alert handler: pitfall 6). Closing
saves resume data, then drops the session on a worker thread, since that waits for trackers
(pitfall 13).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from core.torrent.lt import load

log = logging.getLogger(__name__)

AlertListener = Callable[[Any], None]
UPDATE_INTERVAL_S = 0.5


class TorrentSession:
    def __init__(self, settings: dict[str, Any], listener: AlertListener, state: bytes = b"") -> None:
        lt = load()
        self.lt = lt
        if state:
            try:
                params = lt.read_session_params(state)
                params.settings = _merged(params.settings, settings)
            except (RuntimeError, ValueError):
                params = lt.session_params(settings)
            self.ses = lt.session(params)
        else:
            self.ses = lt.session(settings)
        self.listener = listener
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._waiters: list[tuple[Callable[[Any], bool], asyncio.Future[Any]]] = []
        self.closed = False

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        loop, wake = self._loop, self._wake

        def notify() -> None:  # libtorrent's thread: only wake the loop
            with contextlib.suppress(RuntimeError):  # the loop is closed: the app is exiting
                loop.call_soon_threadsafe(wake.set)

        self.ses.set_alert_notify(notify)
        self._wake.set()  # alerts raised before the notify function was set
        self._tasks = [asyncio.ensure_future(self._pump()), asyncio.ensure_future(self._updates())]

    def apply(self, settings: dict[str, Any]) -> None:
        self.ses.apply_settings(settings)

    async def _pump(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            self.drain()

    def drain(self) -> None:
        """Hand every queued alert to the listener and to whoever waits for it."""
        while alerts := self.ses.pop_alerts():
            for alert in alerts:
                for pair in list(self._waiters):
                    check, future = pair
                    if not future.done():
                        try:
                            if check(alert):
                                future.set_result(alert)
                        except Exception:  # a waiter's check must not stop the pump
                            log.exception("alert check failed")
                    if future.done():
                        self._waiters.remove(pair)
                try:
                    self.listener(alert)
                except Exception:
                    log.exception("torrent alert %s not handled", type(alert).__name__)

    async def _updates(self) -> None:
        while True:
            await asyncio.sleep(UPDATE_INTERVAL_S)
            self.ses.post_torrent_updates()

    def expect(self, check: Callable[[Any], bool]) -> asyncio.Future[Any]:
        """A future for the first alert `check` accepts from now on (register before causing it)."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiters.append((check, future))
        return future

    async def close(self, before: Callable[[], Any] | None = None) -> bytes:
        """Stop the loop tasks, let `before` save what it must, drop the session off the loop
        thread; returns the session state (settings, DHT nodes) to start from next time."""
        if self.closed:
            return b""
        self.closed = True
        self.ses.pause()
        if before is not None:
            result = before()
            if asyncio.iscoroutine(result):
                await result
        for task in self._tasks:
            task.cancel()
        for _, future in self._waiters:
            if not future.done():
                future.cancel()
        self._waiters.clear()
        try:
            state = bytes(self.lt.write_session_params_buf(self.ses.session_state()))
        except (RuntimeError, AttributeError):
            state = b""
        box = [self.ses]  # the last reference: clearing it on a worker thread runs the teardown there
        self.ses = None
        await asyncio.to_thread(_quiet_and_drop, box)
        return state


def _quiet_and_drop(box: list[Any]) -> None:
    """Tear the session down without calling Python from libtorrent's threads.

    The teardown holds the GIL while it waits for libtorrent's network thread; a notify call
    from that thread needs the GIL too, and the two would wait for each other forever. The
    notify function only fires when the alert queue goes from empty to non-empty, so: leave
    one alert in the queue (never popped again), then post no more (mask 0), then drop.
    """
    ses = box[0]
    ses.post_torrent_updates()
    ses.post_session_stats()
    ses.wait_for_alert(1000)  # returns once an alert is queued, without taking it
    ses.apply_settings({"alert_mask": 0})
    del ses
    box.clear()


def _merged(stored: Any, settings: dict[str, Any]) -> Any:
    try:
        stored.update(settings)  # a dict in the bindings
        return stored
    except AttributeError:
        return settings
