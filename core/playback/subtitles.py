"""Subtitles converted to what the player needs, with pysubs2.

Input: SRT, WebVTT, ASS/SSA text, Bilibili's CC JSON (`{"body": [{from, to, content}]}`) or
cues already parsed. Output: ASS for mpv and the in-app overlay (styles survive), SRT or
WebVTT for players that read only those.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pysubs2

from core.errors import PlaybackError
from core.library.subtitles import TimedText, _to_ass_text

OUTPUT_FORMATS = ("ass", "srt", "vtt")
_PYSUBS_NAMES = {"ass": "ass", "ssa": "ssa", "srt": "srt", "vtt": "vtt", "webvtt": "vtt"}


def detect_format(text: str, name: str = "") -> str:
    """ "srt", "vtt", "ass" or "bilibili-json", from the name's extension or the content."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    head = text.lstrip("\ufeff \r\n\t")[:200]
    if head.startswith("{") and '"body"' in text[:100_000]:
        return "bilibili-json"
    if head.startswith("WEBVTT") or suffix == "vtt":
        return "vtt"
    if head.startswith("[Script Info]") or suffix in ("ass", "ssa"):
        return "ass"
    if suffix == "json":
        return "bilibili-json"
    return "srt"


def _from_cues(cues: Sequence[TimedText]) -> pysubs2.SSAFile:
    subs = pysubs2.SSAFile()
    for cue in sorted(cues, key=lambda cue: (cue.start, cue.end)):
        start = round(cue.start * 1000)
        subs.events.append(pysubs2.SSAEvent(start=start, end=max(start, round(cue.end * 1000)),
                                            text=_to_ass_text(cue.text)))  # fmt: skip
    return subs


def _from_bilibili_json(text: str) -> pysubs2.SSAFile:
    try:
        body = json.loads(text)["body"]
        subs = pysubs2.SSAFile()
        for cue in body:
            start = round(float(cue["from"]) * 1000)
            end = max(start, round(float(cue["to"]) * 1000))
            subs.events.append(pysubs2.SSAEvent(start=start, end=end, text=_to_ass_text(str(cue.get("content", "")))))
        return subs
    except (ValueError, KeyError, TypeError) as exc:
        raise PlaybackError(f"the subtitle is not Bilibili's JSON: {exc}") from None


# In SRT and WebVTT braces are text, but pysubs2 reads "{…}" as an ASS override and drops it:
# they travel as noncharacters and come back as text (escaped for ASS, where libass reads "\{").
_OPEN, _CLOSE = "\ufdd0", "\ufdd1"


def load(text: str, name: str = "") -> pysubs2.SSAFile:
    kind = detect_format(text, name)
    if kind == "bilibili-json":
        return _from_bilibili_json(text)
    if kind in ("srt", "vtt"):
        text = text.replace("{", _OPEN).replace("}", _CLOSE)
    try:
        return pysubs2.SSAFile.from_string(text.lstrip("\ufeff"), format_=_PYSUBS_NAMES[kind])
    except Exception as exc:  # pysubs2 raises several kinds for a damaged file
        raise PlaybackError(f"the subtitle {name or ''} could not be read as {kind}: {exc}") from None


def _render(subs: pysubs2.SSAFile, target: str, *, restyle: bool = True) -> str:
    if target not in OUTPUT_FORMATS:
        raise PlaybackError(f"subtitles can be given as {', '.join(OUTPUT_FORMATS)}, not {target!r}")
    if target == "ass" and restyle and "Default" in subs.styles:
        style = subs.styles["Default"]
        style.fontsize, style.outline, style.shadow = 22, 1.5, 0.5  # readable over video
        subs.info.setdefault("PlayResX", "640")
        subs.info.setdefault("PlayResY", "360")
    out: str = subs.to_string(target)
    for placeholder, char in ((_OPEN, "{"), (_CLOSE, "}")):
        out = out.replace(placeholder, "\\" + char if target == "ass" else char)
    return out


def convert(text: str, target: str, name: str = "") -> str:
    """`text` (any supported format, told by `name` or content) as `target` ("ass", "srt", "vtt")."""
    return _render(load(text, name), target, restyle=detect_format(text, name) != "ass")


def cues_to(cues: Sequence[TimedText], target: str) -> str:
    return _render(_from_cues(cues), target)
