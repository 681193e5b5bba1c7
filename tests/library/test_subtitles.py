from __future__ import annotations

from pathlib import Path

import pysubs2

from core.library.subtitles import write_srt
from core.providers.protocols import SubtitleCue

CUES = [
    SubtitleCue(0.5, 2.25, "大家好\n欢迎来到本期视频"),
    SubtitleCue(3600.0, 3601.5, "一小时后"),
    SubtitleCue(2.5, 4.0, "{笑} C:\\path\\new 与 <i>标签</i>"),
]


def test_srt_is_numbered_from_one_in_time_order(tmp_path: Path) -> None:
    target = tmp_path / "BV1xx.zh-CN.srt"
    write_srt(CUES, target)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("1\n00:00:00,500 --> 00:00:02,250\n大家好\n欢迎来到本期视频\n\n2\n00:00:02,500")
    assert "\n3\n01:00:00,000 --> 01:00:01,500\n一小时后\n" in text


def test_braces_and_backslashes_survive(tmp_path: Path) -> None:
    target = tmp_path / "odd.srt"
    write_srt(CUES, target)
    assert "{笑} C:\\path\\new 与 <i>标签</i>" in target.read_text(encoding="utf-8")


def test_srt_reads_back_with_a_subtitle_parser(tmp_path: Path) -> None:
    target = tmp_path / "roundtrip.srt"
    write_srt(CUES, target)
    events = pysubs2.load(str(target), encoding="utf-8")
    assert [(e.start, e.end) for e in events] == [(500, 2250), (2500, 4000), (3_600_000, 3_601_500)]
    assert events[0].plaintext == "大家好\n欢迎来到本期视频"


def test_no_cues_gives_an_empty_file(tmp_path: Path) -> None:
    target = tmp_path / "empty.srt"
    write_srt([], target)
    assert target.read_text() == ""
