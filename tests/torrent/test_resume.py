"""Resume data: a kill -9 in the middle of a download loses at most the last seconds, and the
next start picks up from the resume data without checking the files again."""

from __future__ import annotations

import asyncio
import resource
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from core.engine.engine import Engine
from tests.e2e.test_torrent_cli import SYNCDECK, TorrentDeck
from tests.torrent.conftest import torrent_config
from tests.torrent.swarm import MiB, Swarm


def _bytes_done(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db) as conn:
            row = conn.execute("SELECT bytes_done FROM task WHERE kind = 'torrent'").fetchone()
    except sqlite3.OperationalError:  # still being created
        return 0
    return int(row[0]) if row else 0


async def test_a_kill_mid_download_resumes_without_a_recheck_and_every_file_matches(
    tmp_path: Path, tracker: str
) -> None:
    swarm = Swarm(tmp_path, "resumable", {"a.bin": 3 * MiB, "b.bin": 3 * MiB}, trackers=(tracker,))
    slow = swarm.seed("--upload-kib", "512")
    deck = TorrentDeck(tmp_path)
    proc = subprocess.Popen([str(SYNCDECK), "torrent", "add", str(swarm.torrent)], env=deck.env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        db = tmp_path / "data" / "syncdeck.db"
        deadline = time.monotonic() + 40
        while _bytes_done(db) < MiB and time.monotonic() < deadline and proc.poll() is None:
            await asyncio.sleep(0.2)
        await asyncio.sleep(2.5)  # one more resume save after the progress row was written
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
        slow.stop()
    stored = _bytes_done(db)
    assert MiB <= stored < 5 * MiB, "the download was not cut in the middle"

    engine = Engine(torrent_config(tmp_path, **{"library.root": str(deck.library)}))
    try:
        began = time.monotonic()
        await engine.torrents.start()
        (view,) = await engine.torrents.list()
        while view.activity == "checking" and time.monotonic() - began < 2:  # reading the resume data
            await asyncio.sleep(0.05)
            view = await engine.torrents.view(view.id)
        restored = time.monotonic() - began
        assert view.progress >= 0.15, "the resume data was not used"
        assert view.activity != "checking", "a full check of the files ran"
        assert restored < 2
        fast = swarm.seed()
        engine.torrents.connect_peer(view.id, "127.0.0.1", fast.port)
        outcome = await asyncio.wait_for(engine.torrents.run_until_complete(stall_s=15), 60)
        assert outcome.completed == [view.id]
        swarm.verify(deck.library / "Torrents")
        h = engine.torrents._handles[view.id]
        assert h.status().total_payload_download < 0.75 * 6 * MiB, "most of it was downloaded again"
    finally:
        swarm.stop()
        await engine.close()


async def test_a_paused_torrent_stays_paused_after_a_restart(tmp_path: Path) -> None:
    swarm = Swarm(tmp_path, "kept", {"a.bin": MiB})
    engine = Engine(torrent_config(tmp_path))
    view = await engine.torrents.add(str(swarm.torrent), path=str(tmp_path / "dl"))
    await engine.torrents.pause(view.id)
    await engine.close()
    engine = Engine(torrent_config(tmp_path))
    try:
        await engine.torrents.start()
        await asyncio.sleep(6)  # past the queue manager's round, which resumes auto-managed torrents
        again = await engine.torrents.view(view.id)
        assert (again.state, again.activity) == ("paused", "paused")
    finally:
        await engine.close()


@pytest.mark.parametrize("resumed", ["before the restart", "after the restart"])
async def test_a_torrent_stopped_by_a_write_error_downloads_after_a_restart_once_resumed(
    tmp_path: Path, resumed: str
) -> None:
    """A write error (a full disk; here a file-size limit, as in test_service) leaves libtorrent's
    upload mode in the resume data: resumed with no engine running, or after the restart, the
    torrent downloads again instead of only uploading."""
    from core.torrent.lt import load

    swarm = Swarm(tmp_path, "big", {"a.bin": MiB, "b.bin": 2 * MiB})
    folder = tmp_path / "dl"
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    ignored = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails instead of killing the process
    engine = Engine(torrent_config(tmp_path))
    try:
        peer = swarm.seed()
        view = await engine.torrents.add(str(swarm.torrent), path=str(folder), sequential=True)
        resource.setrlimit(resource.RLIMIT_FSIZE, (MiB + MiB // 2, limit[1]))
        engine.torrents.connect_peer(view.id, "127.0.0.1", peer.port)
        deadline = time.monotonic() + 20
        while not (await engine.torrents.view(view.id)).error and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        resource.setrlimit(resource.RLIMIT_FSIZE, limit)
        assert (await engine.torrents.view(view.id)).state == "failed"
        blob = b""
        deadline = time.monotonic() + 8
        while not blob and time.monotonic() < deadline:  # the resume data saved every few seconds
            await asyncio.sleep(0.2)
            with sqlite3.connect(tmp_path / "data" / "syncdeck.db") as conn:
                (blob,) = conn.execute("SELECT resume FROM torrentrecord").fetchone()
        await engine.close()
        with sqlite3.connect(tmp_path / "data" / "syncdeck.db") as conn:
            (blob,) = conn.execute("SELECT resume FROM torrentrecord").fetchone()
        lt = load()
        assert lt.read_resume_data(blob).flags & lt.torrent_flags.upload_mode, "the blob keeps upload mode"

        engine = Engine(torrent_config(tmp_path))
        if resumed == "before the restart":
            await engine.torrents.resume(view.id)  # `syncdeck task resume` with nothing running
            await engine.torrents.start()
        else:
            await engine.torrents.start()
            assert (await engine.torrents.view(view.id)).state == "failed", "still failed until resumed"
            await engine.torrents.resume(view.id)
        engine.torrents.connect_peer(view.id, "127.0.0.1", peer.port)
        outcome = await asyncio.wait_for(engine.torrents.run_until_complete(stall_s=15), 60)
        assert outcome.completed == [view.id], outcome
        swarm.verify(folder)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limit)
        signal.signal(signal.SIGXFSZ, ignored)
        await engine.close()
        swarm.stop()
