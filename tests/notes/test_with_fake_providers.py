"""Batches of 20 videos with 4 workers through each path, with the real LLM clients talking
HTTP to the fake OpenAI-compatible and Gemini servers on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from core.engine.engine import Engine
from tests.fakes.gemini_fake import FakeGemini
from tests.fakes.openai_fake import FakeOpenAI
from tests.llm.clients import gemini, openai
from tests.notes.media import copies

REPLY = "## Main Topic\nNotes\n\n## Key Points\n- [00:01] the point\n"


async def test_twenty_videos_with_subtitles_through_an_openai_compatible_account(
    engine: Engine, fake_openai: FakeOpenAI, tiny_video: Path, tmp_path: Path
) -> None:
    fake_openai.script(reply=REPLY)
    client = openai(fake_openai.api_base, ["sk-one"])
    engine.notes.client_factory = lambda name, model: client
    copies(tiny_video, tmp_path / "course", 20, subtitles=True)
    batch = await engine.notes.create_batch([str(tmp_path / "course")], workers=4, formats=["md", "json"])
    view = await engine.notes.run_batch(batch.id)
    assert (view.state, view.done, view.failed) == ("done", 20, 0)
    chats = fake_openai.requests("/chat/completions")
    assert len(chats) == 20 and not fake_openai.requests("/audio/transcriptions")
    assert "Today we learn how notes are made." in json.dumps(chats[0]["body"], ensure_ascii=False)
    sampling = {k: chats[0]["body"].get(k) for k in ("max_tokens", "temperature", "top_p")}
    assert sampling == {"max_tokens": 4096, "temperature": 0.5, "top_p": None}, "summary_report's settings"
    assert view.prompt_tokens > 0 and view.completion_tokens > 0, "usage from the provider's answers"
    note = json.loads((tmp_path / "course" / "lecture 07.summary_report.json").read_text(encoding="utf-8"))
    assert note["transcript_source"] == "subtitles" and note["timestamps"][0]["seconds"] == 1


async def test_twenty_videos_without_subtitles_are_transcribed(
    engine: Engine, fake_openai: FakeOpenAI, tiny_video: Path, tmp_path: Path
) -> None:
    fake_openai.script(reply=REPLY)
    client = openai(fake_openai.api_base, ["sk-one"], transcribe_model="whisper-1")
    engine.notes.client_factory = lambda name, model: client
    copies(tiny_video, tmp_path / "course", 20, subtitles=False)
    batch = await engine.notes.create_batch([str(tmp_path / "course")], workers=4)
    view = await engine.notes.run_batch(batch.id)
    assert (view.state, view.done) == ("done", 20)
    assert len(fake_openai.requests("/audio/transcriptions")) == 20
    chats = fake_openai.requests("/chat/completions")
    assert len(chats) == 20 and "Hello and welcome." in json.dumps(chats[0]["body"]), "the transcript was used"
    tasks = await engine.notes.batch_tasks(batch.id)
    assert {t.transcript_source for t in tasks} == {"transcription"}


async def test_twenty_videos_watched_by_gemini_upload_and_delete_their_files(
    engine: Engine, fake_gemini: FakeGemini, tiny_video: Path, tmp_path: Path
) -> None:
    fake_gemini.script(reply=REPLY, processing_polls=1)
    client = gemini(fake_gemini.base_url, ["AIza-test-key"], poll_s=0.05)
    engine.notes.client_factory = lambda name, model: client
    copies(tiny_video, tmp_path / "course", 20, subtitles=False)
    batch = await engine.notes.create_batch([str(tmp_path / "course")], workers=4, formats=["md", "html"])
    view = await engine.notes.run_batch(batch.id)
    assert (view.state, view.done) == ("done", 20)
    files = fake_gemini.files()
    assert files["files"] == [] and len(files["deleted"]) == 20, "every upload deleted afterwards"
    generated = fake_gemini.requests(":generateContent")
    assert len(generated) == 20
    assert generated[0]["body"]["generationConfig"] == {"maxOutputTokens": 4096, "temperature": 0.5}
    tasks = await engine.notes.batch_tasks(batch.id)
    assert {t.transcript_source for t in tasks} == {"video"}
    html = (tmp_path / "course" / "lecture 01.summary_report.html").read_text(encoding="utf-8")
    assert "syncdeck://play?" in html


async def test_a_refused_key_fails_the_tasks_with_the_providers_reason(
    engine: Engine, fake_openai: FakeOpenAI, tiny_video: Path, tmp_path: Path
) -> None:
    fake_openai.script(key_modes={"sk-bad": "invalid"})
    client = openai(fake_openai.api_base, ["sk-bad"])
    engine.notes.client_factory = lambda name, model: client
    copies(tiny_video, tmp_path / "course", 2, subtitles=True)
    view = await engine.notes.run_batch((await engine.notes.create_batch([str(tmp_path / "course")])).id)
    assert (view.state, view.failed) == ("failed", 2)
    reasons = {t.error for t in await engine.notes.batch_tasks(view.id)}
    assert len(reasons) == 1 and "sk-bad" not in next(iter(reasons)), reasons
    assert next(iter(reasons)), "a reason is given"


async def test_an_overloaded_server_is_tried_again_later_and_a_spent_daily_quota_fails_at_once(
    engine: Engine, fake_openai: FakeOpenAI, tiny_video: Path, tmp_path: Path
) -> None:
    # The client retries twice by itself; the fake stays overloaded for 4 answers in a row, so
    # the batch's own retry (after notes.retry_wait_s) is what gets the note written.
    fake_openai.script(reply=REPLY, faults=[{"status": 503, "kind": "error", "times": 4, "path": "/chat"}])
    client = openai(fake_openai.api_base, ["sk-one"], max_retries=2)
    engine.notes.client_factory = lambda name, model: client
    copies(tiny_video, tmp_path / "course", 1, subtitles=True)
    view = await engine.notes.run_batch((await engine.notes.create_batch([str(tmp_path / "course")])).id)
    [task] = await engine.notes.batch_tasks(view.id)
    assert (view.state, task.state, task.attempts) == ("done", "done", 2)

    fake_openai.reset()
    fake_openai.script(key_modes={"sk-day": "day"})
    spent = openai(fake_openai.api_base, ["sk-day"])
    engine.notes.client_factory = lambda name, model: spent
    copies(tiny_video, tmp_path / "more", 1, subtitles=True)
    view = await engine.notes.run_batch((await engine.notes.create_batch([str(tmp_path / "more")])).id)
    [task] = await engine.notes.batch_tasks(view.id)
    assert (task.state, task.attempts) == ("failed", 1), "a daily quota is not waited for"
    assert task.error
