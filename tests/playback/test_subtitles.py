"""Subtitles converted between SRT, WebVTT, ASS and Bilibili's JSON, and read back."""

from __future__ import annotations

import json

import pysubs2
import pytest

from core.errors import PlaybackError
from core.playback import subtitles

SRT = "1\n00:00:01,000 --> 00:00:02,500\nHello {world}\nsecond line\n\n2\n00:00:03,000 --> 00:00:04,000\nBye\n"
VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nHello\n\n00:00:03.000 --> 00:00:04.000\nBye\n"
BILI = json.dumps({"font_size": 0.4, "body": [{"from": 1.0, "to": 2.5, "location": 2, "content": "你好\n世界"},
                                              {"from": 3, "to": 4, "content": "再见"}]})  # fmt: skip


def events(text: str, fmt: str) -> list[tuple[int, int, str]]:
    return [(e.start, e.end, e.plaintext) for e in pysubs2.SSAFile.from_string(text, format_=fmt).events]


@pytest.mark.parametrize("target", ["ass", "srt", "vtt"])
def test_srt_to_each_format(target: str) -> None:
    out = subtitles.convert(SRT, target, name="a.srt")
    if target == "ass":  # braces are escaped for libass, which shows them as text
        assert "Hello \\{world\\}\\Nsecond line" in out
        assert events(out, target)[1] == (3000, 4000, "Bye")
    else:  # (pysubs2 itself would drop the braces when reading it back, so the text is checked)
        assert "Hello {world}\nsecond line" in out
        assert [e[:2] for e in events(out, target)] == [(1000, 2500), (3000, 4000)]


@pytest.mark.parametrize("target", ["ass", "srt", "vtt"])
def test_bilibili_json_to_each_format(target: str) -> None:
    out = subtitles.convert(BILI, target, name="zh.json")
    assert events(out, target) == [(1000, 2500, "你好\n世界"), (3000, 4000, "再见")]
    if target == "srt":
        assert out.startswith("1\n")  # numbered from 1


def test_vtt_and_ass_are_recognised_by_content() -> None:
    assert subtitles.detect_format(VTT) == "vtt"
    ass = subtitles.convert(VTT, "ass")
    assert subtitles.detect_format(ass) == "ass"
    assert events(subtitles.convert(ass, "srt"), "srt") == [(1000, 2500, "Hello"), (3000, 4000, "Bye")]


def test_an_ass_file_keeps_its_own_styles() -> None:
    source = pysubs2.SSAFile()
    source.styles["Default"].fontsize = 48
    source.events.append(pysubs2.SSAEvent(start=0, end=1000, text="{\\b1}bold{\\b0}"))
    out = subtitles.convert(source.to_string("ass"), "ass", name="x.ass")
    parsed = pysubs2.SSAFile.from_string(out)
    assert parsed.styles["Default"].fontsize == 48 and parsed.events[0].text == "{\\b1}bold{\\b0}"


def test_damaged_json_is_a_clear_error() -> None:
    with pytest.raises(PlaybackError, match="Bilibili"):
        subtitles.convert('{"body": [{"from": "x"}]}', "srt", name="a.json")
