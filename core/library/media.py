"""ffmpeg: find it, merge DASH video + audio into one mp4, read a file's duration.

ffmpeg runs as a child process waited on in a worker thread rather than through asyncio's
subprocess API: the desktop app's qasync loop does not implement subprocess transports, and a
thread works the same on every loop without blocking it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import shutil
import subprocess
from pathlib import Path

import imageio_ffmpeg

from core.errors import ConfigError, DownloadError
from core.library.files import replace_durably

log = logging.getLogger(__name__)

# No console window flashing up for every merge in the Windows GUI build.
_NO_WINDOW = getattr(subprocess, "CREATE_NO_WINDOW", 0)
_DURATION = re.compile(r"Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)")
_STDERR_TAIL = 1500


def _runs(ffmpeg: str) -> bool:
    try:
        done = subprocess.run(
            [ffmpeg, "-hide_banner", "-version"],
            capture_output=True,
            timeout=30,
            creationflags=_NO_WINDOW,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def find_ffmpeg(configured: str = "") -> str:
    """The ffmpeg to use: the configured one (a path or a name on PATH), else the bundled one.

    Runs `ffmpeg -version` to be sure, so call it once at start-up (or in a thread).
    """
    if configured:
        candidate = shutil.which(configured) or configured
        if _runs(candidate):
            return candidate
        log.warning("Configured ffmpeg %r does not run; trying the bundled ffmpeg", configured)
    try:
        bundled = imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError:
        bundled = ""
    if bundled and _runs(bundled):
        return bundled
    tried = f"the configured {configured!r} and " if configured else ""
    raise ConfigError(
        f"ffmpeg is needed to merge video and audio, but {tried}the bundled copy cannot run. "
        "Install ffmpeg or set its path in the settings."
    )


def _tail(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").strip()
    return text[-_STDERR_TAIL:] if len(text) > _STDERR_TAIL else text


async def _run(args: list[str]) -> tuple[int, bytes]:
    """Run ffmpeg to completion; on cancellation the process is killed before re-raising."""
    try:
        process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            creationflags=_NO_WINDOW,
        )
    except OSError as exc:
        raise DownloadError(f"Cannot start ffmpeg ({args[0]}): {exc.strerror or exc}") from exc
    try:
        _, stderr = await asyncio.to_thread(process.communicate)
    except BaseException:
        process.kill()
        # Wait for the exit so the caller can delete the output (Windows keeps open files).
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        raise
    return process.returncode, stderr


def merge_temp_path(target: Path) -> Path:
    """Where `merge_av` writes before renaming to `target`."""
    return target.with_name(f"{target.stem}.tmp.mp4")


async def merge_av(video: Path, audio: Path | None, target: Path, *, hevc: bool, ffmpeg: str) -> None:
    """Copy the streams of `video` (and `audio`) into `target` without re-encoding.

    Written as `<target stem>.tmp.mp4` first and renamed when ffmpeg succeeds, so `target`
    is either absent or complete. `hevc` tags the video `hvc1`, which Apple players and
    browsers need to play HEVC in mp4.
    """
    temp = merge_temp_path(target)
    # Absolute paths: a file name starting with "-" must not be read as an ffmpeg option.
    args = [ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", str(video.absolute())]
    if audio is not None:
        args += ["-i", str(audio.absolute()), "-map", "0:v:0", "-map", "1:a:0"]
    args += ["-c", "copy"]
    if hevc:
        args += ["-tag:v", "hvc1"]
    args += ["-strict", "unofficial", "-f", "mp4", str(temp.absolute())]
    try:
        returncode, stderr = await _run(args)
        if returncode != 0 or not temp.is_file() or temp.stat().st_size == 0:
            raise DownloadError(
                f"ffmpeg could not merge {video.name} into {target.name} (exit {returncode}): {_tail(stderr)}"
            )
        await asyncio.to_thread(replace_durably, temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


async def probe_duration(path: Path, ffmpeg: str) -> float:
    """Duration of a media file in seconds, read from `ffmpeg -i` (no ffprobe needed)."""
    # Without an output ffmpeg exits with an error after printing the input's description.
    _, stderr = await _run([ffmpeg, "-hide_banner", "-nostdin", "-i", str(path.absolute())])
    match = _DURATION.search(stderr.decode("utf-8", "replace"))
    if match is None:
        raise DownloadError(f"Cannot read the duration of {path.name}: {_tail(stderr)}")
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
