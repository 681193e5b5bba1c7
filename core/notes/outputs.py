"""Note files: Markdown (Obsidian-friendly front matter), JSON (schema below) and HTML.

Every moment the model names as [MM:SS] becomes a link that opens SyncDeck's player there:
`syncdeck://play?path=<the video>&t=<seconds>` (`task=<id>` too for a synced video), a
scheme the desktop app registers. Files are written atomically (a temporary file renamed),
so a kill never leaves half a note where a finished one is expected.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

from core.errors import ConfigError
from core.library.files import write_text_atomic
from core.llm.protocol import Usage

FORMATS = ("md", "json", "html")
SCHEME = "syncdeck"
JSON_SCHEMA_ID = "https://syncdeck.app/schemas/note-1.json"
_STAMP = re.compile(r"(?<![\w(])\[(\d{1,2}:)?(\d{1,2}):(\d{2})\](?!\()")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")

# The JSON note, as a JSON Schema (docs/notes.md shows it too; a test checks notes against it).
NOTE_JSON_SCHEMA: dict[str, object] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": JSON_SCHEMA_ID,
    "title": "SyncDeck note",
    "type": "object",
    "required": ["schema", "title", "source", "video", "template", "model", "language", "created",
                 "duration", "transcript_source", "usage", "timestamps", "sections", "markdown"],
    "properties": {
        "schema": {"const": "syncdeck.note/1"},
        "title": {"type": "string"},
        "source": {"type": "string", "description": "the input as given: a path or a link"},
        "video": {"type": "string", "description": "the local video file, or empty"},
        "library_task": {"type": ["integer", "null"]},
        "template": {"type": "string"},
        "model": {"type": "string"},
        "language": {"type": "string"},
        "created": {"type": "string", "format": "date-time"},
        "duration": {"type": "number", "minimum": 0},
        "transcript_source": {"enum": ["subtitles", "transcription", "video"]},
        "usage": {
            "type": "object",
            "required": ["prompt_tokens", "completion_tokens", "cost"],
            "properties": {"prompt_tokens": {"type": "integer", "minimum": 0},
                           "completion_tokens": {"type": "integer", "minimum": 0},
                           "cost": {"type": "number", "minimum": 0}},
        },
        "timestamps": {
            "type": "array",
            "items": {"type": "object", "required": ["seconds", "label", "link"],
                      "properties": {"seconds": {"type": "integer", "minimum": 0}, "label": {"type": "string"},
                                     "link": {"type": "string"}}},
        },
        "frames": {
            "type": "array",
            "items": {"type": "object", "required": ["seconds", "file"],
                      "properties": {"seconds": {"type": "number"}, "file": {"type": "string"}}},
        },
        "sections": {
            "type": "array",
            "items": {"type": "object", "required": ["heading", "level", "text"],
                      "properties": {"heading": {"type": "string"}, "level": {"type": "integer"},
                                     "text": {"type": "string"}}},
        },
        "markdown": {"type": "string", "description": "the note's body as Markdown, links included"},
    },
}  # fmt: skip


@dataclass(frozen=True)
class Frame:
    seconds: float
    file: str  # relative to the note


@dataclass
class Note:
    title: str
    source: str
    video: str
    template: str
    model: str
    language: str
    duration: float
    transcript_source: str
    body: str  # the model's Markdown
    usage: Usage = field(default_factory=Usage)
    created: datetime = field(default_factory=lambda: datetime.now().astimezone())
    library_task: int | None = None
    frames: list[Frame] = field(default_factory=list)


def play_link(video: str, seconds: int, task: int | None = None) -> str:
    query: dict[str, str | int] = {"path": video} if video else {}
    if task is not None:
        query["task"] = task
    query["t"] = seconds
    return f"{SCHEME}://play?{urlencode(query)}"


def parse_play_link(url: str) -> dict[str, str]:
    """`syncdeck://play?…` as {"path", "task", "t"} (what is present); {} for any other text."""
    parsed = urlparse(url)
    if parsed.scheme != SCHEME or (parsed.netloc or parsed.path.strip("/")) != "play":
        return {}
    return {k: v[0] for k, v in parse_qs(parsed.query).items() if v}


def _seconds(match: re.Match[str]) -> int:
    hours = int(match.group(1)[:-1]) if match.group(1) else 0
    return hours * 3600 + int(match.group(2)) * 60 + int(match.group(3))


def timestamps(body: str) -> list[tuple[int, str]]:
    """Every [MM:SS] moment in the note, in order, once each."""
    seen: dict[int, str] = {}
    for m in _STAMP.finditer(body):
        seen.setdefault(_seconds(m), m.group(0)[1:-1])
    return list(seen.items())


def linked(note: Note) -> str:
    """The note's body with each [MM:SS] as a Markdown link to that moment."""
    return _STAMP.sub(lambda m: f"{m.group(0)}({play_link(note.video, _seconds(m), note.library_task)})", note.body)


