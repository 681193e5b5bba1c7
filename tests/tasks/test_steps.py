"""Step status by name: bili-sync's values and semantics, bounded attempts, resets."""

from __future__ import annotations

import pytest

from core.tasks import states
from core.tasks import steps as stp
from core.tasks.steps import Outcome

PART = ("poster", "media", "nfo", "danmaku", "subtitles")


def test_a_task_is_done_when_every_step_succeeded() -> None:
    steps = stp.new(PART)
    for name in PART:
        steps = stp.record(steps, name, Outcome.SUCCEEDED)
    assert steps == dict.fromkeys(PART, stp.OK)
    assert stp.finished(steps) and stp.state(steps) == states.DONE


def test_a_step_gets_four_attempts_then_gives_up() -> None:
    steps = stp.new(PART)
    runs = 0
    while stp.should_run(steps, "media"):
        steps = stp.record(steps, "media", Outcome.FAILED)
        runs += 1
    assert runs == 4
    assert steps["media"] == stp.GAVE_UP and stp.state(steps) == states.FAILED
    assert not stp.finished(steps), "the other steps have not run yet"
    assert stp.attempts_used(steps) == 4


def test_a_lower_attempt_limit_gives_up_sooner() -> None:
    steps = stp.record(stp.new(PART), "poster", Outcome.FAILED, attempts=2)
    assert steps["poster"] == 1 and stp.should_run(steps, "poster", attempts=2)
    steps = stp.record(steps, "poster", Outcome.FAILED, attempts=2)
    assert steps["poster"] == stp.GAVE_UP and not stp.should_run(steps, "poster", attempts=2)


def test_ignored_outcomes_cost_nothing() -> None:
    steps = stp.record(stp.new(PART), "nfo", Outcome.FAILED)
    assert stp.record(steps, "nfo", Outcome.IGNORED) == steps
    assert stp.attempts_used(steps) == 1 and stp.state(steps) == states.QUEUED


def test_finished_follows_the_steps_and_a_reset_of_failures_reopens_the_task() -> None:
    steps = {name: stp.OK for name in PART[:4]} | {"subtitles": stp.GAVE_UP}
    assert stp.finished(steps) and stp.state(steps) == states.FAILED
    steps = stp.reset_failed(steps)
    assert not stp.finished(steps) and steps["subtitles"] == 0 and steps["poster"] == stp.OK
    assert stp.state(steps) == states.QUEUED


def test_the_parts_step_is_the_worst_part_value() -> None:
    done = dict.fromkeys(PART, stp.OK)
    half = done | {"danmaku": 2}
    assert stp.worst([done, done]) == stp.OK
    assert stp.worst([done, half]) == 2
    assert stp.worst([]) == stp.NOT_STARTED


def test_interrupted_reset_keeps_given_up_and_succeeded() -> None:
    steps = {"poster": 7, "media": 2, "nfo": 4, "danmaku": 0, "subtitles": 0}
    assert stp.reset_interrupted(steps) == {"poster": 7, "media": 0, "nfo": 4, "danmaku": 0, "subtitles": 0}


def test_force_reset_redoes_even_succeeded_steps() -> None:
    done = dict.fromkeys(PART, stp.OK)
    assert stp.force_reset(done) == stp.new(PART)
    assert stp.force_reset(done, ["media"]) == done | {"media": 0}


def test_steps_keep_their_order_through_storage() -> None:
    steps = {"subtitles": 1, "poster": 7, "media": 4}
    assert list(stp.loads(stp.dumps(steps))) == ["subtitles", "poster", "media"]


OK_ALL = {"poster": "ok", "media": "ok", "nfo": "ok", "danmaku": "ok", "subtitles": "ok"}
MEDIA_FAILED = {"poster": "ok", "media": "failed 3x", "nfo": "pending", "danmaku": "pending", "subtitles": "pending"}


@pytest.mark.parametrize(
    ("status", "words"), [((1 << 31) | 0b111_111_111_111_111, OK_ALL), (0b000_000_000_011_111, MEDIA_FAILED)]
)
def test_bili_sync_status_values_read_the_same(status: int, words: dict[str, str]) -> None:
    # bili-sync stores e.g. 0b111_111_111_111_111 | 1<<31 for a finished page and 0b011_111 for
    # "poster ok, video failed 3 times": the same ints mean the same steps here.
    assert stp.describe(stp.from_bits(status, PART)) == words
