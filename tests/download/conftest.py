from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from core.net import NetOptions, make_client
from tests.download.range_server import RangeServer

MIB = 1024 * 1024


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Random files the server offers (random, so a misplaced range changes the checksum)."""
    folder = tmp_path_factory.mktemp("served")
    for name, size in {
        "small.m4s": 2 * MIB + 12345,
        "medium.m4s": 8 * MIB + 777,
        "large.m4s": 12 * MIB,
    }.items():
        (folder / name).write_bytes(os.urandom(size))
    return folder


@pytest.fixture
async def server(media_dir: Path) -> AsyncIterator[RangeServer]:
    files = {path.name: path for path in media_dir.iterdir()}
    async with RangeServer(files) as running:
        yield running


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(NetOptions(timeout=5.0, trust_env=False)) as http:
        yield http
