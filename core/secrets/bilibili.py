"""The Bilibili login's keyring format now lives in `core.providers.bilibili.credential`;
these names stay until every caller uses the provider."""

from __future__ import annotations

from core.providers.bilibili.credential import credential_from_env, parse_cookie_header
from core.providers.bilibili.credential import load_credential as load_bilibili_credential
from core.providers.bilibili.credential import save_credential as save_bilibili_credential

__all__ = ["credential_from_env", "load_bilibili_credential", "parse_cookie_header", "save_bilibili_credential"]
