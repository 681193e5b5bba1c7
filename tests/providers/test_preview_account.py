"""`source preview` uses the same account as `source add` would: the only logged-in one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import Deck
from tests.fakes.bilibili import FakeBilibili, world
from tests.keyring_service import PrivateSecretService, secret_service  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.timeout(180), pytest.mark.keyring]


def test_preview_without_account_uses_the_default_account_like_add(
    fake_bili: FakeBilibili,
    tmp_path: Path,
    secret_service: PrivateSecretService,  # noqa: F811
) -> None:
    deck = Deck(fake_bili, tmp_path, env_login=False)
    deck.env["DBUS_SESSION_BUS_ADDRESS"] = secret_service.bus_address
    deck.env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.SecretService.Keyring"
    deck.run("login", "bilibili", "--cookie", "-", input=world.COOKIE)

    anonymous = deck.run("source", "preview", "watchlater", "--account", "0", check=None)
    assert anonymous.returncode == 1 and "login missing" in anonymous.stderr, "watch later needs a login"
    info = deck.json("source", "preview", "watchlater")
    assert info["kind"] and info["count"] == 2, info
