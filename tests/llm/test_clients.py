"""The two clients against the fakes over real HTTP: what notes get from an LLM account."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from core.errors import LlmError
from core.llm.protocol import Message
from tests.fakes.gemini_fake import FakeGemini
from tests.fakes.openai_fake import FakeOpenAI
from tests.llm import clients

HELLO = [Message("system", "Be brief."), Message("user", "hello there")]


async def test_openai_complete_stream_and_transcribe(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    client = clients.openai(fake_openai.base_url, ["sk-one"], transcribe_model="whisper-1")
    done = await client.complete(HELLO, max_tokens=50)
    assert done.text == "Echo: hello there" and done.usage.completion_tokens == 3
    pieces = [p async for p in client.stream(HELLO)]
    assert len(pieces) > 1 and "".join(pieces) == "Echo: hello there"
    audio = tmp_path / "talk.mp3"
    audio.write_bytes(b"ID3" + b"\0" * 100)
    segments = await client.transcribe(audio, language="en")
    assert [(s.start, s.text) for s in segments] == [(0.0, "Hello and welcome."), (2.5, "Today we talk about notes.")]
    sent = fake_openai.requests("/v1/audio/transcriptions")[0]
    assert sent["fields"]["response_format"] == "verbose_json" and sent["file_bytes"] == 103


async def test_openai_retry_after_is_honoured(fake_openai: FakeOpenAI) -> None:
    fake_openai.script(faults=[{"status": 429, "kind": "minute", "retry_after": 1, "path": "/chat"}])
    client = clients.openai(fake_openai.base_url, ["sk-one"])
    started = time.monotonic()
    assert (await client.complete(HELLO)).text.startswith("Echo")
    assert time.monotonic() - started >= 1.0
    calls = fake_openai.requests("/chat/completions")
    assert len(calls) == 2 and calls[1]["time"] - calls[0]["time"] >= 1.0


async def test_openai_5xx_retried_then_given_up(fake_openai: FakeOpenAI) -> None:
    fake_openai.script(faults=[{"status": 503, "kind": "error", "times": 1}])
    client = clients.openai(fake_openai.base_url, ["sk-one"], max_retries=1)
    assert (await client.complete(HELLO)).text.startswith("Echo")
    fake_openai.script(faults=[{"status": 500, "kind": "error", "times": -1}])
    with pytest.raises(LlmError, match="HTTP 500"):
        await client.complete(HELLO)


async def test_openai_daily_quota_rotates_to_next_key(fake_openai: FakeOpenAI) -> None:
    fake_openai.script(key_modes={"sk-spent-key-1": "day"})
    client = clients.openai(fake_openai.base_url, ["sk-spent-key-1", "sk-fresh-key-2"])
    for _ in range(3):
        assert (await client.complete(HELLO)).text.startswith("Echo")
    keys = [r["key"] for r in fake_openai.requests("/chat/completions")]
    assert keys == ["sk-spent-key-1", "sk-fresh-key-2", "sk-fresh-key-2", "sk-fresh-key-2"]
    assert client.ctx.pool.usable() == ["sk-fresh-key-2"]


async def test_invalid_key_message_never_shows_the_key(fake_openai: FakeOpenAI) -> None:
    fake_openai.script(key_modes={"sk-bad-secret-123": "invalid"})
    client = clients.openai(fake_openai.base_url, ["sk-bad-secret-123"])
    with pytest.raises(LlmError) as caught:
        await client.complete(HELLO)
    assert "invalid" in str(caught.value) and "sk-bad-secret-123" not in str(caught.value)


async def test_gemini_video_upload_active_generate_delete(fake_gemini: FakeGemini, tmp_path: Path) -> None:
    fake_gemini.script(processing_polls=2)
    video = tmp_path / "lecture.mp4"
    video.write_bytes(b"\0\0\0\x18ftypmp42" + b"x" * 5000)
    client = clients.gemini(fake_gemini.base_url, ["AIza-one"], poll_s=0.05)
    done = await client.complete_with_video(video, "Write notes.")
    assert "[video lecture 5012 bytes]" in done.text and "Write notes." in done.text
    assert done.usage.prompt_tokens > 300
    polls = fake_gemini.requests("/v1beta/files/")
    assert [r["method"] for r in polls] == ["GET", "GET", "DELETE"]
    assert fake_gemini.files()["files"] == [] and len(fake_gemini.files()["deleted"]) == 1
    sent = fake_gemini.requests(":generateContent")[0]["body"]["contents"][0]["parts"]
    assert "file_data" in sent[0] and sent[1] == {"text": "Write notes."}


async def test_gemini_chat_stream_and_system_instruction(fake_gemini: FakeGemini) -> None:
    client = clients.gemini(fake_gemini.base_url, ["AIza-one"])
    done = await client.complete(HELLO)
    assert done.text == "Echo: hello there" and done.model == "gemini-2.5-flash"
    body = fake_gemini.requests(":generateContent")[0]["body"]
    assert body["systemInstruction"] == {"parts": [{"text": "Be brief."}]}
    fake_gemini.script(reply="one two three four five six seven")
    assert "".join([p async for p in client.stream(HELLO)]) == "one two three four five six seven"


async def test_gemini_per_minute_waits_retry_delay(fake_gemini: FakeGemini) -> None:
    fake_gemini.script(faults=[{"status": 429, "kind": "minute", "retry_after": 1, "path": "generateContent"}])
    client = clients.gemini(fake_gemini.base_url, ["AIza-one", "AIza-two"])
    started = time.monotonic()
    await client.complete(HELLO)
    assert time.monotonic() - started >= 1.0
    assert client.ctx.pool.usable() == ["AIza-one", "AIza-two"]  # a minute limit spends no key


async def test_gemini_per_day_rotates_and_restarts_the_video_flow(fake_gemini: FakeGemini, tmp_path: Path) -> None:
    fake_gemini.script(
        processing_polls=0, faults=[{"status": 429, "kind": "day", "key": "AIza-one", "path": "generate"}]
    )
    video = tmp_path / "v.mp4"
    video.write_bytes(b"x" * 100)
    client = clients.gemini(fake_gemini.base_url, ["AIza-one", "AIza-two"], poll_s=0.01)
    await client.complete_with_video(video, "Notes.")
    state = client.ctx.pool.states
    spent = [s for s in state.values() if s.exhausted_until]
    assert len(spent) == 1 and spent[0].exhausted_until is not None
    # spent until the next midnight in California
    local = spent[0].exhausted_until.astimezone(__import__("zoneinfo").ZoneInfo("America/Los_Angeles"))
    assert (local.hour, local.minute) == (0, 0)
    assert [r["key"] for r in fake_gemini.requests(":generateContent")] == ["AIza-one", "AIza-two"]
    assert fake_gemini.files()["files"] == [] and len(fake_gemini.files()["deleted"]) == 2


async def test_all_keys_spent_says_when(fake_gemini: FakeGemini) -> None:
    fake_gemini.script(key_modes={"AIza-one": "day"})
    client = clients.gemini(fake_gemini.base_url, ["AIza-one"])
    with pytest.raises(LlmError, match="daily quota"):
        await client.complete(HELLO)


async def test_rate_limit_buckets_space_requests(fake_openai: FakeOpenAI) -> None:
    client = clients.openai(fake_openai.base_url, ["sk-one"], rpm=120)  # 2 a second, burst of 120
    client.ctx.limiter.requests.level = 1  # an emptied bucket: the next ones come at the refill rate
    started = time.monotonic()
    for _ in range(3):
        await client.complete(HELLO)
    assert time.monotonic() - started >= 0.9
    times = [r["time"] for r in fake_openai.requests("/chat/completions")]
    assert times[2] - times[1] >= 0.45


def test_both_clients_offer_the_whole_protocol() -> None:
    import inspect

    from core.llm.gemini_client import GeminiClient
    from core.llm.openai_client import OpenAIClient
    from core.llm.protocol import LlmClient

    for cls in (OpenAIClient, GeminiClient):
        for name in ("complete", "stream", "transcribe", "complete_with_video"):
            wanted = inspect.signature(getattr(LlmClient, name))
            assert inspect.signature(getattr(cls, name)).parameters.keys() == wanted.parameters.keys(), (cls, name)
        assert inspect.isasyncgenfunction(cls.stream)
        for attribute in ("model", "can_transcribe", "can_watch_video"):
            instance = cls.__new__(cls)
            instance.ctx = clients.context("x", "http://127.0.0.1:1", ["k"])
            cls.__init__(instance, instance.ctx, "m")
            assert hasattr(instance, attribute)


async def test_reasoning_models_get_max_completion_tokens(fake_openai: FakeOpenAI) -> None:
    fake_openai.script(reasoning_models=["o4-mini"], reply="OK")
    client = clients.openai(fake_openai.base_url, ["sk-one"], model="o4-mini")
    assert await client.ping() == "OK"
    sent = [r["body"] for r in fake_openai.requests("/chat/completions")]
    assert "max_tokens" in sent[0] and sent[1]["max_completion_tokens"] == 1 and "max_tokens" not in sent[1]


async def test_sampling_settings_reach_both_apis_and_refused_ones_are_left_out(
    fake_openai: FakeOpenAI, fake_gemini: FakeGemini
) -> None:
    hello = [Message("user", "hello")]
    fake_openai.script(reasoning_models=["o4-mini"], reply="OK")
    chat = clients.openai(fake_openai.base_url, ["sk-one"], model="gpt-4o-mini")
    await chat.complete(hello, max_tokens=900, temperature=0.5, top_p=0.95)
    assert [r["body"] for r in fake_openai.requests("/chat/completions")][0] == {
        "model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hello"}], "max_tokens": 900,
        "temperature": 0.5, "top_p": 0.95,
    }  # fmt: skip
    reasoning = clients.openai(fake_openai.base_url, ["sk-one"], model="o4-mini")
    assert (await reasoning.complete(hello, max_tokens=900, temperature=0.5, top_p=0.95)).text == "OK"
    sent = [r["body"] for r in fake_openai.requests("/chat/completions")][1:]
    assert len(sent) == 4  # max_tokens, then temperature, then top_p refused; the fourth is answered
    assert sent[-1]["max_completion_tokens"] == 900 and not {"max_tokens", "temperature", "top_p"} & set(sent[-1])
    await reasoning.complete(hello, max_tokens=900, temperature=0.5)  # the account remembers what the model refused
    assert len(fake_openai.requests("/chat/completions")) == 6

    gemini = clients.gemini(fake_gemini.base_url, ["AIza-one"], poll_s=0.01)
    await gemini.complete(hello, max_tokens=4096, temperature=0.5, top_p=0.95)
    await gemini.complete(hello)
    configs = [r["body"].get("generationConfig") for r in fake_gemini.requests(":generateContent")]
    assert configs == [{"maxOutputTokens": 4096, "temperature": 0.5, "topP": 0.95}, None]


async def test_gemini_upload_in_chunks(
    fake_gemini: FakeGemini, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.llm import gemini_client

    monkeypatch.setattr(gemini_client, "CHUNK", 1000)
    fake_gemini.script(processing_polls=0)
    video = tmp_path / "long.webm"
    video.write_bytes(bytes(range(250)) * 10)
    client = clients.gemini(fake_gemini.base_url, ["AIza-one"], poll_s=0.01)
    await client.complete_with_video(video, "Notes.")
    pieces = fake_gemini.requests("#bytes")
    assert [(p["offset"], p["length"], p["command"]) for p in pieces] == [
        ("0", 1000, "upload"), ("1000", 1000, "upload"), ("2000", 500, "upload, finalize")]  # fmt: skip
    start = fake_gemini.requests("/upload/v1beta/files")[0]
    assert start["command"] == "start"
