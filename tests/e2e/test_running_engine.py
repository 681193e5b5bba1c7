"""With `syncdeck daemon` running, the command line's changes are made by the daemon's engine."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Iterator

import pytest

from core.cli import remote
from tests.e2e.conftest import Deck
from tests.fakes.bilibili import world

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def daemon(deck: Deck) -> Iterator[Deck]:
    proc = deck.popen("daemon")
    try:
        assert proc.stdout is not None and "syncdeck daemon" in proc.stdout.readline()
        yield deck
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


def test_a_sync_asked_for_on_the_command_line_runs_in_the_daemon(daemon: Deck) -> None:
    owner = remote.find_owner(daemon.data)
    assert owner is not None and owner.kind == "daemon"
    source = daemon.add(world.FAV_KEY)
    # the daemon scans a new source at once; a sync asked for meanwhile is told it is busy
    deadline = time.monotonic() + 120
    while (
        len(list(daemon.library.rglob("*.mp4"))) < 3
        or (daemon.json("status")["last_round"] or {}).get("outcome") != "done"
    ):
        assert time.monotonic() < deadline, "the daemon synced the new source"
        time.sleep(0.2)
    result = daemon.sync("--source", str(source))
    assert (result["outcome"], result["new_items"]) == ("done", 0), "run by the daemon's engine, nothing new"
    proc = daemon.run("daemon", check=4)
    assert f"syncdeck daemon (process {owner.pid}) already runs" in proc.stderr
    daemon.run("source", "disable", str(source))
    assert json.loads(daemon.run("source", "list", "--json").stdout)[0]["enabled"] is False
