"""A cancelled merge leaves no ffmpeg behind: the child is killed and reaped before the
cancellation reaches the caller (no zombie, not even for a moment)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from core.library.media import find_ffmpeg, probe_duration

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]


def children() -> list[tuple[int, str]]:
    """(pid, state) of this process's children, zombies included."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == os.getpid():
            found.append((int(entry.name), state))
    return found


async def test_a_cancelled_ffmpeg_is_killed_and_reaped(tmp_path: Path) -> None:
    ffmpeg = await asyncio.to_thread(find_ffmpeg, "")
    fifo = tmp_path / "never-written.mp4"
    os.mkfifo(fifo)  # ffmpeg waits on it for ever
    # only the children this test starts count: other tests' servers may live in this process too
    before = {pid for pid, _ in children()}

    def ours() -> list[tuple[int, str]]:
        return [(pid, state) for pid, state in children() if pid not in before]

    for _ in range(3):
        work = asyncio.create_task(probe_duration(fifo, ffmpeg))
        deadline = asyncio.get_running_loop().time() + 10
        while not ours() and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.02)
        assert ours(), "ffmpeg started"
        work.cancel()
        with pytest.raises(asyncio.CancelledError):
            await work
        assert ours() == [], "ffmpeg was killed and reaped (no zombie left)"
