"""Emby and Jellyfin through the real `syncdeck` command: log in (the login in the keyring),
browse by names, search, mirror a series with `source add ACCOUNT:PATH`, and the plain
messages of a wrong password and of the other kind of server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("core.engine.servers", reason="the media server accounts (ServerBook) are not in this tree")

from tests.fakes.emby import PASSWORD, USER, FakeMediaServer, ensure_media  # noqa: E402
from tests.keyring_service import PrivateSecretService, secret_service  # noqa: E402, F401

SYNCDECK = Path(sys.executable).with_name("syncdeck")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.timeout(180), pytest.mark.keyring]


@pytest.fixture(scope="module")
def jellyfin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeMediaServer]:
    with FakeMediaServer(ensure_media(tmp_path_factory.mktemp("emby-media")), "jellyfin-12") as server:
        yield server


class Deck:
    def __init__(self, root: Path, keyring: PrivateSecretService) -> None:
        self.library = root / "library"
        config = root / "config.toml"
        config.write_text(f"[library]\nroot = {json.dumps(str(self.library))}\n[limits]\nchunk_min_mib = 0.01\n")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SYNCDECK_") and "proxy" not in k.lower()}
        self.env.update(SYNCDECK_CONFIG=str(config), SYNCDECK_DATA_DIR=str(root / "data"), NO_PROXY="*",
                        PYTHONPATH=str(ROOT), DBUS_SESSION_BUS_ADDRESS=keyring.bus_address,
                        PYTHON_KEYRING_BACKEND="keyring.backends.SecretService.Keyring")  # fmt: skip

    def run(self, *args: str, input: str | None = None, check: int | None = 0) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([str(SYNCDECK), *args], env=self.env, input=input, capture_output=True, text=True,
                              timeout=120)  # fmt: skip
        if check is not None and proc.returncode != check:
            raise AssertionError(f"syncdeck {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
        return proc

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json").stdout)


def test_log_in_browse_search_and_mirror_a_series(
    jellyfin: FakeMediaServer,
    tmp_path: Path,
    secret_service: PrivateSecretService,  # noqa: F811
) -> None:
    jellyfin.reset()
    deck = Deck(tmp_path, secret_service)
    wrong = deck.run("login", "jellyfin", jellyfin.url, "--user", USER, input="nope\n", check=None)
    assert wrong.returncode == 1 and "refused the user name 'alice' or its password" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    other = deck.run("login", "emby", jellyfin.url, "--user", USER, input=PASSWORD + "\n", check=None)
    assert other.returncode != 0 and "log in to it as jellyfin" in other.stderr

    deck.run("login", "jellyfin", jellyfin.url, "--user", USER, "--name", "jf", input=PASSWORD + "\n")
    [account] = deck.json("account", "list")
    assert account["provider"] == "jellyfin"
    top = deck.json("browse", "jf", "/")
    assert [e["title"] for e in top["entries"]] == ["Movies", "Shows", "Clips"]
    seasons = deck.json("browse", "jf:/Shows/Night Trains")
    assert [e["title"] for e in seasons["entries"]] == ["Season 1", "Season 2"]
    found = deck.json("search", "jf", "Film One")
    assert [e["title"] for e in found] == ["Film One"] and found[0]["playable"]

    commands = deck.run("--help").stdout
    if "playlist" in commands and "play" in commands:  # with playlists and playback in the tree
        playlist = deck.run("playlist", "create", "Evening").stdout.strip().split()[-1]
        deck.run("playlist", "add", playlist, "jf:/Movies/Film One")
        [entry] = deck.json("playlist", "show", playlist)["entries"]
        info = json.loads(deck.run("play", str(entry["id"]), "--mode", "direct", "--print-url").stdout)
        assert "ApiKey=" in info["url"] and "api_key" not in info["url"] and info["quality"] == "90p original"

    deck.run("source", "add", "jf:/Shows/Night Trains")
    result = json.loads(deck.run("sync", "--json").stdout)
    assert result["new_items"] == 3 and result["failed"] == 0, result
    videos = sorted(p.name for p in deck.library.rglob("*.mp4"))
    assert videos == ["Night Trains S01E01.mp4", "Night Trains S01E02.mp4", "Night Trains S02E01.mp4"]
    assert len(list(deck.library.rglob("*.nfo"))) >= 4
    api = [r for r in jellyfin.requests if r.path.startswith("/Users/") and "AuthenticateByName" not in r.path]
    assert api and {r.auth for r in api} == {"Authorization"}, "Jellyfin 12's strict header, nothing else"
