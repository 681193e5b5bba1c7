"""ffmpeg for notes: audio to transcribe, pieces of a long video, key frames as images.

The ffmpeg used is the library's (core.library.media.find_ffmpeg: the configured one, else
the bundled imageio-ffmpeg). Every output is written to a temporary name and renamed, so a
kill leaves no half file where a finished one is expected.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
from pathlib import Path

from core.errors import SyncDeckError
from core.library.media import probe_duration

_NO_WINDOW = getattr(subprocess, "CREATE_NO_WINDOW", 0)


class MediaError(SyncDeckError):
    """ffmpeg could not read or cut a video."""


async def _ffmpeg(args: list[str]) -> None:
    try:
        process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            creationflags=_NO_WINDOW,
        )  # fmt: skip
    except OSError as exc:
        raise MediaError(f"cannot start ffmpeg ({args[0]}): {exc.strerror or exc}") from exc
    try:
        _, stderr = await asyncio.to_thread(process.communicate)
    except BaseException:
        process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        raise
    if process.returncode != 0:
        tail = stderr.decode("utf-8", "replace").strip()[-300:]
        raise MediaError(f"ffmpeg failed (exit {process.returncode}): {tail}")


async def duration(video: Path, ffmpeg: str) -> float:
    try:
        return await probe_duration(video, ffmpeg)
    except SyncDeckError as exc:
        raise MediaError(str(exc)) from exc


def _temp(target: Path) -> Path:
    return target.with_name(f".{target.stem}.{os.getpid()}.part{target.suffix}")


async def _write(args: list[str], target: Path) -> Path:
    temp = _temp(target)
    try:
        await _ffmpeg([*args, str(temp.absolute())])
        os.replace(temp, target)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    return target


def _base(ffmpeg: str) -> list[str]:
    return [ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y"]


async def extract_audio(video: Path, target: Path, ffmpeg: str, *, start: float = 0.0, length: float = 0.0) -> Path:
    """Mono 16 kHz MP3 of `video` (from `start`, `length` seconds; 0 = to the end): small
    enough for a speech-to-text upload (about 0.5 MB a minute)."""
    args = [*_base(ffmpeg), "-ss", f"{start:.3f}", "-i", str(video.absolute())]
    if length > 0:
        args += ["-t", f"{length:.3f}"]
    args += ["-vn", "-ac", "1", "-ar", "16000", "-c:a", "libmp3lame", "-b:a", "48k", "-f", "mp3"]
    return await _write(args, target)


async def cut_video(video: Path, target: Path, ffmpeg: str, *, start: float, length: float) -> Path:
    """A piece of `video` without re-encoding (starts at the key frame before `start`)."""
    args = [*_base(ffmpeg), "-ss", f"{start:.3f}", "-i", str(video.absolute()), "-t", f"{length:.3f}",
            "-c", "copy", "-f", "mp4"]  # fmt: skip
    return await _write(args, target)


async def key_frame(video: Path, target: Path, ffmpeg: str, *, at: float, width: int = 640) -> Path:
    """The frame at `at` seconds as a JPEG at most `width` pixels wide."""
    args = [*_base(ffmpeg), "-ss", f"{max(at, 0):.3f}", "-i", str(video.absolute()), "-frames:v", "1",
            "-vf", f"scale='min({width},iw)':-2", "-q:v", "4", "-f", "image2"]  # fmt: skip
    return await _write(args, target)
