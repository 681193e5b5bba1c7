"""Filtering the task list by state: every video is found under exactly the state a person sees."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from sqlmodel import Session

from core.store import repo
from core.store.db import Database
from core.store.models import Source, Video, utcnow
from core.store.states import TASK_STATES


def expected_state(stored: str, valid: bool, wanted: bool, removed: bool, paused: bool) -> str:
    """What the task list shows for these flags (the order the Tasks panel and CLI explain)."""
    if removed:
        return "removed"
    if not valid or not wanted:
        return "skipped"
    if stored == "done":
        return "done"
    return "paused" if paused else stored


def test_every_video_matches_exactly_the_state_it_shows(tmp_path: Path) -> None:
    db = Database(tmp_path / "tasks.db")
    combos = list(itertools.product(("pending", "retrying", "failed", "done"), *[(False, True)] * 4))

    def fill(session: Session) -> None:
        session.add(Source(kind="favorite", key="fav:1", name="收藏", path=str(tmp_path)))
        session.flush()
        for index, (stored, valid, wanted, removed, paused) in enumerate(combos):
            session.add(
                Video(
                    source_id=1,
                    key=f"BV{index}",
                    title=f"{stored} {valid} {wanted} {removed} {paused}",
                    state=stored,
                    valid=valid,
                    should_download=wanted,
                    paused=paused,
                    removed_at=utcnow() if removed else None,
                )  # fmt: skip
            )

    db.call(fill)
    found: dict[str, list[str]] = {}
    for state in TASK_STATES:
        for row in db.call(repo.list_video_rows, state=state, limit=1000):
            found.setdefault(row.key, []).append(state)
        assert db.call(repo.count_video_rows, state=state) == sum(
            expected_state(*combo) == state for combo in combos
        ), state
    for index, combo in enumerate(combos):
        assert found.get(f"BV{index}") == [expected_state(*combo)], combo
    with pytest.raises(ValueError, match="unknown task state 'stalled'"):
        db.call(repo.count_video_rows, state="stalled")
    db.close()
