"""What a provider can do, as small async protocols with typed results.

A provider (Bilibili, Alist, Emby, a torrent client, an LLM…) implements only the protocols
it can; the registry (`core.providers.registry`) answers "who can parse this text?" or "who
can scan this source?" by checking which protocols a provider implements. Results are plain
frozen dataclasses: the engine stores them and the panels show them without knowing which
provider made them. Everything a provider needs to find an item again (ids, URLs) lives in
its `details` mapping, which only that provider reads.

Errors follow `core.errors`: LinkError for text a provider claims but cannot use,
RiskControlError, LoginExpiredError, UnavailableError and TransientError for what a
service answered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal, Protocol, runtime_checkable

# ---------------------------------------------------------------- shared shapes


@dataclass(frozen=True)
class Person:
    """An uploader, a cast member, an owner: `id` is the provider's id for them, as text."""

    id: str
    name: str
    face: str = ""  # avatar URL
    role: str = ""


@dataclass(frozen=True)
class Episode:
    """Where an item sits in a show (a bangumi episode, an Emby episode)."""

    series_title: str
    season: int
    number: int
    series_key: str = ""  # the show's id at the provider (a bangumi's season), for its NFO
    series_url: str = ""  # the show's page on the service


@dataclass(frozen=True)
class MediaPart:
    """One playable piece of an item (a 分P, an episode file). `key` is unique in its item."""

    key: str
    number: int  # 1-based
    title: str
    duration: int = 0  # seconds
    details: Mapping[str, Any] = field(default_factory=dict)
    intro: str = ""  # its own description, when the service gives parts one
    url: str = ""  # its own page on the service, written to its NFO


@dataclass(frozen=True)
class MediaItem:
    """One entry of a source, from the provider's listing to the Tasks panel.

    `complete` says whether `parts`, `tags` and `people` are known (a listing often gives
    only a summary; `SourceScanner.complete` fills in the rest). `order_at` is what the
    provider's incremental cursor compares (favourite time, upload time…).
    """

    key: str  # unique inside its source
    title: str
    cover: str = ""
    intro: str = ""
    owner: Person | None = None
    people: tuple[Person, ...] = ()
    tags: tuple[str, ...] = ()
    published_at: datetime | None = None
    added_at: datetime | None = None  # when the user added it to the list (favourited…)
    order_at: datetime | None = None
    duration: int = 0  # seconds, all parts
    part_count: int = 0  # 0 = unknown until complete
    parts: tuple[MediaPart, ...] = ()
    complete: bool = False
    unavailable: str = ""  # why it cannot be downloaded; "" = it can
    episode: Episode | None = None  # set for an episode of a show: the show's folder holds it
    url: str = ""  # its page on the service, written to NFO files
    details: Mapping[str, Any] = field(default_factory=dict)
    # changes when the item's content changes upstream (a file's size and modified time): a
    # known item whose revision changed is downloaded again; "" = never compared
    revision: str = ""


# ---------------------------------------------------------------- links and sources


@dataclass(frozen=True)
class SourceTarget:
    """A parsed source link. `locator` is the provider's canonical short form: two links to
    the same source give the same locator."""

    provider: str
    locator: str
    kind: str  # the provider's word: "favorite", "bangumi", "folder"…
    kind_label: str  # what a person calls it; also the default folder under the library
    needs_login: bool = False
    shared_folder: bool = False  # one folder for the whole source (a show), not one per item
    # kind_label in other interface languages ("en", "zh_CN"…): a new source's folder is named
    # in the language the window shows when it is added
    kind_labels: Mapping[str, str] = field(default_factory=dict)

    def label_in(self, language: str) -> str:
        return self.kind_labels.get(language) or self.kind_label


@dataclass(frozen=True)
class SourcePreview:
    target: SourceTarget  # resolved: e.g. an episode link comes back as its season
    title: str
    owner: Person | None
    count: int
    cover: str = ""


