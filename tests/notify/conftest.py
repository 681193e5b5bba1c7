from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from core.config import Config, load_config
from core.secrets import SecretStore
from tests.fakes.notify import FakeTelegram, SmtpServer, WebhookReceiver
from tests.keyring_service import secret_service  # noqa: F401  (registers the fixture)


@pytest.fixture(autouse=True)
def no_proxy_no_syncdeck_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fakes are on 127.0.0.1: no proxy from the environment, no settings from outside."""
    import os

    for name in list(os.environ):
        if name.lower() in ("http_proxy", "https_proxy", "all_proxy") or name.startswith("SYNCDECK_"):
            monkeypatch.delenv(name)


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as server:
        yield server


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def keyring_clean(secret_service: Any) -> Iterator[SecretStore]:  # noqa: F811
    """The private keyring with no notification secrets in it, before and after the test."""
    store = SecretStore()
    for ref in ("notify:telegram", "notify:email"):
        store.delete(ref)
    yield store
    for ref in ("notify:telegram", "notify:email"):
        store.delete(ref)


def write_config(path: Path, values: dict[str, Any]) -> Path:
    """A config.toml with `values` under their dotted keys."""
    document: dict[str, Any] = {}
    for key, value in values.items():
        table = document
        *parents, leaf = key.split(".")
        for part in parents:
            table = table.setdefault(part, {})
        table[leaf] = value
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    return path


def make_config(tmp_path: Path, values: dict[str, Any]) -> Config:
    path = write_config(tmp_path / "config.toml", values)
    return load_config(path, data_dir=tmp_path / "data", environ={})


def all_channels(webhook: WebhookReceiver, telegram: FakeTelegram, smtp: SmtpServer) -> dict[str, Any]:
    """Settings that point each channel at its fake (the secrets still go to the keyring)."""
    return {
        "notify.webhook.url": webhook.url,
        "notify.telegram.chat_id": FakeTelegram.CHAT_ID,
        "notify.telegram.api_base": telegram.base_url,
        "notify.email.host": "127.0.0.1",
        "notify.email.port": smtp.port,
        "notify.email.security": "none",
        "notify.email.from": "syncdeck@example.org",
        "notify.email.to": ["lin@example.org"],
        "notify.retries": 0,
        "notify.timeout_s": 5.0,
        "ui.language": "en",
    }


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (and its key), to trust through net.ca_bundle."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def server_tls(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context
