"""Danmaku (bullet comments) to an ASS subtitle file next to the video, with biliass.

Input is what Bilibili serves: protobuf segments (`DmSegMobileReply`, one per 6 minutes) or
the classic XML document. biliass does the lane allocation and styling.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import biliass

from core.errors import InvalidResponseError
from core.library.files import write_text_atomic

DEFAULT_CANVAS = (1920, 1080)
# font_size is given for a 1080-line picture and scaled with the page's resolution, so
# comments look the same size on a 4K and on a 480p video.
_REFERENCE_LINES = 1080


@dataclass(frozen=True)
class DanmakuOptions:
    """How comments look. Defaults follow bili-sync's (font 黑体 25, 15 s scrolling, opacity
    1 - 76/255, scrolling comments in the upper half of the picture)."""

    font_face: str = "黑体"
    font_size: float = 25.0
    text_opacity: float = 1 - 76 / 255
    scroll_seconds: float = 15.0
    still_seconds: float = 5.0
    display_region_ratio: float = 0.5  # share of the picture height comments may use
    drop_overlapping: bool = True  # drop comments that find no free lane instead of overlapping
    block_top: bool = False
    block_bottom: bool = False
    block_scroll: bool = False
    block_reverse: bool = False
    block_special: bool = False
    block_colorful: bool = False
    block_keywords: tuple[str, ...] = ()  # regular expressions; matching comments are dropped


def canvas_size(width: int, height: int, rotate: int) -> tuple[int, int]:
    """ASS canvas for a page `dimension`: rotated pages swap sides, unknown sizes get 1080p."""
    if width <= 0 or height <= 0:
        return DEFAULT_CANVAS
    return (height, width) if rotate else (width, height)


def danmaku_to_ass(
    segments: Sequence[bytes | str],
    width: int,
    height: int,
    rotate: int,
    options: DanmakuOptions,
    *,
    input_format: Literal["protobuf", "xml"] = "protobuf",
) -> str:
    """The ASS document for the given segments (CPU-bound: tens of ms per thousand comments)."""
    stage_width, stage_height = canvas_size(width, height, rotate)
    scale = min(stage_width, stage_height) / _REFERENCE_LINES
    blocks = biliass.BlockOptions(
        # biliass 2.x names these two the other way round: its block_top drops mode 4
        # (bottom) comments and its block_bottom mode 5 (top) ones; the tests pin this.
        options.block_bottom,
        options.block_top,
        options.block_scroll,
        options.block_reverse,
        options.block_special,
        options.block_colorful,
        list(options.block_keywords),
    )
    try:
        return biliass.convert_to_ass(
            list(segments),
            stage_width,
            stage_height,
            input_format=input_format,
            display_region_ratio=options.display_region_ratio,
            font_face=options.font_face,
            font_size=options.font_size * scale,
            text_opacity=options.text_opacity,
            duration_marquee=options.scroll_seconds,
            duration_still=options.still_seconds,
            block_options=blocks,
            reduce_comments=options.drop_overlapping,
        )
    except ValueError as exc:  # biliass reports undecodable protobuf / XML this way
        raise InvalidResponseError(f"Danmaku could not be read ({input_format}): {exc}") from exc


def count_dialogues(ass: str) -> int:
    return sum(1 for line in ass.splitlines() if line.startswith("Dialogue:"))


def write_danmaku_ass(
    segments: Sequence[bytes | str],
    width: int,
    height: int,
    rotate: int,
    target: Path,
    options: DanmakuOptions,
    *,
    input_format: Literal["protobuf", "xml"] = "protobuf",
) -> int:
    """Convert and write `target` (UTF-8 with BOM, atomically); returns the comments written."""
    ass = danmaku_to_ass(segments, width, height, rotate, options, input_format=input_format)
    # The BOM makes Windows players and editors pick UTF-8 instead of the ANSI code page.
    write_text_atomic(target, ass, encoding="utf-8-sig")
    return count_dialogues(ass)
