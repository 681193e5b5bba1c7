"""What happened, gathered into batches: one per round, one per quiet window outside rounds.

The collector is plain bookkeeping on the loop's thread (the bus calls it synchronously), so
it must stay cheap: it only appends to lists and a few bounded dictionaries.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from core.events import (
    AccountStateChanged,
    Event,
    RiskControl,
    RoundFinished,
    RoundStarted,
    StepFailed,
    TaskAdded,
    TaskFinished,
)

# Titles and last errors of tasks are remembered for this many tasks at most, so a task that
# gives up long after it was found still shows its title.
REMEMBERED_TASKS = 5000

HANDLED = (RoundStarted, RoundFinished, TaskAdded, TaskFinished, StepFailed, RiskControl, AccountStateChanged)


@dataclass(frozen=True)
class FailedTask:
    task_id: int
    title: str  # "" when the task was found before this process started
    reason: str  # the last counted step error, "" when none was seen


@dataclass
class Batch:
    """Everything one message is about. `finished` is set for a round's batch."""

    round_id: int | None = None
    new: list[TaskAdded] = field(default_factory=list)
    failed: list[FailedTask] = field(default_factory=list)
    risks: list[RiskControl] = field(default_factory=list)
    logins: list[AccountStateChanged] = field(default_factory=list)
    finished: RoundFinished | None = None

    @property
    def new_count(self) -> int:
        return max(len(self.new), self.finished.new_items if self.finished else 0)

    def categories(self) -> set[str]:
        """The `notify.events` names this batch has something to say about ("round" for any round).

        Failures count only when a task gave up in this batch: a round's `failed` total also
        counts items that failed long ago, and repeating those every round would be noise.
        """
        found = set()
        if self.finished is not None:
            found.add("round")
        if self.new_count:
            found.add("new")
        if self.failed:
            found.add("failed")
        if self.risks:
            found.add("risk")
        if self.logins:
            found.add("login")
        return found

    def is_empty(self) -> bool:
        return not (self.new or self.failed or self.risks or self.logins or self.finished)


class _Bounded(OrderedDict[int, str]):
    def remember(self, key: int, value: str) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > REMEMBERED_TASKS:
            self.popitem(last=False)


class EventCollector:
    """Sorts events into the open round's batch or the batch for events outside rounds."""

    def __init__(self) -> None:
        self._round: Batch | None = None
        self._outside = Batch()
        self._titles = _Bounded()
        self._errors = _Bounded()
        self._expired_accounts: set[int] = set()  # one message per account until it is ok again

    def take(self, event: Event) -> tuple[Batch | None, bool]:
        """Record `event`. Returns a finished round's batch (or None), and True when the batch for
        events outside rounds just got its first event (its gathering window starts now)."""
        if isinstance(event, RoundStarted):
            # A round that never reported its end (a crash) would otherwise swallow this one.
            self._round = Batch(round_id=event.round_id)
            return None, False
        if isinstance(event, RoundFinished):
            batch = self._round if self._round is not None else Batch(round_id=event.round_id)
            batch.finished = event
            self._round = None
            return batch, False
        target = self._round if self._round is not None else self._outside
        before = not self._outside.is_empty()
        if isinstance(event, TaskAdded):
            self._titles.remember(event.task_id, event.title)
            target.new.append(event)
        elif isinstance(event, StepFailed):
            if event.counted:
                self._errors.remember(event.parent_id or event.task_id, f"{event.step}: {event.error}")
            return None, False
        elif isinstance(event, TaskFinished):
            reason = self._errors.pop(event.task_id, "")
            if event.ok:
                return None, False
            target.failed.append(FailedTask(event.task_id, self._titles.get(event.task_id, ""), reason))
        elif isinstance(event, RiskControl):
            target.risks.append(event)
        elif isinstance(event, AccountStateChanged):
            if event.state == "ok":
                self._expired_accounts.discard(event.account_id)
                return None, False
            if event.account_id in self._expired_accounts:
                return None, False
            self._expired_accounts.add(event.account_id)
            target.logins.append(event)
        else:
            return None, False
        return None, target is self._outside and not before

    def take_outside(self) -> Batch | None:
        """The batch of events outside rounds, emptied; None when nothing happened."""
        if self._outside.is_empty():
            return None
        batch, self._outside = self._outside, Batch()
        return batch
