"""Issue 8, item 4: a round cut short by a kill or a crash is closed as interrupted when an
engine next starts, unless a round really is running in another process."""

from __future__ import annotations

import json

import pytest

from core.engine.sync.roundlock import RoundLock
from core.store import repo
from core.store.db import Database
from tests.db.conftest import Deck

pytestmark = pytest.mark.timeout(60)


def leave_a_running_round(deck: Deck) -> int:
    db = Database(deck.db)
    round_id = db.call(repo.start_round, 1).id  # what a killed `syncdeck sync` leaves behind
    db.close()
    assert round_id is not None
    return round_id


def last_round(deck: Deck) -> dict[str, object]:
    run = deck.run("status", "--json")
    assert run.code == 0, run.err
    found: dict[str, object] = json.loads(run.out)["last_round"]
    return found


def test_a_round_left_running_by_a_crash_is_closed_as_interrupted(deck: Deck) -> None:
    round_id = leave_a_running_round(deck)
    shown = last_round(deck)
    assert (shown["id"], shown["outcome"]) == (round_id, "interrupted")
    assert f"last round #{round_id}: interrupted" in deck.run("status").out


def test_a_round_another_process_is_running_stays_running(deck: Deck) -> None:
    round_id = leave_a_running_round(deck)
    other = RoundLock(deck.data)  # held as a daemon's round holds it
    other.acquire()
    try:
        assert (last_round(deck)["id"], last_round(deck)["outcome"]) == (round_id, "running")
    finally:
        other.release()
    assert last_round(deck)["outcome"] == "interrupted"
