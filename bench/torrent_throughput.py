"""BitTorrent throughput over loopback, measured against references in the same run.

    python bench/torrent_throughput.py [--size-mib 512] [--rounds 1]

One libtorrent seeder (tests/fakes/seeder.py, its own process, seed mode) serves one v1
torrent of one random file; the leechers, one after another into fresh folders:
1. SyncDeck: Engine.torrents.add + run_until_complete (flush included), as `syncdeck torrent add` runs it.
2. A bare libtorrent session in this process, same settings a careful script would use (TCP only).
3. aria2c (Debian's aria2), through the fake tracker (it cannot be told a peer).
Targets: SyncDeck ≥ 0.95× bare libtorrent, ≥ 1.3× aria2c. Every download is hashed against the
original. Files live in /dev/shm when it has room. Always exits 0: a measurement, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from core.torrent.making import make_torrent  # noqa: E402
from tests.torrent.swarm import start_process  # noqa: E402

MIB = 2**20


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(4 * MIB):
            h.update(chunk)
    return h.hexdigest()


async def syncdeck(torrent: Path, folder: Path, port: int, data: Path) -> float:
    from core.config import load_config
    from core.engine.engine import Engine

    overrides = {"torrent.interface": "127.0.0.1", "torrent.listen_port": "0", "torrent.dht": "false",
                 "torrent.lsd": "false", "torrent.pex": "false", "torrent.utp": "false",
                 "torrent.multiple_per_ip": "true", "library.root": str(folder)}  # fmt: skip
    engine = Engine(load_config(data / "c.toml", data_dir=data, environ={}, overrides=overrides))
    try:
        await engine.torrents.start()
        began = time.perf_counter()
        view = await engine.torrents.add(str(torrent), path=str(folder))
        engine.torrents.connect_peer(view.id, "127.0.0.1", port)
        outcome = await engine.torrents.run_until_complete(stall_s=30, poll_s=0.02)
        assert outcome.ok, outcome
        return time.perf_counter() - began
    finally:
        await engine.close()


def bare(torrent: Path, folder: Path, port: int) -> float:
    import libtorrent as lt

    ses = lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
                      "enable_upnp": False, "enable_natpmp": False, "enable_outgoing_utp": False,
                      "enable_incoming_utp": False, "allow_multiple_connections_per_ip": True,
                      "tick_interval": 100, "stop_tracker_timeout": 1,
                      "alert_mask": lt.alert_category.error | lt.alert_category.status})  # fmt: skip
    began = time.perf_counter()
    atp = lt.load_torrent_file(str(torrent))
    atp.save_path = str(folder)
    h = ses.add_torrent(atp)
    h.connect_peer(("127.0.0.1", port))
    while not h.status().is_seeding:
        time.sleep(0.02)
    h.flush_cache()  # the same "on disk" point SyncDeck waits for
    while not any(type(a).__name__ == "cache_flushed_alert" for a in ses.pop_alerts()):
        time.sleep(0.005)
    took = time.perf_counter() - began
    del ses
    return took


def aria2(torrent: Path, folder: Path) -> float | None:
    exe = shutil.which("aria2c")
    if exe is None:
        return None
    began = time.perf_counter()
    subprocess.run([exe, "--seed-time=0", "--enable-dht=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false",
                    "--file-allocation=none", "--check-integrity=false", "--summary-interval=0", "-q",
                    f"--dir={folder}", str(torrent)], check=True, timeout=600)  # fmt: skip
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=512)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and shutil.disk_usage(shm).free > 3.2 * args.size_mib * MIB else None
    root = Path(tempfile.mkdtemp(prefix="bt-bench-", dir=base))
    try:
        tracker, tport = start_process("tests.fakes.tracker")
        content = root / "seed" / "payload"
        content.mkdir(parents=True)
        with (content / "data.bin").open("wb") as f:
            for _ in range(args.size_mib):
                f.write(os.urandom(MIB))
        original = sha256(content / "data.bin")
        torrent = root / "payload.torrent"
        torrent.write_bytes(make_torrent(content, trackers=(f"http://127.0.0.1:{tport}/announce",), v1_only=True))
        seeder, port = start_process("tests.fakes.seeder", str(torrent), str(root / "seed"))
        results: dict[str, list[float]] = {"syncdeck": [], "bare libtorrent": [], "aria2c": []}
        # A seed-mode seeder checks each piece the first time it sends it: one untimed download
        # first, so no leecher pays for that; then the order turns round by round.
        warm = root / "warm-up"
        warm.mkdir()
        bare(torrent, warm, port)
        shutil.rmtree(warm)
        names = list(results)
        for n in range(args.rounds):
            for name in names[n % 3 :] + names[: n % 3]:
                folder = root / f"{name.replace(' ', '-')}-{n}"
                folder.mkdir()
                if name == "syncdeck":
                    took = asyncio.run(syncdeck(torrent, folder, port, root / f"data-{n}"))
                elif name == "bare libtorrent":
                    took = bare(torrent, folder, port)
                else:
                    took = aria2(torrent, folder)  # type: ignore[assignment]
                    if took is None:
                        continue
                ok = sha256(folder / "payload" / "data.bin") == original
                results[name].append(took)
                rate = args.size_mib / took
                print(f"{name:16} {took:6.2f} s  {rate:7.1f} MiB/s  {'sha256 OK' if ok else 'DIFFERS'}")
                shutil.rmtree(folder)
        best = {k: statistics.median(v) for k, v in results.items() if v}  # medians: the machine is shared
        if "bare libtorrent" in best:
            ratio = best["bare libtorrent"] / best["syncdeck"]
            print(f"SyncDeck vs bare libtorrent (medians): {ratio:.2f}x (target >= 0.95x)")
        if "aria2c" in best:
            print(f"SyncDeck vs aria2c (medians): {best['aria2c'] / best['syncdeck']:.2f}x (target >= 1.3x)")
        else:
            print("aria2c not installed: no comparison")
        for proc in (seeder, tracker):
            assert proc.stdin is not None
            proc.stdin.close()
            proc.wait(15)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
