"""A server library mirrored by the engine: a login saved to the (real) keyring, a source of
the provider, a sync round that leaves media files and NFOs a media center reads."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.config import load_config
from core.engine.engine import Engine
from core.providers.protocols import LoginMethod
from core.secrets import SERVICE_NAME, SecretStore
from core.store import repo
from core.store.models import Source
from tests.fakes.emby import PASSWORD, USER, FakeMediaServer
from tests.keyring_service import PrivateSecretService, secret_service  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.timeout(120), pytest.mark.keyring]


@pytest.fixture
async def engine(tmp_path: Path, secret_service: PrivateSecretService) -> AsyncIterator[Engine]:  # noqa: F811
    environ = {"SYNCDECK_LIBRARY_ROOT": str(tmp_path / "lib"), "SYNCDECK_LIMITS_CHUNK_MIN_MIB": "0.02"}
    config = load_config(tmp_path / "none.toml", data_dir=tmp_path / "data", environ=environ)
    started = Engine(config, secrets=SecretStore(secret_service.backend))
    try:
        yield started
    finally:
        await started.close()


async def mirror(engine: Engine, server: FakeMediaServer, provider: str, *names: str) -> Source:
    """Log in as the command line would, then add the folder `names` as a source."""
    fields = {"server": server.url, "username": USER, "password": PASSWORD}
    result = await engine.accounts.authenticator(provider).login_with(LoginMethod.PASSWORD, fields)
    account = await engine.accounts.save_login(provider, result)
    locator = "/" + "/".join(server.world.id(name) for name in names)
    folder = engine.config.library_root / provider / names[-1].split(":")[-1]
    source = Source(provider=provider, kind="folder", locator=locator, name=names[-1], path=str(folder),
                    account_id=account.id)  # fmt: skip
    return await engine.db.run(repo.add_source, source)


def nfo(path: Path) -> ET.Element:
    return ET.fromstring(path.read_bytes())


async def test_a_movie_library_mirrors_with_nfos_and_subtitles_then_notices_a_removal(
    engine: Engine, media_servers: dict[str, FakeMediaServer], secret_service: PrivateSecretService,  # noqa: F811
) -> None:  # fmt: skip
    server = media_servers["jellyfin-12"]
    server.reset()
    source = await mirror(engine, server, "jellyfin", "view:movies")
    [account] = await engine.db.run(repo.list_accounts)
    saved = json.loads(secret_service.backend.get_password(SERVICE_NAME, account.secret_ref) or "{}")
    assert saved["token"] in server.tokens and saved["device_id"] and account.user_id == server.world.user_id
    assert saved["token"] not in (engine.config.data_dir / "syncdeck.db").read_bytes().decode("latin-1")

    result = await engine.sync()
    assert (result.outcome, result.new_items, result.failed) == ("done", 3, 0), result.messages
    root = Path(source.path)
    film_one = server.world.id("movie:one")
    media = root / "Film One" / f"{film_one}.mp4"
    assert media.read_bytes()[4:8] == b"ftyp" and media.stat().st_size > 10_000
    movie = nfo(root / "Film One" / f"{film_one}.nfo")
    assert movie.tag == "movie" and movie.findtext("title") == "Film One"
    assert [(a.findtext("name"), a.findtext("role")) for a in movie.iter("actor")] == [
        ("Ann Lee", "Director"), ("Bob Stone", "The Driver")]  # fmt: skip
    unique = movie.find("uniqueid[@default='true']")
    assert unique is not None and (unique.get("type"), unique.text) == ("jellyfin", film_one)
    assert "A film about trains." in (movie.findtext("plot") or "")
    assert {g.text for g in movie.iter("tag")} | {g.text for g in movie.iter("genre")} >= {"Drama", "festival"}
    assert (root / "Film One" / f"{film_one}-poster.jpg").read_bytes()[:2] == b"\xff\xd8"
    assert "第一句字幕" in (root / "Film One" / f"{film_one}.chi.srt").read_text(encoding="utf-8")
    strict = [r for r in server.requests if "/stream" in r.path.lower()]
    assert strict and {r.auth for r in strict} <= {"Authorization", "ApiKey"}

    server.world.remove("movie:three")
    second = await engine.sync()
    assert (second.outcome, second.new_items, second.removed) == ("done", 0, 1)
    [removed] = await engine.tasks(state="removed")
    assert removed.title == "Film Three"


async def test_a_series_mirrors_as_a_show_with_season_folders(
    engine: Engine, media_servers: dict[str, FakeMediaServer]
) -> None:
    server = media_servers["emby"]
    server.reset()
    source = await mirror(engine, server, "emby", "view:shows", "series")
    result = await engine.sync()
    assert (result.outcome, result.new_items, result.failed) == ("done", 3, 0), result.messages
    root = Path(source.path)
    videos = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.mp4"))
    assert videos == ["Season 01/Night Trains S01E01.mp4", "Season 01/Night Trains S01E02.mp4",
                      "Season 02/Night Trains S02E01.mp4"], videos  # fmt: skip
    show = nfo(root / "tvshow.nfo")
    assert show.findtext("title") == "Night Trains"
    episode = nfo(root / "Season 02" / "Night Trains S02E01.nfo")
    assert (episode.findtext("season"), episode.findtext("episode")) == ("2", "1")
    assert episode.findtext("title") == "Departure 2.1"


async def test_a_file_replaced_upstream_downloads_again_an_edited_title_does_not(
    engine: Engine, media_servers: dict[str, FakeMediaServer]
) -> None:
    from core.engine.sync import scanner

    if not hasattr(scanner, "redo_revised"):
        pytest.skip("this engine does not compare item revisions yet")
    server = media_servers["jellyfin-10.11"]
    server.reset()
    await mirror(engine, server, "jellyfin", "view:movies")
    assert (await engine.sync()).downloaded == 3
    server.world.touch("movie:one", Overview="A new overview.")
    server.world.touch("movie:two", Path="/media/Film Two 2160p.mkv")
    before = len(server.requests)
    again = await engine.sync()
    assert (again.outcome, again.new_items, again.downloaded) == ("done", 0, 1), again.messages
    fetched = {r.path.split("/")[2] for r in server.requests[before:] if "/stream" in r.path.lower()}
    assert fetched == {server.world.id("movie:two")}, "only the replaced file"
