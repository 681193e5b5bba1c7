"""Another BitTorrent client (Debian's transmission-cli 3.00) seeds to SyncDeck and downloads
from it, both finding each other through the fake tracker. Transmission ignores peers on
127.0.0.0/8 ("martian" addresses), so here everything runs on this machine's own address."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from core.engine.engine import Engine
from tests.torrent.conftest import torrent_config
from tests.torrent.swarm import MiB, Swarm, sha256, start_process


def _own_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing address
        except OSError:
            return None
        address = str(s.getsockname()[0])
    return None if address.startswith("127.") else address


HOST = _own_address()
pytestmark = pytest.mark.skipif(shutil.which("transmission-cli") is None or HOST is None,
                                reason="transmission-cli not installed, or no address but loopback")  # fmt: skip


@pytest.fixture
def tracker() -> Iterator[str]:
    assert HOST is not None
    proc, port = start_process("tests.fakes.tracker", HOST)
    yield f"http://{HOST}:{port}/announce"
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(10)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[Engine]:
    e = Engine(torrent_config(tmp_path, **{"torrent.interface": HOST or "0.0.0.0"}))
    yield e
    await e.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _made_by_transmission(swarm: Swarm, tracker: str) -> None:
    """The swarm's torrent as transmission-create makes it (transmission 3.00 reads the v1
    torrents libtorrent 2.1 makes as holding none of the data)."""
    swarm.torrent.unlink()
    subprocess.run(["transmission-create", "-t", tracker, "-o", str(swarm.torrent), str(swarm.content / swarm.name)],
                   check=True, capture_output=True, timeout=30)  # fmt: skip


async def _announced(tracker: str, count: int) -> None:
    """Wait until the tracker knows `count` peers (libtorrent asks a tracker again only after
    its interval, so the first announce must already find the other side)."""
    import json
    import urllib.request

    url = tracker.replace("/announce", "/peers")
    for _ in range(100):
        peers = json.loads(await asyncio.to_thread(lambda: urllib.request.urlopen(url, timeout=5).read()))
        if sum(len(v) for v in peers.values()) >= count:
            return
        await asyncio.sleep(0.2)
    raise AssertionError("the other client never announced itself")


def _transmission(torrent: Path, folder: Path, config: Path) -> subprocess.Popen[bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        ["transmission-cli", "-g", str(config), "-w", str(folder), "-p", str(_free_port()), "-M", "-et", "-U", "-D",
         str(torrent)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


async def test_transmission_seeds_to_syncdeck(engine: Engine, tmp_path: Path, tracker: str) -> None:
    swarm = Swarm(tmp_path, "shared", {"x.bin": 2 * MiB}, trackers=(tracker,), v1_only=True)  # 3.00 knows no v2
    _made_by_transmission(swarm, tracker)
    other = _transmission(swarm.torrent, swarm.content, tmp_path / "tr-config")
    try:
        await _announced(tracker, 1)
        view = await engine.torrents.add(str(swarm.torrent), path=str(tmp_path / "dl"))
        outcome = await asyncio.wait_for(engine.torrents.run_until_complete(stall_s=40), 90)
        assert outcome.completed == [view.id], outcome
        swarm.verify(tmp_path / "dl")
    finally:
        _stop(other)


async def test_transmission_downloads_from_syncdeck(engine: Engine, tmp_path: Path, tracker: str) -> None:
    swarm = Swarm(tmp_path, "offered", {"y.bin": 2 * MiB}, trackers=(tracker,), v1_only=True)
    _made_by_transmission(swarm, tracker)
    view = await engine.torrents.add(str(swarm.torrent), path=str(swarm.content))  # the data is already there
    await asyncio.wait_for(engine.torrents.run_until_complete(stall_s=20), 40)
    assert (await engine.torrents.view(view.id)).activity == "seeding"
    await _announced(tracker, 1)
    target = tmp_path / "tr-dl" / "offered" / "y.bin"
    other = _transmission(swarm.torrent, tmp_path / "tr-dl", tmp_path / "tr-config")
    try:
        await _announced(tracker, 2)
        await engine.torrents.set_trackers(view.id, [tracker])  # asks the tracker again: learns of the leecher
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if target.exists() and target.stat().st_size == 2 * MiB and sha256(target) == swarm.hashes["y.bin"]:
                break
            await asyncio.sleep(0.5)
        else:
            raise AssertionError("transmission did not get the file from SyncDeck")
        assert (await engine.torrents.view(view.id)).uploaded > 0  # counted from the last status update
    finally:
        _stop(other)
