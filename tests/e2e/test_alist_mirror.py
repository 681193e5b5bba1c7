"""Mirroring an Alist folder to the library: `source add ACCOUNT:PATH` and ordinary rounds,
a kill -9 in the middle of a download that resumes, a file replaced upstream downloaded again,
and a file deleted upstream marked removed."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.e2e.test_alist_cli import ServerDeck, server_deck  # noqa: F401  (the fixture)
from tests.fakes.alist.fixtures import fake_alist, fake_alist_server  # noqa: F401
from tests.keyring_service import secret_service  # noqa: F401

pytestmark = [pytest.mark.timeout(240), pytest.mark.keyring]


def duration(path: Path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_format", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True, timeout=30).stdout  # fmt: skip
    return float(json.loads(out)["format"]["duration"])


def recorded(sidecar: Path) -> bool:
    try:
        return bool(json.loads(sidecar.read_text())["done"])
    except (OSError, ValueError, KeyError):
        return False


def test_a_server_folder_mirrors_incrementally(server_deck: ServerDeck) -> None:  # noqa: F811
    deck = server_deck
    deck.login()
    out = deck.run("source", "add", "nas:/Movies/").stdout
    assert "(/Movies)" in out
    [source] = deck.json("source", "list")
    assert (source["provider"], source["key"], source["kind"]) == ("alist", "/Movies", "folder")
    root = Path(source["path"])
    assert root == (deck.library / "Alist" / "Movies").resolve()

    result = json.loads(deck.run("sync", "--json").stdout)
    assert result["outcome"] == "done" and result["new_items"] == 3, result
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.mp4"))
    assert files == ["Bonus/Bonus.mp4", "Clip/Clip.mp4", "Other/Other.mp4"]
    assert (root / "Clip" / "Clip.srt").exists() or list((root / "Clip").glob("Clip*.srt")), "its subtitles too"
    assert abs(duration(root / "Other" / "Other.mp4") - 2) < 0.5
    downloads = len(deck.fake.state()["downloads"])

    again = json.loads(deck.run("sync", "--json").stdout)
    assert again["new_items"] == 0 and len(deck.fake.state()["downloads"]) == downloads, "nothing fetched twice"

    deck.fake.put("/Movies/Other.mp4", media="changed")  # replaced upstream: a 3-second clip
    deck.fake.remove("/Movies/Extras/Bonus.mp4")
    changed = json.loads(deck.run("sync", "--json").stdout)
    assert changed["outcome"] == "done" and changed["removed"] == 1, changed
    assert abs(duration(root / "Other" / "Other.mp4") - 3) < 0.5, "the new file replaced the old one"
    fetched = [d["path"] for d in deck.fake.state()["downloads"][downloads:] if d["path"].endswith(".mp4")]
    assert "/Movies/Other.mp4" in fetched and "/Movies/Clip.mp4" not in fetched
    removed = deck.json("task", "list", "--state", "removed")
    assert [t["key"] for t in removed] == ["/Movies/Extras/Bonus.mp4"]
    assert (root / "Bonus" / "Bonus.mp4").exists(), "files of removed items are kept"


def test_a_kill_mid_download_resumes(server_deck: ServerDeck) -> None:  # noqa: F811
    deck = server_deck
    deck.login()
    deck.run("source", "add", "nas:/Movies/Extras")
    deck.fake.knobs(rate=2000)  # about 6 s for the clip
    proc = deck.popen("sync")
    root = deck.library / "Alist" / "Extras"
    deadline = time.monotonic() + 60
    partial: list[Path] = []
    while time.monotonic() < deadline and not partial:
        # a checkpoint (the .part.json sidecar) records what is on disk at least every 2 s
        partial = [p for p in root.rglob("*.part.json") if recorded(p)] if root.exists() else []
        time.sleep(0.1)
    assert partial, "a download was in progress"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert not list(root.rglob("*.mp4")), "no half file under the final name"

    deck.fake.knobs(rate=0)
    result = json.loads(deck.run("sync", "--json").stdout)
    assert result["outcome"] == "done", result
    [mp4] = list(root.rglob("*.mp4"))
    assert abs(duration(mp4) - 2) < 0.5 and not list(root.rglob("*.part"))
    ranges = [d["range"] for d in deck.fake.state()["downloads"] if d["path"] == "/Movies/Extras/Bonus.mp4"]
    assert any(r.startswith("bytes=") and not r.startswith("bytes=0-") for r in ranges), f"resumed: {ranges}"
