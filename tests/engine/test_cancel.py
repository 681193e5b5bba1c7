"""Cancelling a video deletes its unfinished downloads and nothing of its neighbours."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.engine.engine import Engine
from tests.engine.test_engine_events import make_engine
from tests.fakes.bilibili import FakeBilibili, world

pytestmark = pytest.mark.timeout(120)

LEFTOVER_SUFFIXES = (".video.m4s", ".video.m4s.part", ".video.m4s.part.json", ".audio.m4s.part", ".tmp.mp4")


def plant_leftovers(mp4: Path) -> list[Path]:
    """What an interrupted download of this episode would leave beside it."""
    stem = mp4.with_suffix("")
    planted = [stem.with_name(stem.name + suffix) for suffix in LEFTOVER_SUFFIXES]
    for path in planted:
        path.write_bytes(b"partial")
    return planted


async def synced(engine: Engine, key: str) -> list[int]:
    await engine.add_source(key)
    result = await engine.sync()
    assert result.outcome == "done"
    return [row.id for row in await engine.tasks()]


async def test_cancelling_one_episode_keeps_the_other_episodes_downloads(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(fake_bili, tmp_path, monkeypatch, world.COOKIE)
    try:
        video_ids = await synced(engine, f"ss:{world.BANGUMI_SEASON_2}")
        assert len(video_ids) == 2
        episodes = sorted((tmp_path / "lib").rglob("* S02E0?.mp4"))
        assert [path.name[-10:] for path in episodes] == ["S02E01.mp4", "S02E02.mp4"]
        assert episodes[0].parent == episodes[1].parent, "one show folder for both episodes"
        first, second = (plant_leftovers(mp4) for mp4 in episodes)
        by_episode = {}
        for vid in video_ids:
            parts = await engine.task_children(vid)
            by_episode[parts[0].path] = vid

        await engine.cancel_tasks([by_episode[str(episodes[0])]])

        assert not any(path.exists() for path in first), "the cancelled episode's partial files are gone"
        assert all(path.exists() for path in second), "the other episode's partial downloads are kept"
        assert all(mp4.is_file() for mp4 in episodes), "finished files are never deleted"
        row = next(r for r in await engine.tasks() if r.id == by_episode[str(episodes[0])])
        assert row.state == "cancelled"
    finally:
        await engine.close()


async def test_cancelling_a_video_sweeps_its_own_folder(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(fake_bili, tmp_path, monkeypatch, world.COOKIE)
    try:
        video_ids = await synced(engine, world.SERIES_KEY)
        folder = await engine.task_folder(video_ids[0])
        other = await engine.task_folder(video_ids[1])
        assert folder is not None and other is not None and folder != other
        # A name no template produces now (the title changed since the download started).
        stale = [folder / "旧标题.video.m4s.part", folder / "旧标题.video.m4s.part.json", folder / "旧标题.audio.m4s"]
        neighbour = other / "旧标题.video.m4s.part"
        for path in [*stale, neighbour]:
            path.write_bytes(b"partial")
        kept = sorted(p for p in folder.iterdir() if p not in stale)

        await engine.cancel_tasks([video_ids[0]])

        assert not any(path.exists() for path in stale)
        assert sorted(folder.iterdir()) == kept, "finished files stay"
        assert neighbour.exists(), "another video's folder is not touched"
    finally:
        await engine.close()