@runtime_checkable
class LinkParser(Protocol):
    link_help: str  # the accepted forms, shown when nothing could use a pasted text

    def claims(self, text: str) -> bool:
        """Cheap and offline: is this text meant for this provider (its hosts, its short
        forms)? A claimed text that turns out unusable raises LinkError in `resolve_link`."""

    async def resolve_link(self, session: ProviderSession, text: str) -> SourceTarget: ...

    async def describe(self, session: ProviderSession, target: SourceTarget) -> SourcePreview: ...


@dataclass(frozen=True)
class Listing:
    """What one scan read. `whole`: the complete list, so known items missing from it left the
    list. Otherwise `span` is the (oldest, newest) `order_at` of the pages read: known items
    in that span that the listing lacks were removed."""

    items: Sequence[MediaItem]
    cursor: str | None  # store and hand back to the next scan
    whole: bool = False
    span: tuple[datetime, datetime] | None = None


@runtime_checkable
class SourceScanner(Protocol):
    async def scan(self, session: ProviderSession, target: SourceTarget, cursor: str | None) -> Listing:
        """Items newer than the cursor (all items when it is None or the list is unordered)."""

    async def list_keys(self, session: ProviderSession, target: SourceTarget) -> set[str]:
        """Every item key in the source now: the periodic check for removed items."""

    async def complete(self, session: ProviderSession, item: MediaItem) -> MediaItem:
        """The item with its parts, tags and people (`complete=True`), or `unavailable` set."""


@runtime_checkable
class ItemParser(Protocol):
    """Links to things that play rather than lists to sync: a video page, a file URL, a stream.
    Playlists store the item it returns (core/providers/serial.py) and hand it back to the
    provider's `PlaybackResolver.resolve` later."""

    def claims_item(self, text: str) -> bool:
        """Cheap and offline, like `LinkParser.claims`."""

    async def parse_item(self, session: ProviderSession, text: str) -> MediaItem:
        """The item the link names, complete with its parts; LinkError when it names none."""


# ---------------------------------------------------------------- playback


@dataclass(frozen=True)
class Stream:
    kind: Literal["video", "audio", "muxed"]
    urls: tuple[str, ...]  # the first, then mirrors
    quality: str = ""  # a label ("1080p", "192k")
    codec: str = ""  # "avc", "hevc", "av1", "aac", "flac"…
    size: int = 0  # bytes, 0 when unknown
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SubtitleTrack:
    lang: str
    label: str
    url: str
    generated: bool = False  # made by speech recognition


@dataclass(frozen=True)
class SubtitleCue:
    start: float  # seconds
    end: float
    text: str


@dataclass(frozen=True)
class Playback:
    """The streams chosen for a part under the user's quality settings: a video and an audio
    stream to merge, or one muxed file."""

    streams: tuple[Stream, ...]
    subtitles: tuple[SubtitleTrack, ...] = ()
    danmaku: bool = False  # `DanmakuSource.danmaku` has comments for it
    expires_at: datetime | None = None


@runtime_checkable
class PlaybackResolver(Protocol):
    async def resolve(self, session: ProviderSession, item: MediaItem, part: MediaPart) -> Playback: ...


PlaybackEvent = Literal["start", "progress", "pause", "unpause", "stopped"]


@runtime_checkable
class PlaybackReporter(Protocol):
    """A service that keeps its own resume points and watched marks (Emby, Jellyfin): the
    player tells it where playback is, so they follow what was played in SyncDeck."""

    async def report_playback(
        self, session: ProviderSession, item: MediaItem, part: MediaPart, event: PlaybackEvent, position: float,
        *, paused: bool = False,
    ) -> None:  # fmt: skip
        """`start` when playback begins, `progress` about every 10 s (and `pause`/`unpause`),
        `stopped` with the last position when the player stops or moves on. `position` in
        seconds. Errors are the usual provider errors; callers log them and play on."""


@dataclass(frozen=True)
class Danmaku:
    format: str  # "bilibili-protobuf"
    segments: tuple[bytes, ...]


@runtime_checkable
class DanmakuSource(Protocol):
    async def danmaku(self, session: ProviderSession, item: MediaItem, part: MediaPart) -> Danmaku: ...


