"""Torrents made from small random files, seeded by real libtorrent peers in subprocesses
(tests.fakes.seeder), optionally announced through the fake tracker (tests.fakes.tracker)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from core.torrent.making import make_torrent

ROOT = Path(__file__).resolve().parents[2]
MiB = 2**20


def random_files(folder: Path, sizes: dict[str, int]) -> dict[str, str]:
    """Write files of random bytes; returns name → sha256."""
    folder.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for name, size in sizes.items():
        data = os.urandom(size)
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
        hashes[name] = hashlib.sha256(data).hexdigest()
    return hashes


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class Peer:
    proc: subprocess.Popen[str]
    port: int

    def stop(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_process(module: str, *args: str) -> tuple[subprocess.Popen[str], int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", module, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("PORT "):
        proc.kill()
        raise RuntimeError(f"{module} did not start: {line!r}")
    return proc, int(line.split()[1])


@dataclass
class Swarm:
    """One torrent of `files` under `content/<name>/`, and its seeders."""

    root: Path
    name: str
    files: dict[str, int]
    trackers: tuple[str, ...] = ()
    v1_only: bool = False
    piece_size: int = 0
    hashes: dict[str, str] = field(default_factory=dict)
    peers: list[Peer] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.content = self.root / "seed"
        self.hashes = random_files(self.content / self.name, self.files)
        data = make_torrent(self.content / self.name, trackers=self.trackers, v1_only=self.v1_only,
                            piece_size=self.piece_size)  # fmt: skip
        self.torrent = self.root / f"{self.name}.torrent"
        self.torrent.write_bytes(data)

    def seed(self, *extra: str) -> Peer:
        proc, port = start_process("tests.fakes.seeder", str(self.torrent), str(self.content), *extra)
        peer = Peer(proc, port)
        self.peers.append(peer)
        return peer

    def stop(self) -> None:
        for peer in self.peers:
            peer.stop()

    def magnet(self, *peers: Peer) -> str:
        import libtorrent as lt

        ti = lt.torrent_info(str(self.torrent))
        link = lt.make_magnet_uri(ti)
        return link + "".join(f"&x.pe=127.0.0.1:{p.port}" for p in peers)

    def verify(self, folder: Path, names: list[str] | None = None) -> None:
        for name in names or list(self.files):
            path = folder / self.name / name
            assert path.is_file(), f"{path} missing"
            assert sha256(path) == self.hashes[name], f"{name} differs from the seeded file"
