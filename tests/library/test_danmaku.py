from __future__ import annotations

import re
from pathlib import Path

import pysubs2
import pytest

from core.errors import InvalidResponseError
from core.library.danmaku import DanmakuOptions, write_danmaku_ass
from tests.library.danmaku_protobuf import Comment, segment

FIRST_SEGMENT = [
    Comment(1, 1_000, "前方高能"),
    Comment(2, 2_500, "置顶弹幕", mode=5, color=0xFF0000),
    Comment(3, 4_000, "底部弹幕", mode=4, fontsize=36),
    Comment(4, 5_000, "第一个{彩蛋}\\n"),
]
SECOND_SEGMENT = [Comment(5, 361_000, "第二段：六分钟后")]

XML = """<?xml version="1.0" encoding="UTF-8"?><i><chatserver>chat.bilibili.com</chatserver>
<chatid>1176840</chatid><mission>0</mission><maxlimit>1500</maxlimit><state>0</state>
<real_name>0</real_name><source>e-r</source>
<d p="1.5,1,25,16777215,1700000000,0,6c1f6d9a,1001,10">XML 弹幕 &amp; 转义</d>
<d p="3.0,5,25,65280,1700000001,0,6c1f6d9a,1002,10">顶部</d>
</i>"""


def dialogues(path: Path) -> list[pysubs2.SSAEvent]:
    return [event for event in pysubs2.load(str(path)) if event.type == "Dialogue"]


def test_protobuf_segments_become_an_ass_file(tmp_path: Path) -> None:
    target = tmp_path / "BV1xx.zh-CN.default.ass"
    count = write_danmaku_ass(
        [segment(FIRST_SEGMENT), segment(SECOND_SEGMENT)], 1920, 1080, 0, target, DanmakuOptions()
    )
    assert target.read_bytes().startswith(b"\xef\xbb\xbf[Script Info]")
    events = dialogues(target)
    assert count == len(events) == 5
    texts = [re.sub(r"\{[^}]*\}", "", event.text) for event in events]
    for comment in ("前方高能", "置顶弹幕", "底部弹幕", "第二段：六分钟后"):
        assert comment in texts
    starts = {text: event.start for text, event in zip(texts, events, strict=True)}
    assert starts["前方高能"] == 1_000 and starts["第二段：六分钟后"] == 361_000
    top = next(event for text, event in zip(texts, events, strict=True) if text == "置顶弹幕")
    assert r"\an8" in top.text and r"\c&H" in top.text  # pinned to the top, not white
    scroll = next(event for text, event in zip(texts, events, strict=True) if text == "前方高能")
    assert scroll.end - scroll.start == 15_000  # bili-sync's 15 s scrolling duration


def test_canvas_follows_the_page_dimension(tmp_path: Path) -> None:
    def script_info(width: int, height: int, rotate: int) -> tuple[str, str, float]:
        target = tmp_path / f"{width}x{height}r{rotate}.ass"
        write_danmaku_ass([segment(FIRST_SEGMENT)], width, height, rotate, target, DanmakuOptions())
        ass = pysubs2.load(str(target))
        return ass.info["PlayResX"], ass.info["PlayResY"], ass.styles[next(iter(ass.styles))].fontsize

    assert script_info(3840, 2160, 0) == ("3840", "2160", 50.0)  # font scaled with the picture
    assert script_info(1920, 1080, 1) == ("1080", "1920", 25.0)  # rotated: sides swap
    assert script_info(0, 0, 0) == ("1920", "1080", 25.0)  # unknown size: 1080p


def test_xml_danmaku_is_accepted(tmp_path: Path) -> None:
    target = tmp_path / "xml.ass"
    count = write_danmaku_ass([XML.encode()], 1280, 720, 0, target, DanmakuOptions(), input_format="xml")
    assert count == 2
    assert any("XML 弹幕 & 转义" in event.text for event in dialogues(target))


@pytest.mark.parametrize(
    ("options", "dropped"),
    [
        (DanmakuOptions(block_keywords=("高能",)), "前方高能"),
        (DanmakuOptions(block_top=True), "置顶弹幕"),
        (DanmakuOptions(block_bottom=True), "底部弹幕"),
        (DanmakuOptions(block_colorful=True), "置顶弹幕"),
    ],
)
def test_blocked_comments_are_dropped(tmp_path: Path, options: DanmakuOptions, dropped: str) -> None:
    target = tmp_path / "blocked.ass"
    count = write_danmaku_ass([segment(FIRST_SEGMENT)], 1920, 1080, 0, target, options)
    texts = " ".join(event.text for event in dialogues(target))
    assert count == 3 and dropped not in texts


def test_broken_danmaku_writes_no_file(tmp_path: Path) -> None:
    target = tmp_path / "broken.ass"
    with pytest.raises(InvalidResponseError, match="protobuf"):
        write_danmaku_ass([b"\xff\xff\xff\xff"], 1920, 1080, 0, target, DanmakuOptions())
    assert list(tmp_path.iterdir()) == []
