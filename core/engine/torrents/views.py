"""What the command line and the window get about torrents: plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from core.events import TaskProgress


@dataclass(frozen=True)
class TorrentView:
    id: int  # the task id (`syncdeck torrent show ID`, `syncdeck task pause ID`)
    info_hash: str
    name: str
    state: str  # core.tasks.states word: queued, running, paused, done, failed
    activity: str  # libtorrent's word: metadata, checking, downloading, seeding, finished, queued, paused, stalled…
    progress: float  # 0..1 of the wanted bytes
    wanted: int  # bytes
    done: int  # wanted bytes on disk
    size: int  # every file's bytes
    down_rate: float  # bytes/s
    up_rate: float
    peers: int
    seeds: int
    ratio: float
    eta: float | None  # seconds
    save_path: str
    uploaded: int = 0
    downloaded: int = 0
    sequential: bool = False
    down_limit: int = 0  # bytes/s, 0 = none
    up_limit: int = 0
    has_metadata: bool = True
    error: str = ""
    added_at: datetime | None = None
    completed_at: datetime | None = None
    queue_position: int = -1
    magnet: str = ""


@dataclass(frozen=True)
class TorrentFileView:
    index: int
    path: str  # inside the torrent ("Show/S01E01.mkv")
    size: int
    done: int
    priority: int  # 0 = skip … 7 = top


@dataclass(frozen=True)
class TrackerView:
    url: str
    tier: int
    status: str  # "working", "updating", "error", "not contacted"
    message: str


@dataclass(frozen=True)
class PeerView:
    address: str
    client: str
    down_rate: float
    up_rate: float
    progress: float
    flags: str  # "seed", "encrypted", "utp"…


@dataclass(frozen=True)
class TorrentDetail:
    torrent: TorrentView
    files: list[TorrentFileView] = field(default_factory=list)
    trackers: list[TrackerView] = field(default_factory=list)
    peers: list[PeerView] = field(default_factory=list)
    pieces: list[bool] = field(default_factory=list)  # for the pieces bar (may be sampled down)


@dataclass(frozen=True)
class TorrentPreview:
    """What an add dialog shows before anything downloads."""

    name: str
    info_hash: str
    size: int  # 0 while a magnet's metadata is unknown
    files: list[TorrentFileView]
    has_metadata: bool


@dataclass(frozen=True)
class SessionRates:
    down_rate: float
    up_rate: float
    alternative: bool  # the alternative limits apply now
    active: int  # torrents downloading


@dataclass(frozen=True)
class RunOutcome:
    """What `run_until_complete` saw: every wanted file complete, or the stalled ones."""

    completed: list[int]
    stalled: list[tuple[int, str]]  # (task id, why), e.g. "no progress for 300 s (no peers)"
    failed: list[tuple[int, str]]

    @property
    def ok(self) -> bool:
        return not self.stalled and not self.failed


@dataclass(frozen=True)
class TorrentProgress(TaskProgress):
    """A torrent's progress with what only torrents have (the Tasks panel's torrent columns);
    it travels wherever TaskProgress does, so nothing else needs to know about it."""

    peers: int = 0
    seeds: int = 0
    ratio: float = 0.0
    up_speed: float = 0.0  # bytes per second
    seeding: bool = False  # complete and still uploading (not stopped by the user or a seeding limit)
