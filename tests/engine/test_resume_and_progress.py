"""Progress a person can trust, and pausing that keeps what was finished, on a slow link."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from core.events import (
    Event,
    RoundFinished,
    RoundStarted,
    SourceDownloading,
    SourceIdle,
    SourceScanned,
    SourceScanStarted,
    TaskFinished,
    TaskProgress,
)
from tests.engine.test_engine_events import make_engine
from tests.fakes.bilibili import FakeBilibili, world

pytestmark = pytest.mark.timeout(120)


async def wait_for(condition, timeout: float = 60.0, what: str = "") -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await asyncio.sleep(0.02)


async def test_a_parts_progress_covers_both_streams_from_the_start_and_never_goes_back(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(fake_bili, tmp_path, monkeypatch, world.COOKIE)
    events: list[Event] = []
    engine.bus.subscribe(events.append)
    try:
        await engine.add_source(world.SERIES_KEY)
        fake_bili.scenario(media_throttle=40_000)  # a few reports per stream
        result = await engine.sync()
    finally:
        await engine.close()
    assert result.outcome == "done" and result.downloaded == 2
    by_part: dict[int, list[TaskProgress]] = {}
    for event in events:
        if isinstance(event, TaskProgress):
            by_part.setdefault(event.task_id, []).append(event)
    assert len(by_part) == 2, "each video's part reports progress"
    for reports in by_part.values():
        assert len(reports) >= 4, "slow enough to see the bar move"
        totals = [r.total_bytes for r in reports]
        dones = [r.done_bytes for r in reports]
        assert totals[0] == totals[-1] > 0, f"the size of video and audio together is known up front: {totals}"
        assert totals == sorted(totals), f"the total never shrinks: {totals}"
        assert dones == sorted(dones), f"done never goes back: {dones}"
        fractions = [d / t for d, t in zip(dones, totals, strict=True)]
        assert fractions == sorted(fractions), f"the bar never runs backwards: {fractions}"
        assert dones[-1] == totals[-1], "it ends full"


async def test_a_stream_finished_before_a_pause_is_kept_and_not_fetched_again(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(fake_bili, tmp_path, monkeypatch, world.COOKIE)
    monkeypatch.setitem(engine.config.values, "limits.videos", 1)  # one video at a time
    events: list[Event] = []
    engine.bus.subscribe(events.append)
    library = tmp_path / "lib"
    try:
        await engine.add_source(world.SERIES_KEY)
        fake_bili.scenario(media_throttle=15_000)
        round_ = asyncio.ensure_future(engine.sync())

        def video_done_audio_going() -> list[Path]:
            return [
                p for p in library.rglob("*.video.m4s")
                if p.with_name(p.name.replace(".video.m4s", ".audio.m4s.part")).exists()
            ]  # fmt: skip

        await wait_for(video_done_audio_going, what="the video stream finished, the audio one under way")
        stream = video_done_audio_going()[0]
        video_id = next(iter(engine.running.jobs))
        await engine.pause_tasks([video_id])
        await round_
        assert stream.is_file(), "the finished video stream is kept through the pause"
        kept = stream.stat().st_size

        before = fake_bili.state()["media"]["bytes"]
        await engine.resume_tasks([video_id])
        await engine.sync()
        fetched = fake_bili.state()["media"]["bytes"] - before
        assert fetched < kept, f"after resuming, {fetched} bytes fetched: the {kept}-byte video stream was not again"
        parts = await engine.task_children(video_id)
        assert parts[0].state == "done" and Path(parts[0].path).is_file()
        assert not stream.exists(), "merged, the stream files go"
    finally:
        await engine.close()


async def run_schedule(engine):  # type: ignore[no-untyped-def]
    """The engine as the window and the daemon run it: its schedule going in the background."""
    stop = asyncio.Event()
    return stop, asyncio.ensure_future(engine.run_daemon(stop))


async def test_a_resumed_or_retried_task_downloads_at_once_not_in_the_next_round(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(fake_bili, tmp_path, monkeypatch, world.COOKIE)
    events: list[Event] = []
    engine.bus.subscribe(events.append)
    try:
        await engine.add_source(world.SERIES_KEY)
        await engine.sync()  # scanned and downloaded; the next round is 20 minutes away
        first, second = (t.id for t in await engine.tasks())
        await engine.reset_tasks(force=True, task_ids=[first, second])
        await engine.pause_tasks([first])
        await engine.cancel_tasks([second])
        stop, schedule = await run_schedule(engine)
        await asyncio.sleep(0.5)
        assert engine.next_round_at() is not None and engine.active_downloads == 0, "nothing due, nothing running"
        events.clear()

        def finished(task_id: int) -> bool:
            return any(isinstance(e, TaskFinished) and e.task_id == task_id and e.ok for e in events)

        await engine.resume_tasks([first])
        await wait_for(lambda: finished(first), timeout=30, what="the resumed video downloaded")
        await engine.retry_tasks([second])
        await wait_for(lambda: finished(second), timeout=30, what="the retried video downloaded")
        assert not any(isinstance(e, RoundStarted) for e in events), "no round was needed"
        assert [t.state for t in await engine.tasks()] == ["done", "done"]
        stop.set()
        await schedule
    finally:
        await engine.close()


async def test_a_task_resumed_during_a_round_joins_it_and_downloads_once(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(fake_bili, tmp_path, monkeypatch, world.COOKIE)
    monkeypatch.setitem(engine.config.values, "limits.videos", 1)
    events: list[Event] = []
    engine.bus.subscribe(events.append)
    try:
        await engine.add_source(world.SERIES_KEY)
        await engine.sync()
        ids = [t.id for t in await engine.tasks()]
        await engine.reset_tasks(force=True, task_ids=ids)
        await engine.pause_tasks([ids[0]])
        stop, schedule = await run_schedule(engine)
        events.clear()
        fake_bili.scenario(media_throttle=30_000)
        round_ = asyncio.ensure_future(engine.sync())
        await wait_for(lambda: engine.active_downloads == 1, what="the round downloading its one video")
        await engine.resume_tasks([ids[0]])
        await engine.resume_tasks([ids[0]])  # asked twice: still fetched once
        result = await round_
        await wait_for(lambda: sum(isinstance(e, TaskFinished) for e in events) >= 2, what="both videos finished")
        assert result.outcome == "done"
        finished = [e.task_id for e in events if isinstance(e, TaskFinished)]
        assert sorted(finished) == sorted(ids), f"each video downloaded once: {finished}"
        assert [t.state for t in await engine.tasks()] == ["done", "done"]
        stop.set()
        await schedule
    finally:
        await engine.close()


async def test_a_new_source_is_scanned_within_seconds_and_one_added_meanwhile_joins_the_round(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(fake_bili, tmp_path, monkeypatch, world.COOKIE)
    events: list[Event] = []
    engine.bus.subscribe(events.append)
    loop = asyncio.get_running_loop()
    try:
        stop, schedule = await run_schedule(engine)
        await asyncio.sleep(0.5)  # the schedule found nothing to sync and waits
        fake_bili.scenario(media_throttle=30_000)
        added_at = loop.time()
        series = await engine.add_source(world.SERIES_KEY)

        def began(source_id: int) -> bool:
            return any(isinstance(e, SourceScanStarted) and e.source_id == source_id for e in events)

        await wait_for(lambda: began(series.id), timeout=10, what="the new source's scan")
        assert loop.time() - added_at < 5, "the first scan starts within seconds"
        await wait_for(
            lambda: any(isinstance(e, SourceDownloading) and e.source_id == series.id for e in events),
            what="its videos downloading",
        )
        season = await engine.add_source(world.SEASON_KEY)  # while the round downloads
        await wait_for(lambda: began(season.id), timeout=30, what="the second source taken into the round")
        await wait_for(lambda: any(isinstance(e, RoundFinished) for e in events), timeout=60, what="the round")
        assert sum(isinstance(e, RoundStarted) for e in events) == 1, "one round took both"
        scanned = {e.source_id: e.new_items for e in events if isinstance(e, SourceScanned)}
        assert scanned == {series.id: 2, season.id: 3}
        idle = [e.source_id for e in events if isinstance(e, SourceIdle)]
        assert idle == [series.id, season.id], "each source's turn ends"
        stop.set()
        await schedule
    finally:
        await engine.close()
