from __future__ import annotations

import asyncio
import hashlib
import json
import math
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from core.download import RangeDownloader, discard_partial, part_path, sidecar_path
from core.errors import DownloadError, RiskControlError, TransientError
from tests.download.conftest import MIB
from tests.download.range_server import RangeServer

REPO = Path(__file__).resolve().parents[2]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def recorded_bytes(target: Path) -> int:
    """Bytes the sidecar says are safely on disk."""
    data = json.loads(sidecar_path(target).read_text())
    return sum(end - start for start, end in data["done"])


def ranged_requests(server: RangeServer) -> list[str]:
    return [entry.range for entry in server.log if entry.range not in ("", "bytes=0-0")]


class Progress:
    def __init__(self) -> None:
        self.total = 0
        self.announced: list[int] = []

    def __call__(self, delta: int) -> None:
        self.total += delta

    def on_total(self, size: int) -> None:
        self.announced.append(size)


async def test_single_and_segmented_downloads_are_identical(
    server: RangeServer, client: httpx.AsyncClient, media_dir: Path, tmp_path: Path
) -> None:
    source = media_dir / "medium.m4s"
    single = tmp_path / "single.m4s"
    progress = Progress()
    one = RangeDownloader(client, connections=1, on_progress=progress, on_total=progress.on_total)
    assert await one.download([server.url("medium.m4s")], single) == source.stat().st_size
    assert progress.announced == [progress.total] == [source.stat().st_size]
    assert len(ranged_requests(server)) == 1

    server.reset_counters()
    segmented = tmp_path / "segmented.m4s"
    four = RangeDownloader(client, connections=4, min_chunk=1 * MIB)
    await four.download([server.url("medium.m4s")], segmented)

    assert sha256(single) == sha256(segmented) == sha256(source)
    assert len(set(ranged_requests(server))) == 4
    assert server.bytes_served == source.stat().st_size + 1  # the 1-byte probe, nothing twice
    for target in (single, segmented):
        assert not part_path(target).exists()
        assert not sidecar_path(target).exists()


