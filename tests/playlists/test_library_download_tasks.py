"""Downloads into the library as tasks of no source, over the fake Alist (Range, a throttle knob)
and a real keyring: the task verbs pause, resume and retry them, and a long-running engine
(the window, the daemon) continues what an earlier run left unfinished; a one-off command
does not."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from core.config import Config, load_config
from core.engine.engine import Engine
from core.engine.playlists.views import EntryView
from core.tasks.views import TaskView
from tests.fakes.alist import FakeAlist
from tests.keyring_service import PrivateSecretService, secret_service  # noqa: F401

pytestmark = [pytest.mark.keyring, pytest.mark.timeout(60)]

CLIP = "/Movies/Clip.mp4"
SLOW = 2000  # bytes per second: the clip takes several seconds, time to pause it


def _config(root: Path) -> Config:
    return load_config(root / "config.toml", data_dir=root / "data",
                       environ={"SYNCDECK_LIBRARY_ROOT": str(root / "library")})  # fmt: skip


@pytest.fixture
async def engine(tmp_path: Path, secret_service: PrivateSecretService) -> AsyncIterator[Engine]:  # noqa: F811
    engine = Engine(_config(tmp_path))
    yield engine
    await engine.close()


async def _clip_entry(engine: Engine, fake: FakeAlist) -> EntryView:
    await engine.servers.login("alist", fake.base_url, FakeAlist.USER, FakeAlist.PASSWORD, name="nas")
    playlist = await engine.playlists.create("Server")
    entry = await engine.playlists.add_ref(playlist, f"nas:{CLIP}", servers=engine.servers)
    assert isinstance(entry, EntryView)
    return entry


async def _task(engine: Engine, task_id: int) -> TaskView:
    [task] = [t for t in await engine.tasks() if t.id == task_id]
    return task


async def _until(check: Callable[[], Awaitable[bool]], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


async def _state_is(engine: Engine, task_id: int, state: str) -> None:
    async def check() -> bool:
        return (await _task(engine, task_id)).state == state

    await _until(check, f"task #{task_id} {state}")


async def _some_bytes(engine: Engine, task_id: int) -> None:
    async def check() -> bool:
        return (await _task(engine, task_id)).bytes_done > 0  # reported once a second

    await _until(check, "the first bytes")


def _clip_bytes(fake: FakeAlist) -> bytes:
    return (fake.media_dir / "alist-clip.mp4").read_bytes()


def _ranges(fake: FakeAlist) -> list[str]:
    return [d["range"] for d in fake.state()["downloads"] if d["path"] == CLIP]


class Schedule:
    """The window's or the daemon's schedule running beside the test."""

    def __init__(self, engine: Engine) -> None:
        self.stop = asyncio.Event()
        self.job = asyncio.ensure_future(engine.run_daemon(self.stop))

    async def end(self) -> None:
        self.stop.set()
        await asyncio.wait_for(self.job, 10)


async def test_an_alist_file_pauses_keeping_its_part_and_resumes_with_range(
    engine: Engine,
    fake_alist: FakeAlist,
) -> None:
    entry = await _clip_entry(engine, fake_alist)
    schedule = Schedule(engine)
    fake_alist.knobs(rate=SLOW)
    started = await engine.playback.download_to_library(entry.id)
    target = Path(started.path)
    assert target == engine.config.library_root / "Downloads" / "Alist" / "Clip.mp4"
    await _state_is(engine, started.task_id, "running")
    await _some_bytes(engine, started.task_id)

    assert await engine.pause_tasks([started.task_id]) == [started.task_id]
    assert (await _task(engine, started.task_id)).state == "paused"
    assert engine.active_downloads == 0, "pausing returns once the download has stopped"
    assert target.with_name("Clip.mp4.part").exists() and not target.exists()

    fake_alist.knobs(rate=0)
    assert await engine.resume_tasks([started.task_id]) == [started.task_id]
    await _state_is(engine, started.task_id, "done")
    assert target.read_bytes() == _clip_bytes(fake_alist)
    assert not target.with_name("Clip.mp4.part").exists()
    assert any(r.startswith("bytes=") and not r.startswith("bytes=0-") for r in _ranges(fake_alist)), "resumed"
    await schedule.end()


async def test_cancelling_drops_the_part_and_retry_starts_over(engine: Engine, fake_alist: FakeAlist) -> None:
    entry = await _clip_entry(engine, fake_alist)
    schedule = Schedule(engine)
    fake_alist.knobs(rate=SLOW)
    started = await engine.playback.download_to_library(entry.id)
    await _some_bytes(engine, started.task_id)
    assert await engine.cancel_tasks([started.task_id]) == [started.task_id]
    target = Path(started.path)
    assert (await _task(engine, started.task_id)).state == "cancelled" and engine.active_downloads == 0
    assert not list(target.parent.iterdir()), "no .part, no sidecar"

    fake_alist.knobs(rate=0)
    assert await engine.retry_tasks([started.task_id]) == [started.task_id]
    await _state_is(engine, started.task_id, "done")
    assert target.read_bytes() == _clip_bytes(fake_alist) and _ranges(fake_alist)[-1].startswith("bytes=0-")
    await schedule.end()


async def test_a_failed_download_is_retried(engine: Engine, fake_alist: FakeAlist) -> None:
    entry = await _clip_entry(engine, fake_alist)
    downloads = engine.config.library_root / "Downloads"
    downloads.parent.mkdir(parents=True)
    downloads.write_text("a file where the folder goes")
    failed = await engine.playback.download_to_library(entry.id, wait=True)
    assert failed.state == "failed"
    task = await _task(engine, failed.task_id)
    assert task.state == "failed" and "Downloads" in task.last_error

    downloads.unlink()
    schedule = Schedule(engine)
    assert await engine.retry_tasks([failed.task_id]) == [failed.task_id]
    await _state_is(engine, failed.task_id, "done")
    assert (downloads / "Alist" / "Clip.mp4").read_bytes() == _clip_bytes(fake_alist)
    assert (await _task(engine, failed.task_id)).last_error == ""
    await schedule.end()


@pytest.mark.usefixtures("secret_service")
async def test_an_unfinished_download_goes_on_when_the_window_or_daemon_starts(
    tmp_path: Path, fake_alist: FakeAlist
) -> None:
    first = Engine(_config(tmp_path))
    try:
        entry = await _clip_entry(first, fake_alist)
        fake_alist.knobs(rate=SLOW)
        started = await first.playback.download_to_library(entry.id)  # `playlist download`, then quit
        await _some_bytes(first, started.task_id)
    finally:
        await first.close()
    target = Path(started.path)
    assert target.with_name("Clip.mp4.part").exists() and not target.exists()

    fake_alist.knobs(rate=0)
    requests = len(_ranges(fake_alist))
    again = Engine(_config(tmp_path))
    try:
        await again.status()  # a one-off command: nothing starts
        await asyncio.sleep(0.2)
        assert again.active_downloads == 0 and len(_ranges(fake_alist)) == requests
        assert (await _task(again, started.task_id)).state == "queued"

        again.pause_all()  # the tray's "Pause all": the window starts, nothing downloads
        schedule = Schedule(again)
        await asyncio.sleep(0.2)
        assert again.active_downloads == 0 and len(_ranges(fake_alist)) == requests
        again.resume_all()
        await _state_is(again, started.task_id, "done")
        assert target.read_bytes() == _clip_bytes(fake_alist)
        assert not _ranges(fake_alist)[-1].startswith("bytes=0-"), "continued from the .part"
        await schedule.end()
    finally:
        await again.close()
