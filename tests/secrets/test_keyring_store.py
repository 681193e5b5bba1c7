"""SecretStore against a real Secret Service (a private gnome-keyring-daemon)."""

from __future__ import annotations

import base64
import io
import logging
import uuid
from collections.abc import Iterator

import pytest

from core.errors import SecretStoreError
from core.providers.bilibili.credential import load_credential as load_bilibili_credential
from core.providers.bilibili.credential import save_credential as save_bilibili_credential
from core.providers.bilibili.models import Credential
from core.secrets import SERVICE_NAME, SecretRedactor, SecretStore
from tests.keyring_service import PrivateSecretService

pytestmark = pytest.mark.keyring


@pytest.fixture
def store(secret_service: PrivateSecretService) -> SecretStore:
    # No backend given: the store must use the one keyring selects (the fixture's SecretService).
    return SecretStore()


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.addFilter(SecretRedactor())
    logger = logging.getLogger("syncdeck.test.keyring")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield output
    finally:
        logger.removeHandler(handler)


def unique_ref() -> str:
    return f"bilibili/account/{uuid.uuid4().int % 10**9}"


def test_selected_backend_is_the_secret_service_and_secure(store: SecretStore) -> None:
    status = store.check()
    assert status.secure
    assert status.backend == "keyring.backends.SecretService.Keyring"
    assert store.backend_name() == status.backend


def test_round_trip_keeps_non_ascii_and_overwrites(store: SecretStore) -> None:
    ref = unique_ref()
    store.set(ref, "哔哩哔哩 SESSDATA ✓ ünïcödé")
    assert store.get(ref) == "哔哩哔哩 SESSDATA ✓ ünïcödé"
    store.set(ref, "second value")
    assert store.get(ref) == "second value"


def test_unknown_ref_reads_as_none(store: SecretStore) -> None:
    assert store.get(unique_ref()) is None


def test_delete_removes_the_secret_and_repeating_it_is_harmless(store: SecretStore) -> None:
    ref = unique_ref()
    store.set(ref, "to be forgotten")
    store.delete(ref)
    assert store.get(ref) is None
    store.delete(ref)
    assert store.get(ref) is None


def test_secrets_of_different_refs_stay_apart(store: SecretStore) -> None:
    first, second = unique_ref(), unique_ref()
    store.set(first, "one")
    store.set(second, "two")
    store.delete(first)
    assert store.get(first) is None
    assert store.get(second) == "two"


def test_bilibili_credential_round_trip(store: SecretStore) -> None:
    ref = unique_ref()
    cred = Credential(
        sessdata="9a1b2c3d%2C1767225600%2Cabcde%2A11",
        bili_jct="0123456789abcdef0123456789abcdef",
        dedeuserid="3493116",
        buvid3="B2A5F2D1-1111-2222-3333-444455556666infoc",
        ac_time_value="f0e1d2c3b4a5968778695a4b3c2d1e0f",
    )
    save_bilibili_credential(store, ref, cred)
    assert load_bilibili_credential(store, ref) == cred
    assert load_bilibili_credential(store, unique_ref()) is None


def test_credential_saved_by_a_newer_version_still_loads(store: SecretStore) -> None:
    ref = unique_ref()
    store.set(ref, '{"sessdata": "s3ss", "bili_jct": "jct0", "dedeuserid": "7", "future_field": "x"}')
    assert load_bilibili_credential(store, ref) == Credential(sessdata="s3ss", bili_jct="jct0", dedeuserid="7")


@pytest.mark.parametrize(
    "stored",
    [
        "not json at all",
        '["a", "list"]',
        '{"sessdata": "only this"}',
        '{"sessdata": 1, "bili_jct": "j", "dedeuserid": "7"}',
    ],
)
def test_damaged_credential_asks_for_a_new_login(store: SecretStore, stored: str) -> None:
    ref = unique_ref()
    store.set(ref, stored)
    with pytest.raises(SecretStoreError, match="damaged; please log in again"):
        load_bilibili_credential(store, ref)


def test_nothing_lands_on_disk_in_plaintext(store: SecretStore, secret_service: PrivateSecretService) -> None:
    secret = f"plain-{uuid.uuid4().hex}-密码"
    store.set(unique_ref(), secret)
    files = [path for path in secret_service.home.rglob("*") if path.is_file()]
    # The daemon did write its keyring file, so the search below looked at real data.
    assert any(path.suffix == ".keyring" for path in files)
    encodings = [secret.encode(), secret.encode("utf-16-le"), base64.b64encode(secret.encode())]
    for path in files:
        data = path.read_bytes()
        for encoded in encodings:
            assert encoded not in data, f"{path} holds the secret unencrypted"


def test_values_read_from_the_keyring_never_reach_the_log(
    store: SecretStore, secret_service: PrivateSecretService, log_output: io.StringIO
) -> None:
    ref = unique_ref()
    secret = f"stored-elsewhere-{uuid.uuid4().hex}"
    # Written behind the store's back (as by an earlier run), so only the read can register it.
    secret_service.backend.set_password(SERVICE_NAME, ref, secret)
    value = store.get(ref)
    logging.getLogger("syncdeck.test.keyring").info("loaded %s for %s", value, ref)
    assert secret not in log_output.getvalue()
    assert f"loaded *** for {ref}" in log_output.getvalue()
