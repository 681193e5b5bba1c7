"""The log file tells a user's story at Info: rounds, sources, each item done or unavailable
and why; libraries stay quiet unless a developer asks for them."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import Deck
from tests.fakes.bilibili import world

pytestmark = pytest.mark.timeout(180)
RECORD = re.compile(r"^\S+ \S+ (?P<level>[A-Z]+) +(?P<logger>[\w.]+): (?P<message>.*)$")


def records(deck: Deck) -> list[dict[str, str]]:
    text = (deck.data / "logs" / "syncdeck.log").read_text(encoding="utf-8")
    return [m.groupdict() for line in text.splitlines() if (m := RECORD.match(line))]


def test_a_sync_is_told_at_info_and_libraries_stay_quiet(deck: Deck) -> None:
    deck.add(world.FAV_KEY)
    result = deck.sync()
    assert result["downloaded"] >= 3
    story = records(deck)
    messages = [r["message"] for r in story]
    assert any(m.startswith(f"round {result['round_id']} started") for m in messages)
    assert any(m.startswith(f"round {result['round_id']} finished: done") for m in messages)
    assert any("scanned:" in m and "new" in m for m in messages), "the source scanned, with its counts"
    done = [m for m in messages if ": done, in " in m]
    assert len(done) == result["downloaded"], "one line per item downloaded, naming its folder"
    unavailable = [m for m in messages if "unavailable (" in m]
    assert len(unavailable) >= 2 and any("已失效视频" in m for m in unavailable), "why an item cannot be had"
    assert {r["level"] for r in story} <= {"INFO", "WARNING", "ERROR"}, "nothing below Info by default"
    assert {r["logger"].split(".")[0] for r in story} <= {"core", "desktop"}, "no library speaks at Info"


def test_debug_shows_syncdecks_own_workings_and_libraries_only_on_the_developer_switch(deck: Deck) -> None:
    deck.add(world.FAV_KEY)
    deck.run("sync", "-vv")
    loggers = {r["logger"].split(".")[0] for r in records(deck) if r["level"] == "DEBUG"}
    assert loggers and loggers <= {"core", "desktop"}, "at -vv: SyncDeck's own debug records, no event loop internals"

    deck.env["SYNCDECK_DEBUG_LIBRARIES"] = "1"
    deck.run("sync", "-vv")
    assert "httpx" in {r["logger"].split(".")[0] for r in records(deck)}, "the developer switch lets libraries speak"
