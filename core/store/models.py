"""SQLite tables. Secrets never live here: accounts keep only a keyring reference."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Stores naive UTC, hands back aware UTC datetimes."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _time(nullable: bool = True, index: bool = False) -> object:
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


class Account(SQLModel, table=True):
    """A login with a provider; several per provider. The keyring holds its secret."""

    id: int | None = Field(default=None, primary_key=True)
    provider: str = "bilibili"
    name: str = ""
    user_id: str = Field(default="", index=True)  # the provider's id of the user
    user_name: str = ""
    avatar: str = ""
    vip: bool = False
    server_url: str = ""  # for providers with a server of the user's own
    secret_ref: str = ""  # keyring reference, never the secret
    state: str = "ok"  # ok | expired | error
    last_check_at: datetime | None = _time()  # type: ignore[assignment]
    last_refresh_at: datetime | None = _time()  # type: ignore[assignment]
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Source(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("provider", "locator", name="uq_source_provider"),)

    id: int | None = Field(default=None, primary_key=True)
    provider: str = "bilibili"
    kind: str  # the provider's word for it ("favorite", "bangumi"…)
    locator: str  # the provider's canonical short form of the link
    name: str
    path: str  # absolute folder the source writes into
    account_id: int | None = Field(default=None, foreign_key="account.id")
    enabled: bool = True
    rules: str = ""  # filter rules (JSON), empty = everything
    schedule: str = ""  # "" = the global schedule
    cursor: str = ""  # the provider's incremental-scan cursor, "" before the first scan
    last_scan_at: datetime | None = _time()  # type: ignore[assignment]
    last_removal_check_at: datetime | None = _time()  # type: ignore[assignment]
    last_error: str = ""
    cooldown_until: datetime | None = _time()  # type: ignore[assignment]
    cooldown_level: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Task(SQLModel, table=True):
    """Any kind of work: a video (its parts are child tasks), later a file, a torrent, a note.

    The item fields (title … episode) are the provider's MediaItem/MediaPart as stored;
    `details` is the provider's own JSON, read only by that provider. `steps` maps step
    names to bili-sync step values (core.tasks.steps); `state` is derived from them and kept
    beside them for indexed filtering. Paths are absolute.
    """

    __table_args__ = (
        sa.Index("ux_task_item", "source_id", "key", unique=True, sqlite_where=sa.text("parent_id IS NULL")),
        sa.Index("ux_task_child", "parent_id", "key", unique=True, sqlite_where=sa.text("parent_id IS NOT NULL")),
        sa.Index("ix_task_source_state", "source_id", "state"),
        sa.Index("ix_task_parent_id", "parent_id", "id"),
        sa.Index("ix_task_state_id", "state", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # "video", "part"…
    provider: str
    source_id: int | None = Field(default=None, foreign_key="source.id")
    parent_id: int | None = Field(default=None, foreign_key="task.id")
    key: str  # the provider's key of the item in its source (or of the part in its item)
    number: int = 0  # a part's 1-based number
    title: str = ""
    cover: str = ""
    intro: str = ""
    owner_id: str = ""
    owner_name: str = ""
    owner_face: str = ""
    people: str = "[]"  # JSON list of {id, name, face, role}
    tags: str = "[]"  # JSON list of str
    published_at: datetime | None = _time()  # type: ignore[assignment]
    added_at: datetime | None = _time()  # type: ignore[assignment]
    order_at: datetime | None = _time()  # type: ignore[assignment]
    duration: int = 0
    part_count: int = 0
    series_title: str = ""
    season_number: int | None = None
    episode_number: int | None = None  # set: an episode of a show (its source's folder is the show)
    details: str = "{}"
    complete: bool = False  # parts, tags and people are known
    unavailable: str = ""  # why it can't be downloaded (deleted, charge-only…)
    wanted: bool = True  # the source's filter rules
    cancelled: bool = False
    paused: bool = False
    removed_at: datetime | None = _time()  # type: ignore[assignment]
    parts_checked_at: datetime | None = _time()  # type: ignore[assignment]  # last new-parts check
    path: str = ""  # absolute: the item's folder, the part's media file; "" until written
    steps: str = "{}"
    finished: bool = False  # every step is ok or gave up
    state: str = "queued"
    attempts: int = 0
    bytes_done: int = 0
    bytes_total: int = 0
    last_error: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RoundRecord(SQLModel, table=True):
    """Task history: one row per sync round."""

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = _time()  # type: ignore[assignment]
    outcome: str = "running"
    sources: int = 0
    new_items: int = 0
    downloaded: int = 0
    failed: int = 0
    api_calls: int = 0
    message: str = ""


# Each feature's tables live in their own module; importing them here registers them with
# SQLModel's metadata (migrations and the health check see every table).
from core.store import notes_tables, playlist_tables, torrent_tables  # noqa: E402, F401
