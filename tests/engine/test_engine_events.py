"""The engine in-process, as the desktop window will drive it: typed events for everything."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from keyring.backends.null import Keyring as NullKeyring

from core.config import load_config
from core.engine.engine import Engine
from core.events import (
    AccountStateChanged,
    Event,
    RiskControl,
    RoundFinished,
    RoundStarted,
    SourceScanned,
    StepDone,
    TaskAdded,
    TaskFinished,
    TaskProgress,
)
from core.secrets import SecretStore
from tests.fakes.bilibili import FakeBilibili, world

pytestmark = pytest.mark.timeout(120)


def make_engine(fake: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cookie: str) -> Engine:
    monkeypatch.setenv("SYNCDECK_BILIBILI_COOKIE", cookie)
    environ = {f"SYNCDECK_BILIBILI_{name.upper()}_HOST": url for name, url in fake.hosts().items()}
    environ.update(SYNCDECK_LIBRARY_ROOT=str(tmp_path / "lib"), SYNCDECK_LIMITS_CHUNK_MIN_MIB="0.02")
    config = load_config(tmp_path / "none.toml", data_dir=tmp_path / "data", environ=environ)
    return Engine(config, secrets=SecretStore(NullKeyring()))


async def test_a_round_reports_items_progress_and_results(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(fake_bili, tmp_path, monkeypatch, world.COOKIE)
    events: list[Event] = []
    engine.bus.subscribe(events.append)
    try:
        source = await engine.add_source(world.SERIES_KEY)
        fake_bili.scenario(media_throttle=60_000)  # slow enough for a few progress reports
        result = await engine.sync()
    finally:
        await engine.close()
    assert result.outcome == "done" and result.downloaded == 2
    kinds = Counter(type(e) for e in events)
    assert kinds[RoundStarted] == 1 and kinds[RoundFinished] == 1
    assert kinds[TaskAdded] == 2 and kinds[SourceScanned] == 1 and kinds[TaskFinished] == 2
    assert {e.step for e in events if isinstance(e, StepDone)} >= {"poster", "media", "nfo", "danmaku"}
    progress = [e for e in events if isinstance(e, TaskProgress)]
    assert progress, "downloads report progress"
    last = max(progress, key=lambda e: e.done_bytes)
    assert last.total_bytes > 0 and last.done_bytes == last.total_bytes
    assert any(e.speed > 0 and e.eta is not None for e in progress)
    finished = next(e for e in events if isinstance(e, RoundFinished))
    assert (finished.outcome, finished.downloaded, finished.new_items) == ("done", 2, 2)
    views = await _views(fake_bili, tmp_path, monkeypatch)
    assert views[source.id] == (2, 0, 0)


async def _views(
    fake: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[int, tuple[int, int, int]]:
    engine = make_engine(fake, tmp_path, monkeypatch, world.COOKIE)
    try:
        return {v.id: (v.done, v.queued, v.failed) for v in await engine.sources()}
    finally:
        await engine.close()


async def test_risk_control_and_login_expiry_are_events(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(fake_bili, tmp_path, monkeypatch, world.COOKIE)
    events: list[Event] = []
    engine.bus.subscribe(events.append)
    try:
        await engine.add_source(world.SEASON_KEY)
        fake_bili.scenario(risk={"endpoint": "/x/polymer/web-space/seasons_archives_list", "kind": "-412"})
        result = await engine.sync()
    finally:
        await engine.close()
    assert result.outcome == "risk_control" and result.exit_code == 3
    risk = [e for e in events if isinstance(e, RiskControl)]
    assert len(risk) == 1 and "-412" in risk[0].reason

    # a dead login: the engine says so once and skips the sources that need it
    engine = make_engine(fake_bili, tmp_path / "b", monkeypatch, "SESSDATA=gone; bili_jct=x; DedeUserID=1001")
    events.clear()
    engine.bus.subscribe(events.append)
    try:
        await engine.add_source(world.SERIES_KEY)
        await engine.add_source(world.SEASON_KEY)
        result = await engine.sync()
    finally:
        await engine.close()
    assert result.outcome == "login_expired"
    assert len([e for e in events if isinstance(e, AccountStateChanged) and e.state == "expired"]) == 1
    assert not [e for e in events if isinstance(e, TaskAdded)]
