"""A video's transcript, from the cheapest source that has one.

1. subtitles: the library's SRT files (or an ASS subtitle) next to the video — the provider's
   CC track as synced — free;
2. transcription: the audio, extracted by ffmpeg in pieces of `piece_s` seconds, sent to the
   account's speech-to-text endpoint (`LlmClient.transcribe`);
3. video: none of the above; the model watches the video itself (Gemini,
   `LlmClient.complete_with_video`), so there is no transcript text at all.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from core.errors import LlmError
from core.llm.protocol import LlmClient, TranscriptSegment
from core.notes import media
from core.notes.subtitles import read_subtitles

SUBTITLES, TRANSCRIPTION, VIDEO = "subtitles", "transcription", "video"
PIECE_S = 20 * 60  # long videos are read in pieces of about 20 minutes


@dataclass(frozen=True)
class Transcript:
    source: str  # subtitles | transcription | video
    segments: tuple[TranscriptSegment, ...] = ()


def clock(seconds: float) -> str:
    """MM:SS, or HH:MM:SS past one hour (how notes name moments)."""
    total = max(int(seconds), 0)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def as_text(segments: Sequence[TranscriptSegment]) -> str:
    return "\n".join(f"[{clock(s.start)}] {s.text}" for s in segments)


def pieces(duration: float, piece_s: float = PIECE_S) -> list[tuple[float, float]]:
    """(start, length) of the pieces a video of `duration` seconds is read in. A last piece
    shorter than a quarter of `piece_s` joins the one before it."""
    if duration <= piece_s * 1.25:
        return [(0.0, max(duration, 0.0))]
    count = max(1, math.floor(duration / piece_s))
    if duration - count * piece_s > piece_s / 4:
        count += 1
    length = duration / count
    return [(i * length, length) for i in range(count)]


def split_segments(
    segments: Sequence[TranscriptSegment], piece_s: float = PIECE_S, duration: float | None = None
) -> list[list[TranscriptSegment]]:
    """The transcript in the pieces the video of `duration` is read in (never splitting a segment)."""
    if not segments:
        return [[]]
    bounds = pieces(duration if duration else max(s.end for s in segments), piece_s)
    out: list[list[TranscriptSegment]] = [[] for _ in bounds]
    for segment in segments:
        index = min(int(segment.start // bounds[0][1]) if bounds[0][1] else 0, len(bounds) - 1)
        out[index].append(segment)
    return [piece for piece in out if piece] or [[]]


Progress = Callable[[float], None]


async def obtain(
    video: Path, client: LlmClient, *, ffmpeg: str, duration: float, work: Path, language: str = "",
    piece_s: float = PIECE_S, progress: Progress | None = None,
) -> Transcript:  # fmt: skip
    """The transcript of `video` from the cheapest source that `client` allows."""
    segments = read_subtitles(video)
    if segments:
        return Transcript(SUBTITLES, tuple(segments))
    if client.can_transcribe:
        return Transcript(TRANSCRIPTION, tuple(await transcribe(
            video, client, ffmpeg=ffmpeg, duration=duration, work=work, language=language, piece_s=piece_s,
            progress=progress)))  # fmt: skip
    if client.can_watch_video:
        return Transcript(VIDEO)
    raise LlmError(
        "the video has no subtitles, and the LLM account can neither transcribe audio nor watch video: "
        "choose an OpenAI-compatible account with speech-to-text or a Gemini account"
    )


async def transcribe(
    video: Path, client: LlmClient, *, ffmpeg: str, duration: float, work: Path, language: str = "",
    piece_s: float = PIECE_S, progress: Progress | None = None,
) -> list[TranscriptSegment]:  # fmt: skip
    """Speech to text, a piece of audio at a time, with the pieces' times joined into one."""
    out: list[TranscriptSegment] = []
    spans = pieces(duration, piece_s)
    for i, (start, length) in enumerate(spans):
        audio = work / f"audio-{i:03d}.mp3"
        await media.extract_audio(video, audio, ffmpeg, start=start, length=length if len(spans) > 1 else 0)
        try:
            segments = await client.transcribe(audio, language=language)
        finally:
            audio.unlink(missing_ok=True)
        out += [TranscriptSegment(s.start + start, s.end + start, s.text) for s in segments if s.text.strip()]
        if progress is not None:
            progress((i + 1) / len(spans))
    if not out:
        raise LlmError("speech-to-text found no speech in the video")
    return out
