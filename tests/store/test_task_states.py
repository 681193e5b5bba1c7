"""Filtering the task list by state: every task is found under exactly the word it shows."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from sqlmodel import Session

from core.store import repo
from core.store.db import Database
from core.store.models import Source, Task, utcnow
from core.tasks import states

FLAGS = ("removed", "unavailable", "cancelled", "wanted", "paused")


def expected_state(stored: str, removed: bool, unavailable: bool, cancelled: bool, wanted: bool, paused: bool) -> str:
    """The order the Tasks panel and the CLI explain: removed upstream, unavailable, cancelled,
    left out by the filter, done, paused, then the stored state."""
    if removed:
        return "removed"
    if unavailable:
        return "unavailable"
    if cancelled:
        return "cancelled"
    if not wanted:
        return "skipped"
    if stored == "done":
        return "done"
    return "paused" if paused else stored


def test_every_task_matches_exactly_the_state_it_shows(tmp_path: Path) -> None:
    db = Database(tmp_path / "tasks.db")
    combos = list(itertools.product(("queued", "failed", "done"), *[(False, True)] * len(FLAGS)))

    def fill(session: Session) -> None:
        session.add(Source(kind="favorite", locator="fav:1", name="收藏", path=str(tmp_path)))
        session.flush()
        for index, (stored, removed, unavailable, cancelled, wanted, paused) in enumerate(combos):
            session.add(
                Task(
                    kind="video",
                    provider="bilibili",
                    source_id=1,
                    key=f"BV{index}",
                    title=str(index),
                    state=stored,
                    removed_at=utcnow() if removed else None,
                    unavailable="gone" if unavailable else "",
                    cancelled=cancelled,
                    wanted=wanted,
                    paused=paused,
                )  # fmt: skip
            )

    db.call(fill)
    found: dict[str, list[str]] = {}
    for state in states.TASK_STATES:
        for row in db.call(repo.list_tasks, state=state, limit=1000):
            found.setdefault(row.key, []).append(state)
        assert db.call(repo.count_tasks, state=state) == sum(expected_state(*c) == state for c in combos), state
    shown = {row.key: row.state for row in db.call(repo.list_tasks, limit=1000)}
    for index, combo in enumerate(combos):
        assert found.get(f"BV{index}") == [expected_state(*combo)], combo
        assert shown[f"BV{index}"] == expected_state(*combo), "the listing shows the word the filter uses"
    assert db.call(repo.count_tasks, state="pending") == db.call(repo.count_tasks, state="queued"), "old word"
    with pytest.raises(ValueError, match="unknown task state 'stalled'"):
        db.call(repo.count_tasks, state="stalled")
    db.close()
