"""The one authoritative encoding of download status (compatible with bili-sync's).

A status is an int: five sub-tasks of 3 bits each, sub-task i in bits 3i..3i+2, and bit 31
set when the item is finished. A sub-task's value is 0 (not started), 1-3 (failed that many
times), 4 (gave up) or 7 (succeeded). A sub-task runs while its value is below 4 and below
the configured attempt limit, once per round.
"""

from __future__ import annotations

from enum import Enum, StrEnum

NOT_STARTED = 0
GAVE_UP = 4
OK = 7
MAX_ATTEMPTS = 4
COMPLETED = 1 << 31
SLOTS = 5

VIDEO_SUBTASKS = ("poster", "tvshow_nfo", "upper_avatar", "upper_nfo", "pages")
PAGE_SUBTASKS = ("poster", "video", "nfo", "danmaku", "subtitles")


class Outcome(Enum):
    SUCCEEDED = "succeeded"  # also "not needed" (skipped by settings)
    FAILED = "failed"  # counts one attempt
    IGNORED = "ignored"  # risk control, transient errors: the value stays as it was


class State(StrEnum):
    """What a person sees: derived from the bits, stored beside them for indexed filtering."""

    PENDING = "pending"
    RETRYING = "retrying"
    FAILED = "failed"
    DONE = "done"


def slot(status: int, index: int) -> int:
    return (status >> (3 * index)) & 7


def with_slot(status: int, index: int, value: int) -> int:
    if not 0 <= value <= 7:
        raise ValueError(value)
    shift = 3 * index
    return (status & ~(7 << shift)) | (value << shift)


def values(status: int) -> list[int]:
    return [slot(status, i) for i in range(SLOTS)]


def should_run(status: int, index: int, attempts: int = MAX_ATTEMPTS) -> bool:
    value = slot(status, index)
    return value != OK and value < min(attempts, MAX_ATTEMPTS)


def record(status: int, index: int, outcome: Outcome, attempts: int = MAX_ATTEMPTS) -> int:
    value = slot(status, index)
    if outcome is Outcome.SUCCEEDED:
        value = OK
    elif outcome is Outcome.FAILED and value != OK:
        value = GAVE_UP if value + 1 >= min(attempts, MAX_ATTEMPTS) else value + 1
    return finalize(with_slot(status, index, value))


def fixed(status: int, index: int, value: int) -> int:
    """Overwrite one slot (the video's "pages" slot mirrors the worst page)."""
    return finalize(with_slot(status, index, value))


def finalize(status: int) -> int:
    """Set or clear the completed bit from the slots."""
    done = all(v in (OK, GAVE_UP) for v in values(status))
    return status | COMPLETED if done else status & ~COMPLETED


def pages_slot_value(page_statuses: list[int]) -> int:
    """The worst value over every page's sub-tasks; a video with no pages yet is pending."""
    if not page_statuses:
        return NOT_STARTED
    return min(v for s in page_statuses for v in values(s))


def state(status: int) -> State:
    vals = values(status)
    if GAVE_UP in vals:
        return State.FAILED
    if all(v == OK for v in vals):
        return State.DONE
    if any(1 <= v <= 3 for v in vals):
        return State.RETRYING
    return State.PENDING


def reset_failed(status: int) -> int:
    """Failed and given-up sub-tasks start over; succeeded ones stay."""
    for i, v in enumerate(values(status)):
        if v not in (NOT_STARTED, OK):
            status = with_slot(status, i, NOT_STARTED)
    return status & ~COMPLETED


def reset_interrupted(status: int) -> int:
    """After risk control: failure counts that may stem from it start over; given-up stays."""
    for i, v in enumerate(values(status)):
        if 1 <= v <= 3:
            status = with_slot(status, i, NOT_STARTED)
    return status & ~COMPLETED


def force_reset(status: int, indexes: range | list[int] | None = None) -> int:
    """Forced reset: the chosen sub-tasks (default all) run again, even if they succeeded."""
    for i in indexes if indexes is not None else range(SLOTS):
        status = with_slot(status, i, NOT_STARTED)
    return status & ~COMPLETED


def describe(status: int, names: tuple[str, ...]) -> dict[str, str]:
    words = {NOT_STARTED: "pending", OK: "ok", GAVE_UP: "gave up"}
    return {name: words.get(v, f"failed {v}x") for name, v in zip(names, values(status), strict=True)}
