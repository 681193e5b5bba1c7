"""Gateway export: uni-api's api.yaml, LiteLLM's model_list YAML, gpt-load's admin API plan.

Formats follow what those projects really read (see docs/llm.md). Keys are written only when
asked for; otherwise each key is an environment-variable reference the gateway resolves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.llm.gemini_client import api_root
from core.llm.keypool import env_variable
from core.llm.openai_client import api_base


@dataclass(frozen=True)
class ExportModel:
    upstream: str
    name: str  # what gateway clients ask for (alias, else the normalised name)


@dataclass(frozen=True)
class ExportAccount:
    name: str
    kind: str  # "openai" | "gemini"
    base_url: str
    keys: tuple[str, ...]  # empty unless the export includes keys
    key_count: int
    models: tuple[ExportModel, ...]
    rpm: int = 0
    tpm: int = 0
    include_keys: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def env_name(self) -> str:
        """SYNCDECK_LLM_<NAME>_KEY: the variable a gateway reads the key from."""
        return env_variable(self.name)

    def key_refs(self, style: str) -> list[str]:
        """The keys, or one reference per key (`${VAR}` for uni-api, `os.environ/VAR` for LiteLLM)."""
        if self.include_keys:
            return list(self.keys)
        names = [self.env_name if self.key_count == 1 else f"{self.env_name}_{i}" for i in range(1, self.key_count + 1)]
        return [f"os.environ/{n}" if style == "litellm" else f"${{{n}}}" for n in names]

    @property
    def chat_url(self) -> str:
        """The full endpoint uni-api wants in base_url."""
        if self.kind == "gemini":
            return f"{api_root(self.base_url)}/v1beta"
        return f"{api_base(self.base_url)}/chat/completions"

    @property
    def api_base(self) -> str:
        return api_root(self.base_url) if self.kind == "gemini" else api_base(self.base_url)
