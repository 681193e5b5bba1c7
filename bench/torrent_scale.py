"""1,000 torrents: the engine's memory with all of them loaded (target < 300 MB RSS) and the
time a restart takes to restore them from their resume data (target < 5 s).

    python bench/torrent_scale.py [--count 1000]

The torrents are small and v1 (one 64 KiB file each, never downloaded: no peer is given), so
what is measured is the per-torrent cost of the service, libtorrent and the database. Each
restart runs in a fresh process, as after a reboot. Always exits 0: a measurement.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

OVERRIDES = {"torrent.interface": "127.0.0.1", "torrent.listen_port": "0", "torrent.dht": "false",
             "torrent.lsd": "false", "torrent.utp": "false"}  # fmt: skip


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def engine_for(root: Path):  # type: ignore[no-untyped-def]
    from core.config import load_config
    from core.engine.engine import Engine

    overrides = {**OVERRIDES, "library.root": str(root / "library")}
    return Engine(load_config(root / "c.toml", data_dir=root / "data", environ={}, overrides=overrides))


async def prepare(root: Path, count: int) -> None:
    from core.torrent.making import make_torrent

    content = root / "content"
    engine = engine_for(root)
    try:
        await engine.torrents.start()
        for n in range(count):
            folder = content / f"t{n:04}"
            folder.mkdir(parents=True)
            (folder / "f.bin").write_bytes(os.urandom(64 * 1024))
            path = root / f"t{n:04}.torrent"
            path.write_bytes(make_torrent(folder, v1_only=True))
            await engine.torrents.add(str(path), path=str(root / "dl"))
        await asyncio.sleep(3)  # resume data saved for every torrent
    finally:
        await engine.close()


async def restore(root: Path) -> dict[str, float]:
    before = rss_mb()
    engine = engine_for(root)
    try:
        began = time.perf_counter()
        await engine.torrents.start()
        views = await engine.torrents.list()
        took = time.perf_counter() - began
        await asyncio.sleep(2)  # a few status rounds with everything loaded
        return {"restored": len(views), "seconds": took, "rss_mb": rss_mb(), "rss_before_mb": before}
    finally:
        await engine.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(restore(Path(args.child)))))
        return
    root = Path(tempfile.mkdtemp(prefix="bt-scale-"))
    began = time.perf_counter()
    asyncio.run(prepare(root, args.count))
    print(f"prepared {args.count} torrents in {time.perf_counter() - began:.1f} s")
    for attempt in range(2):
        argv = [sys.executable, __file__, "--child", str(root)]
        out = subprocess.run(argv, capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"restart {attempt + 1}: {r['restored']} torrents restored in {r['seconds']:.2f} s (target < 5 s); "
            f"engine RSS {r['rss_mb']:.0f} MB with them loaded (target < 300 MB; {r['rss_before_mb']:.0f} MB before)"
        )


if __name__ == "__main__":
    main()
