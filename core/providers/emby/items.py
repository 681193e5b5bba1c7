"""BaseItemDto (the servers' item JSON) → the shared MediaItem, MediaPart and FolderEntry.

An item's `details` keep what finding it again needs: `id` (the server's item id), `type`,
`server_id`, `etag`; and what the server knows of this user's playback: `resume_s` (the
resume point, seconds) and `played`. A series mirrored as one item lists its episodes as
parts, each part's `details["item_id"]` naming the episode.
"""

from __future__ import annotations

import hashlib
import urllib.parse
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from core.providers.emby.secret import ServerLogin
from core.providers.emby.server import TICKS_PER_SECOND, ServerKind
from core.providers.protocols import Episode, FolderEntry, MediaItem, MediaPart, Person

# Types a player can open; everything else with IsFolder is browsed into.
PLAYABLE_TYPES = frozenset({"Movie", "Episode", "Video", "MusicVideo", "Audio", "Trailer"})
# What scans of a library or folder list: episodes come through their series.
SCANNED_TYPES = "Movie,Video,MusicVideo,Series"
# Asked for in listings; `People`, `Genres`, `Tags` only when an item is completed.
LIST_FIELDS = "Overview,DateCreated,PremiereDate,Etag,ChildCount,RecursiveItemCount,ParentId,Path"
FULL_FIELDS = LIST_FIELDS + ",Genres,Tags,People,ProviderIds,MediaSources,Studios"
# A mirror's listing also reads the files (their size and path make the item's revision).
SCAN_FIELDS = LIST_FIELDS + ",MediaSources"


def seconds(ticks: Any) -> int:
    try:
        return int(ticks or 0) // TICKS_PER_SECOND
    except (TypeError, ValueError):
        return 0


def parse_time(text: Any) -> datetime | None:
    """The servers write `2024-03-01T12:00:00.0000000Z` (seven fraction digits)."""
    if not isinstance(text, str) or not text:
        return None
    head, _, fraction = text.rstrip("Z").partition(".")
    try:
        moment = datetime.fromisoformat(head)
    except ValueError:
        return None
    if fraction[:6].isdigit():
        moment = moment.replace(microsecond=int(fraction[:6].ljust(6, "0")))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def image_url(login: ServerLogin, item_id: str, tag: str | None, *, width: int = 600) -> str:
    if not item_id or not tag:
        return ""
    query = urllib.parse.urlencode({"tag": tag, "maxWidth": width})
    return f"{login.server}/Items/{item_id}/Images/Primary?{query}"


def web_url(login: ServerLogin, item_id: str) -> str:
    """The item's page in the server's own web client."""
    query = urllib.parse.urlencode({"id": item_id, "serverId": login.server_id})
    if login.kind is ServerKind.EMBY:
        return f"{login.server.removesuffix('/emby')}/web/index.html#!/item?{query}"
    return f"{login.server}/web/#/details?{query}"


def cover_of(login: ServerLogin, raw: dict[str, Any]) -> str:
    own = image_url(login, str(raw.get("Id", "")), (raw.get("ImageTags") or {}).get("Primary"))
    if raw.get("Type") in ("Episode", "Season") and raw.get("SeriesPrimaryImageTag"):
        return image_url(login, str(raw.get("SeriesId", "")), raw["SeriesPrimaryImageTag"])
    return own


def people_of(login: ServerLogin, raw: dict[str, Any]) -> tuple[Person, ...]:
    found = []
    for person in raw.get("People") or []:
        if not person.get("Name"):
            continue
        role = person.get("Role") or ("" if person.get("Type") == "Actor" else str(person.get("Type") or ""))
        found.append(Person(
            id=str(person.get("Id") or person["Name"]), name=str(person["Name"]), role=str(role),
            face=image_url(login, str(person.get("Id") or ""), person.get("PrimaryImageTag"), width=300),
        ))  # fmt: skip
    return tuple(found)


