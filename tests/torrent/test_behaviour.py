"""What a person notices: limits held, order kept, queues, seeding limits, the IP filter,
file priorities changed later, many completions each on disk when announced."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from core.engine.engine import Engine
from core.events import Event, TaskFinished
from tests.torrent.conftest import torrent_config
from tests.torrent.swarm import MiB, Swarm, sha256, start_process


async def _download(engine: Engine, swarm: Swarm, folder: Path, **add: object) -> int:
    peer = swarm.peers[0] if swarm.peers else swarm.seed()
    view = await engine.torrents.add(str(swarm.torrent), path=str(folder), **add)  # type: ignore[arg-type]
    engine.torrents.connect_peer(view.id, "127.0.0.1", peer.port)
    return view.id


async def _rate_between(engine: Engine, task_id: int, low: float, high: float) -> float:
    """Bytes/s measured from `low` to `high` of the wanted bytes (skips the first burst)."""
    marks: dict[float, float] = {}
    while len(marks) < 2:
        view = await engine.torrents.view(task_id)
        for edge in (low, high):
            if edge not in marks and view.progress >= edge:
                marks[edge] = time.monotonic()
        await asyncio.sleep(0.05)
    return (high - low) * view.wanted / (marks[high] - marks[low])


async def test_a_torrent_limit_holds_within_20_percent(engine: Engine, tmp_path: Path) -> None:
    swarm = Swarm(tmp_path, "limited", {"x.bin": 3 * MiB})
    try:
        task_id = await _download(engine, swarm, tmp_path / "dl")
        await engine.torrents.set_limits(task_id, down_kib=768)
        rate = await asyncio.wait_for(_rate_between(engine, task_id, 0.25, 0.95), 30)
        assert 0.8 * 768 * 1024 <= rate <= 1.2 * 768 * 1024, rate / 1024
    finally:
        swarm.stop()


async def test_the_global_limit_holds_for_lan_peers_when_they_are_not_exempt(tmp_path: Path) -> None:
    config = torrent_config(tmp_path, **{"torrent.down_kib": "768", "torrent.lan_unlimited": "false"})
    engine = Engine(config)
    swarm = Swarm(tmp_path, "global", {"x.bin": 3 * MiB})
    try:
        task_id = await _download(engine, swarm, tmp_path / "dl")
        rate = await asyncio.wait_for(_rate_between(engine, task_id, 0.25, 0.95), 30)
        assert 0.8 * 768 * 1024 <= rate <= 1.2 * 768 * 1024, rate / 1024
    finally:
        swarm.stop()
        await engine.close()


async def test_sequential_download_fills_pieces_in_order(engine: Engine, tmp_path: Path) -> None:
    swarm = Swarm(tmp_path, "film", {"film.mkv": 4 * MiB}, piece_size=64 * 1024)
    swarm.seed("--upload-kib", "1024")
    try:
        task_id = await _download(engine, swarm, tmp_path / "dl", sequential=True)
        while (await engine.torrents.view(task_id)).progress < 0.4:
            await asyncio.sleep(0.1)
        pieces = (await engine.torrents.detail(task_id)).pieces
        have = sum(pieces)
        first_missing = pieces.index(False)
        assert first_missing >= have - 4, f"{have} pieces, the first missing is {first_missing}"
    finally:
        swarm.stop()


async def test_only_one_downloads_at_a_time_with_a_queue_of_one(tmp_path: Path) -> None:
    engine = Engine(torrent_config(tmp_path, **{"torrent.max_active_downloads": "1"}))
    first = Swarm(tmp_path / "a", "first", {"x.bin": MiB})
    second = Swarm(tmp_path / "b", "second", {"y.bin": MiB})
    try:
        a = await engine.torrents.add(str(first.torrent), path=str(tmp_path / "dl"))
        b = await engine.torrents.add(str(second.torrent), path=str(tmp_path / "dl"))
        await asyncio.sleep(7)  # the queue manager's round (auto_manage_interval 5 s)
        views = {v.id: v.activity for v in await engine.torrents.list()}
        assert sorted(views.values()) == ["downloading", "queued"], views
        [queued] = [task_id for task_id, activity in views.items() if activity == "queued"]
        await engine.torrents.resume(queued, force=True)  # force start: past the queue, at once
        forced = {v.id: v.activity for v in await engine.torrents.list()}
        assert forced == {a.id: "downloading", b.id: "downloading"}, forced
        second.seed()
        first.seed()
        for swarm, view in ((first, a), (second, b)):
            engine.torrents.connect_peer(view.id, "127.0.0.1", swarm.peers[0].port)
        outcome = await asyncio.wait_for(engine.torrents.run_until_complete(stall_s=15), 60)
        assert sorted(outcome.completed) == [a.id, b.id]
    finally:
        first.stop()
        second.stop()
        await engine.close()


async def test_seeding_stops_at_the_seeding_time_limit(tmp_path: Path) -> None:
    engine = Engine(torrent_config(tmp_path, **{"torrent.seed_time_h": "0.0005"}))  # 1.8 s
    swarm = Swarm(tmp_path, "seeded", {"x.bin": MiB})
    try:
        task_id = await _download(engine, swarm, tmp_path / "dl")
        await engine.torrents.run_until_complete(stall_s=15)
        assert (await engine.torrents.view(task_id)).activity == "seeding"
        for _ in range(100):
            view = await engine.torrents.view(task_id)
            if view.activity == "paused":
                break
            await asyncio.sleep(0.1)
        assert (view.state, view.activity) == ("done", "paused")
    finally:
        swarm.stop()
        await engine.close()


async def test_the_ip_filter_blocks_a_peer(tmp_path: Path) -> None:
    rules = tmp_path / "level1.p2p"
    rules.write_text("# PeerGuardian list\nLoopback test range:127.0.0.0-127.255.255.255\n", encoding="utf-8")
    engine = Engine(torrent_config(tmp_path, **{"torrent.ip_filter": str(rules)}))
    swarm = Swarm(tmp_path, "blocked", {"x.bin": MiB})
    try:
        task_id = await _download(engine, swarm, tmp_path / "dl")
        outcome = await engine.torrents.run_until_complete(stall_s=5)
        assert [i for i, _ in outcome.stalled] == [task_id]
        assert (await engine.torrents.view(task_id)).done == 0
    finally:
        swarm.stop()
        await engine.close()


async def test_a_file_chosen_later_is_downloaded_too(engine: Engine, tmp_path: Path) -> None:
    swarm = Swarm(tmp_path, "pack", {"a.bin": MiB, "b.bin": MiB})
    try:
        task_id = await _download(engine, swarm, tmp_path / "dl", files=[0])
        assert (await engine.torrents.run_until_complete(stall_s=15)).completed == [task_id]
        assert not (tmp_path / "dl" / "pack" / "b.bin").exists()
        await engine.torrents.set_file_priorities(task_id, {1: 7})
        assert (await engine.torrents.run_until_complete(stall_s=15)).completed == [task_id]
        swarm.verify(tmp_path / "dl")
    finally:
        swarm.stop()


@pytest.mark.timeout(180)
async def test_a_hundred_completions_are_each_on_disk_when_announced(tmp_path: Path) -> None:
    # all active at once: a queued torrent forgets a peer given by hand (there is no tracker here)
    engine = Engine(torrent_config(tmp_path, **{"torrent.max_active_downloads": "100"}))
    torrents = tmp_path / "torrents"
    torrents.mkdir()
    swarms = []
    for n in range(100):
        s = Swarm(tmp_path / "content", f"t{n:03}", {f"f{n:03}.bin": 48 * 1024 + n})
        s.torrent.rename(torrents / s.torrent.name)
        s.torrent = torrents / s.torrent.name
        swarms.append(s)
    holder = Swarm.__new__(Swarm)  # one seeder process for all hundred
    holder.torrent, holder.content, holder.peers = torrents, tmp_path / "content" / "seed", []
    peer = holder.seed()
    folder = tmp_path / "dl"
    paths = {}
    checked: list[bool] = []

    def on_event(event: Event) -> None:  # runs when the torrent is announced complete
        if isinstance(event, TaskFinished):
            swarm = paths[event.task_id]
            name = next(iter(swarm.files))
            checked.append(sha256(folder / swarm.name / name) == swarm.hashes[name])

    engine.bus.subscribe(on_event)
    try:
        for s in swarms:
            view = await engine.torrents.add(str(s.torrent), path=str(folder))
            paths[view.id] = s
            engine.torrents.connect_peer(view.id, "127.0.0.1", peer.port)
        outcome = await asyncio.wait_for(engine.torrents.run_until_complete(stall_s=30), 150)
        assert len(outcome.completed) == 100 and outcome.ok
        assert checked == [True] * 100
    finally:
        peer.stop()
        await engine.close()


async def test_at_the_ratio_limit_the_torrent_is_removed_and_its_files_kept(tmp_path: Path) -> None:
    engine = Engine(torrent_config(tmp_path, **{"torrent.ratio_limit": "0.5", "torrent.seed_limit_action": "remove"}))
    swarm = Swarm(tmp_path, "shared", {"x.bin": MiB})
    leecher = None
    try:
        task_id = await _download(engine, swarm, tmp_path / "dl")
        assert (await engine.torrents.run_until_complete(stall_s=15)).completed == [task_id]
        swarm.stop()  # from now on the only source is SyncDeck
        assert engine.torrents.session is not None
        port = engine.torrents.session.ses.listen_port()
        leecher, _ = start_process("tests.fakes.seeder", str(swarm.torrent), str(tmp_path / "leech"), "--leech",
                                   "--connect", f"127.0.0.1:{port}")  # fmt: skip
        deadline = time.monotonic() + 30
        while await engine.torrents.list() and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert await engine.torrents.list() == [], "still seeding past the ratio limit"
        swarm.verify(tmp_path / "dl")  # removed, files kept
        assert sha256(tmp_path / "leech" / "shared" / "x.bin") == swarm.hashes["x.bin"]
    finally:
        if leecher is not None:
            assert leecher.stdin is not None
            leecher.stdin.close()
            leecher.wait(10)
        swarm.stop()
        await engine.close()


async def test_peer_connections_go_through_the_proxy_setting(tmp_path: Path) -> None:
    greetings: list[bytes] = []

    async def socks(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        greetings.append(await reader.read(3))  # a SOCKS5 greeting; no answer, the peer stays unreached
        writer.close()

    server = await asyncio.start_server(socks, "127.0.0.1", 0)
    proxy_port = server.sockets[0].getsockname()[1]
    engine = Engine(torrent_config(tmp_path, **{"net.proxy": f"socks5://127.0.0.1:{proxy_port}"}))
    swarm = Swarm(tmp_path, "proxied", {"x.bin": MiB})
    try:
        view = await engine.torrents.add(str(swarm.torrent), path=str(tmp_path / "dl"))
        assert engine.torrents.session is not None
        applied = engine.torrents.session.ses.get_settings()
        assert (applied["proxy_hostname"], applied["proxy_port"], applied["proxy_peer_connections"]) == (
            "127.0.0.1", proxy_port, True)  # fmt: skip
        engine.torrents.connect_peer(view.id, "127.0.0.1", 9)
        deadline = time.monotonic() + 10
        while not greetings and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert greetings and greetings[0][:1] == b"\x05", "the peer connection did not go through the proxy"
    finally:
        server.close()
        await engine.close()
