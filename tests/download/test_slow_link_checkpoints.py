"""On a slow link a kill loses seconds of transfer, not megabytes: progress is recorded by
time as well as by size."""

from __future__ import annotations

import asyncio
import hashlib
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from core.download import RangeDownloader, part_path, sidecar_path
from tests.download.range_server import RangeServer
from tests.download.test_range_downloader import KILLED_DOWNLOADER, REPO, ranged_requests

SLOW = 32 * 1024  # bytes per second and connection: 4 MiB would take two minutes


def recorded(target: Path) -> int:
    try:
        data = json.loads(sidecar_path(target).read_text())
    except (OSError, ValueError):
        return 0
    return sum(end - start for start, end in data["done"])


@pytest.mark.timeout(90)
async def test_a_download_killed_after_seconds_on_a_slow_link_resumes_from_its_progress(
    server: RangeServer, client: httpx.AsyncClient, media_dir: Path, tmp_path: Path
) -> None:
    source = media_dir / "small.m4s"
    target = tmp_path / "small.m4s"
    server.knobs.throttle_bps = SLOW
    process = await asyncio.to_thread(
        subprocess.Popen, [sys.executable, "-c", KILLED_DOWNLOADER, server.url("small.m4s"), str(target)], cwd=REPO
    )
    try:
        deadline = time.monotonic() + 30
        while not part_path(target).exists() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(3)  # a few seconds of transfer, far less than 4 MiB
    finally:
        process.send_signal(signal.SIGKILL)
        await asyncio.to_thread(process.wait)
    saved = recorded(target)
    assert saved > 0, "three seconds of transfer were recorded before the kill"

    server.reset_counters()
    server.knobs.throttle_bps = 0
    started = time.monotonic()
    await RangeDownloader(client, connections=2, min_chunk=1024 * 1024).download([server.url("small.m4s")], target)
    assert time.monotonic() - started < 30
    assert not any(r.startswith("bytes=0-") for r in ranged_requests(server)), "nothing starts over from 0"
    assert server.bytes_served == source.stat().st_size - saved + 1, "only what was missing was fetched"
    assert hashlib.sha256(target.read_bytes()).digest() == hashlib.sha256(source.read_bytes()).digest()
