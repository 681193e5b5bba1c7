"""Tables of the playlist feature (kept apart from core.store.models so features do not collide).

Playlists form a tree of nodes: a static node holds entries and other nodes (a playlist is
also a folder, as in SyncTV); a dynamic node names a folder at a provider (its `root`, under
an account) whose children are asked of the provider each time and never stored here.
Positions are dense (0, 1, 2…) among the entries of a playlist and among the children of a
node, so "move to index N" is exact and keyset paging by position is an index range.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from core.store.models import UTCDateTime, utcnow

STATIC, DYNAMIC = "static", "dynamic"


class PlaylistNode(SQLModel, table=True):
    __tablename__ = "playlist_node"
    __table_args__ = (sa.Index("ix_playlist_node_parent", "parent_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    parent_id: int | None = Field(default=None, foreign_key="playlist_node.id", ondelete="CASCADE")
    position: int = 0
    name: str
    kind: str = STATIC  # static | dynamic
    provider: str = ""  # dynamic: the provider whose FolderBrowser lists it
    account_id: int | None = None  # dynamic: whose login browses it (None: anonymous)
    root: str = ""  # dynamic: the folder's key at the provider (a path such as /movies, or an id)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PlaylistEntry(SQLModel, table=True):
    """One item of a static playlist: what it shows, and the provider's own reference to it
    (`item_json`, core.providers.serial) to hand back when it is played."""

    __tablename__ = "playlist_entry"
    __table_args__ = (sa.Index("ix_playlist_entry_position", "playlist_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    playlist_id: int = Field(foreign_key="playlist_node.id", ondelete="CASCADE")
    position: int = 0
    title: str = ""
    duration: int = 0  # seconds, 0 = unknown
    cover: str = ""
    url: str = ""  # the item's page (copy link)
    provider: str
    account_id: int | None = None
    item_json: str = "{}"
    part_key: str | None = None  # None: the first part, or the one chosen when it is played
    resume: float = 0.0  # seconds into the part where playback stopped
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
