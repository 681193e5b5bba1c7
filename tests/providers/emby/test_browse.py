"""Libraries, folders with paging, series → seasons → episodes, and search, as a person
browsing the server in SyncDeck sees them."""

from __future__ import annotations

import pytest

from core.providers.emby.client import EmbySession
from core.providers.emby.provider import MediaServerProvider
from tests.fakes.emby import FakeMediaServer
from tests.fakes.emby.world import CLIP_COUNT

pytestmark = pytest.mark.timeout(60)


async def test_the_root_lists_the_libraries(provider: MediaServerProvider, session: EmbySession) -> None:
    page = await provider.browse(session, "/", 1, 50)
    assert [(e.title, e.is_folder) for e in page.entries] == [("Movies", True), ("Shows", True), ("Clips", True)]
    assert page.total == 3 and [e.key for e in page.entries] == ["/Movies", "/Shows", "/Clips"]


async def test_names_that_cannot_be_keys_are_keyed_by_id(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    world = server.world
    world.touch("movie:two", Name="Film One")  # two films of one name
    world.touch("movie:three", Name="AC/DC Live")
    page = await provider.browse(session, "/Movies", 1, 10)
    keys = {e.key for e in page.entries}
    assert keys == {
        f"/Movies/{world.id('movie:one')}",
        f"/Movies/{world.id('movie:two')}",
        f"/Movies/{world.id('movie:three')}",
    }
    for entry in page.entries:  # each key browses back to its own item
        [again] = (await provider.browse(session, entry.key, 1, 1)).entries
        assert again.item is not None and again.item.key == entry.item.key  # type: ignore[union-attr]


async def test_a_folder_of_250_pages_through_all_children_once(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    clips = f"/{server.world.id('view:clips')}"
    titles: list[str] = []
    page_number = 1
    while True:
        page = await provider.browse(session, clips, page_number, 100)
        assert page.total == CLIP_COUNT and page.page == page_number
        titles += [e.title for e in page.entries]
        if len(titles) >= page.total or not page.entries:
            break
        page_number += 1
    assert page_number == 3 and len(page.entries) == 50
    assert titles == [f"Clip {n:03d}" for n in range(1, CLIP_COUNT + 1)], "every child once, in name order"
    listed = [r for r in server.seen("/Items") if r.query.get("ParentId") == clips[1:]]
    assert [(r.query["StartIndex"], r.query["Limit"]) for r in listed] == [("0", "100"), ("100", "100"), ("200", "100")]


async def test_a_movie_entry_is_playable_with_title_duration_and_cover(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    movies = f"/{server.world.id('view:movies')}"
    page = await provider.browse(session, movies, 1, 10)
    film = next(e for e in page.entries if e.title == "Film One")
    assert not film.is_folder and film.item is not None and film.key == f"{movies}/Film One"
    assert film.item.duration == 2 and film.item.parts[0].duration == 2
    assert film.item.cover.startswith(server.url) and "/Images/Primary?tag=" in film.item.cover
    assert film.item.intro.startswith("A film about trains")
    assert "Overview" in next(r for r in server.seen("/Items") if r.query.get("ParentId") == movies[1:]).query["Fields"]
    image = await provider.fetch_image(session, film.item.cover)
    assert image[:2] == b"\xff\xd8", "a JPEG"


async def test_series_seasons_episodes(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    world = server.world
    shows = f"/{world.id('view:shows')}"
    [series] = (await provider.browse(session, shows, 1, 10)).entries
    assert (series.title, series.is_folder) == ("Night Trains", True)
    seasons = (await provider.browse(session, series.key, 1, 10)).entries
    assert [s.title for s in seasons] == ["Season 1", "Season 2"] and all(s.is_folder for s in seasons)
    episodes = (await provider.browse(session, seasons[0].key, 1, 10)).entries
    assert [e.title for e in episodes] == ["Departure 1.1", "Departure 1.2"]
    first = episodes[0].item
    assert first is not None and first.episode is not None
    assert (first.episode.series_title, first.episode.season, first.episode.number) == ("Night Trains", 1, 1)
    assert episodes[0].key == f"{shows}/Night Trains/Season 1/Departure 1.1", "keys by name below an id"
    assert server.seen(f"/Shows/{world.id('series')}/Seasons") and server.seen(f"/Shows/{world.id('series')}/Episodes")


async def test_a_bare_id_and_a_fresh_session_browse_the_same(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    season = server.world.id("season:2")
    page = await provider.browse(session, season, 1, 10)  # never listed in this session: asked for its type
    assert [e.title for e in page.entries] == ["Departure 2.1"]


async def test_a_vanished_folder_is_unavailable(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    from core.errors import UnavailableError

    with pytest.raises(UnavailableError, match="no such item"):
        await provider.browse(session, "/" + ("9" * 12 if server.is_emby else "f" * 32), 1, 10)


async def test_search_finds_movies_and_episodes_by_name(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    assert await provider.search(session, "Night Trains", 1) == [], "a series is browsed, not played"
    found = await provider.search(session, "departure", 1)
    assert sorted(item.title for item in found) == ["Departure 1.1", "Departure 1.2", "Departure 2.1"]
    assert all(item.parts and item.episode for item in found)
    films = await provider.search(session, "Film T", 1)
    assert sorted(item.title for item in films) == ["Film Three", "Film Two"]
    assert films[0].details["id"] in server.world.items
    assert await provider.search(session, "nothing like this", 1) == []


async def test_resume_point_and_played_mark_are_on_the_item(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    [film] = await provider.search(session, "Film Two", 1)
    assert film.details["resume_s"] == 1 and film.details["played"] is False


async def test_a_path_of_names_as_a_person_types_it(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    page = await provider.browse(session, "/Shows/Night Trains/season 2", 1, 10)
    assert [e.title for e in page.entries] == ["Departure 2.1"]
    assert page.entries[0].key == "/Shows/Night Trains/season 2/Departure 2.1"
    clip = await provider.browse(session, "/Clips/Clip 234", 1, 10)  # found on the second page of the folder
    assert [(e.title, e.key) for e in clip.entries] == [("Clip 234", "/Clips/Clip 234")], "under the key asked for"
    assert not clip.entries[0].is_folder and clip.entries[0].item is not None
    from core.errors import UnavailableError

    with pytest.raises(UnavailableError, match="no 'Cartoons' in '/Cartoons'"):
        await provider.browse(session, "/Cartoons", 1, 10)


async def test_jellyfin_10_10_browses_and_plays_too(media_servers: dict[str, FakeMediaServer], config) -> None:  # type: ignore[no-untyped-def]
    from tests.providers.emby.conftest import login, provider_for

    server = media_servers["jellyfin-10.10"]
    server.reset()
    provider = provider_for(server, config)
    session = await provider.open_session(await login(provider, server))
    try:
        [film] = [e.item for e in (await provider.browse(session, "/Movies", 1, 10)).entries if e.title == "Film Two"]
        assert film is not None
        playback = await provider.resolve(session, film, film.parts[0])
        assert playback.streams[0].quality == "90p original" and "ApiKey=" in playback.streams[0].urls[0]
    finally:
        await session.aclose()
