"""Each source may follow its own schedule; the daemon takes only the sources that are due."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from core.errors import ConfigError
from core.store import repo
from core.store.models import utcnow
from tests.engine.test_engine_events import make_engine
from tests.fakes.bilibili import FakeBilibili, world

pytestmark = pytest.mark.timeout(60)


async def test_due_sources_follow_their_own_schedule(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(fake_bili, tmp_path, monkeypatch, world.COOKIE)
    try:
        often = await engine.add_source(world.SERIES_KEY, schedule="120", rules="title contains NOTHING")
        rarely = await engine.add_source(world.SEASON_KEY, rules="title contains NOTHING")  # global: 1200 s
        due, _ = await engine.rounds.due_sources()
        assert sorted(due) == sorted([often.id, rarely.id]), "never scanned: both are due"
        await engine.sync()
        due, upcoming = await engine.rounds.due_sources()
        assert due == [] and upcoming is not None
        assert timedelta(seconds=100) < upcoming - utcnow() <= timedelta(seconds=120)
        await engine.db.run(repo.update_source, often.id, last_scan_at=utcnow() - timedelta(seconds=150))
        due, _ = await engine.rounds.due_sources()
        assert due == [often.id]
        with pytest.raises(ConfigError, match="bogus"):
            await engine.update_source(rarely.id, schedule="bogus cron")
        await engine.update_source(rarely.id, schedule="0 3 * * *")
        views = {v.id: v for v in await engine.sources()}
        assert views[rarely.id].next_scan is not None and views[rarely.id].next_scan.astimezone().hour == 3
    finally:
        await engine.close()
