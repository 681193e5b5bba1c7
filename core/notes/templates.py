"""Note templates: a prompt with `{{placeholders}}`, its parameters and generation settings.

A template is a TOML file (see the built-in ones in ./templates) or, for a quick one, a
Markdown/text file whose whole text is the prompt. The built-in three follow gs_videoReport:
comprehensive_lesson, summary_report and chinese_transcript. User templates live in the
folder `templates` of the data folder; one with a built-in's name replaces it.

Placeholders every prompt may use: title, video_duration, language, transcript; and each
parameter of the template (a default in the file, overridden per batch).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ConfigError

BUILT_IN = Path(__file__).with_name("templates")
DEFAULT_TEMPLATE = "summary_report"
FIXED = frozenset({"title", "video_duration", "language", "transcript"})
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
LANGUAGE_NAMES = {"zh_CN": "Simplified Chinese (简体中文)", "en": "English"}


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    prompt: str
    description: str = ""
    version: str = "1.0"
    temperature: float = 0.7
    max_tokens: int = 8192
    top_p: float | None = None
    language: str = ""  # fixed language of the notes ("" = the batch's)
    merge: str = "llm"  # how the notes of a long video's pieces join: "llm" or "concatenate"
    parameters: Mapping[str, str] = field(default_factory=dict)
    path: str = ""  # the file it was read from
    built_in: bool = False

    def placeholders(self) -> set[str]:
        return set(_PLACEHOLDER.findall(self.prompt))

    def render(self, values: Mapping[str, str]) -> str:
        """The prompt with every placeholder filled (unknown ones are left empty)."""
        merged = {**self.parameters, **values}
        return _PLACEHOLDER.sub(lambda m: str(merged.get(m.group(1), "")), self.prompt).strip()


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code or "English")


def read_template(path: Path, *, built_in: bool = False) -> Template:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the template {path}: {exc.strerror or exc}") from None
    if path.suffix.lower() != ".toml":
        if not text.strip():
            raise ConfigError(f"the template {path} is empty")
        return Template(name=path.stem, title=path.stem, prompt=text, path=str(path))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"the template {path} is not valid TOML: {exc}") from None
    prompt = data.get("prompt")
    prompt_text = prompt.get("text") if isinstance(prompt, dict) else prompt
    if not isinstance(prompt_text, str) or not prompt_text.strip():
        raise ConfigError(f'the template {path} has no prompt ([prompt] text = "…")')
    params = data.get("parameters", {})
    if not isinstance(params, dict):
        raise ConfigError(f"the template {path}: [parameters] must be a table of name = default")
    merge = str(data.get("merge", "llm"))
    if merge not in ("llm", "concatenate"):
        raise ConfigError(f'the template {path}: merge must be "llm" or "concatenate", got {merge!r}')
    try:
        return Template(
            name=str(data.get("name") or path.stem), title=str(data.get("title") or path.stem), prompt=prompt_text,
            description=str(data.get("description", "")), version=str(data.get("version", "1.0")),
            temperature=float(data.get("temperature", 0.7)), max_tokens=int(data.get("max_tokens", 8192)),
            top_p=float(data["top_p"]) if "top_p" in data else None, language=str(data.get("language", "")),
            merge=merge, parameters={str(k): str(v) for k, v in params.items()}, path=str(path),
            built_in=built_in,
        )  # fmt: skip
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"the template {path} has a value of the wrong type: {exc}") from None


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".toml", ".md", ".txt") and p.is_file())


def all_templates(user_folder: Path | None) -> list[Template]:
    """Built-in templates, then the user's (a user template with a built-in's name wins)."""
    found = {t.name: t for t in (read_template(p, built_in=True) for p in _files(BUILT_IN))}
    for path in _files(user_folder) if user_folder else []:
        try:
            template = read_template(path)
        except ConfigError:
            continue  # listed by `notes templates` with its problem; never stops the others
        found[template.name] = template
    return list(found.values())


def find_template(name_or_file: str, user_folder: Path | None) -> Template:
    """A template by name, or read from a file path."""
    text = (name_or_file or DEFAULT_TEMPLATE).strip()
    path = Path(text).expanduser()
    if path.suffix.lower() in (".toml", ".md", ".txt") and (path.is_file() or "/" in text or "\\" in text):
        return read_template(path)
    for template in all_templates(user_folder):
        if template.name == text:
            return template
    names = ", ".join(t.name for t in all_templates(user_folder))
    raise ConfigError(f"no note template named {text!r} (there are: {names}); or give a template file's path")


def template_problems(user_folder: Path | None) -> dict[str, str]:
    """User template files that cannot be used, and why."""
    problems = {}
    for path in _files(user_folder) if user_folder else []:
        try:
            read_template(path)
        except ConfigError as exc:
            problems[str(path)] = str(exc)
    return problems
