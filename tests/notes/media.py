"""Tiny real videos made by ffmpeg once per test session (2 s, 64x48, a tone), copied per test."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import imageio_ffmpeg

SRT = """1
00:00:00,000 --> 00:00:01,000
Today we learn how notes are made.

2
00:00:01,000 --> 00:00:02,000
Second line of the lecture.
"""


def make_video(target: Path, seconds: float = 2.0) -> Path:
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    subprocess.run(
        [ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc=size=64x48:rate=5:duration={seconds}",
         "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
         str(target)],
        check=True, timeout=60,
    )  # fmt: skip
    return target


def copies(original: Path, folder: Path, count: int, *, subtitles: bool, prefix: str = "lecture") -> list[Path]:
    """`count` copies of `original` in `folder` (a hard link where possible), with an SRT each if asked."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        target = folder / f"{prefix} {i + 1:02d}.mp4"
        try:
            target.hardlink_to(original)
        except OSError:
            shutil.copyfile(original, target)
        if subtitles:
            target.with_name(f"{target.stem}.zh-CN.srt").write_text(SRT, encoding="utf-8")
        out.append(target)
    return out
