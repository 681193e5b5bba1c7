"""What happens without a secure keyring: a plain message, and nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.backends.SecretService import Keyring as SecretServiceKeyring

from core.errors import ConfigError, SecretStoreError
from core.secrets import SecretStore


class PlaintextFileKeyring(KeyringBackend):
    """A file-backed keyring of the kind keyrings.alt provides: passwords readable on disk."""

    priority = 1

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def set_password(self, service: str, username: str, password: str) -> None:
        with self.path.open("a", encoding="utf-8") as file:
            file.write(f"{service}\t{username}\t{password}\n")

    def get_password(self, service: str, username: str) -> str | None:
        if not self.path.exists():
            return None
        for line in self.path.read_text(encoding="utf-8").splitlines():
            stored_service, stored_username, password = line.split("\t")
            if (stored_service, stored_username) == (service, username):
                return password
        return None

    def delete_password(self, service: str, username: str) -> None:
        raise NotImplementedError


class AltNamespaceKeyring(PlaintextFileKeyring):
    """Stands in for keyrings.alt's backends, which are deliberately not installed here:
    with D-Bus absent, keyring would silently pick them as the default."""


AltNamespaceKeyring.__module__ = "keyrings.alt.file"


@pytest.fixture
def restore_selected_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    try:
        yield
    finally:
        keyring.set_keyring(previous)


def assert_plain_message(message: str) -> None:
    assert message.startswith("Credentials cannot be stored securely")
    assert "GNOME Keyring or KWallet" in message
    assert "SYNCDECK_BILIBILI_COOKIE" in message


@pytest.mark.parametrize(
    ("backend", "name"),
    [
        (fail.Keyring(), "keyring.backends.fail.Keyring"),
        (null.Keyring(), "keyring.backends.null.Keyring"),
    ],
)
def test_fail_and_null_backends_are_insecure_and_refuse_everything(backend: KeyringBackend, name: str) -> None:
    store = SecretStore(backend)
    status = store.check()
    assert not status.secure
    assert status.backend == name
    assert_plain_message(status.message)
    for operation in (
        lambda: store.set("bilibili/account/3", "s3cret"),
        lambda: store.get("bilibili/account/3"),
    ):
        with pytest.raises(SecretStoreError) as error:
            operation()
        assert str(error.value) == status.message


def test_default_store_follows_keyring_selection(restore_selected_keyring: None) -> None:
    keyring.set_keyring(fail.Keyring())
    store = SecretStore()
    assert store.backend_name() == "keyring.backends.fail.Keyring"
    assert not store.check().secure
    with pytest.raises(SecretStoreError, match="no keyring service was found"):
        store.set("bilibili/account/3", "s3cret")


@pytest.mark.parametrize("backend_class", [PlaintextFileKeyring, AltNamespaceKeyring])
def test_file_backends_are_insecure_and_never_written(tmp_path: Path, backend_class: type) -> None:
    password_file = tmp_path / "keyring_pass.cfg"
    store = SecretStore(backend_class(password_file))
    status = store.check()
    assert not status.secure
    assert_plain_message(status.message)
    assert "keeps secrets in a file" in status.message
    with pytest.raises(SecretStoreError, match="cannot be stored securely"):
        store.set("bilibili/account/3", "s3cret")
    assert not password_file.exists()


def test_unreachable_secret_service_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-such-bus")
    store = SecretStore(SecretServiceKeyring())
    with pytest.raises(
        SecretStoreError,
        match="Could not save the secret .bilibili/account/3.: the keyring service cannot be reached",
    ):
        store.set("bilibili/account/3", "s3cret")


@pytest.mark.parametrize("ref", ["", "/bilibili", "bilibili//3", "bilibili/account/3/", "has space", "a\nb"])
def test_malformed_refs_are_rejected(ref: str) -> None:
    with pytest.raises(ConfigError, match="not a secret reference"):
        SecretStore(null.Keyring()).get(ref)
