"""SyncDeck offers itself for magnet links and .torrent files on Linux, and opens what it gets."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop.launcher import opened_torrent

ENTRY = Path(__file__).resolve().parents[2] / "packaging" / "linux" / "syncdeck.desktop"


def _entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(ENTRY, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_desktop_entry_handles_magnet_links_and_torrent_files() -> None:
    entry = _entry()
    assert set(filter(None, entry["MimeType"].split(";"))) >= {"x-scheme-handler/magnet", "application/x-bittorrent"}
    assert entry["Exec"].split()[-1] in ("%U", "%u"), "the link or file must reach syncdeck"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_the_desktop_entry_is_valid() -> None:
    proc = subprocess.run(["desktop-file-validate", str(ENTRY)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_what_the_system_hands_over_is_recognised(tmp_path: Path) -> None:
    magnet = "magnet:?xt=urn:btih:" + "a" * 40
    assert opened_torrent([magnet]) == magnet
    assert opened_torrent(["--minimized", "/tmp/x y.torrent"]) == "/tmp/x y.torrent"
    assert opened_torrent(["file:///tmp/x%20y.torrent"]) == "/tmp/x y.torrent"
    assert opened_torrent(["torrent", "add", "/tmp/x.torrent"]) is None  # a command, not a hand-over
    assert opened_torrent([]) is None and opened_torrent(["--minimized"]) is None
