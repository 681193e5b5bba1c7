"""An LlmClient in the test's own process: fixed latency, scripted failures, a record of calls."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import LlmError, TransientError
from core.llm.protocol import Completion, Message, TranscriptSegment, Usage


@dataclass
class ScriptedClient:
    model: str = "fake-model"
    can_transcribe: bool = True
    can_watch_video: bool = False
    latency: float = 0.0
    fail: dict[str, str] = field(default_factory=dict)  # a word in the prompt → the error's message
    transient: dict[str, int] = field(default_factory=dict)  # a word in the prompt → failures before success
    calls: list[tuple[str, str]] = field(default_factory=list)  # (kind, what)
    settings: list[dict[str, Any]] = field(default_factory=list)  # max_tokens, temperature, top_p of each request

    def _check(self, text: str) -> None:
        for word, message in self.fail.items():
            if word in text:
                raise LlmError(message)
        for word, left in self.transient.items():
            if word in text and left > 0:
                self.transient[word] = left - 1
                raise TransientError("the server is overloaded (503)")

    async def complete(self, messages: Sequence[Message], **settings: Any) -> Completion:
        prompt = messages[-1].content
        self.calls.append(("complete", prompt))
        self.settings.append(settings)
        if self.latency:
            await asyncio.sleep(self.latency)
        self._check(prompt)
        title = prompt.split('"')[1] if '"' in prompt else "video"
        body = (f"## Main Topic\n{title}\n\n## Key Points\n- [00:01] the first point\n- [00:02] the second point\n\n"
                "## Conclusion\nDone.\n")  # fmt: skip
        return Completion(body, Usage(120, 40, 0.002), self.model)

    def stream(self, messages: Sequence[Message]):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    async def transcribe(self, audio: Path, *, language: str = "") -> list[TranscriptSegment]:
        assert audio.is_file() and audio.stat().st_size > 0, "real audio was extracted"
        self.calls.append(("transcribe", audio.name))
        if self.latency:
            await asyncio.sleep(self.latency)
        return [TranscriptSegment(0.0, 1.0, "spoken words"), TranscriptSegment(1.0, 2.0, "more words")]

    async def complete_with_video(self, video: Path, prompt: str, **settings: Any) -> Completion:
        assert video.is_file()
        self.calls.append(("video", video.name))
        self.settings.append(settings)
        if self.latency:
            await asyncio.sleep(self.latency)
        self._check(prompt)
        return Completion("## Main Topic\nwatched\n\n## Key Points\n- [00:01] seen on screen\n", Usage(900, 60, 0.01),
                          self.model)  # fmt: skip
