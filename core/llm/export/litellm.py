"""LiteLLM proxy config.yaml: `model_list: [{model_name, litellm_params: {model, api_base, api_key, rpm, tpm}}]`.

One deployment per model and key (LiteLLM balances deployments that share a model_name), with
`openai/<upstream>` for OpenAI-compatible accounts and `gemini/<model>` for Gemini. A key not
included is `os.environ/VAR`, which LiteLLM reads from its environment. A Gemini api_base
carries the API version: LiteLLM appends only `models/<model>:generateContent` to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.llm.export import ExportAccount
from core.llm.gemini_client import DEFAULT_BASE


def build(accounts: Sequence[ExportAccount], existing: dict[str, Any] | None = None) -> dict[str, Any]:
    config: dict[str, Any] = dict(existing or {})
    ours = {a.name for a in accounts}
    kept = [d for d in config.get("model_list") or []
            if not (isinstance(d, dict) and (d.get("model_info") or {}).get("syncdeck_account") in ours)]  # fmt: skip
    deployments = []
    for account in accounts:
        for model in account.models:
            for key in account.key_refs("litellm"):
                params: dict[str, Any] = {"api_key": key}
                if account.kind == "gemini":
                    params["model"] = f"gemini/{model.upstream.removeprefix('models/')}"
                    if account.api_base != DEFAULT_BASE:
                        params["api_base"] = f"{account.api_base}/v1beta"
                else:
                    params["model"] = f"openai/{model.upstream}"
                    params["api_base"] = account.api_base
                if account.rpm:
                    params["rpm"] = account.rpm
                if account.tpm:
                    params["tpm"] = account.tpm
                deployments.append({"model_name": model.name, "litellm_params": params,
                                    "model_info": {"syncdeck_account": account.name}})  # fmt: skip
    config["model_list"] = kept + deployments
    config.setdefault("router_settings", {"routing_strategy": "simple-shuffle", "num_retries": 2})
    return config


def problems(config: Any) -> list[str]:
    """LiteLLM's documented schema for what we write (model_list entries)."""
    if not isinstance(config, dict):
        return ["the file is not a mapping"]
    found = []
    model_list = config.get("model_list")
    if not isinstance(model_list, list):
        return ["model_list must be a list"]
    for i, d in enumerate(model_list):
        if not isinstance(d, dict) or not isinstance(d.get("model_name"), str):
            found.append(f"model_list[{i}].model_name must be a name")
            continue
        params = d.get("litellm_params")
        if not isinstance(params, dict) or not isinstance(params.get("model"), str) or "/" not in params["model"]:
            found.append(f"model_list[{i}].litellm_params.model must be `<provider>/<model>`")
        for number in ("rpm", "tpm"):
            if isinstance(params, dict) and number in params and not isinstance(params[number], int):
                found.append(f"model_list[{i}].litellm_params.{number} must be a whole number")
    return found
