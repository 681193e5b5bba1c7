"""Tiny real media for the player: made once per directory with ffmpeg, 160x90, 3 seconds.

Two H.264 MP4s that look different (the "next" item and the "other quality"), an HEVC MP4,
Bilibili-like separate video-only and audio-only fragmented MP4s, a two-rung HLS ladder, an
SRT subtitle and a danmaku ASS (the format the playback service hands the player).
"""

from __future__ import annotations

import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

DURATION = 3
SIZE = "160x90"


def ffmpeg() -> str:
    """Debian's ffmpeg has libx265; the bundled one is the fallback."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def _video(pattern: str, size: str = SIZE) -> list[str]:
    return ["-f", "lavfi", "-i", f"{pattern}=s={size}:r=15:d={DURATION}"]


_TONE = ["-f", "lavfi", "-i", f"sine=f=440:r=44100:d={DURATION}", "-ac", "2"]
_GOP = ["-g", "15", "-keyint_min", "15", "-sc_threshold", "0", "-pix_fmt", "yuv420p"]
_AVC = ["-c:v", "libx264", "-preset", "veryfast", *_GOP]
_AAC = ["-c:a", "aac", "-b:a", "64k"]
_FRAGMENTED = ["-f", "mp4", "-movflags", "+dash+global_sidx", "-frag_duration", "1000000"]

SRT = """1
00:00:00,000 --> 00:00:03,000
Hello from the subtitle

"""

DANMAKU_ASS = """[Script Info]
ScriptType: v4.00+
PlayResX: 560
PlayResY: 315

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, \
Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, \
MarginV, Encoding
Style: Danmaku, sans-serif, 25, &H33FFFFFF, &H33FFFFFF, &H33000000, &H00000000, 0, 0, 0, 0, 100, 100, 0.00, \
0.00, 1, 1, 0, 7, 0, 0, 0, 0

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 2,0:00:00.00,0:00:03.00,Danmaku,,0000,0000,0000,,{\\move(700,20,150,20)\\c&H00FFFF&}233333 danmaku
Dialogue: 2,0:00:00.00,0:00:03.00,Danmaku,,0000,0000,0000,,{\\move(620,60,60,60)}front row!
""".replace("\\\n", "")


@dataclass(frozen=True)
class Media:
    root: Path

    def __getattr__(self, name: str) -> Path:  # media.h264 → root/h264.mp4 etc.
        return self.root / FILES[name]


FILES = {
    "h264": "h264.mp4",
    "h264_other": "h264-other.mp4",
    "hevc": "hevc.mp4",
    "dash_video": "dash-video.m4s",
    "dash_audio": "dash-audio.m4s",
    "hls": "hls/master.m3u8",
    "subtitle": "subtitle.srt",
    "danmaku": "danmaku.ass",
}


def _jobs(root: Path) -> list[list[str]]:
    hls = root / "hls"
    return [
        [*_video("testsrc2"), *_TONE, *_AVC, *_AAC, "-shortest", "-movflags", "+faststart", str(root / "h264.mp4")],
        [*_video("smptebars", "320x180"), *_TONE, *_AVC, *_AAC, "-shortest", "-movflags", "+faststart",
         str(root / "h264-other.mp4")],
        [*_video("testsrc"), *_TONE, "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error",
         "-tag:v", "hvc1", *_GOP, *_AAC, "-shortest", "-movflags", "+faststart", str(root / "hevc.mp4")],
        [*_video("testsrc2"), *_AVC, "-an", *_FRAGMENTED, str(root / "dash-video.m4s")],
        [*_TONE, *_AAC, *_FRAGMENTED, str(root / "dash-audio.m4s")],
        [*_video("testsrc2", "320x180"), *_TONE, "-filter_complex", "[0:v]split=2[a][b];[b]scale=160:90[b2]",
         "-map", "[a]", "-map", "[b2]", "-map", "1:a", "-map", "1:a", *_AVC, *_AAC,
         "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod", "-hls_segment_filename",
         str(hls / "v%v-%03d.ts"), "-master_pl_name", "master.m3u8",
         "-var_stream_map", "v:0,a:0 v:1,a:1", str(hls / "v%v.m3u8")],
    ]  # fmt: skip


def make_media(root: Path) -> Media:
    """Encodes whatever is not there yet; a `done` marker written last marks a complete set."""
    if (root / "done").exists():
        return Media(root)
    (root / "hls").mkdir(parents=True, exist_ok=True)
    binary = ffmpeg()

    def run(args: list[str]) -> None:
        subprocess.run([binary, "-hide_banner", "-loglevel", "error", "-y", *args], check=True, timeout=120)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(run, _jobs(root)))
    (root / "subtitle.srt").write_text(SRT, encoding="utf-8")
    (root / "danmaku.ass").write_text(DANMAKU_ASS, encoding="utf-8")
    (root / "done").write_text("ok")
    return Media(root)
