"""What plays next: a playlist's order with auto-advance, loop one/all, shuffle and "play from here".

No Qt and no I/O: the player window keeps one PlayQueue and asks it at the end of each item
(`advance()`, the automatic step) or when a person presses next/previous. Shuffle plays every
item once per cycle in a random order; a new cycle (loop all) draws a new order that does not
start with the item just played, so nothing plays twice in a row.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")


class LoopMode(StrEnum):
    OFF = "off"  # stop after the last item
    ONE = "one"  # the current item again and again (next/previous still move)
    ALL = "all"  # from the first again after the last


class PlayQueue(Generic[T]):
    def __init__(
        self, items: Sequence[T], start: int = 0, *, loop: LoopMode = LoopMode.OFF, shuffle: bool = False,
        rng: random.Random | None = None,
    ) -> None:  # fmt: skip
        self.items: list[T] = list(items)
        self.loop = LoopMode(loop)
        self.shuffled = shuffle
        self._rng = rng or random.Random()
        self._order: list[int] = []
        self._pos = 0
        self.finished = not self.items
        if self.items:
            self.play_from(start)

    def __len__(self) -> int:
        return len(self.items)

    # ------------------------------------------------------------ where we are

    @property
    def index(self) -> int | None:
        """The current item's index in `items` (None when empty or played to the end)."""
        if self.finished or not self._order:
            return None
        return self._order[self._pos]

    @property
    def current(self) -> T | None:
        index = self.index
        return None if index is None else self.items[index]

    def order(self) -> list[int]:
        """This cycle's play order (indices into `items`)."""
        return list(self._order)

    def upcoming(self, count: int = 10) -> list[T]:
        """What plays after the current item in this cycle."""
        return [self.items[i] for i in self._order[self._pos + 1 : self._pos + 1 + count]]

    # ------------------------------------------------------------ choosing

    def _new_order(self, first: int | None) -> list[int]:
        indices = list(range(len(self.items)))
        if not self.shuffled:
            return indices
        rest = [i for i in indices if i != first]
        self._rng.shuffle(rest)
        return ([first] if first is not None else []) + rest

    def play_from(self, index: int) -> T:
        """Play from the item at `index` ("play from here"): in order, the items after it
        follow; shuffled, a new cycle starts with it."""
        if not self.items:
            raise IndexError("the queue is empty")
        index = max(0, min(index, len(self.items) - 1))
        self._order = self._new_order(index)
        self._pos = self._order.index(index)
        self.finished = False
        return self.items[index]

    def set_shuffle(self, on: bool) -> None:
        """Switch shuffle; the current item keeps playing and the rest of the cycle is redrawn."""
        self.shuffled = on
        if self.items:
            current = self.index
            self.play_from(current if current is not None else 0)

    def set_loop(self, mode: LoopMode | str) -> None:
        self.loop = LoopMode(mode)

    def advance(self) -> T | None:
        """The current item played to its end: what plays now (None: the queue is done)."""
        if self.finished or not self.items:
            return None
        if self.loop == LoopMode.ONE:
            return self.current
        return self._step_forward(wrap=self.loop == LoopMode.ALL)

    def next(self) -> T | None:
        """A person pressed next: the next item (after the last: the first with loop all or
        one, None otherwise)."""
        if not self.items:
            return None
        if self.finished:
            return None
        return self._step_forward(wrap=self.loop != LoopMode.OFF)

    def previous(self) -> T | None:
        """A person pressed previous: the item before (at the first: the last with loop, else
        the first again, from its start)."""
        if not self.items:
            return None
        if self.finished:  # after the end: back to the last one played
            self.finished = False
            self._pos = len(self._order) - 1
            return self.current
        if self._pos > 0:
            self._pos -= 1
        elif self.loop != LoopMode.OFF:
            self._pos = len(self._order) - 1
        return self.current

    def _step_forward(self, *, wrap: bool) -> T | None:
        if self._pos + 1 < len(self._order):
            self._pos += 1
            return self.current
        if not wrap:
            self.finished = True
            return None
        last = self._order[self._pos]
        if self.shuffled and len(self.items) > 1:  # a new order, not starting with the one just played
            order = self._new_order(None)
            if order[0] == last:
                swap = self._rng.randrange(1, len(order))
                order[0], order[swap] = order[swap], order[0]
            self._order = order
        else:
            self._order = self._new_order(None)
        self._pos = 0
        return self.current
