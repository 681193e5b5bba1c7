"""Subtitle files next to a video (SRT, or ASS that is not danmaku) read as timed text."""

from __future__ import annotations

import re
from pathlib import Path

from core.library.layout import DANMAKU_SUFFIX
from core.llm.protocol import TranscriptSegment

_SRT_TIME = re.compile(r"(\d+):(\d{2}):(\d{2})[,.](\d{1,3})\s*-->\s*(\d+):(\d{2}):(\d{2})[,.](\d{1,3})")
_ASS_TAGS = re.compile(r"\{[^}]*\}")


def _seconds(h: str, m: str, s: str, frac: str) -> float:
    return int(h) * 3600 + int(m) * 60 + int(s) + int(frac.ljust(3, "0")) / 1000


def parse_srt(text: str) -> list[TranscriptSegment]:
    segments = []
    for block in re.split(r"\r?\n\s*\r?\n", text.lstrip("\ufeff")):
        lines = [line.strip() for line in block.strip().splitlines()]
        for i, line in enumerate(lines):
            match = _SRT_TIME.search(line)
            if match:
                words = " ".join(x for x in lines[i + 1 :] if x)
                if words:
                    g = match.groups()
                    segments.append(TranscriptSegment(_seconds(*g[:4]), _seconds(*g[4:]), words))
                break
    return segments


def _ass_time(value: str) -> float:
    h, m, s = value.strip().split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def parse_ass(text: str) -> list[TranscriptSegment]:
    fields: list[str] = []
    segments = []
    for line in text.lstrip("\ufeff").splitlines():
        if line.startswith("Format:") and not fields:
            continue
        if line.lower().startswith("[events]"):
            fields = []
        if line.startswith("Format:"):
            fields = [f.strip().lower() for f in line[7:].split(",")]
        elif line.startswith("Dialogue:") and fields:
            values = line[9:].split(",", len(fields) - 1)
            row = dict(zip(fields, values, strict=False))
            words = _ASS_TAGS.sub("", row.get("text", "")).replace("\\N", " ").replace("\\n", " ").strip()
            if words:
                segments.append(TranscriptSegment(_ass_time(row["start"]), _ass_time(row["end"]), words))
    return sorted(segments, key=lambda s: s.start)


def subtitle_files(video: Path) -> list[Path]:
    """Subtitle files that belong to `video` (`<stem>.srt`, `<stem>.zh-CN.srt`, `<stem>.ass`),
    SRT first; the library's danmaku file (also ASS) is not speech and is left out."""
    if not video.parent.is_dir():
        return []
    stem = video.name[: -len(video.suffix)] if video.suffix else video.name
    found = []
    for path in video.parent.iterdir():
        name = path.name
        if not name.startswith(stem + ".") or path == video or name.endswith(DANMAKU_SUFFIX):
            continue
        if name.lower().endswith((".srt", ".ass")):
            found.append(path)
    return sorted(found, key=lambda p: (not p.name.lower().endswith(".srt"), len(p.name), p.name))


def read_subtitles(video: Path) -> list[TranscriptSegment]:
    """The first subtitle file of `video` that has any text, as segments; [] when none."""
    for path in subtitle_files(video):
        text = path.read_text(encoding="utf-8", errors="replace")
        segments = parse_srt(text) if path.name.lower().endswith(".srt") else parse_ass(text)
        if segments:
            return segments
    return []
