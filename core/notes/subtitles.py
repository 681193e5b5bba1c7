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


def parse_ass(text: str) -> list[TranscriptSegment]:
    import pysubs2  # the library's subtitle reader; only needed when an ASS file is there

    try:
        subs = pysubs2.SSAFile.from_string(text.lstrip("\ufeff"), format_="ass")
    except Exception:  # pysubs2 raises several kinds on a damaged file
        return []
    segments = []
    for event in subs:
        if event.is_comment:
            continue
        words = " ".join(_ASS_TAGS.sub("", event.text).replace("\\N", " ").replace("\\n", " ").split())
        if words:
            segments.append(TranscriptSegment(event.start / 1000, event.end / 1000, words))
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
