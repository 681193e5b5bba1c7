"""The real `syncdeck` command builds nested playlists with a dynamic folder, on its own and
handed to a running daemon, with the toybox media server on 127.0.0.1 as the provider."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.playlists.toybox import ENTRY, TOYBOX_URL_ENV, ToyboxServer

SYNCDECK = Path(sys.executable).with_name("syncdeck")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(120)


class PlaylistDeck:
    """An isolated installation whose provider list has the toybox line (as a new provider
    would have), put there by a sitecustomize module the command imports at start."""

    def __init__(self, root: Path, toybox_url: str) -> None:
        site = root / "site"
        site.mkdir()
        (site / "sitecustomize.py").write_text(
            f"from core.providers import registry\nregistry.PROVIDERS.append({ENTRY!r})\n", encoding="utf-8"
        )
        self.data = root / "data"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SYNCDECK_")}
        self.env.update(
            SYNCDECK_CONFIG=str(root / "config.toml"), SYNCDECK_DATA_DIR=str(self.data), NO_PROXY="*",
            PYTHONPATH=f"{site}{os.pathsep}{ROOT}", PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
            SYNCDECK_LIBRARY_ROOT=str(root / "library"),
        )  # fmt: skip
        self.env[TOYBOX_URL_ENV] = toybox_url

    def run(self, *args: str, check: int = 0) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([str(SYNCDECK), *args], env=self.env, capture_output=True, text=True, timeout=60)
        assert proc.returncode == check, f"syncdeck {' '.join(args)} → {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        return proc

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json").stdout)


@pytest.fixture(scope="module")
def toybox() -> Iterator[ToyboxServer]:
    with ToyboxServer(big=50) as server:
        yield server


@pytest.fixture
def deck(toybox: ToyboxServer, tmp_path: Path) -> PlaylistDeck:
    return PlaylistDeck(tmp_path, toybox.base_url)


def build(deck: PlaylistDeck) -> dict[str, int]:
    films = int(deck.run("playlist", "create", "Films").stdout)
    series = int(deck.run("playlist", "create", "Series", "--parent", str(films)).stdout)
    deck.run("playlist", "add", str(films), "toybox:/Movies/Film A.mp4")
    deck.run("playlist", "add", str(films), "toybox:/Parts/Two parts.mp4")
    folder = deck.json("playlist", "add", str(series), "toybox:/Movies/Series", "--dynamic")["id"]
    return {"films": films, "series": series, "folder": folder}


def check(deck: PlaylistDeck, ids: dict[str, int]) -> None:
    tree = deck.json("playlist", "list")
    assert [(n["name"], n["kind"], n["parent_id"]) for n in tree] == [
        ("Films", "static", None), ("Series", "static", ids["films"]), ("Series", "dynamic", ids["series"]),
    ]  # fmt: skip
    entries = deck.json("playlist", "show", str(ids["films"]))["entries"]
    assert [(e["title"], e["duration"]) for e in entries] == [("Film A.mp4", 5400), ("Two parts.mp4", 1200)]
    children = deck.json("playlist", "show", str(ids["folder"]))["children"]
    assert [c["title"] for c in children] == ["Ep 1.mp4", "Ep 2.mp4", "Ep 3.mp4"]
    outside = deck.run("playlist", "show", str(ids["folder"]), "--path", "%2e%2e/%2e%2e/Secret", check=2)
    assert "not inside this dynamic folder" in outside.stderr and "Traceback" not in outside.stderr
    unknown = deck.run("playlist", "add", str(ids["films"]), "gopher://example.invalid/x", check=2)
    assert "No provider can play" in unknown.stderr and "toybox:/PATH/FILE" in unknown.stderr
    gone = deck.run("playlist", "add", str(ids["films"]), "https://example.invalid/x", check=1)
    assert "cannot reach" in gone.stderr and "Traceback" not in gone.stderr


def test_nested_playlists_with_a_dynamic_folder_from_the_command_line(deck: PlaylistDeck) -> None:
    check(deck, build(deck))


def test_the_same_commands_handed_to_a_running_daemon(deck: PlaylistDeck) -> None:
    proc = subprocess.Popen(
        [str(SYNCDECK), "daemon"], env=deck.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and "syncdeck daemon" in proc.stdout.readline()
        ids = build(deck)
        check(deck, ids)
        assert (deck.data / "engine.json").exists(), "the daemon owned the data folder throughout"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
