"""Play while downloading: the ByteSource over a torrent's video file answers reads of the
first minute before the torrent is complete, asking libtorrent for those pieces first."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest

from core.engine.engine import Engine
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
        first_minute = len(data) // 2
        read = bytearray()
        while len(read) < first_minute:
            chunk = await asyncio.wait_for(source.read(len(read), 64 * 1024), 20)
            assert chunk, "a read returned nothing before the end"
            read += chunk
        assert bytes(read[:first_minute]) == data[:first_minute]
        assert (await engine.torrents.view(view.id)).progress < 1.0, "the torrent finished before the first minute"
        tail = await source.read(len(data) - 10, 100)
        assert tail == data[-10:]
        await source.close()
    finally:
        swarm.stop()
