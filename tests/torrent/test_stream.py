"""Play while downloading: a torrent's video file added to a playlist as `torrent:TASK/FILE`
plays through the stream proxy, which answers Range reads of the first minute before the
torrent is complete, asking libtorrent for those pieces first."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import httpx
import pytest

from core.engine.engine import Engine
from core.errors import ConfigError
from core.playback.source import ByteSource
from tests.torrent.swarm import Swarm


@pytest.fixture(scope="session")
def two_minute_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import imageio_ffmpeg

    out = tmp_path_factory.mktemp("media") / "clip.mp4"
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "testsrc=size=96x64:rate=10", "-t", "120",
         "-c:v", "libx264", "-b:v", "60k", "-g", "50", "-movflags", "+faststart", str(out)],
        check=True, timeout=60,
    )  # fmt: skip
    return out


async def test_the_first_minute_reads_before_the_torrent_completes(
    engine: Engine, tmp_path: Path, two_minute_video: Path
) -> None:
    data = two_minute_video.read_bytes()
    swarm = Swarm.__new__(Swarm)
    swarm.root, swarm.name, swarm.files, swarm.trackers, swarm.v1_only, swarm.peers = tmp_path, "film", {}, (), 0, []
    (tmp_path / "seed" / "film").mkdir(parents=True)
    (tmp_path / "seed" / "film" / "clip.mp4").write_bytes(data)
    from core.torrent.making import make_torrent

    swarm.content = tmp_path / "seed"
    swarm.torrent = tmp_path / "film.torrent"
    swarm.torrent.write_bytes(make_torrent(swarm.content / "film", piece_size=16 * 1024))
    peer = swarm.seed("--upload-kib", str(max(64, len(data) // 1024 // 8)))  # the whole file takes ~8 s
    try:
        view = await engine.torrents.add(str(swarm.torrent), path=str(tmp_path / "dl"))
        engine.torrents.connect_peer(view.id, "127.0.0.1", peer.port)
        while not (await engine.torrents.view(view.id)).has_metadata:
            await asyncio.sleep(0.05)
        source = await engine.torrents.open_stream(view.id, 0)
        assert isinstance(source, ByteSource)
        assert (source.size, source.content_type) == (len(data), "video/mp4")
        await source.close()
        assert await engine.torrents.video_refs(view.id) == [f"torrent:{view.id}/0"]
        playlist = await engine.playlists.create("Films")
        entry = await engine.playlists.add_link(playlist, f"torrent:{view.id}/0")
        assert (entry.title, entry.provider) == ("clip.mp4", "torrent")
        with pytest.raises(ConfigError, match="there is no file 5"):
            await engine.playlists.add_link(playlist, f"torrent:{view.id}/5")
        item = await engine.playlists.entry_item(entry.id)
        info = await engine.playback.resolve(item.item_json, item.provider, item.account_id, entry_id=entry.id)
        assert info.mode == "proxied" and info.url.startswith("http://127.0.0.1:")
        played = await engine.playback.resolve_link(f"torrent:{view.id}/0", mode="direct")  # `syncdeck play`
        assert (played.title, played.mode, played.size) == ("clip.mp4", "proxied", len(data))
        first_minute = len(data) // 2
        read = bytearray()
        async with httpx.AsyncClient(trust_env=False, timeout=30) as client:
            while len(read) < first_minute:
                answer = await client.get(info.url, headers={"Range": f"bytes={len(read)}-{first_minute - 1}"})
                assert answer.status_code == 206 and answer.content, "a read returned nothing before the end"
                read += answer.content
            assert bytes(read[:first_minute]) == data[:first_minute]
            assert (await engine.torrents.view(view.id)).progress < 1.0, "the torrent finished before the first minute"
            tail = await client.get(info.url, headers={"Range": f"bytes={len(data) - 10}-"})
            assert (tail.status_code, tail.content) == (206, data[-10:])
    finally:
        swarm.stop()
