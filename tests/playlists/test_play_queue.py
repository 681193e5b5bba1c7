"""The play queue: order, auto-advance, loop one/all, shuffle once per cycle, play from here."""

from __future__ import annotations

import random

from core.engine.playlists.queue import LoopMode, PlayQueue

ITEMS = ["a", "b", "c", "d", "e"]


def played(queue: PlayQueue[str], steps: int) -> list[str | None]:
    return [queue.current] + [queue.advance() for _ in range(steps)]


def test_in_order_it_advances_to_the_end_and_stops() -> None:
    queue = PlayQueue(ITEMS)
    assert played(queue, 5) == ["a", "b", "c", "d", "e", None]
    assert queue.finished and queue.current is None
    assert queue.advance() is None
    assert queue.previous() == "e", "previous after the end goes back to the last one"


def test_play_from_here_starts_there_and_goes_on_in_order() -> None:
    queue = PlayQueue(ITEMS, start=3)
    assert played(queue, 2) == ["d", "e", None]
    assert queue.play_from(1) == "b" and queue.upcoming(2) == ["c", "d"]


def test_loop_one_repeats_on_its_own_but_next_and_previous_still_move() -> None:
    queue = PlayQueue(ITEMS, start=1, loop=LoopMode.ONE)
    assert played(queue, 3) == ["b", "b", "b", "b"]
    assert queue.next() == "c"
    assert queue.previous() == "b"
    queue.play_from(4)
    assert queue.next() == "a", "next wraps around while looping"


def test_loop_all_starts_again_after_the_last() -> None:
    queue = PlayQueue(ITEMS, start=3, loop="all")
    assert played(queue, 4) == ["d", "e", "a", "b", "c"]
    queue.play_from(0)
    assert queue.previous() == "e"


def test_previous_at_the_first_without_loop_stays_on_it() -> None:
    queue = PlayQueue(ITEMS)
    assert queue.previous() == "a"
    assert queue.next() == "b" and queue.previous() == "a"


def test_manual_next_at_the_end_without_loop_ends_the_queue() -> None:
    queue = PlayQueue(ITEMS, start=4)
    assert queue.next() is None and queue.finished


def test_shuffle_plays_every_item_once_per_cycle_and_never_twice_in_a_row() -> None:
    queue = PlayQueue(list(range(20)), start=7, shuffle=True, loop=LoopMode.ALL, rng=random.Random(5))
    cycle1 = [queue.current] + [queue.advance() for _ in range(19)]
    cycle2 = [queue.advance() for _ in range(20)]
    assert cycle1[0] == 7, "shuffle starts with the item chosen"
    assert sorted(cycle1) == list(range(20)) and sorted(cycle2) == list(range(20))  # type: ignore[type-var]
    assert cycle1 != list(range(7, 20)) + list(range(7)), "it is not the plain order"
    assert cycle2[0] != cycle1[-1], "a new cycle does not start with the item just played"


def test_shuffle_without_loop_ends_after_one_cycle() -> None:
    queue = PlayQueue(ITEMS, shuffle=True, rng=random.Random(1))
    seen = [queue.current] + [queue.advance() for _ in range(4)]
    assert sorted(seen) == ITEMS  # type: ignore[type-var]
    assert queue.advance() is None


def test_switching_shuffle_keeps_the_current_item_playing() -> None:
    queue = PlayQueue(ITEMS, start=2, rng=random.Random(3))
    queue.set_shuffle(True)
    assert queue.current == "c" and sorted(queue.upcoming(10) + ["c"]) == ITEMS
    queue.set_shuffle(False)
    assert queue.current == "c" and queue.upcoming(10) == ["d", "e"]


def test_an_empty_queue_plays_nothing() -> None:
    queue: PlayQueue[str] = PlayQueue([])
    assert (queue.current, queue.advance(), queue.next(), queue.previous()) == (None, None, None, None)