@runtime_checkable
class SubtitleSource(Protocol):
    async def subtitle_tracks(
        self, session: ProviderSession, item: MediaItem, part: MediaPart
    ) -> list[SubtitleTrack]: ...

    async def subtitle_cues(self, session: ProviderSession, track: SubtitleTrack) -> list[SubtitleCue]: ...


# ---------------------------------------------------------------- browsing and search


@dataclass(frozen=True)
class FolderEntry:
    key: str  # path or id, handed back to `browse`
    title: str
    is_folder: bool
    size: int = 0
    item: MediaItem | None = None  # set for playable entries


@dataclass(frozen=True)
class FolderPage:
    entries: tuple[FolderEntry, ...]
    total: int  # entries in the whole folder
    page: int


@runtime_checkable
class FolderBrowser(Protocol):
    async def browse(self, session: ProviderSession, folder: str, page: int, per_page: int) -> FolderPage: ...


@runtime_checkable
class Searcher(Protocol):
    async def search(self, session: ProviderSession, query: str, page: int) -> list[MediaItem]: ...


@runtime_checkable
class FolderPasswords(Protocol):
    """Folders with a password of their own (Alist's): `browse`, `resolve`… raise
    FolderPasswordError for them until a password is given here."""

    def unlock_folder(self, session: ProviderSession, folder: str, password: str) -> str:
        """Use `password` for `folder` and below in this session. Returns the account's secret
        with the password kept, to save in place of the old one once it proved right."""


# ---------------------------------------------------------------- logins


class LoginMethod(StrEnum):
    QR = "qr"
    COOKIE = "cookie"
    PASSWORD = "password"
    API_KEY = "api_key"


@dataclass(frozen=True)
class Profile:
    """Who a login belongs to."""

    user_id: str
    name: str
    avatar: str = ""
    vip: bool = False
    server_url: str = ""  # for providers with a server of the user's (Alist, Emby…)


@dataclass(frozen=True)
class LoginResult:
    """A login to keep: `secret` is the provider's own text (cookies, a token, a password,
    API keys) and goes to the keyring only."""

    secret: str
    profile: Profile


@dataclass(frozen=True)
class QrChallenge:
    url: str  # shown as a QR code
    key: str  # handed back to `qr_poll`


@dataclass(frozen=True)
class QrStatus:
    state: Literal["waiting", "scanned", "expired", "confirmed"]
    login: LoginResult | None = None  # set once confirmed


@dataclass(frozen=True)
class LoginCheck:
    profile: Profile
    secret: str | None = None  # a refreshed secret to save in place of the old one


@runtime_checkable
class Authenticator(Protocol):
    login_methods: tuple[LoginMethod, ...]

    async def qr_start(self) -> QrChallenge: ...

    async def qr_poll(self, challenge: QrChallenge) -> QrStatus: ...

    async def login_with(self, method: LoginMethod, fields: Mapping[str, str]) -> LoginResult:
        """Cookie text (`cookie`), `server`/`username`/`password`, or `api_key`."""

    async def check_login(self, session: ProviderSession, *, refresh: bool) -> LoginCheck:
        """Confirm the session's login (raise LoginExpiredError when it is gone); with
        `refresh` renew it where the provider can, returning the new secret."""


# ---------------------------------------------------------------- the provider itself


class ProviderSession(Protocol):
    """A provider's connection for one login (or none). Closed by the engine."""

    @property
    def api_calls(self) -> int: ...

    async def aclose(self) -> None: ...


class Provider(Protocol):
    """Every provider: a name, a display name, sessions and images. Constructed once per
    engine with the settings; sessions share its rate limits."""

    name: str  # registry key stored with sources and accounts ("bilibili")
    display_name: str  # shown to people ("Bilibili")
    login_variable: str  # the environment variable `secret_from_environment` reads ("" for none)

    async def open_session(self, secret: str | None) -> ProviderSession: ...

    def secret_from_environment(self) -> str | None:
        """A login given by environment variable for servers (never stored), or None."""

    async def fetch_image(self, session: ProviderSession, url: str) -> bytes: ...

    def template_variables(self, item: MediaItem, part: MediaPart | None) -> dict[str, Any]:
        """Provider-specific variables for library name templates (e.g. an id)."""