async def test_small_file_uses_one_connection(
    server: RangeServer, client: httpx.AsyncClient, media_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "nested" / "folder" / "small.m4s"
    await RangeDownloader(client, connections=4, min_chunk=2 * MIB).download([server.url("small.m4s")], target)
    assert sha256(target) == sha256(media_dir / "small.m4s")
    assert len(ranged_requests(server)) == 1


async def test_server_without_range_support_streams_the_first_reply(
    server: RangeServer, client: httpx.AsyncClient, media_dir: Path, tmp_path: Path
) -> None:
    server.knobs.ranges = False
    progress = Progress()
    target = tmp_path / "whole.m4s"
    downloader = RangeDownloader(client, on_progress=progress, on_total=progress.on_total)
    await downloader.download([server.url("small.m4s")], target)
    assert sha256(target) == sha256(media_dir / "small.m4s")
    assert len(server.log) == 1  # the probe's 200 reply was the download
    assert progress.announced == [progress.total] == [(media_dir / "small.m4s").stat().st_size]
    assert not part_path(target).exists()


async def test_whole_download_retries_a_truncated_reply_from_zero(
    server: RangeServer, client: httpx.AsyncClient, media_dir: Path, tmp_path: Path
) -> None:
    server.knobs.ranges = False
    server.knobs.truncate_after, server.knobs.truncate_responses = 300_000, 1
    progress = Progress()
    target = tmp_path / "whole.m4s"
    await RangeDownloader(client, on_progress=progress).download([server.url("small.m4s")], target)
    assert sha256(target) == sha256(media_dir / "small.m4s")
    assert progress.total == target.stat().st_size  # the lost attempt was taken back


async def test_cancelled_download_resumes_from_its_sidecar(
    server: RangeServer, client: httpx.AsyncClient, media_dir: Path, tmp_path: Path
) -> None:
    source = media_dir / "large.m4s"
    size = source.stat().st_size
    target = tmp_path / "large.m4s"
    server.knobs.throttle_bps = 6_000_000
    progress = Progress()
    downloader = RangeDownloader(client, connections=2, min_chunk=1 * MIB, on_progress=progress)
    task = asyncio.create_task(downloader.download([server.url("large.m4s")], target))
    while progress.total < 4 * MIB:
        await asyncio.sleep(0.02)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    assert not target.exists()
    assert part_path(target).stat().st_size == size
    saved = recorded_bytes(target)
    assert saved == progress.total  # cancellation loses nothing that was written

    # the cancelled connections' handlers may still be writing into closed sockets for a moment
    # (throttled, on a loaded machine): let them stop before counting the resumed download
    for _ in range(100):
        before = server.bytes_served
        await asyncio.sleep(0.3)
        if server.bytes_served == before:
            break
    server.reset_counters()
    server.knobs.throttle_bps = 0
    resumed = Progress()
    again = RangeDownloader(client, connections=2, min_chunk=1 * MIB, on_progress=resumed, on_total=resumed.on_total)
    await again.download([server.url("large.m4s")], target)
    assert resumed.announced == [resumed.total] == [size - saved]
    assert server.bytes_served == size - saved + 1
    assert sha256(target) == sha256(source)
    assert not sidecar_path(target).exists()


KILLED_DOWNLOADER = """
import asyncio, sys
from pathlib import Path
from core.download import RangeDownloader
from core.net import NetOptions, make_client

async def main() -> None:
    async with make_client(NetOptions(timeout=5.0, trust_env=False)) as client:
        downloader = RangeDownloader(client, connections=2, min_chunk=1024 * 1024)
        await downloader.download([sys.argv[1]], Path(sys.argv[2]))

asyncio.run(main())
"""


@pytest.mark.timeout(60)
async def test_killed_process_resumes_where_it_stopped(
    server: RangeServer, client: httpx.AsyncClient, media_dir: Path, tmp_path: Path
) -> None:
    source = media_dir / "large.m4s"
    size = source.stat().st_size
    target = tmp_path / "large.m4s"
    server.knobs.throttle_bps = 3_000_000
    process = await asyncio.to_thread(
        subprocess.Popen,
        [sys.executable, "-c", KILLED_DOWNLOADER, server.url("large.m4s"), str(target)],
        cwd=REPO,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if sidecar_path(target).exists() and recorded_bytes(target) >= 4 * MIB:
                break
            await asyncio.sleep(0.05)
        else:
            pytest.fail("the child process recorded no progress")
    finally:
        process.kill()
        await asyncio.to_thread(process.wait)

    saved = recorded_bytes(target)
    assert 4 * MIB <= saved < size
    server.reset_counters()
    server.knobs.throttle_bps = 0
    await RangeDownloader(client, connections=2, min_chunk=1 * MIB).download([server.url("large.m4s")], target)
    assert server.bytes_served == size - saved + 1
    assert sha256(target) == sha256(source)


async def test_truncated_bodies_are_retried_from_where_they_stopped(
    server: RangeServer, client: httpx.AsyncClient, media_dir: Path, tmp_path: Path
) -> None:
    source = media_dir / "small.m4s"
    # The probe's 1-byte reply uses up the first of the four.
    server.knobs.truncate_after, server.knobs.truncate_responses = 256 * 1024, 4
    target = tmp_path / "small.m4s"
    await RangeDownloader(client, connections=1).download([server.url("small.m4s")], target)
    assert sha256(target) == sha256(source)
    assert len(ranged_requests(server)) == 4
    assert server.bytes_served == source.stat().st_size + 1


async def test_refused_mirror_falls_back_to_the_next(
    server: RangeServer, client: httpx.AsyncClient, media_dir: Path, tmp_path: Path
) -> None:
    server.knobs.refuse = {"a": 403}
    refreshes = 0

    async def refresh() -> list[str]:
        nonlocal refreshes
        refreshes += 1
        return []

    target = tmp_path / "small.m4s"
    urls = [server.url("small.m4s", "a"), server.url("small.m4s", "b")]
    await RangeDownloader(client).download(urls, target, refresh=refresh)
    assert sha256(target) == sha256(media_dir / "small.m4s")
    assert [entry.mirror for entry in server.log] == ["a", "b", "b"]
    assert refreshes == 0


async def test_unreachable_and_failing_mirrors_are_skipped(
    server: RangeServer, client: httpx.AsyncClient, media_dir: Path, tmp_path: Path
) -> None:
    closed = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    dead_port = closed.sockets[0].getsockname()[1]
    closed.close()
    await closed.wait_closed()
    server.knobs.refuse = {"busy": 503}
    urls = [
        f"http://127.0.0.1:{dead_port}/x/small.m4s",
        server.url("small.m4s", "busy"),
        server.url("small.m4s", "good"),
    ]
    target = tmp_path / "small.m4s"
    await RangeDownloader(client).download(urls, target)
    assert sha256(target) == sha256(media_dir / "small.m4s")
    assert {entry.mirror for entry in server.log} == {"busy", "good"}


async def test_links_refused_everywhere_are_refreshed(
    server: RangeServer, client: httpx.AsyncClient, media_dir: Path, tmp_path: Path
) -> None:
    server.knobs.refuse = {"a": 403, "b": 410}
    calls = 0

    async def refresh() -> list[str]:
        nonlocal calls
        calls += 1
        return [server.url("small.m4s", "fresh")]

    target = tmp_path / "small.m4s"
    urls = [server.url("small.m4s", "a"), server.url("small.m4s", "b")]
    await RangeDownloader(client).download(urls, target, refresh=refresh)
    assert calls == 1
    assert sha256(target) == sha256(media_dir / "small.m4s")


async def test_expired_link_is_refreshed_without_asking_the_cdn(
    server: RangeServer, client: httpx.AsyncClient, media_dir: Path, tmp_path: Path
) -> None:
    async def refresh() -> list[str]:
        return [server.url("small.m4s", "fresh", deadline=time.time() + 3600)]

    target = tmp_path / "small.m4s"
    await RangeDownloader(client).download(
        [server.url("small.m4s", "old", deadline=time.time() - 5)], target, refresh=refresh
    )
    assert sha256(target) == sha256(media_dir / "small.m4s")
    assert {entry.mirror for entry in server.log} == {"fresh"}


async def test_link_expiring_mid_download_is_refreshed_and_continues(
    server: RangeServer, client: httpx.AsyncClient, media_dir: Path, tmp_path: Path
) -> None:
    source = media_dir / "small.m4s"
    # The old link expires 1–2 s from now; its body breaks off after 2 MiB at 1 MB/s (~2.1 s),
    # so the next request needs a fresh link.
    deadline = math.ceil(time.time()) + 1
    server.knobs.throttle_bps = 1_000_000
    server.knobs.truncate_after, server.knobs.truncate_responses = 2 * MIB, 2  # probe, then the body
    calls = 0

    async def refresh() -> list[str]:
        nonlocal calls
        calls += 1
        return [server.url("small.m4s", "fresh", deadline=time.time() + 3600)]

    target = tmp_path / "small.m4s"
    url = server.url("small.m4s", "old", deadline=deadline)
    await RangeDownloader(client).download([url], target, refresh=refresh)
    assert calls == 1
    assert sha256(target) == sha256(source)
    from_old = sum(entry.body_bytes for entry in server.log if entry.mirror == "old")
    assert from_old == 2 * MIB + 1  # probe byte + the body until it broke off
    assert server.bytes_served == source.stat().st_size + 1  # continued, did not restart


async def test_cdn_still_refusing_after_refreshes_is_risk_control(
    server: RangeServer, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    server.knobs.refuse = {"a": 403}
    calls = 0

    async def refresh() -> list[str]:
        nonlocal calls
        calls += 1
        return [server.url("small.m4s", "a")]

    target = tmp_path / "small.m4s"
    with pytest.raises(RiskControlError, match="HTTP 403"):
        await RangeDownloader(client).download([server.url("small.m4s", "a")], target, refresh=refresh)
    assert calls == 2
    assert not target.exists()
    assert not part_path(target).exists()


async def test_refusal_mid_download_keeps_the_partial_file_for_later(
    server: RangeServer, client: httpx.AsyncClient, media_dir: Path, tmp_path: Path
) -> None:
    server.knobs.throttle_bps = 4_000_000
    server.knobs.truncate_after, server.knobs.truncate_responses = 3 * MIB, -1
    progress = Progress()

    def on_progress(delta: int) -> None:
        progress(delta)
        if progress.total >= MIB:
            server.knobs.refuse = {"main": 403}

    target = tmp_path / "medium.m4s"
    downloader = RangeDownloader(client, connections=1, on_progress=on_progress)
    with pytest.raises(RiskControlError):
        await downloader.download([server.url("medium.m4s")], target)
    assert not target.exists()
    assert recorded_bytes(target) == progress.total >= MIB

    discard_partial(target)
    assert not part_path(target).exists()
    assert not sidecar_path(target).exists()


async def test_other_http_errors_are_download_errors(
    server: RangeServer, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    async def refresh() -> list[str]:
        raise AssertionError("a 404 is not fixed by new links")

    target = tmp_path / "missing.m4s"
    with pytest.raises(DownloadError, match="HTTP 404"):
        await RangeDownloader(client).download([server.url("missing.m4s")], target, refresh=refresh)
    assert not target.exists()


async def test_slow_first_answer_is_retried(server: RangeServer, media_dir: Path, tmp_path: Path) -> None:
    server.knobs.header_delay, server.knobs.delayed_responses = 2.0, 1
    async with httpx.AsyncClient(timeout=0.3) as impatient:
        target = tmp_path / "small.m4s"
        await RangeDownloader(impatient).download([server.url("small.m4s")], target)
    assert sha256(target) == sha256(media_dir / "small.m4s")


async def test_endless_timeouts_become_a_transient_error(server: RangeServer, tmp_path: Path) -> None:
    server.knobs.header_delay, server.knobs.delayed_responses = 1.0, -1
    target = tmp_path / "small.m4s"
    async with httpx.AsyncClient(timeout=0.1) as impatient:
        with pytest.raises(TransientError, match="5 times"):
            await RangeDownloader(impatient).download([server.url("small.m4s")], target)
    assert not target.exists()


@pytest.mark.parametrize(
    "sidecar",
    [
        {"version": 1, "total": 123, "done": [[0, 100]]},  # another file's record
        "not json at all",
    ],
)
async def test_untrustworthy_sidecar_starts_over(
    server: RangeServer,
    client: httpx.AsyncClient,
    media_dir: Path,
    tmp_path: Path,
    sidecar: object,
) -> None:
    source = media_dir / "small.m4s"
    target = tmp_path / "small.m4s"
    part_path(target).write_bytes(b"\xff" * source.stat().st_size)
    sidecar_path(target).write_text(sidecar if isinstance(sidecar, str) else json.dumps(sidecar))
    await RangeDownloader(client).download([server.url("small.m4s")], target)
    assert sha256(target) == sha256(source)


async def test_fast_connection_takes_over_the_tail_of_a_slow_one(
    server: RangeServer, client: httpx.AsyncClient, media_dir: Path, tmp_path: Path
) -> None:
    # The range starting at 0 crawls; alone it would need 4 MiB / 1 MB/s ≈ 4.2 s.
    server.knobs.slow_starts = {0: 1_000_000}
    target = tmp_path / "medium.m4s"
    began = time.monotonic()
    await RangeDownloader(client, connections=2, min_chunk=1 * MIB).download([server.url("medium.m4s")], target)
    elapsed = time.monotonic() - began
    assert sha256(target) == sha256(media_dir / "medium.m4s")
    starts = {int(r.removeprefix("bytes=").split("-")[0]) for r in ranged_requests(server)}
    assert any(0 < start < 4 * MIB for start in starts)  # someone took over part of the first half
    assert elapsed < 3.5


async def test_refused_links_without_a_way_to_refresh(
    server: RangeServer, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    server.knobs.refuse = {"a": 403}
    with pytest.raises(RiskControlError):
        await RangeDownloader(client).download([server.url("small.m4s", "a")], tmp_path / "a.m4s")
    expired = server.url("small.m4s", "b", deadline=time.time() - 1)
    with pytest.raises(TransientError, match="expired"):
        await RangeDownloader(client).download([expired], tmp_path / "b.m4s")
    assert [entry.mirror for entry in server.log] == ["a"]


async def test_mirror_that_stops_honouring_ranges_is_a_download_error(
    server: RangeServer, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    server.knobs.truncate_after, server.knobs.truncate_responses = MIB, 2  # probe, then the body

    def on_progress(delta: int) -> None:
        server.knobs.ranges = False

    target = tmp_path / "medium.m4s"
    with pytest.raises(DownloadError, match="ignored the byte range"):
        await RangeDownloader(client, on_progress=on_progress).download([server.url("medium.m4s")], target)
    assert not target.exists()
    assert recorded_bytes(target) == MIB
