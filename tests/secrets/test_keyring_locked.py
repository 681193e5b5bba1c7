"""A locked keyring (its own daemon: locking cannot be undone without a password prompt)."""

from __future__ import annotations

import pytest
import secretstorage

from core.errors import SecretStoreError
from core.secrets import SecretStore
from tests.keyring_service import PrivateSecretService

pytestmark = pytest.mark.keyring


def test_locked_keyring_is_reported_plainly(secret_service: PrivateSecretService) -> None:
    store = SecretStore()
    store.set("bilibili/account/1", "value before locking")
    connection = secretstorage.dbus_init()
    try:
        secretstorage.get_default_collection(connection).lock()
    finally:
        connection.close()

    # Headless, the unlock prompt is dismissed at once: the store must say what happened.
    with pytest.raises(SecretStoreError, match="keyring is locked. Unlock it") as read_error:
        store.get("bilibili/account/1")
    assert "bilibili/account/1" in str(read_error.value)
    with pytest.raises(SecretStoreError, match="Could not save the secret 'bilibili/account/2'"):
        store.set("bilibili/account/2", "never written")
