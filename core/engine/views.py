"""Plain view types the facade hands to the command line and the window (besides TaskView
in core.tasks.views): no database rows, no provider objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ProviderView:
    name: str  # registry name, stored with sources and accounts
    display_name: str
    capabilities: tuple[str, ...]  # "parse", "scan", "playback", "browse", "search", "login"
    login_methods: tuple[str, ...]  # "qr", "cookie", "password", "api_key"
    link_help: str  # the links it accepts, for the add dialog and error messages


@dataclass(frozen=True)
class AccountView:
    id: int
    provider: str
    provider_name: str
    name: str
    user_id: str
    user_name: str
    avatar: str
    vip: bool
    server_url: str
    state: str  # ok | expired | error
    last_check_at: datetime | None


@dataclass(frozen=True)
class LinkPreview:
    """What a pasted link points at, before it is added."""

    provider: str
    provider_name: str
    locator: str
    kind: str
    kind_label: str
    title: str
    owner: str
    owner_face: str  # stands in for a cover where a list has none
    count: int
    cover: str
    needs_login: bool
    show: bool  # one folder for the whole source (a show's episodes)
    default_folder: str


@dataclass(frozen=True)
class SourceView:
    id: int
    provider: str
    provider_name: str
    kind: str
    locator: str
    name: str
    path: str
    account_id: int | None
    account: str  # the account's name, "" for none
    enabled: bool
    rules: str  # filter rules (JSON), "" = everything
    schedule: str  # "" = the global schedule
    schedule_text: str  # the effective schedule in words
    last_scan_at: datetime | None
    next_scan: datetime | None
    last_error: str
    cooldown_until: datetime | None
    # its top-level tasks by the state each shows (core.tasks.states), each counted once
    done: int
    queued: int
    failed: int
    removed: int  # removed upstream
    skipped: int  # left out by the filter rules
    created_at: datetime | None = None
    paused: int = 0
    cancelled: int = 0
    unavailable: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {
            "queued": self.queued, "paused": self.paused, "done": self.done, "failed": self.failed,
            "cancelled": self.cancelled, "removed": self.removed, "unavailable": self.unavailable,
            "skipped": self.skipped,
        }  # fmt: skip

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class QrLogin:
    """A QR login in progress: show `url` as a QR code, poll with `key`."""

    provider: str
    url: str
    key: str
