"""Danmaku shown over a subtitle: both in one ASS script, for engines that style one track.

libmpv renders its primary subtitle track with full ASS styling, but before mpv 0.37 its
secondary track is always stripped to plain text, which would freeze scrolling danmaku. So
when a subtitle and danmaku are both on, the player loads one script holding both; the
subtitle's styles are scaled to the danmaku script's canvas so they keep their size.
"""

from __future__ import annotations

import pysubs2

DEFAULT_PLAY_RES_Y = 288  # what libass assumes for a script that names no canvas (SRT, VTT)


def _play_res(subs: pysubs2.SSAFile) -> tuple[float, float]:
    y = float(subs.info.get("PlayResY") or DEFAULT_PLAY_RES_Y)
    x = float(subs.info.get("PlayResX") or y * 4 / 3)
    return x, y


def _tidy_styles(text: str) -> str:
    """libass allows spaces after the commas of a Style line; pysubs2 would read " 0" as true."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Style:"):
            lines[i] = "Style: " + ",".join(part.strip() for part in line[6:].split(","))
    return "\n".join(lines)


def merge_danmaku(subtitle_text: str, subtitle_format: str, danmaku_text: str) -> str:
    danmaku = pysubs2.SSAFile.from_string(_tidy_styles(danmaku_text), format_="ass")
    subtitle = pysubs2.SSAFile.from_string(_tidy_styles(subtitle_text), format_=subtitle_format or None)
    (sub_x, sub_y), (dm_x, dm_y) = _play_res(subtitle), _play_res(danmaku)
    scale_x, scale_y = dm_x / sub_x, dm_y / sub_y
    renamed: dict[str, str] = {}
    for name, style in subtitle.styles.items():
        new_name = f"Subtitle {name}"
        renamed[name] = new_name
        style = style.copy()
        style.fontsize *= scale_y
        style.outline *= scale_y
        style.shadow *= scale_y
        style.marginv = round(style.marginv * scale_y)
        style.marginl = round(style.marginl * scale_x)
        style.marginr = round(style.marginr * scale_x)
        danmaku.styles[new_name] = style
    for event in subtitle.events:
        event = event.copy()
        event.style = renamed.get(event.style, "Subtitle Default")
        event.layer = 10  # above the danmaku
        danmaku.events.append(event)
    danmaku.sort()
    return danmaku.to_string("ass")
