"""What the playlist book hands to the command line, the window and the player: plain values,
no rows and no provider objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, NamedTuple

from core.errors import ConfigError, LinkError

NodeKind = Literal["static", "dynamic"]


class PlaylistNotFound(ConfigError):
    """An id that names no playlist, folder or entry (exit 2 on the command line)."""


class OutsideFolder(LinkError):
    """A sub-path that would leave a dynamic folder's root."""


class NotStatic(ConfigError):
    """Entries and sub-playlists go into static playlists only; a dynamic folder's children
    come from its provider."""


@dataclass(frozen=True)
class PlaylistNodeView:
    """A playlist (a static node: entries and sub-playlists) or a dynamic folder."""

    id: int
    parent_id: int | None
    position: int  # among its siblings, from 0
    name: str
    kind: NodeKind
    entry_count: int = 0  # static: its own entries
    child_count: int = 0  # playlists and folders directly under it
    provider: str = ""  # dynamic: who lists it
    provider_name: str = ""
    account_id: int | None = None
    root: str = ""  # dynamic: the folder's key at the provider

    @property
    def dynamic(self) -> bool:
        return self.kind == "dynamic"


@dataclass(frozen=True)
class EntryView:
    id: int
    playlist_id: int
    position: int
    title: str
    duration: int  # seconds, 0 = unknown
    cover: str
    url: str  # the item's page, "" when it has none
    provider: str
    provider_name: str
    account_id: int | None
    part_key: str | None
    resume: float  # seconds where playback stopped, 0 = from the start
    added_at: datetime | None


class EntryItem(NamedTuple):
    """What `syncdeck play ENTRY_ID` and the player need to resolve an entry."""

    provider: str
    account_id: int | None
    item_json: dict[str, Any]  # core.providers.serial.item_to_dict
    part_key: str | None
    resume: float

    @property
    def position(self) -> float:
        """The resume position by the name `syncdeck play ENTRY_ID` reads it."""
        return self.resume


@dataclass(frozen=True)
class ParsedLink:
    """A pasted link as a provider's ItemParser understood it: the preview before adding."""

    provider: str
    provider_name: str
    account_id: int | None
    title: str
    duration: int
    cover: str
    url: str
    part_titles: tuple[str, ...]
    item_json: Mapping[str, Any] = field(repr=False, default_factory=dict)


@dataclass(frozen=True)
class DynamicChild:
    """One child of a dynamic folder, as the provider listed it just now (never stored).

    A folder child is opened with its `sub_path`; a playable one carries the provider's item
    (`item_json`) so it can be played or added to a static playlist as it is.
    """

    folder_id: int
    sub_path: str  # relative to the folder's root: "Season 1" or "Season 1/Extras"
    key: str  # the provider's key (path or id)
    title: str
    is_folder: bool
    size: int
    duration: int
    cover: str
    provider: str
    account_id: int | None
    item_json: Mapping[str, Any] | None = field(repr=False, default=None)
    provider_name: str = ""


@dataclass(frozen=True)
class DynamicPage:
    folder_id: int
    sub_path: str
    children: tuple[DynamicChild, ...]
    total: int  # children in the whole (sub-)folder
    page: int  # 1-based
    per_page: int
    breadcrumbs: tuple[tuple[str, str], ...]  # (name, sub_path) from the folder itself down

    @property
    def has_more(self) -> bool:
        return self.page * self.per_page < self.total


@dataclass(frozen=True)
class PlayRef:
    """One thing a play queue plays: a stored entry (`entry_id`) or a dynamic folder's child
    (`item_json` set, nothing stored)."""

    title: str
    provider: str
    account_id: int | None
    duration: int = 0
    entry_id: int | None = None
    item_json: Mapping[str, Any] | None = field(repr=False, default=None)
    part_key: str | None = None
    resume: float = 0.0
