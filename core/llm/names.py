"""Model names: one spelling for the same model across providers, and the user's rules.

Normalisation follows uni-load's order: the part after the last "/", lower case, "openai-gpt-"
→ "gpt-", no release-stage suffix (-latest, -preview, -alpha, -beta, -rcN, -instruct), no
date (-YYYYMMDD, -YYYY-MM-DD, -YYMMDD, -MMDD, -MM-DD), no repeated dashes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from core.errors import ConfigError

_STAGE = re.compile(r"-(?:latest|preview|alpha|beta|rc\d*|instruct)$")
_DATES = (
    re.compile(r"-\d{4}-\d{2}-\d{2}$"),  # -2024-08-06
    re.compile(r"-(?:19|20)\d{6}$"),  # -20240806
    re.compile(r"-\d{2}-\d{2}$"),  # -08-06
    re.compile(r"-\d{6}$"),  # -240806
    re.compile(r"-(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$"),  # -0806
)
_SAFE = re.compile(r"[^a-z0-9_-]")


def normalise(upstream: str) -> str:
    name = upstream.rsplit("/", 1)[-1].strip().lower()
    if name.startswith("openai-gpt-"):
        name = "gpt-" + name.removeprefix("openai-gpt-")
    changed = True
    while changed:  # "-preview-0514" and "-0514-preview" both lose both parts
        before = name
        name = _STAGE.sub("", name)
        for date in _DATES:
            name = date.sub("", name)
        changed = name != before and "-" in name
    name = re.sub(r"-{2,}", "-", name).strip("-")
    return name or upstream


def safe_group_name(name: str) -> str:
    """gpt-load's group names: `^[a-z0-9_-]{1,100}$` ("/" and anything else become "-")."""
    return _SAFE.sub("-", name.lower().replace("/", "-"))[:100] or "group"


def guess_kind(upstream: str, methods: Sequence[str] = ()) -> str:
    """chat | embedding | audio | image | other, from the methods a provider lists or the name."""
    name = upstream.lower()
    if methods:
        if "generateContent" in methods:
            return "image" if "image" in name else "chat"
        if "embedContent" in methods or "embedText" in methods:
            return "embedding"
        return "other"
    if "embed" in name or "rerank" in name:
        return "embedding"
    if any(w in name for w in ("whisper", "transcribe", "tts", "sensevoice", "audio")):
        return "audio"
    if any(w in name for w in ("dall-e", "dalle", "image", "flux", "stable-diffusion")):
        return "image"
    return "chat"


def is_transcriber(upstream: str) -> bool:
    name = upstream.lower()
    return any(w in name for w in ("whisper", "transcribe", "sensevoice"))


@dataclass(frozen=True)
class ModelRules:
    """The user's rules for one account: renames (regex → replacement, applied in order after
    normalisation), and allow/block lists (regexes on the upstream id or the name)."""

    rename: tuple[tuple[str, str], ...] = ()
    allow: tuple[str, ...] = ()
    block: tuple[str, ...] = ()
    _compiled: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for pattern in [p for p, _ in self.rename] + list(self.allow) + list(self.block):
            try:
                self._compiled[pattern] = re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"{pattern!r} is not a regular expression: {exc}") from None

    @classmethod
    def from_json(cls, data: dict[str, object] | None) -> ModelRules:
        data = data or {}
        rename = tuple((str(a), str(b)) for a, b in data.get("rename", []) or [])  # type: ignore[union-attr]
        allow = tuple(str(p) for p in data.get("allow", []) or [])  # type: ignore[union-attr]
        block = tuple(str(p) for p in data.get("block", []) or [])  # type: ignore[union-attr]
        return cls(rename, allow, block)

    def to_json(self) -> dict[str, object]:
        return {"rename": [list(r) for r in self.rename], "allow": list(self.allow), "block": list(self.block)}

    def name_for(self, upstream: str) -> str:
        name = normalise(upstream)
        for pattern, replacement in self.rename:
            name = self._compiled[pattern].sub(replacement, name)
        return name

    def admits(self, upstream: str, name: str) -> bool:
        def hit(patterns: Iterable[str]) -> bool:
            return any(self._compiled[p].search(upstream) or self._compiled[p].search(name) for p in patterns)

        if self.block and hit(self.block):
            return False
        return not self.allow or hit(self.allow)
