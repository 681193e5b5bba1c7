"""Batches in the engine: workers, checkpoints, pause/resume/cancel, retries, failures."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from core.engine.engine import Engine
from core.engine.notes.events import NoteBatchFinished
from tests.notes.fake_client import ScriptedClient
from tests.notes.media import copies


async def test_twenty_videos_with_subtitles_become_notes_with_four_workers(
    engine: Engine, client: ScriptedClient, tiny_video: Path, tmp_path: Path
) -> None:
    videos = copies(tiny_video, tmp_path / "course", 20, subtitles=True)
    finished: list[NoteBatchFinished] = []
    engine.bus.subscribe(lambda e: finished.append(e) if isinstance(e, NoteBatchFinished) else None)
    batch = await engine.notes.create_batch([str(tmp_path / "course")], workers=4, formats=["md", "json"])
    assert batch.total == 20 and batch.state == "queued"

    view = await engine.notes.run_batch(batch.id)

    assert view.state == "done" and view.done == 20 and view.failed == 0
    assert view.prompt_tokens == 20 * 120 and view.completion_tokens == 20 * 40
    assert abs(view.cost - 20 * 0.002) < 1e-9
    for video in videos:
        md = video.with_name(f"{video.stem}.summary_report.md")
        assert md.is_file() and json.loads(md.with_suffix(".json").read_text(encoding="utf-8"))["title"] == video.stem
    assert not [c for c in client.calls if c[0] == "transcribe"], "subtitles were there: no speech-to-text"
    tasks = await engine.notes.batch_tasks(batch.id)
    assert {t.transcript_source for t in tasks} == {"subtitles"}
    assert finished and finished[0].done == 20 and finished[0].state == "done"


async def test_without_subtitles_the_audio_is_transcribed(
    engine: Engine, client: ScriptedClient, tiny_video: Path, tmp_path: Path
) -> None:
    copies(tiny_video, tmp_path / "course", 3, subtitles=False)
    batch = await engine.notes.create_batch([str(tmp_path / "course")], workers=2)
    view = await engine.notes.run_batch(batch.id)
    assert view.done == 3
    assert len([c for c in client.calls if c[0] == "transcribe"]) == 3
    assert {t.transcript_source for t in await engine.notes.batch_tasks(batch.id)} == {"transcription"}


async def test_a_video_only_account_watches_the_video(
    engine: Engine, client: ScriptedClient, tiny_video: Path, tmp_path: Path
) -> None:
    client.can_transcribe, client.can_watch_video = False, True
    copies(tiny_video, tmp_path / "course", 2, subtitles=False)
    view = await engine.notes.run_batch((await engine.notes.create_batch([str(tmp_path / "course")])).id)
    assert view.done == 2 and len([c for c in client.calls if c[0] == "video"]) == 2


async def test_a_failed_task_says_why_and_the_others_finish(
    engine: Engine, client: ScriptedClient, tiny_video: Path, tmp_path: Path
) -> None:
    copies(tiny_video, tmp_path / "course", 4, subtitles=True)
    client.fail = {"lecture 03": "the model refused: content policy"}
    client.transient = {"lecture 02": 2}  # overloaded twice, then fine
    batch = await engine.notes.create_batch([str(tmp_path / "course")], workers=2)
    view = await engine.notes.run_batch(batch.id)
    assert view.state == "failed" and view.done == 3 and view.failed == 1
    tasks = {t.title: t for t in await engine.notes.batch_tasks(batch.id)}
    assert tasks["lecture 03"].state == "failed"
    assert tasks["lecture 03"].error == "the model refused: content policy"
    assert tasks["lecture 02"].state == "done" and tasks["lecture 02"].attempts == 3


async def test_pause_stops_within_a_second_and_resume_redoes_nothing(
    engine: Engine, client: ScriptedClient, tiny_video: Path, tmp_path: Path
) -> None:
    client.latency = 0.3
    copies(tiny_video, tmp_path / "course", 12, subtitles=True)
    batch = await engine.notes.create_batch([str(tmp_path / "course")], workers=2)
    running = asyncio.ensure_future(engine.notes.run_batch(batch.id))
    while (await engine.notes.batch(batch.id)).done < 3:
        await asyncio.sleep(0.05)
    asked = time.monotonic()
    await engine.notes.pause_batch(batch.id)
    paused = await running
    assert time.monotonic() - asked < 1.0
    assert paused.state == "paused" and paused.running == 0 and 3 <= paused.done < 12
    done_before = {t.id: t.finished_at for t in await engine.notes.batch_tasks(batch.id) if t.state == "done"}
    calls_before = len(client.calls)

    view = await engine.notes.resume_batch(batch.id, background=False)

    assert view.state == "done" and view.done == 12
    tasks = await engine.notes.batch_tasks(batch.id)
    after = {t.id: t.finished_at for t in tasks}
    assert all(after[i] == when for i, when in done_before.items()), "finished notes were not written again"
    # A note whose files were written just as the pause came is found on resume, not asked for again.
    found = sum(1 for t in tasks if t.state == "skipped")
    assert len(client.calls) - calls_before == 12 - len(done_before) - found


async def test_cancel_ends_the_batch_and_leaves_the_rest_cancelled(
    engine: Engine, client: ScriptedClient, tiny_video: Path, tmp_path: Path
) -> None:
    client.latency = 0.3
    copies(tiny_video, tmp_path / "course", 8, subtitles=True)
    batch = await engine.notes.create_batch([str(tmp_path / "course")], workers=2)
    running = asyncio.ensure_future(engine.notes.run_batch(batch.id))
    while (await engine.notes.batch(batch.id)).done < 2:
        await asyncio.sleep(0.05)
    await engine.notes.cancel_batch(batch.id)
    view = await running
    assert view.state == "cancelled" and view.cancelled >= 1 and view.done + view.cancelled == 8


async def test_notes_already_written_are_skipped(
    engine: Engine, client: ScriptedClient, tiny_video: Path, tmp_path: Path
) -> None:
    copies(tiny_video, tmp_path / "course", 3, subtitles=True)
    first = await engine.notes.run_batch((await engine.notes.create_batch([str(tmp_path / "course")])).id)
    calls = len(client.calls)
    second = await engine.notes.run_batch((await engine.notes.create_batch([str(tmp_path / "course")])).id)
    assert first.done == 3 and second.done == 3 and second.skipped == 3
    assert len(client.calls) == calls


async def test_hooks_hear_of_each_note_written_and_each_failure(
    engine: Engine, client: ScriptedClient, tiny_video: Path, tmp_path: Path
) -> None:
    plugins = engine.config.data_dir / "plugins"
    plugins.mkdir(parents=True)
    heard = tmp_path / "heard.jsonl"
    plugin = (
        "import json\n"
        "def register(hooks):\n"
        "    for event in ('note_written', 'task_failed'):\n"
        f"        hooks.on(event, lambda payload, event=event: open({str(heard)!r}, 'a').write(\n"
        "            json.dumps({'event': event, **payload}) + '\\n'))\n"
    )
    (plugins / "record.py").write_text(plugin, encoding="utf-8")
    copies(tiny_video, tmp_path / "course", 2, subtitles=True)
    client.fail = {"lecture 02": "no credit left"}
    await engine.notes.run_batch((await engine.notes.create_batch([str(tmp_path / "course")])).id)
    events = sorted((json.loads(line) for line in heard.read_text().splitlines()), key=lambda e: e["event"])
    assert [e["event"] for e in events] == ["note_written", "task_failed"]
    written, failed = events
    assert written["path"] == str(tmp_path / "course" / "lecture 01.summary_report.md")
    assert (written["template"], written["model"], written["title"]) == ("summary_report", "fake-model", "lecture 01")
    assert failed["error"] == "no credit left" and failed["title"] == "lecture 02"
