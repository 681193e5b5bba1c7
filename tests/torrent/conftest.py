from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from core.config import Config, load_config
from core.engine.engine import Engine
from tests.torrent.swarm import start_process

LOOPBACK = {
    "torrent.interface": "127.0.0.1", "torrent.listen_port": "0", "torrent.dht": "false", "torrent.lsd": "false",
    "torrent.pex": "false", "torrent.utp": "false", "torrent.multiple_per_ip": "true", "torrent.stall_s": "20",
}  # fmt: skip


def torrent_config(tmp_path: Path, **extra: str) -> Config:
    overrides = {**LOOPBACK, "library.root": str(tmp_path / "library"), **extra}
    return load_config(tmp_path / "config.toml", data_dir=tmp_path / "data", environ={}, overrides=overrides)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return torrent_config(tmp_path)


@pytest.fixture
async def engine(config: Config) -> AsyncIterator[Engine]:
    e = Engine(config)
    try:
        yield e
    finally:
        await e.close()


@pytest.fixture
def tracker() -> Iterator[str]:
    proc, port = start_process("tests.fakes.tracker")
    try:
        yield f"http://127.0.0.1:{port}/announce"
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(10)
