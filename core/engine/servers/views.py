"""What the command line, the browse dialog and playlists get from `engine.servers`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ServerEntry:
    """One entry of a server folder or of search results.

    `key` is the provider's name for it (a path on Alist, an id on Emby): hand it back to
    `browse`, or write it as `ref` ("ACCOUNT_ID:KEY"). `item_json` is set for entries that play:
    the provider's item as plain JSON (core/providers/serial.py `item_from_dict` reads it back),
    which a playlist stores with `provider` and `account_id` to play it later.
    """

    account_id: int
    provider: str
    key: str
    title: str
    is_folder: bool
    size: int = 0
    item_json: dict[str, Any] | None = None

    @property
    def ref(self) -> str:
        return f"{self.account_id}:{self.key}"

    @property
    def playable(self) -> bool:
        return self.item_json is not None


@dataclass(frozen=True)
class BrowsePage:
    """One page of a folder: `total` entries in the whole folder."""

    account_id: int
    provider: str
    path: str
    entries: tuple[ServerEntry, ...]
    total: int
    page: int
    per_page: int

    @property
    def has_more(self) -> bool:
        return self.page * self.per_page < self.total


@dataclass(frozen=True)
class ServerRef:
    """`ACCOUNT:PATH` resolved: which account, of which provider, and the normalised path."""

    account_id: int
    provider: str
    path: str
