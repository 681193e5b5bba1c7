"""Watched folders and RSS feeds as sources: what they offer is added once, after the rules."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from core.engine.engine import Engine
from core.providers.torrent.feed import parse_feed
from tests.torrent.swarm import MiB, Swarm, start_process


async def test_a_torrent_dropped_into_a_watched_folder_is_added_once_and_moved(engine: Engine, tmp_path: Path) -> None:
    watched = tmp_path / "watched"
    watched.mkdir()
    source = await engine.add_source(f"watch:{watched}", path=str(tmp_path / "dl"))
    swarm = Swarm(tmp_path, "dropped", {"x.bin": MiB})
    peer = swarm.seed()
    try:
        (watched / "dropped.torrent").write_bytes(swarm.torrent.read_bytes())
        result = await engine.sync()
        assert result.outcome != "failed", result.messages
        await engine.torrents.settle_adoptions()
        (view,) = await engine.torrents.list()
        assert view.name == "dropped" and view.save_path == str((tmp_path / "dl").resolve())
        assert not (watched / "dropped.torrent").exists() and (watched / ".added" / "dropped.torrent").exists()
        await engine.torrents.start()  # recorded by the round; `sync` starts the session after it
        engine.torrents.connect_peer(view.id, "127.0.0.1", peer.port)
        assert (await engine.torrents.run_until_complete(stall_s=15)).completed == [view.id]
        swarm.verify(tmp_path / "dl")
        (watched / "again.torrent").write_bytes(swarm.torrent.read_bytes())  # the same torrent again
        await engine.sync([source.id])
        await engine.torrents.settle_adoptions()
        assert len(await engine.torrents.list()) == 1
    finally:
        swarm.stop()


def _rss(items: list[tuple[str, str, str]], lengths: dict[str, int] | None = None) -> str:
    body = "".join(
        f"<item><title>{title}</title><guid>{guid}</guid><pubDate>Fri, 04 Dec 2026 10:00:00 GMT</pubDate>"
        f'<enclosure url="{url}" type="application/x-bittorrent" length="{(lengths or {}).get(guid, MiB)}"/></item>'
        for title, guid, url in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Fake feed</title>{body}</channel></rss>'


async def test_an_rss_feed_adds_matching_items_once(engine: Engine, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    first = Swarm(tmp_path / "one", "Show.S01E01", {"Show.S01E01.mkv": MiB})
    second = Swarm(tmp_path / "two", "Show.S01E02", {"Show.S01E02.mkv": MiB})
    sample = Swarm(tmp_path / "three", "Sample", {"sample.mkv": MiB})
    (site / "e2.torrent").write_bytes(second.torrent.read_bytes())
    server, port = start_process("tests.fakes.files", str(site))
    try:
        url = f"http://127.0.0.1:{port}"
        items = [("Show S01E01 episode", "guid-1", first.magnet().replace("&", "&amp;")),
                 ("Show S01E02 episode", "guid-2", f"{url}/e2.torrent"),
                 ("Sample clip", "guid-3", sample.magnet().replace("&", "&amp;")),
                 ("Show S01E03 episode remux", "guid-4", "magnet:?xt=urn:btih:" + "b" * 40)]  # fmt: skip
        (site / "feed.xml").write_text(_rss(items, {"guid-4": 3 * 2**30}), encoding="utf-8")
        found = parse_feed((site / "feed.xml").read_bytes())[1]
        assert [(e.guid, e.size) for e in found][2:] == [("guid-3", MiB), ("guid-4", 3 * 2**30)]
        source = await engine.add_source(
            f"rss:{url}/feed.xml", path=str(tmp_path / "dl"), rules="title icontains episode and size<2GiB"
        )
        assert source.name == "Fake feed"
        await engine.sync()
        await engine.torrents.settle_adoptions()
        names = sorted(v.name for v in await engine.torrents.list())
        assert names == ["Show.S01E01", "Show.S01E02"]
        await engine.sync()
        await engine.torrents.settle_adoptions()
        assert len(await engine.torrents.list()) == 2
        with sqlite3.connect(engine.config.database_path) as conn:
            outcomes = dict(conn.execute("SELECT guid, outcome FROM feedentry").fetchall())
        assert outcomes == {"guid-1": "added", "guid-2": "added", "guid-3": "filtered", "guid-4": "filtered"}
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(10)
        await asyncio.sleep(0)
