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
    id: int | None = Field(default=None, primary_key=True)
    kind: str = "bilibili"
    name: str = ""
    mid: int = Field(default=0, index=True)
    uname: str = ""
    face: str = ""
    vip_type: int = 0
    vip_status: int = 0
    secret_ref: str = ""  # keyring reference, never the secret
    state: str = "ok"  # ok | expired
    last_check_at: datetime | None = _time()  # type: ignore[assignment]
    last_refresh_at: datetime | None = _time()  # type: ignore[assignment]
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Source(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str
    key: str = Field(unique=True)
    name: str
    path: str  # absolute folder the source writes into
    account_id: int | None = Field(default=None, foreign_key="account.id")
    enabled: bool = True
    rules: str = ""  # filter rules (JSON), empty = everything
    schedule: str = Field(default="", sa_column_kwargs={"server_default": ""})  # "" = the global schedule
    latest_row_at: datetime | None = _time()  # type: ignore[assignment]
    last_scan_at: datetime | None = _time()  # type: ignore[assignment]
    last_removal_check_at: datetime | None = _time()  # type: ignore[assignment]
    last_error: str = ""
    cooldown_until: datetime | None = _time()  # type: ignore[assignment]
    cooldown_level: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Video(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("source_id", "key"),
        sa.Index("ix_video_source_state", "source_id", "state"),
        sa.Index("ix_video_state_id", "state", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id")
    key: str  # bvid, or ep{id} for bangumi
    bvid: str = Field(default="", index=True)
    aid: int = 0
    title: str = ""
    cover: str = ""
    intro: str = ""
    upper_mid: int = 0
    upper_name: str = ""
    upper_face: str = ""
    staff: str = "[]"  # JSON list of {mid, name, face, role}
    tags: str = "[]"  # JSON list of str
    pubtime: datetime | None = _time()  # type: ignore[assignment]
    fav_time: datetime | None = _time()  # type: ignore[assignment]
    order_time: datetime | None = _time()  # type: ignore[assignment]
    duration: int = 0
    page_count: int = 0
    # bangumi
    ep_id: int | None = None
    cid: int | None = None
    season_id: int | None = None
    season_number: int | None = None
    episode_number: int | None = None
    series_title: str = ""
    # sync state
    detail_fetched: bool = False
    valid: bool = True
    unavailable: str = ""  # why it can't be downloaded (deleted, charge-only…)
    should_download: bool = True  # filter rules
    removed_at: datetime | None = _time()  # type: ignore[assignment]
    parts_checked_at: datetime | None = _time()  # type: ignore[assignment]  # last new-parts check
    paused: bool = False
    path: str = ""  # folder of the video, fixed once rendered
    status: int = 0
    state: str = "pending"
    last_error: str = ""
    bytes_done: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Page(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("video_id", "cid"),)

    id: int | None = Field(default=None, primary_key=True)
    video_id: int = Field(foreign_key="video.id", index=True)
    cid: int
    pid: int  # 1-based page (episode) number
    title: str = ""
    duration: int = 0
    width: int = 0
    height: int = 0
    rotate: int = 0
    first_frame: str = ""
    status: int = 0
    state: str = "pending"
    path: str = ""  # the media file once written
    size: int = 0
    last_error: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


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
