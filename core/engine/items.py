"""A provider's MediaItem/MediaPart as task rows and back: the one place that maps them."""

from __future__ import annotations

import json
from typing import Any

from core.providers.protocols import Episode, MediaItem, MediaPart, Person
from core.store.models import Task


def _people(people: tuple[Person, ...]) -> str:
    return json.dumps(
        [{"id": p.id, "name": p.name, "face": p.face, "role": p.role} for p in people], ensure_ascii=False
    )


def item_fields(item: MediaItem) -> dict[str, Any]:
    """The task columns an item sets (on insert, and again when its details arrive)."""
    owner = item.owner
    return {
        "key": item.key, "title": item.title, "cover": item.cover, "intro": item.intro,
        "owner_id": owner.id if owner else "", "owner_name": owner.name if owner else "",
        "owner_face": owner.face if owner else "", "people": _people(item.people),
        "tags": json.dumps(list(item.tags), ensure_ascii=False), "published_at": item.published_at,
        "added_at": item.added_at, "order_at": item.order_at, "duration": item.duration,
        "part_count": item.part_count or len(item.parts),
        "series_title": item.episode.series_title if item.episode else "",
        "season_number": item.episode.season if item.episode else None,
        "episode_number": item.episode.number if item.episode else None,
        "details": json.dumps({**item.details, "url": item.url, **_show_fields(item), **_revision(item)},
                              ensure_ascii=False),
        "unavailable": item.unavailable,
    }  # fmt: skip


def _show_fields(item: MediaItem) -> dict[str, str]:
    # kept with the provider's details (as the url is): no column of their own for two strings
    # only episodes of a show have
    if item.episode is None:
        return {}
    return {"series_key": item.episode.series_key, "series_url": item.episode.series_url}


def _revision(item: MediaItem) -> dict[str, str]:
    # compared by the scanner (`redo_revised`) with the next listing's; kept with the details
    return {"revision": item.revision} if item.revision else {}


def part_fields(part: MediaPart) -> dict[str, Any]:
    return {
        "key": part.key, "number": part.number, "title": part.title, "duration": part.duration,
        "details": json.dumps({**part.details, "intro": part.intro, "url": part.url}, ensure_ascii=False),
    }  # fmt: skip


def item_of(task: Task, parts: list[Task] | None = None) -> MediaItem:
    """The item as its provider described it, for the provider's calls."""
    people = tuple(Person(str(p.get("id", "")), p.get("name", ""), p.get("face", ""), p.get("role", ""))
                   for p in json.loads(task.people or "[]"))  # fmt: skip
    details = json.loads(task.details or "{}")
    url, revision = details.pop("url", ""), details.pop("revision", "")
    series_key, series_url = details.pop("series_key", ""), details.pop("series_url", "")
    episode = None
    if task.episode_number is not None:
        episode = Episode(task.series_title, task.season_number or 1, task.episode_number, series_key, series_url)
    return MediaItem(
        key=task.key, title=task.title, cover=task.cover, intro=task.intro,
        owner=Person(task.owner_id, task.owner_name, task.owner_face) if task.owner_id or task.owner_name else None,
        people=people, tags=tuple(json.loads(task.tags or "[]")), published_at=task.published_at,
        added_at=task.added_at, order_at=task.order_at, duration=task.duration, part_count=task.part_count,
        parts=tuple(part_of(p) for p in parts or ()), complete=task.complete, unavailable=task.unavailable,
        episode=episode, url=url, details=details, revision=revision,
    )  # fmt: skip


def part_of(task: Task) -> MediaPart:
    details = json.loads(task.details or "{}")
    intro, url = details.pop("intro", ""), details.pop("url", "")
    return MediaPart(task.key, task.number, task.title, task.duration, details, intro=intro, url=url)
