"""Links that are not in the library become tasks at once; each task fetches its own link
(a stage with progress), retries a dropped download, keeps what it fetched while it can be
retried, removes it once its note is written or its batch cancelled, and a several-part
video is one task per part."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from keyring.backends.null import Keyring as NullKeyring

from core.config import load_config
from core.engine.engine import Engine
from core.engine.notes.events import NoteTaskChanged
from core.events import Event
from core.secrets import SecretStore
from tests.fakes.bilibili import FakeBilibili, world
from tests.notes.fake_client import ScriptedClient

PLAYURL = "/x/player/wbi/playurl"
SPRING = f"https://www.bilibili.com/video/{world.BVID_SPRING}/"
MULTI = f"https://www.bilibili.com/video/{world.BVID_MULTIPAGE}/"
HOSTILE = f"https://www.bilibili.com/video/{world.BVID_HOSTILE}"
DELETED = f"https://www.bilibili.com/video/{world.BVID_DELETED}"


@pytest.fixture
async def site(fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
               client: ScriptedClient) -> AsyncIterator[Engine]:  # fmt: skip
    monkeypatch.setenv("SYNCDECK_BILIBILI_COOKIE", world.COOKIE)
    environ = {f"SYNCDECK_BILIBILI_{name.upper()}_HOST": url for name, url in fake_bili.hosts().items()}
    environ.update(SYNCDECK_LIBRARY_ROOT=str(tmp_path / "lib"), SYNCDECK_UI_LANGUAGE="en",
                   SYNCDECK_NOTES_RETRY_WAIT_S="0.05")  # fmt: skip
    engine = Engine(load_config(tmp_path / "none.toml", data_dir=tmp_path / "data", environ=environ),
                    secrets=SecretStore(NullKeyring()))  # fmt: skip
    engine.notes.client_factory = lambda name, model: client
    try:
        yield engine
    finally:
        await engine.close()


def cache_files(engine: Engine) -> list[Path]:
    return [p for p in (engine.config.data_dir / "cache" / "notes").rglob("*") if p.is_file()]


def stages(engine: Engine) -> list[NoteTaskChanged]:
    seen: list[NoteTaskChanged] = []

    def hear(event: Event) -> None:
        if isinstance(event, NoteTaskChanged):
            seen.append(event)

    engine.bus.subscribe(hear)
    return seen


async def test_the_batch_exists_at_once_with_a_task_per_part_and_each_task_fetches_its_link(
    site: Engine, fake_bili: FakeBilibili, client: ScriptedClient
) -> None:
    batch = await site.notes.create_batch([MULTI, SPRING, f"{MULTI}?p=2"], workers=2)
    assert fake_bili.calls(PLAYURL) == 0, "nothing is fetched before the batch exists"
    tasks = await site.notes.batch_tasks(batch.id)
    assert [t.title for t in tasks] == [
        "【三集连播】多P测试视频 — P1 第一集：出发", "【三集连播】多P测试视频 — P2 第二集：路上",
        "【三集连播】多P测试视频 — P3 第三集：到达", "春日散步 Vlog",
    ], "one task per part (the part named again is not a second task), titles from the lookup"  # fmt: skip
    assert {(t.state, t.video_path) for t in tasks} == {("pending", "")}

    heard = stages(site)
    view = await site.notes.run_batch(batch.id)
    assert (view.state, view.done) == ("done", 4)
    tasks = await site.notes.batch_tasks(batch.id)
    assert [t.transcript_source for t in tasks] == ["subtitles", "transcription", "transcription", "subtitles"]
    assert fake_bili.calls(PLAYURL) == 4, "each task asked for its own part's streams"
    for task in tasks:
        mine = [e for e in heard if e.task_id == task.id and e.state == "running"]
        assert mine[0].stage == "fetch", "fetching is the task's first stage"
        assert all(e.progress <= 0.2 for e in mine if e.stage == "fetch")
        assert any(e.stage == "writing" for e in mine)
    assert cache_files(site) == [], "what was fetched is removed once the notes are written"

    again = await site.notes.run_batch((await site.notes.create_batch([SPRING])).id)
    assert (again.state, again.skipped) == ("done", 1), "a link whose note is there is not made again"
    assert fake_bili.calls(PLAYURL) == 4, "nor fetched again"


async def test_a_dropped_download_goes_on_a_failed_note_keeps_its_fetch_and_a_dead_link_says_why(
    site: Engine, fake_bili: FakeBilibili, client: ScriptedClient
) -> None:
    fake_bili.scenario(truncate={"endpoint": "media", "count": 1})
    client.fail = {"spoken words": "the model refused"}
    batch = await site.notes.create_batch([HOSTILE, DELETED])
    view = await site.notes.run_batch(batch.id)
    hostile, deleted = await site.notes.batch_tasks(batch.id)
    assert view.state == "failed"
    # the cut download went on from its .part within the first attempt; the model's refusal failed it
    assert (hostile.state, hostile.attempts, hostile.error) == ("failed", 1, "the model refused")
    assert deleted.title == DELETED and deleted.attempts == 1, "a deleted video is not tried again"
    assert deleted.error.startswith("cannot be read from its site (")
    kept = [p for p in cache_files(site) if p.suffix == ".m4a"]
    assert len(kept) == 1 and kept[0].stat().st_size > 0, "kept while the task can be retried"

    client.fail = {}
    asked = fake_bili.calls(PLAYURL)
    await site.notes.retry_failed(batch.id)
    await site.notes.resume_batch(batch.id, background=False)
    hostile, _ = await site.notes.batch_tasks(batch.id)
    assert (hostile.state, hostile.transcript_source) == ("done", "transcription")
    assert fake_bili.calls(PLAYURL) == asked, "the retry used the kept audio"
    assert cache_files(site) == []


async def test_pause_keeps_the_fetched_audio_for_resume_and_cancel_removes_it(
    site: Engine, fake_bili: FakeBilibili, client: ScriptedClient
) -> None:
    def stop_after_fetch(batch_id: int, action: str) -> None:
        def hear(event: Event) -> None:
            if isinstance(event, NoteTaskChanged) and event.batch_id == batch_id and event.stage == "transcript":
                unsubscribe()
                asyncio.ensure_future(getattr(site.notes, action)(batch_id))

        unsubscribe = site.bus.subscribe(hear)

    paused = await site.notes.create_batch([HOSTILE])
    stop_after_fetch(paused.id, "pause_batch")
    assert (await site.notes.run_batch(paused.id)).state == "paused"
    [task] = await site.notes.batch_tasks(paused.id)
    assert task.state == "pending" and Path(task.video_path).is_file(), "the fetched audio waits for the resume"
    asked = fake_bili.calls(PLAYURL)
    assert (await site.notes.resume_batch(paused.id, background=False)).state == "done"
    assert fake_bili.calls(PLAYURL) == asked, "resuming fetched nothing again"

    cancelled = await site.notes.create_batch([f"{MULTI}?p=3"])
    stop_after_fetch(cancelled.id, "cancel_batch")
    assert (await site.notes.run_batch(cancelled.id)).state == "cancelled"
    assert cache_files(site) == [], "a cancelled batch's fetched files are removed"
