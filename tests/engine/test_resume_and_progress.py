"""Progress a person can trust, and pausing that keeps what was finished, on a slow link."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from core.events import Event, TaskProgress
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
        fractions = [d / t for d, t in zip(dones, totals)]
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
