"""The LLM fakes answer with the real APIs' shapes and follow their scripts."""

from __future__ import annotations

import json

import httpx

from tests.fakes.gemini_fake import FakeGemini
from tests.fakes.openai_fake import FakeOpenAI


def test_openai_fake_models_chat_stream_and_429(fake_openai: FakeOpenAI) -> None:
    headers = {"Authorization": "Bearer sk-test-1"}
    with httpx.Client(base_url=fake_openai.api_base, headers=headers, trust_env=False) as http:
        assert "gpt-4o-mini" in [m["id"] for m in http.get("/models").json()["data"]]
        reply = http.post("/chat/completions", json={"model": "m", "messages": [{"role": "user", "content": "hi"}]})
        assert reply.json()["choices"][0]["message"]["content"] == "Echo: hi"
        with http.stream(
            "POST",
            "/chat/completions",
            json={"model": "m", "stream": True, "messages": [{"role": "user", "content": "a b"}]},
        ) as s:
            lines = [line for line in s.iter_lines() if line.startswith("data: ")]
        assert lines[-1] == "data: [DONE]"
        text = "".join(json.loads(line[6:])["choices"][0]["delta"].get("content", "") for line in lines[:-1])
        assert text == "Echo: a b"
        fake_openai.script(faults=[{"status": 429, "kind": "minute", "retry_after": 2}])
        limited = http.get("/models")
        assert limited.status_code == 429 and limited.headers["retry-after"] == "2"
        assert http.get("/models").status_code == 200
        files = {"file": ("a.mp3", b"ID3xxxx", "audio/mpeg")}
        out = http.post(
            "/audio/transcriptions", files=files, data={"model": "whisper-1", "response_format": "verbose_json"}
        )
        assert out.json()["segments"][1]["start"] == 2.5
    assert [r["key"] for r in fake_openai.requests("/v1/models")] == ["sk-test-1"] * 3


def test_gemini_fake_upload_process_generate_delete(fake_gemini: FakeGemini) -> None:
    key = {"key": "AIza-test-1"}
    with httpx.Client(base_url=fake_gemini.base_url, trust_env=False) as http:
        start = http.post(
            "/upload/v1beta/files",
            params=key,
            json={"file": {"display_name": "clip"}},
            headers={
                "X-Goog-Upload-Protocol": "resumable",
                "X-Goog-Upload-Command": "start",
                "X-Goog-Upload-Header-Content-Length": "5",
                "X-Goog-Upload-Header-Content-Type": "video/mp4",
            },
        )
        url = start.headers["x-goog-upload-url"]
        done = http.post(
            url, content=b"12345", headers={"X-Goog-Upload-Offset": "0", "X-Goog-Upload-Command": "upload, finalize"}
        )
        file = done.json()["file"]
        assert file["state"] == "PROCESSING" and file["sizeBytes"] == "5"
        body = {
            "contents": [
                {"parts": [{"file_data": {"mime_type": "video/mp4", "file_uri": file["uri"]}}, {"text": "notes"}]}
            ]
        }
        early = http.post("/v1beta/models/gemini-2.5-flash:generateContent", params=key, json=body)
        assert early.status_code == 400 and early.json()["error"]["status"] == "FAILED_PRECONDITION"
        assert http.get(f"/v1beta/{file['name']}", params=key).json()["state"] == "ACTIVE"
        answer = http.post("/v1beta/models/gemini-2.5-flash:generateContent", params=key, json=body).json()
        assert "notes" in answer["candidates"][0]["content"]["parts"][0]["text"]
        fake_gemini.script(faults=[{"status": 429, "kind": "day"}])
        quota = http.post("/v1beta/models/gemini-2.5-flash:generateContent", params=key, json=body).json()
        assert "PerDay" in quota["error"]["details"][0]["violations"][0]["quotaId"]
        assert http.delete(f"/v1beta/{file['name']}", params=key).status_code == 200
    assert fake_gemini.files() == {"files": [], "deleted": [file["name"]]}
