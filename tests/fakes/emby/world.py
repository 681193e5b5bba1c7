"""The fake server's library: three views (movies, a show, 250 clips), a user and their
playback state. Ids look like the real server's: numeric strings on Emby, 32 hex digits
(GUIDs without dashes) on Jellyfin."""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from typing import Any

USER = "alice"
PASSWORD = "secret-pw"
CLIP_COUNT = 250
TICKS = 10_000_000
MEDIA_TICKS = 2 * TICKS  # the fake's media file is two seconds long
SERVER_NAME = "Fake Media Server"


@dataclass
class World:
    """Items by id; each keeps its BaseItemDto fields plus `_` keys the fake reads itself."""

    emby_ids: bool
    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    user_data: dict[str, dict[str, Any]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # a short name used by tests → id
    _counter: itertools.count = field(default_factory=lambda: itertools.count(1000))

    def new_id(self, name: str) -> str:
        if self.emby_ids:
            return str(next(self._counter))
        return hashlib.md5(f"{name}/{next(self._counter)}".encode()).hexdigest()

    @property
    def user_id(self) -> str:
        return self.names["user"]

    def add(self, name: str, fields: dict[str, Any]) -> str:
        item_id = self.new_id(name)
        fields = {"Id": item_id, "Etag": hashlib.md5(item_id.encode()).hexdigest()[:16], **fields}
        self.items[item_id] = fields
        self.names[name] = item_id
        return item_id

    def id(self, name: str) -> str:
        return self.names[name]

    def children(self, parent_id: str) -> list[dict[str, Any]]:
        return [item for item in self.items.values() if item.get("ParentId") == parent_id]

    def descendants(self, parent_id: str) -> list[dict[str, Any]]:
        found = []
        for child in self.children(parent_id):
            found.append(child)
            found += self.descendants(child["Id"])
        return found

    def touch(self, name: str, **changes: Any) -> None:
        """Change an item as a library rescan would: new fields, a new Etag."""
        item = self.items[self.id(name)]
        item.update(changes)
        item["Etag"] = hashlib.md5(repr(sorted(item.items())).encode()).hexdigest()[:16]

    def remove(self, name: str) -> None:
        item_id = self.names.pop(name)
        for child in self.descendants(item_id):
            self.items.pop(child["Id"], None)
        self.items.pop(item_id, None)


def build(emby_ids: bool) -> World:
    world = World(emby_ids=emby_ids)
    world.names["user"] = world.new_id("user")
    world.names["person:director"] = world.new_id("Ann Lee")
    world.names["person:actor"] = world.new_id("Bob Stone")
    views = [
        ("view:movies", "Movies", "movies"),
        ("view:shows", "Shows", "tvshows"),
        ("view:clips", "Clips", "homevideos"),
    ]
    for key, name, collection in views:
        world.add(key, {"Name": name, "Type": "CollectionFolder", "IsFolder": True, "CollectionType": collection,
                        "ImageTags": {"Primary": "v" + name.lower()}})  # fmt: skip
    movies = world.id("view:movies")
    people = [
        {"Name": "Ann Lee", "Id": world.id("person:director"), "Type": "Director", "PrimaryImageTag": "pann"},
        {"Name": "Bob Stone", "Id": world.id("person:actor"), "Type": "Actor", "Role": "The Driver",
         "PrimaryImageTag": "pbob"},
    ]  # fmt: skip
    world.add("movie:one", _video("Film One", movies, "Movie", year=2020, overview="A film about trains.\nSecond line.",
                                  genres=["Drama"], tags=["festival"], people=people, subtitles=True))  # fmt: skip
    world.add("movie:two", _video("Film Two", movies, "Movie", year=2021, overview="Another film.", genres=["Comedy"]))
    world.add("movie:three", _video("Film Three", movies, "Movie", year=2019, overview="Third."))
    shows = world.id("view:shows")
    series = world.add("series", {"Name": "Night Trains", "Type": "Series", "IsFolder": True, "ParentId": shows,
                                  "Overview": "Trains at night.", "ProductionYear": 2018, "Genres": ["Documentary"],
                                  "ImageTags": {"Primary": "snight"},
                                  "DateCreated": "2024-01-02T10:00:00.0000000Z"})  # fmt: skip
    for season in (1, 2):
        season_id = world.add(f"season:{season}", {
            "Name": f"Season {season}", "Type": "Season", "IsFolder": True, "ParentId": series, "IndexNumber": season,
            "SeriesId": series, "SeriesName": "Night Trains", "ImageTags": {"Primary": f"s{season}"},
        })  # fmt: skip
        for number in (1, 2) if season == 1 else (1,):
            episode = _video(f"Departure {season}.{number}", season_id, "Episode", year=2018,
                             overview=f"Episode {number} of season {season}.")  # fmt: skip
            episode.update({"SeriesId": series, "SeriesName": "Night Trains", "SeasonId": season_id,
                            "SeasonName": f"Season {season}", "IndexNumber": number, "ParentIndexNumber": season,
                            "SeriesPrimaryImageTag": "snight"})  # fmt: skip
            world.add(f"episode:{season}.{number}", episode)
    clips = world.id("view:clips")
    for number in range(1, CLIP_COUNT + 1):
        world.add(f"clip:{number}", _video(f"Clip {number:03d}", clips, "Video", year=2022))
    for item_id, item in world.items.items():
        if item.get("MediaType") == "Video":
            world.user_data[item_id] = {"PlaybackPositionTicks": 0, "Played": False, "PlayCount": 0}
    world.user_data[world.id("movie:two")]["PlaybackPositionTicks"] = 1 * TICKS  # a resume point: one second
    return world


def _video(name: str, parent: str, kind: str, *, year: int, overview: str = "", genres: list[str] | None = None,
           tags: list[str] | None = None, people: list[dict[str, Any]] | None = None,
           subtitles: bool = False) -> dict[str, Any]:  # fmt: skip
    digest = hashlib.md5(name.encode()).hexdigest()
    return {
        "Name": name, "Type": kind, "IsFolder": False, "ParentId": parent, "MediaType": "Video", "Container": "mp4",
        "RunTimeTicks": MEDIA_TICKS, "ProductionYear": year, "PremiereDate": f"{year}-05-01T00:00:00.0000000Z",
        "DateCreated": f"{year + 3}-01-01T08:00:00.0000000Z", "Overview": overview, "Genres": genres or [],
        "Tags": tags or [], "People": people or [], "ImageTags": {"Primary": "i" + digest[:8]},
        "ProviderIds": {"Tmdb": str(int(digest[:5], 16))}, "Path": f"/media/{name}.mp4", "_subtitles": subtitles,
    }  # fmt: skip
