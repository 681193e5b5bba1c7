"""One libtorrent session driven from an asyncio loop.

libtorrent signals when its alert queue goes from empty to non-empty, through a pipe it
writes to (POSIX: `set_alert_fd`, watched by the loop) or a notify function that only wakes
the loop (`set_alert_notify`, elsewhere; pitfall 7); a task on the loop then drains
`pop_alerts()` completely and hands each alert to the listener. Status updates come from a
timer calling `post_torrent_updates()` (never from the alert handler: pitfall 6). Closing
saves resume data, then drops the session on a worker thread, since that waits for trackers
(pitfall 13).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from core.torrent.lt import load

log = logging.getLogger(__name__)

AlertListener = Callable[[Any], None]
UPDATE_INTERVAL_S = 0.5


def _kind(alert: Any) -> str:
    return type(alert).__name__


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
        self._waiters: list[tuple[Callable[[Any], bool], Callable[[Any], Any], asyncio.Future[Any]]] = []
        self.closed = False
        self._pipe: tuple[int, ...] = ()

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        loop, wake = self._loop, self._wake
        if os.name == "posix":
            # libtorrent writes a byte to a pipe: the loop wakes without any Python running on
            # libtorrent's threads (a Python notify function needs the GIL there, and a call
            # into libtorrent that keeps the GIL while it waits for that thread would hang both)
            self._pipe = os.pipe()
            for fd in self._pipe:
                os.set_blocking(fd, False)
            self.ses.set_alert_fd(self._pipe[1])
            loop.add_reader(self._pipe[0], self._pipe_ready)
        else:

            def notify() -> None:  # libtorrent's thread: only wake the loop (pitfall 7)
                with contextlib.suppress(RuntimeError):  # the loop is closed: the app is exiting
                    loop.call_soon_threadsafe(wake.set)

            self.ses.set_alert_notify(notify)
        self._wake.set()  # alerts raised before the pump was connected
        self._tasks = [asyncio.ensure_future(self._pump()), asyncio.ensure_future(self._updates())]

    def _pipe_ready(self) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            os.read(self._pipe[0], 4096)
        self._wake.set()

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
                for waiter in list(self._waiters):
                    check, take, future = waiter
                    if not future.done():
                        try:
                            if check(alert):
                                future.set_result(take(alert))
                        except Exception:  # a waiter's check must not stop the pump
                            log.exception("alert check failed")
                    if future.done():
                        self._waiters.remove(waiter)
                try:
                    self.listener(alert)
                except Exception:
                    log.exception("torrent alert %s not handled", type(alert).__name__)

    async def _updates(self) -> None:
        while True:
            await asyncio.sleep(UPDATE_INTERVAL_S)
            self.ses.post_torrent_updates()

    def expect(self, check: Callable[[Any], bool], take: Callable[[Any], Any] = _kind) -> asyncio.Future[Any]:
        """A future for what `take` copies out of the first alert `check` accepts from now on
        (register before causing it). By default the alert's type name: an alert's memory is
        libtorrent's and is freed by the next pop_alerts, so nothing may keep the alert itself."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiters.append((check, take, future))
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
        if self._pipe:
            assert self._loop is not None
            self._loop.remove_reader(self._pipe[0])
        else:
            await self._leave_one_alert_queued()
        try:
            state = bytes(self.lt.write_session_params_buf(self.ses.session_state()))
        except (RuntimeError, AttributeError):
            state = b""
        self.ses.apply_settings({"alert_mask": 0})  # and post no more
        box = [self.ses]  # the last reference: clearing it on a worker thread runs the teardown there
        self.ses = None
        await asyncio.to_thread(box.clear)
        for fd in self._pipe:
            os.close(fd)
        self._pipe = ()
        return state

    async def _leave_one_alert_queued(self) -> None:
        """Tear-down runs libtorrent's destructor, which holds the GIL while it waits for the
        network thread; a notify call from that thread needs the GIL too, and the two would
        wait for each other forever. The notify function fires only when the alert queue goes
        from empty to non-empty: so make sure one alert sits in the queue, never popped again,
        before the session goes (with the alert mask at 0, nothing else is posted)."""
        posted = threading.Event()
        self.ses.set_alert_notify(posted.set)
        self.ses.pop_alerts()
        self.ses.post_torrent_updates()
        for _ in range(200):  # the loop thread waits without the GIL; the notify call can run
            if posted.is_set():
                return
            await asyncio.sleep(0.005)
        log.warning("libtorrent posted no alert before closing")


def _merged(stored: Any, settings: dict[str, Any]) -> Any:
    try:
        stored.update(settings)  # a dict in the bindings
        return stored
    except AttributeError:
        return settings
