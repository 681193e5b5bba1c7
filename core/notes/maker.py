"""One note from one video: transcript, the model's writing (piece by piece for long videos),
key frames, files. The batch engine calls `make_note` once per task."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import LlmError
from core.llm.protocol import Completion, LlmClient, Message, Usage
from core.notes import media, outputs
from core.notes.subtitles import subtitle_files
from core.notes.templates import Template, language_name
from core.notes.transcript import PIECE_S, VIDEO, Transcript, as_text, clock, obtain, pieces, split_segments

SYSTEM = (
    "You write study notes from videos. Follow the requested structure exactly, in Markdown, "
    "and name moments of the video only as [MM:SS] (or [HH:MM:SS] past one hour)."
)
MERGE = (
    'Below are notes on consecutive parts of one video, "{title}" ({duration}). Merge them into one note '
    "that follows the structure the parts use, keeping every [MM:SS] timestamp as it is. Write in {language}.\n\n"
    "{parts}"
)


@dataclass(frozen=True)
class NoteJob:
    video: Path
    source: str  # the input as given
    title: str
    template: Template
    params: dict[str, str]
    language: str  # "zh_CN", "en"…
    formats: list[str]
    out_dir: Path | None  # None: next to the video
    ffmpeg: str
    frames: int = 0  # key frames to add (at the note's first timestamps)
    library_task: int | None = None
    piece_s: float = PIECE_S
    duration: float = 0.0  # known beforehand (a link's), else measured from the file
    play: str = ""  # what the note's timestamps open when not `video` (the link of a video not synced)


@dataclass
class NoteOutcome:
    files: list[str]
    transcript_source: str
    usage: Usage
    model: str
    duration: float
    steps: list[str] = field(default_factory=list)


# (stage, fraction of the whole task done) — "transcript", "writing", "frames", "files".
Stage = Callable[[str, float], None]


def _add(a: Usage, b: Usage) -> Usage:
    return Usage(a.prompt_tokens + b.prompt_tokens, a.completion_tokens + b.completion_tokens, a.cost + b.cost)


def note_files(job: NoteJob) -> list[Path]:
    stem = outputs.note_stem(str(job.video) if str(job.video) else job.title, job.template.name, job.out_dir)
    return [stem.with_name(f"{stem.name}.{fmt}") for fmt in job.formats]


async def make_note(job: NoteJob, client: LlmClient, stage: Stage | None = None) -> NoteOutcome:
    def tell(name: str, done: float) -> None:
        if stage is not None:
            stage(name, done)

    if not job.video.is_file() and not (job.duration and subtitle_files(job.video)):
        raise FileNotFoundError(f"the video file is gone: {job.video}")
    duration = job.duration or await media.duration(job.video, job.ffmpeg)
    language = job.template.language or job.language
    values = {**job.params, "title": job.title, "video_duration": clock(duration), "language": language_name(language)}
    work = Path(tempfile.mkdtemp(prefix="syncdeck-notes-"))
    try:
        tell("transcript", 0.0)
        transcript = await obtain(
            job.video, client, ffmpeg=job.ffmpeg, duration=duration, work=work, language=language,
            piece_s=job.piece_s, progress=lambda f: tell("transcript", 0.4 * f),
        )  # fmt: skip
        tell("writing", 0.4)
        body, usage, model = await _write(job, client, transcript, values, duration, work, tell)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not body.strip():
        raise LlmError("the model answered with an empty note")
    note = outputs.Note(
        title=job.title, source=job.source, video=job.play or str(job.video), template=job.template.name, model=model,
        language=language, duration=duration, transcript_source=transcript.source, body=body, usage=usage,
        library_task=job.library_task,
    )  # fmt: skip
    stem = outputs.note_stem(str(job.video), job.template.name, job.out_dir)
    if job.frames > 0 and not job.play:  # a link's sound or subtitles have no frames to show
        tell("frames", 0.9)
        note.frames = await _frames(job, note, stem, duration)
    tell("files", 0.95)
    files = outputs.write(note, stem, job.formats)
    return NoteOutcome(files, transcript.source, usage, model, duration)


async def _write(
    job: NoteJob, client: LlmClient, transcript: Transcript, values: dict[str, str], duration: float, work: Path,
    tell: Callable[[str, float], None],
) -> tuple[str, Usage, str]:  # fmt: skip
    usage, model = Usage(), client.model
    parts: list[str] = []
    if transcript.source == VIDEO:
        spans = pieces(duration, job.piece_s)
        for i, (start, length) in enumerate(spans):
            video = job.video
            note = "The video is attached."
            if len(spans) > 1:
                video = await media.cut_video(job.video, work / f"piece-{i:03d}.mp4", job.ffmpeg, start=start,
                                              length=length)  # fmt: skip
                note = (f"The attached video is part {i + 1} of {len(spans)}; it starts at [{clock(start)}] of the "
                        f"whole video: add that to every timestamp.")  # fmt: skip
            prompt = job.template.render({**values, "transcript": note})
            done = await client.complete_with_video(video, prompt, **_sampling(job.template))
            usage, model = _add(usage, done.usage), done.model or model
            parts.append(done.text)
            tell("writing", 0.4 + 0.45 * (i + 1) / len(spans))
    else:
        chunks = split_segments(list(transcript.segments), job.piece_s, duration)
        for i, chunk in enumerate(chunks):
            head = "Transcript:" if len(chunks) == 1 else (
                f"Transcript, part {i + 1} of {len(chunks)} "
                f"([{clock(chunk[0].start)}] to [{clock(chunk[-1].end)}]):")  # fmt: skip
            prompt = job.template.render({**values, "transcript": f"{head}\n{as_text(chunk)}"})
            done = await _complete(client, prompt, job.template)
            usage, model = _add(usage, done.usage), done.model or model
            parts.append(done.text)
            tell("writing", 0.4 + 0.45 * (i + 1) / len(chunks))
    if len(parts) == 1 or job.template.merge == "concatenate":
        return "\n\n".join(p.strip() for p in parts), usage, model
    joined = "\n\n".join(f"--- part {i + 1} ---\n{p.strip()}" for i, p in enumerate(parts))
    prompt = MERGE.format(title=job.title, duration=values["video_duration"], language=values["language"], parts=joined)
    merged = await _complete(client, prompt, job.template)
    return merged.text, _add(usage, merged.usage), merged.model or model


def _sampling(template: Template) -> dict[str, Any]:
    """The template's generation settings, as every request of its notes sends them."""
    return {"max_tokens": template.max_tokens, "temperature": template.temperature, "top_p": template.top_p}


async def _complete(client: LlmClient, prompt: str, template: Template) -> Completion:
    messages = [Message("system", SYSTEM), Message("user", prompt)]
    return await client.complete(messages, **_sampling(template))


async def _frames(job: NoteJob, note: outputs.Note, stem: Path, duration: float) -> list[outputs.Frame]:
    """Key frames at the note's first `job.frames` timestamps, in `<note>.frames/`."""
    folder = stem.with_name(f"{stem.name}.frames")
    chosen = [s for s, _ in outputs.timestamps(note.body) if s <= duration][: job.frames]
    if not chosen:
        chosen = [duration * (i + 1) / (job.frames + 1) for i in range(job.frames)]
    folder.mkdir(parents=True, exist_ok=True)
    frames = []
    for seconds in chosen:
        target = folder / f"{int(seconds):06d}.jpg"
        # The last half second may hold no frame to decode after a seek.
        await media.key_frame(job.video, target, job.ffmpeg, at=max(0.0, min(seconds, duration - 0.5)))
        frames.append(outputs.Frame(float(seconds), f"{folder.name}/{target.name}"))
    return frames
