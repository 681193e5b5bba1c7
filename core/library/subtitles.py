"""Subtitle cues (Bilibili CC JSON, already parsed into cues) to SRT files, with pysubs2."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import pysubs2

from core.library.files import write_text_atomic

# pysubs2 keeps event text in ASS syntax and converts it for SRT: "{…}" is dropped as an
# override block and "\n", "\N", "\h" become line breaks and spaces. Cue text is plain text,
# so braces and backslashes travel as Unicode noncharacters (which never occur in interchanged
# text and are removed from the input first) and are put back afterwards.
_NONCHARACTERS = re.compile("[\ufdd0-\ufdef]")
_PROTECT = {"{": "\ufdd0", "}": "\ufdd1", "\\": "\ufdd2"}
_RESTORE = {placeholder: char for char, placeholder in _PROTECT.items()}


class TimedText(Protocol):
    """One cue; `core.providers.protocols.SubtitleCue` fits."""

    @property
    def start(self) -> float: ...  # seconds

    @property
    def end(self) -> float: ...

    @property
    def text(self) -> str: ...


def _to_ass_text(content: str) -> str:
    text = _NONCHARACTERS.sub("", content).replace("\r\n", "\n")
    for char, placeholder in _PROTECT.items():
        text = text.replace(char, placeholder)
    return text.replace("\n", r"\N")


def cues_to_srt(cues: Sequence[TimedText]) -> str:
    """SRT text: cues in time order, numbered from 1, line breaks kept."""
    subtitles = pysubs2.SSAFile()
    for cue in sorted(cues, key=lambda cue: (cue.start, cue.end)):
        start = round(cue.start * 1000)
        end = max(round(cue.end * 1000), start)
        subtitles.events.append(pysubs2.SSAEvent(start=start, end=end, text=_to_ass_text(cue.text)))
    srt = subtitles.to_string("srt")
    for placeholder, char in _RESTORE.items():
        srt = srt.replace(placeholder, char)
    return srt


def write_srt(cues: Sequence[TimedText], target: Path) -> None:
    """Write `target` as UTF-8 SRT, atomically."""
    write_text_atomic(target, cues_to_srt(cues))
