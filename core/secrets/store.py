"""Secrets live in the operating system's keyring and nowhere else.

The database keeps a reference such as `bilibili/account/3`; the value sits in the keyring
under the service name "SyncDeck". When no secure keyring is available (a headless Linux box
without a Secret Service, the `null` backend, or a file-based backend from keyrings.alt)
SyncDeck refuses to store anything rather than leave a login readable on disk.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import InitError, KeyringError, KeyringLocked, NoKeyringError, PasswordDeleteError

from core.errors import ConfigError, SecretStoreError
from core.secrets.redact import register_secret

SERVICE_NAME = "SyncDeck"

_REF = re.compile(r"[A-Za-z0-9_.:@-]+(?:/[A-Za-z0-9_.:@-]+)*")

_T = TypeVar("_T")

# Failures of the Secret Service transport that the keyring library lets through unwrapped
# (no session bus, the daemon vanishing mid-call).
_TRANSPORT_ERRORS: tuple[type[Exception], ...] = (OSError,)
try:
    from jeepney.wrappers import DBusErrorResponse
    from secretstorage.exceptions import SecretStorageException
except ImportError:  # not Linux: no Secret Service libraries
    pass
else:
    _TRANSPORT_ERRORS += (SecretStorageException, DBusErrorResponse)


@dataclass(frozen=True)
class KeyringStatus:
    secure: bool
    backend: str  # dotted class name, e.g. keyring.backends.SecretService.Keyring
    message: str  # fit to show a user as is


def _class_name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _insecurity(backend: KeyringBackend) -> str:
    """Why `backend` cannot hold a secret safely, or "" when it can."""
    if isinstance(backend, chainer.ChainerBackend):
        # The chainer writes to the first of its backends that accepts, so every one must be safe.
        chained = list(backend.backends)
        if not chained:
            return "no keyring service was found"
        return next((reason for reason in map(_insecurity, chained) if reason), "")
    if isinstance(backend, fail.Keyring):
        return "no keyring service was found"
    if isinstance(backend, null.Keyring):
        return "the keyring is switched off (null backend)"
    name = _class_name(backend)
    if name.startswith("keyrings.alt.") or "plaintext" in name.lower():
        return f"the selected keyring ({name}) keeps secrets in a file, not in a protected store"
    return ""


def insecure_message(reason: str) -> str:
    return (
        f"Credentials cannot be stored securely: {reason}. "
        "On Linux, install and unlock a Secret Service such as GNOME Keyring or KWallet "
        "(it normally starts with your desktop session). "
        "On a server, give a login to this process only through its environment variable "
        "(SYNCDECK_BILIBILI_COOKIE for Bilibili); it is never saved."
    )


class SecretStore:
    """Reads and writes secrets by reference, only through a secure keyring.

    `backend` defaults to whatever keyring selects at the time of each call, so a backend
    chosen later with `keyring.set_keyring` is honoured. Every operation raises
    `SecretStoreError` when the backend is insecure (see `check`) or refuses the request.
    """

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._fixed_backend = backend

    def _backend(self) -> KeyringBackend:
        return self._fixed_backend if self._fixed_backend is not None else keyring.get_keyring()

    def backend_name(self) -> str:
        return _class_name(self._backend())

    def check(self) -> KeyringStatus:
        backend = self._backend()
        name = _class_name(backend)
        reason = _insecurity(backend)
        if reason:
            return KeyringStatus(secure=False, backend=name, message=insecure_message(reason))
        return KeyringStatus(secure=True, backend=name, message=f"Credentials are kept in the keyring ({name}).")

    def set(self, ref: str, value: str) -> None:
        backend = self._secure_backend(ref)
        register_secret(value)
        self._call("save", ref, lambda: backend.set_password(SERVICE_NAME, ref, value))

    def get(self, ref: str) -> str | None:
        backend = self._secure_backend(ref)
        value = self._call("read", ref, lambda: backend.get_password(SERVICE_NAME, ref))
        register_secret(value)
        return value

    def delete(self, ref: str) -> None:
        """Remove the secret; deleting one that does not exist is not an error."""
        backend = self._secure_backend(ref)
        try:
            self._call("delete", ref, lambda: backend.delete_password(SERVICE_NAME, ref))
        except SecretStoreError as exc:
            # Backends report "no such password" with the same exception as real failures.
            if not isinstance(exc.__cause__, PasswordDeleteError) or self.get(ref) is not None:
                raise

    def _secure_backend(self, ref: str) -> KeyringBackend:
        if not _REF.fullmatch(ref):
            raise ConfigError(f"{ref!r} is not a secret reference (expected something like 'bilibili/account/3')")
        backend = self._backend()
        reason = _insecurity(backend)
        if reason:
            raise SecretStoreError(insecure_message(reason))
        return backend

    def _call(self, action: str, ref: str, operation: Callable[[], _T]) -> _T:
        try:
            return operation()
        except KeyringLocked as exc:
            raise SecretStoreError(
                f"Could not {action} the secret {ref!r}: the keyring is locked. "
                "Unlock it (log in to your desktop session or open the keyring manager) and try again."
            ) from exc
        except NoKeyringError as exc:
            raise SecretStoreError(insecure_message("no keyring service was found")) from exc
        except InitError as exc:
            raise SecretStoreError(
                f"Could not {action} the secret {ref!r}: the keyring did not open ({exc}). "
                "Make sure it is unlocked and answer its password prompt, then try again."
            ) from exc
        except KeyringError as exc:
            raise SecretStoreError(f"Could not {action} the secret {ref!r}: the keyring refused ({exc}).") from exc
        except _TRANSPORT_ERRORS as exc:
            raise SecretStoreError(
                f"Could not {action} the secret {ref!r}: the keyring service cannot be reached ({exc}). "
                "Make sure it is running (on Linux: GNOME Keyring or KWallet in your session)."
            ) from exc
