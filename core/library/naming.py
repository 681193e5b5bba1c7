"""Name templates and file names that are safe on Windows, macOS and Linux.

Templates use handlebars-style tags, as bili-sync users know them: `{{title}}` inserts a value,
`{{truncate title 20}}` inserts at most 20 characters of it. A `/` written in the template
starts a subfolder; a `/` inside a value never does (it becomes `_` like every other character
that some system forbids).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from core.errors import ConfigError
from core.library.files import TEMP_NAME_OVERHEAD
from core.library.files import resolve_inside as resolve_inside  # paths from templates go through it

VIDEO_VARIABLES = frozenset({"bvid", "title", "upper_name", "upper_mid", "pubtime", "fav_time", "source_name"})
PAGE_VARIABLES = VIDEO_VARIABLES | {"ptitle", "pid", "pid_pad"}
BANGUMI_VARIABLES = PAGE_VARIABLES | {
    "series_title",
    "season",
    "season_pad",
    "episode",
    "episode_pad",
    "ep_id",
}
ALL_VARIABLES = BANGUMI_VARIABLES

# Most file systems allow 255 bytes per name (ext4, APFS, Btrfs: UTF-8 bytes; NTFS: UTF-16
# units, which is never stricter for the same text). A rendered name is only the start of a
# file name: the library appends up to " - S01E999.zh-CN.default.ass" (28 bytes) or
# ".audio.m4s.part.json" (20), and an atomic write adds a temporary suffix on top. The reserve
# also leaves room for long subtitle language codes.
LIBRARY_SUFFIX_RESERVE = 46
MAX_NAME_BYTES = 255 - LIBRARY_SUFFIX_RESERVE - TEMP_NAME_OVERHEAD

_FORBIDDEN_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in "123456789¹²³"}
)
_TAG = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class _Variable:
    name: str
    max_chars: int | None = None  # set by {{truncate name N}}


_Segment = list[str | _Variable]


def _parse_tag(body: str, template: str) -> _Variable:
    words = body.split()
    if len(words) == 1 and _IDENTIFIER.match(words[0]):
        return _Variable(words[0])
    if len(words) == 3 and words[0] == "truncate" and _IDENTIFIER.match(words[1]):
        if not words[2].isdigit() or int(words[2]) < 1:
            raise ConfigError(f"Template {template!r}: truncate needs a positive length, got {words[2]!r}")
        return _Variable(words[1], int(words[2]))
    raise ConfigError(
        f"Template {template!r}: cannot understand {{{{{body}}}}}; use {{{{name}}}} or {{{{truncate name N}}}}"
    )


def _check_literal(text: str, template: str) -> None:
    if "{{" in text or "}}" in text:
        raise ConfigError(f"Template {template!r} has an unclosed or stray '{{{{' / '}}}}'")


def _parse(template: str) -> list[_Segment]:
    """Split a template into path segments of literal text and variables."""
    segments: list[_Segment] = [[]]
    position = 0

    def add_literal(text: str) -> None:
        _check_literal(text, template)
        first, *rest = text.split("/")
        segments[-1].append(first)
        for piece in rest:
            segments.append([piece])

    for match in _TAG.finditer(template):
        add_literal(template[position : match.start()])
        segments[-1].append(_parse_tag(match.group(1), template))
        position = match.end()
    add_literal(template[position:])
    return segments


def template_variables(template: str) -> set[str]:
    """Names of the variables a template uses (ConfigError if it does not parse)."""
    return {part.name for segment in _parse(template) for part in segment if isinstance(part, _Variable)}


def check_template(template: str, variables: frozenset[str] = ALL_VARIABLES) -> None:
    """Raise ConfigError if `template` is empty, malformed or uses a variable not in `variables`
    (by default: not known to any template; pass the set of the template's kind to be strict)."""
    if not template.strip():
        raise ConfigError("A name template cannot be empty")
    unknown = template_variables(template) - variables
    if unknown:
        raise ConfigError(
            f"Template {template!r} uses unknown variable(s): {', '.join(sorted(unknown))}. "
            f"Available: {', '.join(sorted(variables))}"
        )


def _format_value(value: object, time_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, date):  # datetime is a date too
        return value.strftime(time_format)
    return str(value)


def render(template: str, values: Mapping[str, object], *, time_format: str = "%Y-%m-%d") -> str:
    """Fill a template and return a relative path with `/` between sanitised segments."""
    rendered: list[str] = []
    for segment in _parse(template):
        text: list[str] = []
        for part in segment:
            if isinstance(part, str):
                text.append(part)
                continue
            if part.name not in values:
                raise ConfigError(f"Template {template!r} uses {part.name!r}, which is not available here")
            value = _format_value(values[part.name], time_format)
            text.append(value if part.max_chars is None else value[: part.max_chars])
        rendered.append(sanitize_name("".join(text)))
    return "/".join(rendered)


def _truncate_utf8(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    # "ignore" drops a character cut in half at the end.
    return encoded[:max_bytes].decode("utf-8", "ignore")


def _fix_edges(text: str) -> str:
    # Windows drops trailing dots and spaces, a leading dot hides a file on Unix, and "." / ".."
    # are not names at all; dots become "_" so the name keeps its length and meaning.
    text = text.strip()
    stripped = text.lstrip(".")
    text = "_" * (len(text) - len(stripped)) + stripped
    stripped = text.rstrip(".")
    return stripped + "_" * (len(text) - len(stripped))


def _is_windows_reserved(name: str) -> bool:
    # "CON", "con.txt" and "CON .tar.gz" all open the console device on Windows.
    return name.split(".", 1)[0].rstrip(" ").upper() in _WINDOWS_RESERVED


def sanitize_name(text: str) -> str:
    """Make one path segment (folder or file name) valid on Windows, macOS and Linux."""
    text = _FORBIDDEN_CHARS.sub("_", unicodedata.normalize("NFC", text))
    text = _fix_edges(_truncate_utf8(_fix_edges(text), MAX_NAME_BYTES))
    if _is_windows_reserved(text):
        stem, dot, rest = text.partition(".")
        text = _fix_edges(_truncate_utf8(f"{stem}_{dot}{rest}", MAX_NAME_BYTES))
    return text or "_"


def safe_relpath(rendered: str) -> PurePosixPath:
    """A relative path from a rendered template, every segment sanitised (idempotent)."""
    return PurePosixPath(*(sanitize_name(segment) for segment in rendered.split("/")))
