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
    """In-order play with auto-advance; `loop` and `shuffle` are set by the player's buttons.

    next() and previous() move and return the new current entry, or None past either end when
    `loop` is "off". "one" is handled by the player (the same entry again at its end), so a queue
    only needs to wrap around for "all".
    """

    loop: LoopMode
    shuffle: bool

    def current(self) -> Any | None: ...

    def next(self) -> Any | None: ...

    def previous(self) -> Any | None: ...


@dataclass(frozen=True)
class PositionReport:
    entry: Any
    info: PlaybackInfo
    position: float  # seconds
    duration: float  # seconds, 0 when unknown
    state: Literal["playing", "paused", "stopped", "ended"]


@dataclass
class PlayerHooks:
    resolve: Resolve
    report_position: Callable[[PositionReport], object] | None = None
    open_external: Callable[[Any], object] | None = None  # the current entry


class ListQueue:
    """A plain list of entries: enough for a single item and for tests.

    Shuffle plays every entry once in a random order before repeating.
    """

    def __init__(self, entries: Sequence[Any], start: int = 0, *, loop: LoopMode = "off", seed: int | None = None):
        self.entries = list(entries)
        self.loop: LoopMode = loop
        self._shuffle = False
        self._random = random.Random(seed)
        self._order = list(range(len(self.entries)))
        self._at = self._order.index(start) if self.entries else 0

    @property
    def shuffle(self) -> bool:
        return self._shuffle

    @shuffle.setter
    def shuffle(self, on: bool) -> None:
        current = self._order[self._at] if self.entries else 0
        self._shuffle = on
        self._order = list(range(len(self.entries)))
        if on:
            rest = [i for i in self._order if i != current]
            self._random.shuffle(rest)
            self._order = [current, *rest]
        self._at = self._order.index(current) if self.entries else 0

    def current(self) -> Any | None:
        return self.entries[self._order[self._at]] if self.entries else None

    def _move(self, step: int) -> Any | None:
        if not self.entries:
            return None
        at = self._at + step
        if not 0 <= at < len(self._order):
            if self.loop != "all":
                return None
            at %= len(self._order)
        self._at = at
        return self.current()

    def next(self) -> Any | None:
        return self._move(1)

    def previous(self) -> Any | None:
        return self._move(-1)