def _frames_markdown(note: Note) -> str:
    if not note.frames:
        return ""
    lines = ["", "## Key frames" if not note.language.startswith("zh") else "## 关键画面", ""]
    for frame in note.frames:
        stamp = f"{int(frame.seconds) // 60:02d}:{int(frame.seconds) % 60:02d}"
        lines.append(f"[{stamp}]({play_link(note.video, int(frame.seconds), note.library_task)})")
        lines.append(f"![{stamp}]({frame.file})")
        lines.append("")
    return "\n".join(lines)


def _yaml(value: object) -> str:
    # JSON strings and numbers are valid YAML scalars, with every character escaped safely.
    return json.dumps(value, ensure_ascii=False)


def markdown(note: Note) -> str:
    front = {
        "title": note.title, "source": note.source, "video": note.video, "duration": round(note.duration, 1),
        "template": note.template, "model": note.model, "language": note.language,
        "transcript": note.transcript_source, "created": note.created.isoformat(timespec="seconds"),
        "prompt_tokens": note.usage.prompt_tokens, "completion_tokens": note.usage.completion_tokens,
        "cost": note.usage.cost,
    }  # fmt: skip
    lines = ["---", *(f"{k}: {_yaml(v)}" for k, v in front.items())]
    lines += ["tags:", "  - syncdeck", "  - notes", f"  - {_yaml(note.template)}", "type: note", "---", ""]
    if note.video:
        lines += [f"[▶ {html.escape(note.title)}]({play_link(note.video, 0, note.library_task)})", ""]
    return "\n".join(lines) + linked(note).strip() + "\n" + _frames_markdown(note)


def sections(body: str) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    heading, level, text = "", 0, []
    for line in body.splitlines():
        m = _HEADING.match(line)
        if m:
            if heading or "".join(text).strip():
                out.append({"heading": heading, "level": level, "text": "\n".join(text).strip()})
            heading, level, text = m.group(2).strip(), len(m.group(1)), []
        else:
            text.append(line)
    if heading or "".join(text).strip():
        out.append({"heading": heading, "level": level, "text": "\n".join(text).strip()})
    return out


def as_json(note: Note) -> str:
    body = linked(note)
    data = {
        "schema": "syncdeck.note/1", "title": note.title, "source": note.source, "video": note.video,
        "library_task": note.library_task, "template": note.template, "model": note.model,
        "language": note.language, "created": note.created.isoformat(timespec="seconds"),
        "duration": round(note.duration, 3), "transcript_source": note.transcript_source,
        "usage": {"prompt_tokens": note.usage.prompt_tokens, "completion_tokens": note.usage.completion_tokens,
                  "cost": note.usage.cost},
        "timestamps": [{"seconds": s, "label": label, "link": play_link(note.video, s, note.library_task)}
                       for s, label in timestamps(note.body)],
        "frames": [{"seconds": f.seconds, "file": f.file} for f in note.frames],
        "sections": sections(body), "markdown": body,
    }  # fmt: skip
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def as_html(note: Note) -> str:
    try:
        from markdown_it import MarkdownIt  # only when HTML is asked for
    except ImportError:
        raise ConfigError("HTML notes need the package markdown-it-py; install it, or write md and json") from None

    renderer = MarkdownIt("commonmark", {"html": False}).enable("table")
    renderer.validateLink = lambda url: not url.lower().startswith(("javascript:", "vbscript:", "data:"))  # type: ignore[method-assign]
    body = renderer.render(linked(note) + "\n" + _frames_markdown(note))
    lang = "zh-CN" if note.language.startswith("zh") else "en"
    meta = "".join(
        f'<meta name="syncdeck:{k}" content="{html.escape(str(v), quote=True)}">\n'
        for k, v in (("source", note.source), ("video", note.video), ("template", note.template),
                     ("model", note.model), ("transcript", note.transcript_source))
    )  # fmt: skip
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(note.title)}</title>\n{meta}"
            "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}"
            "img{max-width:100%}</style>\n</head>\n<body>\n"
            f'<article class="syncdeck-note">\n{body}</article>\n</body>\n</html>\n')  # fmt: skip


RENDERERS = {"md": markdown, "json": as_json, "html": as_html}


def note_stem(video_or_title: str, template: str, out_dir: Path | None) -> Path:
    """Where a note goes (without its suffix): next to the video as `<video stem>.<template>`,
    or in `out_dir` as `<template>/<video stem>` (gs_videoReport's layout)."""
    source = Path(video_or_title)
    stem = source.stem if source.suffix else source.name
    stem = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", stem).strip(" .") or "note"
    if out_dir is not None:
        return out_dir / template / stem
    return source.with_name(f"{stem}.{template}")


def write(note: Note, stem: Path, formats: list[str]) -> list[str]:
    """Write the note in each format next to `stem`; the files written."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = stem.with_name(f"{stem.name}.{fmt}")
        write_text_atomic(path, RENDERERS[fmt](note), durable=False)
        written.append(str(path))
    return written
