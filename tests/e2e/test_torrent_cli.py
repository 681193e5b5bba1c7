"""`syncdeck torrent …` and `syncdeck sync` with torrents: the real command in a subprocess,
a real libtorrent seeder and the fake tracker on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.torrent.swarm import MiB, Swarm, start_process

SYNCDECK = Path(sys.executable).with_name("syncdeck")
ROOT = Path(__file__).resolve().parents[2]


class TorrentDeck:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.library = root / "library"
        config = root / "config.toml"
        config.write_text(
            "[library]\n"
            f"root = {json.dumps(str(self.library))}\n"
            "[torrent]\n"
            'interface = "127.0.0.1"\nlisten_port = 0\ndht = false\nlsd = false\npex = false\nutp = false\n'
            "multiple_per_ip = true\nstall_s = 20\n",
            encoding="utf-8",
        )
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SYNCDECK_")}
        self.env.update(SYNCDECK_CONFIG=str(config), SYNCDECK_DATA_DIR=str(root / "data"), NO_PROXY="*",
                        PYTHONPATH=str(ROOT), PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")  # fmt: skip

    def run(self, *args: str, check: int | None = 0, timeout: float = 40) -> subprocess.CompletedProcess[str]:
        proc = _run([str(SYNCDECK), *args], self.env, timeout)
        if check is not None and proc.returncode != check:
            raise AssertionError(f"syncdeck {' '.join(args)} exited {proc.returncode} (expected {check})\n"
                                 f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")  # fmt: skip
        return proc

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json").stdout)


def _run(argv: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    """subprocess.run, but a command that hangs is made to print where (faulthandler on SIGABRT)."""
    import signal

    proc = subprocess.Popen(argv, env={**env, "PYTHONFAULTHANDLER": "1"}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)
        out, err = proc.communicate()
        raise AssertionError(f"syncdeck {' '.join(argv[1:])} hung:\n{out}\n{err}") from None
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


@pytest.fixture
def tracker() -> Iterator[str]:
    proc, port = start_process("tests.fakes.tracker")
    yield f"http://127.0.0.1:{port}/announce"
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(10)


@pytest.fixture
def deck(tmp_path: Path) -> TorrentDeck:
    return TorrentDeck(tmp_path)


@pytest.fixture
def swarm(tmp_path: Path, tracker: str) -> Iterator[Swarm]:
    s = Swarm(tmp_path, "Some.Film.2019.1080p", {"Some.Film.2019.1080p.mkv": 2 * MiB, "notes.txt": 10_000},
              trackers=(tracker,))  # fmt: skip
    yield s
    s.stop()


def test_torrent_add_downloads_in_the_foreground_and_places_the_film(deck: TorrentDeck, swarm: Swarm) -> None:
    swarm.seed()
    added = deck.run("torrent", "add", str(swarm.torrent), "--json")
    view = json.loads(added.stdout[: added.stdout.rindex("}") + 1])
    assert view["name"] == "Some.Film.2019.1080p"
    assert "1 torrents complete" in added.stdout
    swarm.verify(deck.library / "Torrents")
    film = deck.library / "Movies" / "Some Film (2019)" / "Some Film (2019).mkv"
    assert film.is_file() and film.stat().st_size == 2 * MiB
    assert (film.with_suffix(".nfo")).read_text(encoding="utf-8").count("<title>Some Film</title>") == 1
    tasks = deck.json("task", "list")
    assert [(t["kind"], t["state"], t["title"]) for t in tasks] == [("torrent", "done", "Some.Film.2019.1080p")]
    shown = deck.json("torrent", "show", str(view["id"]))
    assert [f["path"].split("/")[-1] for f in shown["files"]] == ["Some.Film.2019.1080p.mkv", "notes.txt"]
    # per-torrent actions on the finished torrent
    [tracker] = swarm.trackers
    other = "udp://127.0.0.1:9/announce"
    assert deck.json("torrent", "trackers", "1", "--add", other, "--remove", tracker) == [other]
    assert deck.json("torrent", "trackers", "1") == [other], "the edited trackers were not kept"
    proc = deck.run("torrent", "trackers", "1", "--add", "not a url", check=2)
    assert "is not a tracker URL" in proc.stderr and "Traceback" not in proc.stderr
    deck.run("torrent", "sequential", "1", "maybe", check=2)  # `sequential on` itself: the window's test
    moved = deck.root / "moved"
    assert "files moved to" in deck.run("torrent", "move", "1", str(moved)).stdout
    swarm.verify(moved)
    # a file of a torrent task as a playlist entry
    deck.run("playlist", "create", "Films")
    assert "Some.Film.2019.1080p.mkv (BitTorrent" in deck.run("playlist", "add", "1", "torrent:1/0").stdout
    # with `syncdeck daemon` running, `play torrent:TASK/FILE` is its engine's work: the command
    # returns at once (run here it would keep serving, with a second session on the same files)
    # and the daemon's proxy streams the file
    daemon = subprocess.Popen([str(SYNCDECK), "daemon"], env=deck.env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert daemon.stdout is not None and "syncdeck daemon" in daemon.stdout.readline()
        info = json.loads(deck.run("play", "torrent:1/0", "--print-url", "--mode", "proxied", timeout=20).stdout)
        answer = httpx.get(info["url"], headers={"Range": "bytes=0-999"}, timeout=20)
        assert answer.status_code == 206 and answer.content == film.read_bytes()[:1000]
    finally:
        daemon.terminate()
        daemon.communicate(timeout=30)


def test_bad_input_gets_a_message_and_a_nonzero_exit(deck: TorrentDeck, tmp_path: Path) -> None:
    broken = tmp_path / "broken.torrent"
    broken.write_bytes(b"this is not bencoded")
    proc = deck.run("torrent", "add", str(broken), check=1)
    assert "is not a valid .torrent file" in proc.stderr and "Traceback" not in proc.stderr
    proc = deck.run("torrent", "add", "magnet:?xt=urn:btih:zz", check=1)
    assert "magnet" in proc.stderr and "Traceback" not in proc.stderr
    proc = deck.run("torrent", "add", "x.torrent", "--files", "a-b", check=2)
    assert "--files takes indexes" in proc.stderr
    assert deck.json("torrent", "list") == []


def test_sync_runs_registered_torrents_and_names_a_stalled_one(deck: TorrentDeck, swarm: Swarm, tmp_path: Path) -> None:
    lonely = Swarm(tmp_path / "other", "lonely", {"x.bin": MiB})  # nobody seeds it
    deck.run("torrent", "add", str(swarm.torrent), "--no-wait")
    deck.run("torrent", "add", str(lonely.torrent), "--no-wait")
    swarm.seed()
    proc = deck.run("--set", "torrent.stall_s=5", "sync", check=1)
    assert "torrent #2 stalled: no progress for 5 s (no peers)" in proc.stdout
    swarm.verify(deck.library / "Torrents")
    deck.run("torrent", "remove", "2")
    assert deck.run("sync").returncode == 0
