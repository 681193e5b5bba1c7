from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.config import Config, load_config
from core.providers.registry import PROVIDERS, ProviderRegistry
from tests.providers.toy_provider import ToyServer, bound_toy_provider


@pytest.fixture
def provider_config(tmp_path: Path) -> Config:
    """Default settings, untouched by the process environment."""
    return load_config(tmp_path / "config.toml", data_dir=tmp_path / "data", environ={})


@pytest.fixture(scope="session")
def toy_server() -> Iterator[ToyServer]:
    with ToyServer() as server:
        yield server


@pytest.fixture
def toy_registry(provider_config: Config, toy_server: ToyServer) -> ProviderRegistry:
    """The installed providers plus the toy one, added the way a new provider is: one entry."""
    return ProviderRegistry(provider_config, [*PROVIDERS, bound_toy_provider(toy_server.base_url)])
