"""Credentials only through the OS keyring, and never in the logs.

The keyring parts load on first use: the log redaction is needed at start-up, the keyring
library (tens of milliseconds to import) only once a login is read or written. What a
login holds is its provider's business (e.g. core/providers/bilibili/credential.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from core.secrets.redact import SecretRedactor, redact, register_secret

if TYPE_CHECKING:
    from core.secrets.store import SERVICE_NAME, KeyringStatus, SecretStore

_LAZY = {
    "SERVICE_NAME": "core.secrets.store",
    "KeyringStatus": "core.secrets.store",
    "SecretStore": "core.secrets.store",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'core.secrets' has no attribute {name!r}")


__all__ = ["SERVICE_NAME", "KeyringStatus", "SecretRedactor", "SecretStore", "redact", "register_secret"]
