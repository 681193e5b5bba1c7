"""Credentials only through the OS keyring, and never in the logs.

The keyring parts load on first use: the log redaction is needed at start-up, the keyring
library (tens of milliseconds to import) only once a login is read or written.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from core.secrets.redact import SecretRedactor, redact, register_secret

if TYPE_CHECKING:
    from core.secrets.bilibili import (
        credential_from_env,
        load_bilibili_credential,
        parse_cookie_header,
        save_bilibili_credential,
    )
    from core.secrets.store import ENV_COOKIE, SERVICE_NAME, KeyringStatus, SecretStore

_LAZY = {
    "credential_from_env": "core.secrets.bilibili",
    "load_bilibili_credential": "core.secrets.bilibili",
    "parse_cookie_header": "core.secrets.bilibili",
    "save_bilibili_credential": "core.secrets.bilibili",
    "ENV_COOKIE": "core.secrets.store",
    "SERVICE_NAME": "core.secrets.store",
    "KeyringStatus": "core.secrets.store",
    "SecretStore": "core.secrets.store",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'core.secrets' has no attribute {name!r}")


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
