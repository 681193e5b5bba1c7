"""What notes ask of an LLM account, whatever its kind (OpenAI-compatible or Gemini).

`LlmBook.client(account_name, model)` returns one of these; it rotates keys, honours rate
limits and retries transient errors itself, so callers only see a result or an LlmError.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0  # in the account's currency when its price is known, else 0


@dataclass(frozen=True)
class Completion:
    text: str
    usage: Usage
    model: str


@dataclass(frozen=True)
class TranscriptSegment:
    start: float  # seconds
    end: float
    text: str


@dataclass(frozen=True)
class Message:
    role: str  # "system", "user", "assistant"
    content: str


class LlmClient(Protocol):
    model: str
    can_transcribe: bool  # an OpenAI-compatible /v1/audio/transcriptions endpoint
    can_watch_video: bool  # Gemini: the video itself can be uploaded

    async def complete(
        self, messages: Sequence[Message], *, max_tokens: int | None = None, temperature: float | None = None,
        top_p: float | None = None,
    ) -> Completion:  # fmt: skip
        """The model's answer; None leaves a sampling setting to the provider's default."""

    def stream(self, messages: Sequence[Message]) -> AsyncIterator[str]: ...

    async def transcribe(self, audio: Path, *, language: str = "") -> list[TranscriptSegment]: ...

    async def complete_with_video(
        self, video: Path, prompt: str, *, max_tokens: int | None = None, temperature: float | None = None,
        top_p: float | None = None,
    ) -> Completion:  # fmt: skip
        """Upload (resumable), wait for ACTIVE, generate, delete the upload."""
