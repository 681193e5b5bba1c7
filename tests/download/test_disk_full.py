"""A full disk, for real: a small tmpfs mounted for the test (needs root; skipped otherwise)."""

from __future__ import annotations

import errno
import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.download import RangeDownloader, part_path, sidecar_path
from core.errors import DiskFullError
from tests.download.conftest import MIB
from tests.download.range_server import RangeServer


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if not sys.platform.startswith("linux"):
        pytest.skip("mounting a tmpfs needs Linux")
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a 16 MiB tmpfs to fill up (needs root): {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def fill_up(path: Path) -> None:
    """Write `path` until the file system has no byte left."""
    with open(path, "wb", buffering=0) as handle:
        for block in (MIB, 4096, 1):
            try:
                while True:
                    handle.write(b"\0" * block)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


async def test_disk_filling_up_mid_download_keeps_what_was_saved(
    small_disk: Path, server: RangeServer, client: httpx.AsyncClient, media_dir: Path
) -> None:
    source = media_dir / "large.m4s"
    size = source.stat().st_size
    target = small_disk / "large.m4s"
    filler = small_disk / "other-program.bin"
    server.knobs.throttle_bps = 8_000_000
    written = 0

    def on_progress(delta: int) -> None:
        nonlocal written
        written += delta
        if written >= 6 * MIB and not filler.exists():
            fill_up(filler)  # another program takes the rest of the disk

    downloader = RangeDownloader(client, connections=1, on_progress=on_progress)
    with pytest.raises(DiskFullError, match="full"):
        await downloader.download([server.url("large.m4s")], target)
    assert not target.exists()
    assert part_path(target).exists()
    saved = sum(end - start for start, end in json.loads(sidecar_path(target).read_text())["done"])
    assert saved >= 4 * MIB

    filler.unlink()
    server.reset_counters()
    server.knobs.throttle_bps = 0
    await RangeDownloader(client).download([server.url("large.m4s")], target)
    assert server.bytes_served == size - saved + 1
    assert sha256(target) == sha256(source)


async def test_too_little_space_is_reported_before_downloading(
    small_disk: Path, server: RangeServer, client: httpx.AsyncClient
) -> None:
    (small_disk / "other-program.bin").write_bytes(b"\0" * (8 * MIB))
    target = small_disk / "large.m4s"
    with pytest.raises(DiskFullError, match=r"needs 12\.0 MiB more"):
        await RangeDownloader(client).download([server.url("large.m4s")], target)
    assert server.bytes_served == 1  # only the probe
    assert not target.exists()
