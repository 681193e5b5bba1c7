"""Logging in to each kind of server: detection, the device id, the headers each accepts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.config import Config
from core.errors import ConfigError, LoginExpiredError
from core.providers.emby.client import EmbySession
from core.providers.emby.provider import EmbyProvider, JellyfinProvider, MediaServerProvider
from core.providers.protocols import (
    Authenticator,
    FolderBrowser,
    LoginMethod,
    PlaybackReporter,
    PlaybackResolver,
    Searcher,
    SourceScanner,
    SubtitleSource,
)
from tests.fakes.emby import PASSWORD, USER, FakeMediaServer
from tests.providers.emby.conftest import login, provider_for

pytestmark = pytest.mark.timeout(60)


def test_both_providers_have_every_server_capability(config: Config) -> None:
    for provider in (EmbyProvider(config), JellyfinProvider(config)):
        for capability in (Authenticator, FolderBrowser, Searcher, SourceScanner, PlaybackResolver, SubtitleSource,
                           PlaybackReporter):  # fmt: skip
            assert isinstance(provider, capability), (provider.name, capability.__name__)
        assert provider.login_methods == (LoginMethod.PASSWORD,)


async def test_login_keeps_token_user_and_device_and_the_kind_found(
    provider: MediaServerProvider, server: FakeMediaServer
) -> None:
    secret = json.loads(await login(provider, server))
    assert secret["kind"] == ("emby" if server.is_emby else "jellyfin")
    assert secret["version"] == server.version
    assert secret["user_id"] == server.world.user_id and secret["token"] in server.tokens
    assert secret["device_id"] == server.logins[-1]["DeviceId"]
    assert "password" not in json.dumps(secret).lower() and PASSWORD not in json.dumps(secret)
    assert server.logins[-1]["Client"] == "SyncDeck" and server.logins[-1]["Version"]


async def test_one_device_id_per_install_across_logins(
    provider: MediaServerProvider, server: FakeMediaServer, config: Config
) -> None:
    first = json.loads(await login(provider, server))
    second = json.loads(await login(provider_for(server, config), server))  # a new provider, as after a restart
    assert first["device_id"] == second["device_id"] == server.logins[0]["DeviceId"] == server.logins[1]["DeviceId"]
    assert (Path(config.data_dir) / "media-server-device-id").read_text().strip() == first["device_id"]
    if not server.is_emby:  # Jellyfin replaced the device's older token: no device pile-up
        assert first["token"] not in server.tokens and second["token"] in server.tokens


async def test_a_wrong_password_says_so(provider: MediaServerProvider, server: FakeMediaServer) -> None:
    fields = {"server": server.url, "username": USER, "password": "nope"}
    with pytest.raises(LoginExpiredError, match=f"refused the user name '{USER}' or its password"):
        await provider.login_with(LoginMethod.PASSWORD, fields)


async def test_the_other_kind_of_server_is_refused_naming_the_right_one(
    media_servers: dict[str, FakeMediaServer], config: Config
) -> None:
    jellyfin, emby = media_servers["jellyfin-10.11"], media_servers["emby"]
    with pytest.raises(ConfigError, match="runs Jellyfin 10.11.0, not Emby: log in to it as jellyfin"):
        await EmbyProvider(config).login_with(LoginMethod.PASSWORD, {"server": jellyfin.url, "username": USER})
    with pytest.raises(ConfigError, match="runs Emby 4.8.10.0, not Jellyfin: log in to it as emby"):
        await JellyfinProvider(config).login_with(LoginMethod.PASSWORD, {"server": emby.url, "username": USER})


async def test_not_a_media_server_is_a_clear_error(config: Config, tmp_path: Path) -> None:
    from tests.providers.toy_provider import ToyServer

    with ToyServer() as other, pytest.raises(ConfigError, match="is not an Emby or Jellyfin server"):
        await EmbyProvider(config).login_with(LoginMethod.PASSWORD, {"server": other.base_url, "username": USER})


async def test_jellyfin_12_is_only_spoken_to_with_the_strict_header(
    media_servers: dict[str, FakeMediaServer], config: Config
) -> None:
    server = media_servers["jellyfin-12"]
    server.reset()
    provider = JellyfinProvider(config)
    session = await provider.open_session(await login(provider, server))
    try:
        await provider.browse(session, "/", 1, 10)
        await provider.check_login(session, refresh=True)
    finally:
        await session.aclose()
    api = [r for r in server.requests if r.path.lower().startswith("/users/") and "authenticate" not in r.path.lower()]
    assert api and {r.auth for r in api} == {"Authorization"}
    assert all("X-Emby-Token" not in r.headers and "api_key" not in r.query for r in api)


async def test_a_revoked_token_is_an_expired_login(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    server.tokens.clear()
    with pytest.raises(LoginExpiredError, match="no longer accepts this login"):
        await provider.check_login(session, refresh=False)


async def test_check_login_names_the_user(provider: MediaServerProvider, session: EmbySession) -> None:
    check = await provider.check_login(session, refresh=False)
    assert check.profile.name == USER and check.secret is None
    assert check.profile.server_url.startswith("http://127.0.0.1:")


async def test_a_server_behind_a_path_prefix_is_found(fake_media, config: Config) -> None:  # type: ignore[no-untyped-def]
    with FakeMediaServer(fake_media, "jellyfin-10.10", base_path="/jellyfin") as prefixed:
        host = prefixed.url.removesuffix("/jellyfin")
        provider = JellyfinProvider(config)
        secret = json.loads(await login(provider, prefixed))
        assert secret["server"] == host + "/jellyfin"
        result = await provider.login_with(
            LoginMethod.PASSWORD, {"server": host, "username": USER, "password": PASSWORD}
        )
        assert json.loads(result.secret)["server"] == host + "/jellyfin", "found under /jellyfin from the bare host"
