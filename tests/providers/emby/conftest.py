from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from core.config import Config, load_config
from core.providers.emby.client import EmbySession
from core.providers.emby.provider import EmbyProvider, JellyfinProvider, MediaServerProvider
from core.providers.protocols import LoginMethod
from tests.fakes.emby import PASSWORD, USER, FakeMediaServer, Media, ensure_media

# One fake of each flavour for the session; each test gets its server reset.
MAIN_FLAVOURS = ("emby", "jellyfin-10.11", "jellyfin-12")
_servers: dict[str, FakeMediaServer] = {}


@pytest.fixture(scope="session")
def fake_media(tmp_path_factory: pytest.TempPathFactory) -> Media:
    return ensure_media(tmp_path_factory.mktemp("fake-emby-media"))


@pytest.fixture(scope="session")
def media_servers(fake_media: Media) -> Iterator[dict[str, FakeMediaServer]]:
    started = {}
    try:
        for flavour in (*MAIN_FLAVOURS, "jellyfin-10.10"):
            started[flavour] = FakeMediaServer(fake_media, flavour).__enter__()
        yield started
    finally:
        for server in started.values():
            server.__exit__(None, None, None)


@pytest.fixture(params=MAIN_FLAVOURS)
def server(request: pytest.FixtureRequest, media_servers: dict[str, FakeMediaServer]) -> FakeMediaServer:
    """Each test runs against Emby 4.8, Jellyfin 10.11 and Jellyfin 12 (strict)."""
    chosen = media_servers[request.param]
    chosen.reset()
    return chosen


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return load_config(tmp_path / "config.toml", data_dir=tmp_path / "data", environ={})


def provider_for(server: FakeMediaServer, config: Config) -> MediaServerProvider:
    return EmbyProvider(config) if server.is_emby else JellyfinProvider(config)


@pytest.fixture
def provider(server: FakeMediaServer, config: Config) -> MediaServerProvider:
    return provider_for(server, config)


async def login(provider: MediaServerProvider, server: FakeMediaServer) -> str:
    fields = {"server": server.url, "username": USER, "password": PASSWORD}
    return (await provider.login_with(LoginMethod.PASSWORD, fields)).secret


@pytest.fixture
async def session(provider: MediaServerProvider, server: FakeMediaServer) -> AsyncIterator[EmbySession]:
    opened = await provider.open_session(await login(provider, server))
    try:
        yield opened
    finally:
        await opened.aclose()
