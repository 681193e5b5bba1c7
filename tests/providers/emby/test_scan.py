"""Mirror sync listings: a library, a series, a changed item and a removed one."""

from __future__ import annotations

import pytest

from core.errors import UnavailableError
from core.providers.emby.client import EmbySession
from core.providers.emby.provider import MediaServerProvider
from core.providers.protocols import MediaItem, SourceTarget
from tests.fakes.emby import FakeMediaServer

pytestmark = pytest.mark.timeout(60)


def target(server: FakeMediaServer, *names: str) -> SourceTarget:
    path = "/" + "/".join(server.world.id(name) for name in names)
    return SourceTarget(provider="emby" if server.is_emby else "jellyfin", locator=path, kind="folder", kind_label="")


async def test_a_movie_library_lists_whole_and_completes_with_people_and_tags(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    listing = await provider.scan(session, target(server, "view:movies"), None)
    assert listing.whole and listing.cursor is None
    assert sorted(i.title for i in listing.items) == ["Film One", "Film Three", "Film Two"]
    one = next(i for i in listing.items if i.title == "Film One")
    assert one.key == server.world.id("movie:one") and not one.complete and one.details["etag"]
    done = await provider.complete(session, one)
    assert done.complete and len(done.parts) == 1 and done.parts[0].duration == 2
    assert [(p.name, p.role) for p in done.people] == [("Ann Lee", "Director"), ("Bob Stone", "The Driver")]
    assert done.people[1].face.startswith(server.url) and done.tags == ("Drama", "festival")
    assert done.published_at is not None and done.published_at.year == 2020
    assert done.intro == "A film about trains.\nSecond line." and done.url.startswith(server.url.split("/emby")[0])


async def test_a_show_library_mirrors_each_series_as_one_show_of_its_episodes(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    [series] = (await provider.scan(session, target(server, "view:shows"), None)).items
    assert (series.title, series.part_count) == ("Night Trains", 3)
    show = await provider.complete(session, series)
    assert [p.title for p in show.parts] == ["S01E01 Departure 1.1", "S01E02 Departure 1.2", "S02E01 Departure 2.1"]
    assert [p.number for p in show.parts] == [1, 2, 3] and show.parts[2].details["item_id"] == server.world.id(
        "episode:2.1"
    )
    playback = await provider.resolve(session, show, show.parts[2])
    assert server.world.id("episode:2.1") in playback.streams[0].urls[0]


async def test_a_series_mirrors_as_its_episodes_complete_from_the_listing(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    listing = await provider.scan(session, target(server, "view:shows", "series"), None)
    episodes = [(i.episode.season, i.episode.number, i.title) for i in listing.items if i.episode]
    assert episodes == [(1, 1, "Departure 1.1"), (1, 2, "Departure 1.2"), (2, 1, "Departure 2.1")]
    assert all(i.complete and i.parts and i.episode and i.episode.series_key == server.world.id("series")
               for i in listing.items)  # fmt: skip
    season = await provider.scan(session, target(server, "view:shows", "series", "season:1"), None)
    assert [i.title for i in season.items] == ["Departure 1.1", "Departure 1.2"]


async def test_a_replaced_file_gets_a_new_revision_an_edited_title_does_not(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    movies = target(server, "view:movies")
    first = {i.key: i.revision for i in (await provider.scan(session, movies, None)).items}
    assert all(first.values()) and len(set(first.values())) == 3
    server.world.touch("movie:one", Name="Film One (Remastered)")
    server.world.touch("movie:two", Path="/media/Film Two 2160p.mkv")
    second = {i.key: i.revision for i in (await provider.scan(session, movies, None)).items}
    one, two = server.world.id("movie:one"), server.world.id("movie:two")
    assert second[one] == first[one], "a metadata edit downloads nothing again"
    assert second[two] != first[two], "a replaced file is downloaded again"


async def test_a_changed_item_shows_a_new_etag_and_a_removed_one_leaves_the_keys(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    movies = target(server, "view:movies")
    before = {i.key: i.details["etag"] for i in (await provider.scan(session, movies, None)).items}
    server.world.touch("movie:two", Name="Film Two (Director's Cut)")
    gone = server.world.id("movie:three")
    server.world.remove("movie:three")
    after = {i.key: (i.details["etag"], i.title) for i in (await provider.scan(session, movies, None)).items}
    assert set(after) == set(before) - {gone}
    two = server.world.id("movie:two")
    assert after[two][0] != before[two] and after[two][1] == "Film Two (Director's Cut)"
    assert after[server.world.id("movie:one")][0] == before[server.world.id("movie:one")], "untouched: same etag"
    assert await provider.list_keys(session, movies) == set(after)
    with pytest.raises(UnavailableError):  # details of an item stored before it vanished
        await provider.complete(session, MediaItem(key=gone, title="Film Three", details={"id": gone}))


async def test_a_large_library_is_read_in_pages_of_200(
    provider: MediaServerProvider, server: FakeMediaServer, session: EmbySession
) -> None:
    listing = await provider.scan(session, target(server, "view:clips"), None)
    assert len(listing.items) == 250 and len({i.key for i in listing.items}) == 250
    calls = [r for r in server.seen("/Items") if r.query.get("Recursive") == "true"]
    assert [r.query["StartIndex"] for r in calls] == ["0", "200"]
