"""What the command line and the window see of LLM accounts (never a key)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class KeyView:
    index: int  # 1-based, in the order the keys were given
    masked: str  # "sk-…a1b2": enough to tell keys apart, not to use one
    fingerprint: str
    state: str  # "ok" | "spent" | "invalid"
    usable_at: datetime | None = None  # when a spent key is usable again
    last_error: str = ""


@dataclass(frozen=True)
class ModelView:
    upstream: str  # the provider's id
    name: str  # normalised and renamed by the account's rules
    alias: str
    kind: str  # chat | embedding | audio | image | other
    enabled: bool  # the user's checkbox
    auto_disabled: bool  # set aside after errors; a good health check clears it
    disabled_reason: str = ""
    listed: bool = True  # in the provider's latest list
    last_ok: bool | None = None  # the latest health check, None = never checked
    last_latency_ms: int = 0
    last_checked_at: datetime | None = None
    price_in: float = 0.0  # the user's price per million prompt tokens (0 = not set)
    price_out: float = 0.0  # per million completion tokens

    @property
    def exported_name(self) -> str:
        return self.alias or self.name

    @property
    def usable(self) -> bool:
        return self.enabled and not self.auto_disabled and self.listed


@dataclass(frozen=True)
class LlmAccountView:
    id: int
    name: str
    kind: str  # "openai" | "gemini"
    base_url: str
    keys: int
    usable_keys: int
    rpm: int
    tpm: int
    models: int
    enabled_models: int
    models_fetched_at: datetime | None
    rules: dict[str, Any] = field(default_factory=dict)
    last_error: str = ""
    can_transcribe: bool = False
    can_watch_video: bool = False


@dataclass(frozen=True)
class HealthView:
    model: str  # upstream id
    ok: bool
    latency_ms: int
    at: datetime
    error: str = ""


@dataclass(frozen=True)
class ExportResult:
    target: str  # "uni-api" | "litellm" | "gpt-load"
    text: str  # the file (YAML), or the plan (JSON) for gpt-load; keys only when asked for
    path: str = ""  # where it was written, "" = not written
    backup: str = ""  # the previous file's copy, "" = there was none
    applied: bool = False  # gpt-load: the plan was carried out
    steps: tuple[str, ...] = ()  # gpt-load: what was done, one line a call
