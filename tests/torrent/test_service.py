"""The torrent service against real libtorrent seeders over loopback TCP."""

from __future__ import annotations

import asyncio
import resource
import signal
import time
from pathlib import Path

import pytest

from core.engine.engine import Engine
from core.errors import TorrentError
from tests.torrent.swarm import MiB, Swarm


@pytest.fixture
def swarm(tmp_path: Path) -> Swarm:
    s = Swarm(tmp_path, "pack", {"a.bin": 1 * MiB, "b.bin": 2 * MiB, "sub/c.bin": MiB // 2})
    yield s
    s.stop()


async def test_a_torrent_file_downloads_and_every_file_matches_after_the_flush(
    engine: Engine, swarm: Swarm, tmp_path: Path
) -> None:
    peer = swarm.seed()
    view = await engine.torrents.add(str(swarm.torrent), path=str(tmp_path / "dl"))
    engine.torrents.connect_peer(view.id, "127.0.0.1", peer.port)
    outcome = await asyncio.wait_for(engine.torrents.run_until_complete(stall_s=15), 60)
    assert outcome.completed == [view.id] and outcome.ok
    swarm.verify(tmp_path / "dl")
    shown = (await engine.tasks())[0]
    assert (shown.kind, shown.state, shown.title) == ("torrent", "done", "pack")


async def test_a_magnet_with_a_peer_hint_fetches_metadata_then_only_the_chosen_files(
    engine: Engine, swarm: Swarm, tmp_path: Path
) -> None:
    peer = swarm.seed()
    view = await engine.torrents.add(swarm.magnet(peer), path=str(tmp_path / "dl"), files=[1])
    outcome = await asyncio.wait_for(engine.torrents.run_until_complete(stall_s=15), 60)
    assert outcome.ok, outcome
    detail = await engine.torrents.detail(view.id)
    names = [f.path for f in detail.files]
    assert names == ["pack/a.bin", "pack/b.bin", "pack/sub/c.bin"]
    assert [f.priority for f in detail.files] == [0, 4, 0]
    swarm.verify(tmp_path / "dl", ["b.bin"])
    assert not (tmp_path / "dl" / "pack" / "sub" / "c.bin").exists()


async def test_bad_input_gets_a_clear_error_and_adds_nothing(engine: Engine, tmp_path: Path) -> None:
    broken = tmp_path / "broken.torrent"
    broken.write_bytes(b"d4:infod4:name3:abc")  # cut short
    for text, words in (
        (str(broken), "not a valid .torrent"),
        ("magnet:?dn=nothing", "not a usable magnet"),
        ("http://127.0.0.1:9/x.torrent", "cannot download the .torrent"),
        (str(tmp_path / "missing.torrent"), "neither a .torrent file"),
    ):
        with pytest.raises(TorrentError, match=words):
            await engine.torrents.add(text)
    assert await engine.torrents.list() == []


async def test_the_same_torrent_twice_is_refused(engine: Engine, swarm: Swarm) -> None:
    await engine.torrents.add(str(swarm.torrent), paused=True)
    with pytest.raises(TorrentError, match="already added as #"):
        await engine.torrents.add(swarm.magnet())


async def test_a_stalled_torrent_is_named_with_the_reason(engine: Engine, swarm: Swarm, tmp_path: Path) -> None:
    view = await engine.torrents.add(str(swarm.torrent), path=str(tmp_path / "dl"))  # no seeder runs
    began = time.monotonic()
    outcome = await engine.torrents.run_until_complete(stall_s=2)
    assert outcome.stalled and outcome.stalled[0][0] == view.id
    assert "no progress for 2 s (no peers)" in outcome.stalled[0][1]
    assert time.monotonic() - began < 10


async def test_a_file_the_disk_cannot_hold_is_explained_and_resuming_loses_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    """The same path as a full disk: writes fail mid-download (here a file-size limit lets the
    first file in and not the second, so no root is needed to fill a disk), the torrent stops
    with a clear message, and once the limit is gone a resume finishes it from where it was."""
    swarm = Swarm(tmp_path, "big", {"a.bin": MiB, "b.bin": 2 * MiB})
    folder = tmp_path / "dl"
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    ignored = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails instead of killing the process
    try:
        peer = swarm.seed()
        view = await engine.torrents.add(str(swarm.torrent), path=str(folder), sequential=True)  # fills up in order
        resource.setrlimit(resource.RLIMIT_FSIZE, (MiB + MiB // 2, limit[1]))
        engine.torrents.connect_peer(view.id, "127.0.0.1", peer.port)
        deadline = time.monotonic() + 20
        while not (shown := await engine.torrents.view(view.id)).error and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        resource.setrlimit(resource.RLIMIT_FSIZE, limit)
        assert shown.state == "failed" and "cannot hold a file this large" in shown.error, shown
        assert "nothing downloaded so far is lost" in shown.error
        assert shown.done >= MiB, "the first file was written before the failure"
        await engine.torrents.resume(view.id)
        engine.torrents.connect_peer(view.id, "127.0.0.1", peer.port)  # no tracker here to find it again
        outcome = await asyncio.wait_for(engine.torrents.run_until_complete(stall_s=15), 60)
        assert outcome.completed == [view.id], outcome
        swarm.verify(folder)
        assert (await engine.tasks())[0].last_error == ""
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limit)
        signal.signal(signal.SIGXFSZ, ignored)
        swarm.stop()
