"""A Jellyfin 12 account in the rest of the app (runs once the media server accounts,
playlists and playback are in the tree): a film added to a playlist by its path, a series as
a dynamic folder, the film played directly and through the proxy (Range checked byte for
byte), its subtitles prepared, and the player's reports reaching the server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from core.config import load_config
from core.engine.engine import Engine
from core.secrets import SecretStore
from tests.fakes.emby import PASSWORD, USER, FakeMediaServer
from tests.keyring_service import PrivateSecretService, secret_service  # noqa: F401  (the fixture)

pytest.importorskip("core.engine.servers", reason="the media server accounts are not in this tree")
pytestmark = [pytest.mark.timeout(90), pytest.mark.keyring]


@pytest.fixture
async def engine(tmp_path: Path, secret_service: PrivateSecretService) -> AsyncIterator[Engine]:  # noqa: F811
    config = load_config(tmp_path / "c.toml", data_dir=tmp_path / "data",
                         environ={"SYNCDECK_LIBRARY_ROOT": str(tmp_path / "lib")})  # fmt: skip
    started = Engine(config, secrets=SecretStore(secret_service.backend))
    if not hasattr(started.playlists, "add_ref") or not hasattr(started.playback, "report"):
        await started.close()
        pytest.skip("playlists or playback are not in this tree")
    try:
        yield started
    finally:
        await started.close()


async def test_a_server_film_in_a_playlist_plays_and_reports(
    engine: Engine, media_servers: dict[str, FakeMediaServer]
) -> None:
    server = media_servers["jellyfin-12"]
    server.reset()
    await engine.servers.login("jellyfin", server.url, USER, PASSWORD, "jf")
    playlist = await engine.playlists.create("Evening")
    entry = await engine.playlists.add_ref(playlist, "jf:/Movies/Film One", servers=engine.servers)
    assert (entry.title, entry.duration, entry.provider) == ("Film One", 2, "jellyfin")
    folder = await engine.playlists.add_ref(playlist, "jf:/Shows/Night Trains", dynamic=True, servers=engine.servers)
    seasons = await engine.playlists.dynamic_children(folder, "", 1, 10)
    assert [c.title for c in seasons.children] == ["Season 1", "Season 2"]
    episodes = await engine.playlists.dynamic_children(folder, "Season 2", 1, 10)
    assert [c.title for c in episodes.children] == ["Departure 2.1"]

    item = await engine.playlists.entry_item(entry.id)
    direct = await engine.playback.resolve(item.item_json, item.provider, item.account_id, mode="direct")
    assert "ApiKey=" in direct.url and "api_key" not in direct.url and "Authorization" in direct.headers
    assert direct.qualities[0] == "90p original"
    assert sorted(s.lang for s in direct.subtitles) == ["chi", "eng"]
    proxied = await engine.playback.resolve(item.item_json, item.provider, item.account_id, mode="proxied")
    assert proxied.url.startswith("http://127.0.0.1:") and not proxied.headers
    async with httpx.AsyncClient(trust_env=False) as http:
        for info in (direct, proxied):
            got = await http.get(info.url, headers={**info.headers, "Range": "bytes=100-1099"})
            assert got.status_code == 206 and got.content == server.media.mp4[100:1100]

    await engine.playback.report(item.item_json, item.provider, item.account_id, event="start", position=0)
    await engine.playback.report(item.item_json, item.provider, item.account_id, event="progress", position=1)
    await engine.playback.report(item.item_json, item.provider, item.account_id, event="stopped", position=2)
    assert [(r.route, r.body["PositionTicks"]) for r in server.reports] == [
        ("start", 0), ("progress", 10_000_000), ("stopped", 20_000_000)]  # fmt: skip
    assert server.world.user_data[server.world.id("movie:one")]["Played"] is True
