"""Alist/OpenList through the real `syncdeck` command: log in (the login in the keyring),
browse, search, folder passwords, and the plain messages and exit codes of what goes wrong."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.alist import FakeAlist
from tests.fakes.alist.fixtures import fake_alist, fake_alist_server  # noqa: F401  (registers the fixtures)
from tests.keyring_service import PrivateSecretService, secret_service  # noqa: F401

SYNCDECK = Path(sys.executable).with_name("syncdeck")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.timeout(180), pytest.mark.keyring]


class ServerDeck:
    """One isolated SyncDeck (config, data, library) with a private Secret Service keyring."""

    def __init__(self, fake: FakeAlist, root: Path, keyring: PrivateSecretService) -> None:
        self.fake = fake
        self.root = root
        self.data = root / "data"
        self.library = root / "library"
        self.config = root / "config.toml"
        self.config.write_text(
            f"[library]\nroot = {json.dumps(str(self.library))}\n[limits]\nchunk_min_mib = 0.01\n", encoding="utf-8"
        )
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SYNCDECK_") and "proxy" not in k.lower()}
        self.env.update(SYNCDECK_CONFIG=str(self.config), SYNCDECK_DATA_DIR=str(self.data), NO_PROXY="*",
                        PYTHONPATH=str(ROOT), DBUS_SESSION_BUS_ADDRESS=keyring.bus_address,
                        PYTHON_KEYRING_BACKEND="keyring.backends.SecretService.Keyring")  # fmt: skip

    def run(self, *args: str, input: str | None = None, check: int | None = 0) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([str(SYNCDECK), *args], env=self.env, input=input, capture_output=True, text=True,
                              timeout=120)  # fmt: skip
        if check is not None and proc.returncode != check:
            raise AssertionError(f"syncdeck {' '.join(args)} exited {proc.returncode} (expected {check})\n"
                                 f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")  # fmt: skip
        return proc

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json").stdout)

    def login(self, kind: str = "alist", name: str = "nas", password: str = FakeAlist.PASSWORD) -> None:
        self.run("login", kind, self.fake.base_url, "--user", FakeAlist.USER, "--name", name, input=password + "\n")

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([str(SYNCDECK), *args], env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)  # fmt: skip


@pytest.fixture
def server_deck(fake_alist: FakeAlist, tmp_path: Path, secret_service: PrivateSecretService) -> ServerDeck:  # noqa: F811
    return ServerDeck(fake_alist, tmp_path, secret_service)


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    return proc.stderr.strip()


def test_login_browse_and_search(server_deck: ServerDeck) -> None:
    deck = server_deck
    out = deck.run("login", "alist", deck.fake.base_url, "--user", "alice", "--name", "nas",
                   input="wonderland\n").stdout  # fmt: skip
    assert "logged in" in out and deck.fake.base_url in out
    [account] = deck.json("account", "list")
    assert (account["provider"], account["name"], account["server_url"]) == ("alist", "nas", deck.fake.base_url)
    assert deck.fake.base_url in deck.run("account", "list").stdout, "the listing names the server"
    database = (deck.data / "syncdeck.db").read_bytes() if (deck.data / "syncdeck.db").exists() else b""
    dumped = "\n".join(sqlite3.connect(next(deck.data.glob("*.db"))).iterdump())
    assert "wonderland" not in dumped and "eyJ" not in dumped and database is not None, "no secret in the database"

    page = deck.json("browse", "nas", "/Movies")
    titles = {e["title"]: e for e in page["entries"]}
    assert page["total"] == 6 and set(titles) >= {"Clip.mp4", "Extras", "notes.txt"}
    clip = titles["Clip.mp4"]
    assert clip["playable"] and clip["item"]["key"] == "/Movies/Clip.mp4" and clip["ref"].endswith(":/Movies/Clip.mp4")
    assert titles["Extras"]["is_folder"] and titles["notes.txt"]["item"] is None
    text = deck.run("browse", f"{account['id']}:/Movies/../Movies/Extras").stdout
    assert "Bonus.mp4" in text and "▶" in text
    paged = deck.json("browse", "nas", "/Many", "--per-page", "50", "--page", "3")
    assert len(paged["entries"]) == 20 and not paged["has_more"]
    assert "(empty)" in deck.run("browse", "nas:/Empty").stdout

    no_index = deck.run("search", "nas", "clip", check=1)
    assert "this server has no search index" in one_line_error(no_index)
    deck.fake.knobs(search_index=True)
    assert [e["key"] for e in deck.json("search", "nas", "clip")] == ["/Movies/Clip.mp4"]


def test_bad_places_are_usage_errors(server_deck: ServerDeck) -> None:
    deck = server_deck
    deck.login()
    escaping = deck.run("browse", "nas:/Movies/../../etc", check=2)
    assert "outside the server's root" in one_line_error(escaping)
    assert "no server account" in one_line_error(deck.run("browse", "nobody", "/", check=2))
    assert "outside" in one_line_error(deck.run("source", "add", "nas:/../x", check=2))


def test_wrong_password_unreachable_and_foreign_servers_fail_plainly(server_deck: ServerDeck) -> None:
    deck = server_deck
    wrong = deck.run("login", "alist", deck.fake.base_url, "--user", "alice", input="nope\n", check=1)
    assert "wrong user name or password" in one_line_error(wrong)
    gone = deck.run("login", "openlist", "http://127.0.0.1:9", "--user", "a", input="b\n", check=1)
    assert "cannot reach http://127.0.0.1:9" in one_line_error(gone)
    foreign = deck.run("login", "alist", deck.fake.base_url + "/nothing", "--user", "a", input="b\n", check=1)
    assert "not an Alist server" in one_line_error(foreign)
    assert deck.json("account", "list") == []


def test_guest_login_and_a_restart_of_the_server(server_deck: ServerDeck) -> None:
    deck = server_deck
    deck.fake.knobs(guest=True, flavour="openlist")
    assert "as guest" in deck.run("login", "openlist", deck.fake.base_url, "--name", "public").stdout
    deck.login(kind="openlist", name="mine")
    deck.fake.restart()  # every token forgotten: the next call logs in again without asking
    assert deck.json("browse", "mine", "/")["total"] == 4
    assert deck.fake.state()["logins"] == 2
    assert deck.json("browse", "public", "/Movies")["total"] == 6


def test_a_folder_password_is_asked_once_and_kept(server_deck: ServerDeck) -> None:
    deck = server_deck
    deck.login()
    locked = deck.run("browse", "nas", "/Locked", check=1)
    assert "needs its folder password" in one_line_error(locked)
    wrong = deck.run("browse", "nas", "/Locked", "--folder-password", "guess", check=1)
    assert "wrong folder password" in one_line_error(wrong)
    assert "Secret.mp4" in deck.run("browse", "nas", "/Locked", "--folder-password", "-", input="sesame\n").stdout
    assert "Secret.mp4" in deck.run("browse", "nas", "/Locked").stdout, "kept in the keyring"


async def test_a_login_handed_to_the_running_syncdeck_reads_the_password_here(
    fake_alist: FakeAlist,  # noqa: F811
    tmp_path: Path,
    secret_service: PrivateSecretService,  # noqa: F811
) -> None:
    """While the window owns the data folder, `login` runs there; the password is read from this
    command's stdin and travels with it."""
    import asyncio

    from core.cli import remote
    from core.cli.main import run_for_client
    from core.config import load_config
    from core.engine.engine import Engine

    config = load_config(tmp_path / "c.toml", data_dir=tmp_path / "data", environ={})
    engine = Engine(config)
    channel = remote.CommandChannel(config.data_dir, lambda argv: run_for_client(engine, argv), "window")
    await channel.open()
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SYNCDECK_")}
        # no keyring here: only the owner (this process) can keep the login
        env.update(PYTHONPATH=str(ROOT), NO_PROXY="*", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
        proc = await asyncio.create_subprocess_exec(
            str(SYNCDECK), "--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "c.toml"), "login",
            "alist", fake_alist.base_url, "--user", "alice", "--name", "nas", stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )  # fmt: skip
        out, err = await asyncio.wait_for(proc.communicate(b"wonderland\n"), 60)
        assert proc.returncode == 0, err.decode()
        assert "logged in" in out.decode() and "wonderland" not in out.decode()
        [account] = await engine.list_accounts()
        assert (account.provider, account.name, account.server_url) == ("alist", "nas", fake_alist.base_url)
    finally:
        await channel.close()
        await engine.close()
