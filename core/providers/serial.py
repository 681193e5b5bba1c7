"""A MediaItem as plain JSON and back: how playlists keep a provider's reference to an item.

The provider gets back exactly what it returned (key, parts, details), so it can resolve
playback later without being asked to look the item up again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.providers.protocols import Episode, MediaItem, MediaPart, Person


def _person(raw: dict[str, Any] | None) -> Person | None:
    return Person(**raw) if raw else None


def _time(raw: str | None) -> datetime | None:
    return datetime.fromisoformat(raw) if raw else None


def item_to_dict(item: MediaItem) -> dict[str, Any]:
    def person(p: Person | None) -> dict[str, Any] | None:
        return None if p is None else {"id": p.id, "name": p.name, "face": p.face, "role": p.role}

    def when(t: datetime | None) -> str | None:
        return t.isoformat() if t else None

    return {
        "key": item.key, "title": item.title, "cover": item.cover, "intro": item.intro,
        "owner": person(item.owner), "people": [person(p) for p in item.people], "tags": list(item.tags),
        "published_at": when(item.published_at), "added_at": when(item.added_at), "order_at": when(item.order_at),
        "duration": item.duration, "part_count": item.part_count, "complete": item.complete,
        "unavailable": item.unavailable, "url": item.url, "details": dict(item.details), "revision": item.revision,
        "episode": None if item.episode is None else vars(item.episode).copy(),
        "parts": [
            {"key": p.key, "number": p.number, "title": p.title, "duration": p.duration,
             "details": dict(p.details), "intro": p.intro, "url": p.url}
            for p in item.parts
        ],
    }  # fmt: skip


def item_from_dict(raw: dict[str, Any]) -> MediaItem:
    return MediaItem(
        key=raw["key"], title=raw.get("title", ""), cover=raw.get("cover", ""), intro=raw.get("intro", ""),
        owner=_person(raw.get("owner")), people=tuple(p for p in map(_person, raw.get("people", [])) if p),
        tags=tuple(raw.get("tags", [])), published_at=_time(raw.get("published_at")),
        added_at=_time(raw.get("added_at")), order_at=_time(raw.get("order_at")),
        duration=int(raw.get("duration", 0)), part_count=int(raw.get("part_count", 0)),
        complete=bool(raw.get("complete", False)), unavailable=raw.get("unavailable", ""), url=raw.get("url", ""),
        details=raw.get("details", {}), episode=Episode(**raw["episode"]) if raw.get("episode") else None,
        parts=tuple(MediaPart(**p) for p in raw.get("parts", [])), revision=raw.get("revision", ""),
    )  # fmt: skip
