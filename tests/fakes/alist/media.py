"""Real media for the fake Alist: two short MP4 clips (H.264 + AAC, 64x48) and an SRT,
made once per media directory with the bundled ffmpeg."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg

# (key, seconds, test pattern): "changed" stands in for a file replaced upstream
CLIPS = (("clip", 2, "testsrc"), ("changed", 3, "smptebars"))
SRT = "1\n00:00:00,000 --> 00:00:01,000\nHello from the fake Alist\n\n2\n00:00:01,000 --> 00:00:02,000\n你好\n"
ASS = (
    "[Script Info]\nScriptType: v4.00+\n\n[V4+ Styles]\n"
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, "
    "Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, "
    "MarginR, MarginV, Encoding\n"
    "Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,1\n\n"
    "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    "Dialogue: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,中文字幕\n"
)


@dataclass(frozen=True)
class AlistMedia:
    clips: dict[str, bytes]
    srt: bytes
    ass: bytes


def _make_clip(ffmpeg: str, target: Path, seconds: int, pattern: str) -> None:
    partial = target.with_suffix(f".{os.getpid()}.mp4")
    subprocess.run(
        [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
         "-f", "lavfi", "-i", f"{pattern}=size=64x48:rate=10", "-f", "lavfi", "-i", "sine=frequency=440",
         "-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-b:a", "32k", "-shortest", "-movflags", "+faststart", str(partial)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    os.replace(partial, target)


def ensure_media(media_dir: Path) -> AlistMedia:
    media_dir.mkdir(parents=True, exist_ok=True)
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    clips = {}
    for key, seconds, pattern in CLIPS:
        path = media_dir / f"alist-{key}.mp4"
        if not path.exists():
            _make_clip(ffmpeg, path, seconds, pattern)
        clips[key] = path.read_bytes()
    return AlistMedia(clips=clips, srt=SRT.encode(), ass=ASS.encode())
