"""The status encoding: bili-sync compatible bits, bounded attempts, resets."""

from __future__ import annotations

import pytest

from core.engine import status as st
from core.engine.status import Outcome, State


def test_slots_are_three_bits_from_the_low_end_and_bit_31_means_finished() -> None:
    s = 0
    for i in range(st.SLOTS):
        s = st.record(s, i, Outcome.SUCCEEDED)
    assert s == (1 << 31) | 0o77777
    assert st.values(s) == [7] * 5
    assert st.state(s) is State.DONE


def test_a_subtask_gets_four_attempts_then_gives_up() -> None:
    s = 0
    runs = 0
    while st.should_run(s, 1):
        s = st.record(s, 1, Outcome.FAILED)
        runs += 1
    assert runs == 4
    assert st.slot(s, 1) == st.GAVE_UP
    assert st.state(s) is State.FAILED
    assert not s & st.COMPLETED  # the other sub-tasks have not run yet


def test_a_lower_attempt_limit_gives_up_sooner() -> None:
    s = st.record(0, 0, Outcome.FAILED, attempts=2)
    assert st.slot(s, 0) == 1 and st.should_run(s, 0, attempts=2)
    s = st.record(s, 0, Outcome.FAILED, attempts=2)
    assert st.slot(s, 0) == st.GAVE_UP and not st.should_run(s, 0, attempts=2)


def test_ignored_outcomes_cost_nothing() -> None:
    s = st.record(0, 2, Outcome.FAILED)
    assert st.record(s, 2, Outcome.IGNORED) == s


def test_finished_bit_follows_the_slots() -> None:
    s = 0
    for i in range(4):
        s = st.record(s, i, Outcome.SUCCEEDED)
    for _ in range(4):
        s = st.record(s, 4, Outcome.FAILED)
    assert s & st.COMPLETED, "every slot is ok or gave up"
    assert st.state(s) is State.FAILED
    s = st.reset_failed(s)
    assert not s & st.COMPLETED and st.slot(s, 4) == 0 and st.slot(s, 0) == st.OK
    assert st.state(s) is State.PENDING


def test_video_pages_slot_is_the_worst_page_value() -> None:
    done = st.finalize(0o77777)
    half = st.with_slot(done, 3, 2)
    assert st.pages_slot_value([done, done]) == st.OK
    assert st.pages_slot_value([done, half]) == 2
    assert st.pages_slot_value([]) == st.NOT_STARTED


def test_interrupted_reset_keeps_given_up_and_succeeded() -> None:
    s = st.with_slot(st.with_slot(st.with_slot(0, 0, 7), 1, 2), 2, 4)
    r = st.reset_interrupted(s)
    assert st.values(r) == [7, 0, 4, 0, 0]


def test_force_reset_redoes_even_succeeded_subtasks() -> None:
    s = st.finalize(0o77777)
    assert st.force_reset(s) == 0
    assert st.values(st.force_reset(s, [1])) == [7, 0, 7, 7, 7]


@pytest.mark.parametrize(("value", "expected"), [(0, State.PENDING), (0o1, State.RETRYING), (0o4, State.FAILED)])
def test_state_names(value: int, expected: State) -> None:
    assert st.state(value) is expected


def test_bili_sync_status_values_read_the_same() -> None:
    # bili-sync stores e.g. 0b111_111_111_111_111 | 1<<31 for a finished page and 0b000_000_011_000_111
    # for "poster ok, video failed 3 times": the same ints mean the same here.
    assert st.describe((1 << 31) | 0b111_111_111_111_111, st.PAGE_SUBTASKS)["video"] == "ok"
    assert st.describe(0b000_000_000_011_111, st.PAGE_SUBTASKS) == {
        "poster": "ok", "video": "failed 3x", "nfo": "pending", "danmaku": "pending", "subtitles": "pending",
    }  # fmt: skip
