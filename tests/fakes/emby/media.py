"""Real media for the fake media server, made once per directory with the bundled ffmpeg:
two seconds of colour bars and a tone as an MP4 (H.264 + AAC, moov up front), the same as
one MPEG-TS segment for the HLS transcode, a JPEG for every image, and two subtitle files."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg

DURATION_SECONDS = 2
WIDTH, HEIGHT = 160, 90
_SOURCES = (
    f"-f lavfi -i testsrc2=s={WIDTH}x{HEIGHT}:r=15:d={DURATION_SECONDS} -f lavfi -i sine=f=440:d={DURATION_SECONDS}"
)
_CODECS = "-c:v libx264 -preset veryfast -pix_fmt yuv420p -g 15 -c:a aac -b:a 64k -shortest"

SRT_TEXT = "1\n00:00:00,000 --> 00:00:01,000\n第一句字幕\n\n2\n00:00:01,000 --> 00:00:02,000\n第二句字幕\n"
ASS_TEXT = """[Script Info]
ScriptType: v4.00+
PlayResX: 384
PlayResY: 288

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,0,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,First line
Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\\i1}Second{\\i0} line
"""  # noqa: E501 - the ASS format's own long lines


@dataclass(frozen=True)
class Media:
    mp4: bytes
    ts: bytes
    jpeg: bytes
    srt: str = SRT_TEXT
    ass: str = ASS_TEXT
    duration: int = DURATION_SECONDS


def _make(ffmpeg: str, args: str, target: Path) -> None:
    if target.exists() and target.stat().st_size > 0:
        return
    temp = target.with_name("tmp-" + target.name)
    command = [ffmpeg, "-hide_banner", "-loglevel", "error", "-y", *args.split(), str(temp)]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    temp.replace(target)


def ensure_media(media_dir: Path) -> Media:
    media_dir.mkdir(parents=True, exist_ok=True)
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    _make(ffmpeg, f"{_SOURCES} {_CODECS} -movflags +faststart -f mp4", media_dir / "film.mp4")
    _make(ffmpeg, f"{_SOURCES} {_CODECS} -f mpegts", media_dir / "segment.ts")
    _make(ffmpeg, "-f lavfi -i testsrc2=s=300x450 -frames:v 1 -q:v 5 -f mjpeg", media_dir / "poster.jpg")
    return Media(
        mp4=(media_dir / "film.mp4").read_bytes(),
        ts=(media_dir / "segment.ts").read_bytes(),
        jpeg=(media_dir / "poster.jpg").read_bytes(),
    )
