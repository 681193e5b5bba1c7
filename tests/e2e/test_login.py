"""Logging in through the command line: QR and cookie import into a real Secret Service."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import Deck
from tests.fakes.bilibili import FakeBilibili, world
from tests.keyring_service import PrivateSecretService

pytestmark = [pytest.mark.timeout(180), pytest.mark.keyring]


@pytest.fixture
def keyring_deck(fake_bili: FakeBilibili, tmp_path: Path, secret_service: PrivateSecretService) -> Deck:
    deck = Deck(fake_bili, tmp_path, env_login=False)
    deck.env["DBUS_SESSION_BUS_ADDRESS"] = secret_service.bus_address
    deck.env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.SecretService.Keyring"
    return deck


def all_files_text(*folders: Path) -> bytes:
    return b"".join(p.read_bytes() for f in folders if f.exists() for p in f.rglob("*") if p.is_file())


def test_cookie_login_lives_only_in_the_keyring(keyring_deck: Deck, secret_service: PrivateSecretService) -> None:
    deck = keyring_deck
    out = deck.run("login", "bilibili", "--cookie", "-", input=world.COOKIE).stdout
    assert "同步测试员" in out
    accounts = deck.json("account", "list")
    assert accounts[0]["user_id"] == str(world.ACCOUNT_MID) and accounts[0]["vip"]

    deck.add("watchlater")  # needs the login: it comes from the keyring
    result = deck.sync("-v")
    assert result["outcome"] == "done" and result["new_items"] == 2

    stored = all_files_text(deck.data, deck.root / "config.toml")
    for secret in (world.SESSDATA, world.BILI_JCT, world.REFRESH_TOKEN):
        assert secret.encode() not in stored, "secrets never reach the database, config or logs"
    assert (deck.data / "syncdeck.db").exists() and list((deck.data / "logs").glob("*.log"))

    deck.run("account", "remove", str(accounts[0]["id"]))
    assert deck.json("account", "list") == []


def test_qr_login_in_the_terminal(keyring_deck: Deck) -> None:
    deck = keyring_deck
    deck.fake.scenario(qr_auto_confirm=3)
    proc = deck.run("login", "bilibili", "--qr", "--name", "主号", timeout=60)
    assert "█" in proc.stdout or "▀" in proc.stdout, "the QR code is drawn in the terminal"
    assert "scanned" in proc.stdout and "logged in as 同步测试员" in proc.stdout
    assert deck.json("account", "list")[0]["name"] == "主号"


def test_without_a_secure_keyring_the_login_is_refused_plainly(fake_bili: FakeBilibili, tmp_path: Path) -> None:
    deck = Deck(fake_bili, tmp_path, env_login=False)
    deck.env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    proc = deck.run("login", "bilibili", "--cookie", world.COOKIE, check=1)
    assert "SYNCDECK_BILIBILI_COOKIE" in proc.stderr
    assert deck.json("account", "list") == []


def test_cookie_refresh_is_saved_back_to_the_keyring(keyring_deck: Deck) -> None:
    deck = keyring_deck
    # browsers keep the refresh token (ac_time_value) in local storage; pasted along with the cookie
    deck.run("login", "bilibili", "--cookie", f"{world.COOKIE}; ac_time_value={world.REFRESH_TOKEN}")
    deck.add("watchlater")
    deck.fake.scenario(cookie_refresh_needed=True)
    # the daily refresh is due at once after a login older than a day; force it with a stale stamp
    import sqlite3

    with sqlite3.connect(deck.data / "syncdeck.db") as db:
        db.execute("UPDATE account SET last_refresh_at = '2020-01-01 00:00:00'")
    assert deck.sync()["outcome"] == "done"
    assert deck.fake.calls("/x/passport-login/web/confirm/refresh") == 1
    # the old cookie died with the confirmation: the next round works only with the saved new one
    assert deck.sync()["outcome"] == "done"
    assert deck.json("account", "list")[0]["state"] == "ok"


def test_an_expired_login_is_reported_and_nothing_is_lost(fake_bili: FakeBilibili, tmp_path: Path) -> None:
    deck = Deck(fake_bili, tmp_path)
    deck.add(world.SERIES_KEY)
    deck.env["SYNCDECK_BILIBILI_COOKIE"] = "SESSDATA=expired; bili_jct=x; DedeUserID=1001"
    proc = deck.run("sync", check=1)
    assert "login_expired" in proc.stdout and "SYNCDECK_BILIBILI_COOKIE" in proc.stdout
    assert deck.tasks() == [], "nothing was scanned with a dead login"
    deck.env["SYNCDECK_BILIBILI_COOKIE"] = world.COOKIE
    assert deck.sync()["outcome"] == "done"
