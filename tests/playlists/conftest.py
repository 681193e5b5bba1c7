"""Playlist tests: the real engine with the toybox provider added by one registry line."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from keyring.backends.null import Keyring as NullKeyring

from core.config import Config, load_config
from core.engine.engine import Engine
from core.providers.registry import PROVIDERS, ProviderRegistry
from core.secrets import SecretStore
from tests.fakes.alist.fixtures import fake_alist, fake_alist_server  # noqa: F401  (registers the fixtures)
from tests.playlists.toybox import ToyboxServer, bound_toybox


@pytest.fixture(scope="session")
def toybox_server() -> Iterator[ToyboxServer]:
    with ToyboxServer(big=1000) as server:
        yield server


def playlist_config(root: Path) -> Config:
    return load_config(
        root / "config.toml", data_dir=root / "data", environ={"SYNCDECK_LIBRARY_ROOT": str(root / "lib")}
    )


@pytest.fixture
async def engine(toybox_server: ToyboxServer, tmp_path: Path) -> AsyncIterator[Engine]:
    config = playlist_config(tmp_path)
    registry = ProviderRegistry(config, [*PROVIDERS, bound_toybox(toybox_server.base_url)])
    engine = Engine(config, secrets=SecretStore(NullKeyring()), registry=registry)
    yield engine
    await engine.close()