def tags_of(raw: dict[str, Any]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for name in [*(raw.get("Genres") or []), *(raw.get("Tags") or [])]:
        if isinstance(name, str) and name.strip():
            seen.setdefault(name.strip())
    return tuple(seen)


def published(raw: dict[str, Any]) -> datetime | None:
    moment = parse_time(raw.get("PremiereDate"))
    if moment is None and raw.get("ProductionYear"):
        moment = datetime(int(raw["ProductionYear"]), 1, 1, tzinfo=UTC)
    return moment


def own_part(login: ServerLogin, raw: dict[str, Any], number: int = 1, title: str = "") -> MediaPart:
    """The one playable file of a movie, video or episode (its first media source)."""
    item_id = str(raw["Id"])
    sources = raw.get("MediaSources") or []
    source = sources[0] if sources else {}
    details: dict[str, Any] = {"item_id": item_id, "media_source_id": str(source.get("Id") or item_id)}
    if source.get("Container") or raw.get("Container"):
        details["container"] = str(source.get("Container") or raw.get("Container"))
    if source.get("Size"):
        details["size"] = int(source["Size"])
    if raw.get("Type") == "Episode":
        details["first_frame"] = image_url(login, item_id, (raw.get("ImageTags") or {}).get("Primary"))
        details["season"] = int(raw.get("ParentIndexNumber") or 1)
        details["episode"] = int(raw.get("IndexNumber") or number)
    return MediaPart(
        key=item_id, number=number, title=title or str(raw.get("Name") or ""),
        duration=seconds(raw.get("RunTimeTicks") or source.get("RunTimeTicks")),
        details=details, intro=str(raw.get("Overview") or "") if title else "", url=web_url(login, item_id),
    )  # fmt: skip


def item_details(login: ServerLogin, raw: dict[str, Any]) -> dict[str, Any]:
    user = raw.get("UserData") or {}
    details: dict[str, Any] = {
        "id": str(raw["Id"]),
        "type": str(raw.get("Type") or ""),
        "server_id": str(raw.get("ServerId") or login.server_id),
        "resume_s": seconds(user.get("PlaybackPositionTicks")),
        "played": bool(user.get("Played")),
    }
    if raw.get("Etag"):
        details["etag"] = str(raw["Etag"])
    if raw.get("SeriesId"):
        details["series_id"] = str(raw["SeriesId"])
    return details


def revision_of(raw: dict[str, Any]) -> str:
    """What changes when the item's file is replaced, and not when its metadata is edited:
    the first media source's size, path and runtime ("" when the listing has no sources)."""
    sources = raw.get("MediaSources") or []
    if not sources:
        return ""
    source = sources[0]
    text = "|".join(str(v) for v in (source.get("Size"), source.get("Path") or raw.get("Path"), raw.get("RunTimeTicks"),
                                      raw.get("DateModified")))  # fmt: skip
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def media_item(login: ServerLogin, raw: dict[str, Any], *, complete: bool = False) -> MediaItem:
    """A movie, video or episode as one item of one part; a series as an item whose parts
    (its episodes) come with `series_item`."""
    item_id = str(raw["Id"])
    kind = str(raw.get("Type") or "")
    added = parse_time(raw.get("DateCreated"))
    episode = None
    if kind == "Episode":
        series_id = str(raw.get("SeriesId") or "")
        episode = Episode(
            series_title=str(raw.get("SeriesName") or raw.get("Name") or ""),
            season=int(raw.get("ParentIndexNumber") or 1), number=int(raw.get("IndexNumber") or 1),
            series_key=series_id, series_url=web_url(login, series_id) if series_id else "",
        )  # fmt: skip
    playable = kind in PLAYABLE_TYPES
    parts = (own_part(login, raw),) if playable else ()
    return MediaItem(
        key=item_id, title=str(raw.get("Name") or item_id), cover=cover_of(login, raw),
        intro=str(raw.get("Overview") or ""), people=people_of(login, raw), tags=tags_of(raw),
        published_at=published(raw), added_at=added, order_at=added,
        duration=seconds(raw.get("RunTimeTicks")),
        part_count=1 if playable else int(raw.get("RecursiveItemCount") or 0),
        parts=parts, complete=complete and playable, episode=episode, url=web_url(login, item_id),
        details=item_details(login, raw), revision=revision_of(raw) if playable else "",
    )  # fmt: skip


def series_item(login: ServerLogin, series: dict[str, Any], episodes: list[dict[str, Any]]) -> MediaItem:
    """A series mirrored inside a library: one show whose parts are its episodes in season
    order (specials, season 0, last), each titled `SxxEyy name`."""
    ordered = sorted(
        episodes,
        key=lambda e: (
            int(e.get("ParentIndexNumber") or 0) or 10_000,
            int(e.get("IndexNumber") or 0),
            e.get("Name", ""),
        ),
    )
    parts = []
    for number, raw in enumerate(ordered, 1):
        season, index = int(raw.get("ParentIndexNumber") or 0), int(raw.get("IndexNumber") or 0)
        label = f"S{season:02d}E{index:02d} {raw.get('Name') or ''}".strip()
        parts.append(own_part(login, raw, number, label))
    base = media_item(login, series)
    return replace(
        base, parts=tuple(parts), part_count=len(parts), complete=True, duration=sum(p.duration for p in parts)
    )


def folder_entry(login: ServerLogin, folder: str, raw: dict[str, Any], step: str = "") -> FolderEntry:
    """A child listed by `browse`: its key is the folder's key plus `step`, its name or its id
    (`/Shows/Night Trains/Season 1`)."""
    key = f"{folder.rstrip('/')}/{step or raw['Id']}"
    title = str(raw.get("Name") or raw["Id"])
    if raw.get("Type") in PLAYABLE_TYPES:
        item = media_item(login, raw, complete=True)
        return FolderEntry(
            key=key, title=title, is_folder=False, size=int(item.parts[0].details.get("size", 0)), item=item
        )
    return FolderEntry(key=key, title=title, is_folder=True)
