"""One word for each state, everywhere: `status`, `source list` and `task list` count every
task once, under the word `task list` shows for it, and `--state` finds exactly those."""

from __future__ import annotations

from collections import Counter

import pytest

from core.store.db import Database
from core.tasks.states import RUNNING, TASK_STATES
from tests.cli.conftest import Cli, fill

pytestmark = pytest.mark.timeout(120)


def test_per_state_counts_add_up_across_status_source_list_and_task_list(cli: Cli) -> None:
    db = Database(cli.data / "syncdeck.db")
    fill(db, cli.root / "library")
    db.close()

    every = cli.json("task", "list", "--limit", "1000")
    shown = Counter(t["state"] for t in every)
    totals = cli.json("status")["tasks"]
    assert totals == dict(shown), "status counts each task under the word task list shows"
    assert sum(totals.values()) == len(every) == 96
    for state in TASK_STATES:
        listed = cli.json("task", "list", "--state", state, "--limit", "1000")
        assert {t["state"] for t in listed} <= {state}, state
        assert len(listed) == totals.get(state, 0), f"--state {state} finds what status counts"
    assert len(cli.json("task", "list", "--state", "pending", "--limit", "1000")) == totals["queued"], "old word"

    sources = cli.json("source", "list")
    for state in TASK_STATES:
        if state != RUNNING:
            assert sum(s[state] for s in sources) == totals.get(state, 0), state
    for source in sources:
        mine = Counter(t["state"] for t in every if t["source_id"] == source["id"])
        assert {k: source[k] for k in mine} == dict(mine), source["name"]

    text = cli.run("source", "list").stdout
    assert "pending" not in text and "unavailable" in text
    counts = ", ".join(f"{sources[0][s]} {s}" for s in TASK_STATES if s != RUNNING and sources[0][s])
    assert text.splitlines()[1].strip().startswith(counts + " · "), "the words task list uses, in its order"
    assert cli.run("status").stdout.count("unavailable") == 1
