"""uni-api's api.yaml (github.com/yym68686/uni-api): providers[], api_keys[], preferences.

A provider's `base_url` is the full endpoint (…/v1/chat/completions; Gemini …/v1beta), `api` a
key or a list of keys (round robin), `model` a list of names or `{upstream: alias}` maps. Other
providers and top-level keys of an existing file are kept; SyncDeck's own providers are those
whose `notes` say so, and are replaced.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from core.llm.export import ExportAccount

MANAGED = "managed by SyncDeck"


def build(accounts: Sequence[ExportAccount], existing: dict[str, Any] | None = None) -> dict[str, Any]:
    config: dict[str, Any] = dict(existing or {})
    ours = {a.name for a in accounts}
    kept = [p for p in config.get("providers") or []
            if isinstance(p, dict) and p.get("notes") != MANAGED and p.get("provider") not in ours]  # fmt: skip
    providers = []
    for account in accounts:
        models: list[Any] = [m.upstream if m.name == m.upstream else {m.upstream: m.name} for m in account.models]
        keys = account.key_refs("uni-api")
        provider: dict[str, Any] = {
            "provider": account.name,
            "base_url": account.chat_url,
            "api": keys[0] if len(keys) == 1 else keys,
            "model": models,
            "tools": True,
            "notes": MANAGED,
        }
        if account.kind == "gemini":
            provider["engine"] = "gemini"
        if account.rpm:
            provider["preferences"] = {"api_key_rate_limit": f"{account.rpm}/min"}
        providers.append(provider)
    config["providers"] = kept + providers
    if not config.get("api_keys"):
        # the key clients use to call uni-api: made here, kept by later exports
        config["api_keys"] = [{"api": f"sk-{secrets.token_hex(24)}", "model": ["all"],
                               "preferences": {"SCHEDULING_ALGORITHM": "round_robin", "AUTO_RETRY": True}}]  # fmt: skip
    config.setdefault("preferences", {"model_timeout": {"default": 600}, "cooldown_period": 60})
    return config


def problems(config: Any) -> list[str]:
    """What uni-api would refuse, by its documented schema (providers, api_keys, model items)."""
    found: list[str] = []
    if not isinstance(config, dict):
        return ["the file is not a mapping"]
    providers = config.get("providers")
    if not isinstance(providers, list) or not providers:
        found.append("providers must be a non-empty list")
        providers = []
    for i, p in enumerate(providers):
        where = f"providers[{i}]"
        if not isinstance(p, dict):
            found.append(f"{where} is not a mapping")
            continue
        if not isinstance(p.get("provider"), str) or not p["provider"]:
            found.append(f"{where}.provider must be a name")
        if not str(p.get("base_url", "")).startswith(("http://", "https://")):
            found.append(f"{where}.base_url must be an http(s) URL")
        api = p.get("api")
        if api is not None and not (
            isinstance(api, str) or (isinstance(api, list) and all(isinstance(k, str) for k in api))
        ):
            found.append(f"{where}.api must be a key or a list of keys")
        for j, m in enumerate(p.get("model") or []):
            if isinstance(m, str):
                continue
            if not (isinstance(m, dict) and len(m) == 1 and all(isinstance(k, str) and isinstance(v, str)
                                                                for k, v in m.items())):  # fmt: skip
                found.append(f"{where}.model[{j}] must be a name or one `upstream: alias` pair")
        if "models" in p:
            found.append(f"{where} has `models`; uni-api reads `model`")
    keys = config.get("api_keys")
    if (
        not isinstance(keys, list)
        or not keys
        or not all(isinstance(k, dict) and isinstance(k.get("api"), str) for k in keys)
    ):
        found.append("api_keys must be a list of entries with an `api` key")
    return found
