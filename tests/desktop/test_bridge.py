"""The Qt bridge: engine events arrive as signals; progress is coalesced for smooth views."""

from __future__ import annotations

import time

import pytest

from core.events import RoundFinished, TaskProgress
from desktop.bridge import EngineBridge
from tests.desktop.conftest import until

pytestmark = pytest.mark.timeout(60)


async def test_progress_floods_are_coalesced_to_the_newest_per_page(bridge: EngineBridge) -> None:
    batches: list[dict] = []
    bridge.progressBatch.connect(batches.append)
    start = time.monotonic()
    sent = 0
    while time.monotonic() - start < 1.0:  # 1,000 pages each reporting, as fast as the bus allows
        for page in range(1000):
            bridge.engine.bus.publish(TaskProgress(page, page // 2, sent, 10**9, 1e6, 10.0))
        sent += 1
        await __import__("asyncio").sleep(0.01)
    await until(lambda: not bridge._pending, what="the last batch")
    assert sent * 1000 > 20_000
    assert 5 <= len(batches) <= 13, "about ten batches a second"
    assert max(len(b) for b in batches) <= 1000, "only the newest update per task"
    assert batches[-1][7].done_bytes == sent - 1


async def test_round_events_become_signals_and_errors_come_back(bridge: EngineBridge) -> None:
    finished: list[RoundFinished] = []
    errors: list[tuple[str, str]] = []
    bridge.roundFinished.connect(finished.append)
    bridge.errorRaised.connect(lambda what, msg: errors.append((what, msg)))
    bridge.run(bridge.engine.sync(), what="sync")
    await until(lambda: finished, what="round finished")
    assert finished[0].outcome == "done"
    bridge.run(bridge.engine.add_source("https://example.com/nope"), what="add source")
    await until(lambda: errors, what="error signal")
    assert errors[0][0] == "add source" and "fav:ID" in errors[0][1]
