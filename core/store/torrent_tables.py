"""Tables of the torrent feature (kept apart from core.store.models so features do not collide).

A torrent is a task (kind "torrent", provider "torrent") in the generic task table, so the
Tasks panel and `syncdeck task list` show it; `TorrentRecord` keeps what only torrents have.
`FeedEntry` remembers what a watched folder or a feed already handed over, once per GUID.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from core.store.models import UTCDateTime, utcnow


class TorrentRecord(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", unique=True)
    info_hash: str = Field(unique=True)  # hex, v1 when the torrent has one
    magnet: str = ""  # what was added, for magnets (and to find the torrent again)
    torrent: bytes = Field(default=b"", sa_type=sa.LargeBinary)  # the .torrent bytes, b"" for a magnet
    save_path: str  # absolute folder libtorrent writes into
    resume: bytes = Field(default=b"", sa_type=sa.LargeBinary)  # libtorrent's fast-resume blob (with the info dict)
    options: str = "{}"  # JSON: sequential, limits, files wanted at add…
    source_id: int | None = Field(default=None, foreign_key="source.id")  # a watched folder or feed
    placed: bool = False  # finished video files were written into the library
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    resume_saved_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FeedEntry(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("source_id", "guid", name="uq_feedentry_source_guid"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    guid: str  # an RSS item's guid (or its link), a watched file's name + size
    title: str = ""
    info_hash: str = ""  # "" when it was not added (filtered out or unusable)
    outcome: str = ""  # "added", "filtered", "duplicate" or the error
    seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
