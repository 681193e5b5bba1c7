"""What the player needs from the rest of the app: a queue, a resolver and where to report.

The player knows nothing of playlists or providers. It is given a queue of opaque entries,
a `resolve(entry, quality)` that makes one playable (a PlaybackInfo, or an awaitable of one),
and callbacks for the position (every 10 s and when an item stops) and for handing an item to
an external player.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from core.engine.playback.views import PlaybackInfo

LoopMode = Literal["off", "one", "all"]
LOOP_MODES: tuple[LoopMode, ...] = ("off", "one", "all")

Resolve = Callable[[Any, str], "PlaybackInfo | Awaitable[PlaybackInfo]"]


class PlayQueue(Protocol):
    """What plays next (the playlists' core.engine.playlists.queue.PlayQueue has this shape).

    `advance()` is asked when an item played to its end (with loop "one" it answers the same
    item), `next()`/`previous()` when a person presses the buttons; each moves and returns the
    new current entry, or None when the queue is done.
    """

    loop: str  # "off", "one" or "all"
    shuffled: bool

    @property
    def current(self) -> Any | None: ...

    def advance(self) -> Any | None: ...

    def next(self) -> Any | None: ...

    def previous(self) -> Any | None: ...

    def play_from(self, index: int) -> Any: ...

    def set_loop(self, mode: str) -> None: ...

    def set_shuffle(self, on: bool) -> None: ...


@dataclass(frozen=True)
class PositionReport:
    entry: Any
    info: PlaybackInfo
    position: float  # seconds
    duration: float  # seconds, 0 when unknown
    # started: the first frame is shown; playing/paused: every 10 s while open; stopped: another
    # item, closing the window or an external player took over; ended: played to its end
    state: Literal["started", "playing", "paused", "stopped", "ended"]


@dataclass
class PlayerHooks:
    resolve: Resolve
    report_position: Callable[[PositionReport], object] | None = None
    # the current entry and what it resolved to (None when it has not resolved yet)
    open_external: Callable[[Any, PlaybackInfo | None], object] | None = None


class ListQueue:
    """A plain list with the PlayQueue shape: one item played on its own, and the tests.

    Shuffle plays every entry once in a random order, starting with the current one.
    """

    def __init__(self, entries: Sequence[Any], start: int = 0, *, loop: LoopMode = "off", seed: int | None = None):
        self.entries = list(entries)
        self.loop: str = loop
        self.shuffled = False
        self._random = random.Random(seed)
        self._order = list(range(len(self.entries)))
        self._at = 0
        self.finished = not self.entries
        if self.entries:
            self.play_from(start)

    @property
    def current(self) -> Any | None:
        return None if self.finished else self.entries[self._order[self._at]]

    def play_from(self, index: int) -> Any:
        self._order = list(range(len(self.entries)))
        if self.shuffled:
            rest = [i for i in self._order if i != index]
            self._random.shuffle(rest)
            self._order = [index, *rest]
        self._at = self._order.index(index)
        self.finished = False
        return self.current

    def set_loop(self, mode: str) -> None:
        self.loop = mode

    def set_shuffle(self, on: bool) -> None:
        self.shuffled = on
        if self.entries and not self.finished:
            self.play_from(self._order[self._at])

    def _step(self, step: int, wrap: bool) -> Any | None:
        if self.finished or not self.entries:
            return None
        at = self._at + step
        if not 0 <= at < len(self._order):
            if not wrap:
                self.finished = step > 0
                return None if step > 0 else self.current
            at %= len(self._order)
        self._at = at
        return self.current

    def advance(self) -> Any | None:
        return self.current if self.loop == "one" else self._step(1, self.loop == "all")

    def next(self) -> Any | None:
        return self._step(1, self.loop != "off")

    def previous(self) -> Any | None:
        return self._step(-1, self.loop != "off")
