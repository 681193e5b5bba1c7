"""Step status of a task, keyed by step name (bili-sync's semantics, any number of steps).

A task's steps are a mapping name → value: 0 not started, 1-3 failed that many times,
4 gave up, 7 succeeded. A step runs while its value is below 4 and below the configured
attempt limit, once per round. A task is finished when every step it has is ok or gave up.
The values are the ones bili-sync keeps in its 3-bit slots, so the numbers read the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from enum import Enum

from core.tasks import states

NOT_STARTED = 0
GAVE_UP = 4
OK = 7
MAX_ATTEMPTS = 4

Steps = dict[str, int]


class Outcome(Enum):
    SUCCEEDED = "succeeded"  # also "not needed" (skipped by settings)
    FAILED = "failed"  # counts one attempt
    IGNORED = "ignored"  # risk control, transient errors: the value stays as it was


def new(names: Iterable[str]) -> Steps:
    return dict.fromkeys(names, NOT_STARTED)


def loads(text: str) -> Steps:
    return {str(k): int(v) for k, v in json.loads(text or "{}").items()}


def dumps(steps: Mapping[str, int]) -> str:
    return json.dumps(dict(steps), separators=(",", ":"))


def should_run(steps: Mapping[str, int], name: str, attempts: int = MAX_ATTEMPTS) -> bool:
    value = steps.get(name, NOT_STARTED)
    return value != OK and value < min(attempts, MAX_ATTEMPTS)


def any_to_run(steps: Mapping[str, int], attempts: int = MAX_ATTEMPTS) -> bool:
    return any(should_run(steps, name, attempts) for name in steps)


def record(steps: Mapping[str, int], name: str, outcome: Outcome, attempts: int = MAX_ATTEMPTS) -> Steps:
    value = steps.get(name, NOT_STARTED)
    if outcome is Outcome.SUCCEEDED:
        value = OK
    elif outcome is Outcome.FAILED and value != OK:
        value = GAVE_UP if value + 1 >= min(attempts, MAX_ATTEMPTS) else value + 1
    return {**steps, name: value}


def finished(steps: Mapping[str, int]) -> bool:
    return all(v in (OK, GAVE_UP) for v in steps.values())


def worst(all_steps: Iterable[Mapping[str, int]]) -> int:
    """The worst value over several tasks' steps (a video's "parts" step mirrors its parts);
    nothing yet means not started."""
    values = [v for steps in all_steps for v in steps.values()]
    return min(values) if values else NOT_STARTED


def state(steps: Mapping[str, int]) -> str:
    """The stored state: failed when a step gave up, done when all succeeded, else queued."""
    values = list(steps.values())
    if GAVE_UP in values:
        return states.FAILED
    if values and all(v == OK for v in values):
        return states.DONE
    return states.QUEUED


def attempts_used(steps: Mapping[str, int]) -> int:
    """The most failed attempts of any step (a step that gave up used them all)."""
    return max((MAX_ATTEMPTS if v == GAVE_UP else v for v in steps.values() if v != OK), default=0)


def reset_failed(steps: Mapping[str, int]) -> Steps:
    """Failed and given-up steps start over; succeeded ones stay."""
    return {k: v if v in (NOT_STARTED, OK) else NOT_STARTED for k, v in steps.items()}


def reset_interrupted(steps: Mapping[str, int]) -> Steps:
    """After risk control: failure counts that may stem from it start over; given-up stays."""
    return {k: NOT_STARTED if 1 <= v <= 3 else v for k, v in steps.items()}


def force_reset(steps: Mapping[str, int], names: Iterable[str] | None = None) -> Steps:
    """Forced reset: the chosen steps (default all) run again, even if they succeeded."""
    chosen = set(steps if names is None else names)
    return {k: NOT_STARTED if k in chosen else v for k, v in steps.items()}


def describe(steps: Mapping[str, int]) -> dict[str, str]:
    words = {NOT_STARTED: "pending", OK: "ok", GAVE_UP: "gave up"}
    return {name: words.get(v, f"failed {v}x") for name, v in steps.items()}


def from_bits(status: int, names: tuple[str, ...]) -> Steps:
    """Read a bili-sync status int (five 3-bit slots, bit 31 = finished) as named steps."""
    return {name: (status >> (3 * i)) & 7 for i, name in enumerate(names)}
