"""Credentials only through the OS keyring, and never in the logs."""

from __future__ import annotations

from core.secrets.bilibili import (
    credential_from_env,
    load_bilibili_credential,
    parse_cookie_header,
    save_bilibili_credential,
)
from core.secrets.redact import SecretRedactor, redact, register_secret
from core.secrets.store import ENV_COOKIE, SERVICE_NAME, KeyringStatus, SecretStore

__all__ = [
    "ENV_COOKIE",
    "SERVICE_NAME",
    "KeyringStatus",
    "SecretRedactor",
    "SecretStore",
    "credential_from_env",
    "load_bilibili_credential",
    "parse_cookie_header",
    "redact",
    "register_secret",
    "save_bilibili_credential",
]
