"""Typed results of the Bilibili client: what the engine needs, nothing more.

Every API function in this package returns these dataclasses, so the engine and the
tests never touch raw JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class SourceKind(StrEnum):
    FAVORITE = "favorite"
    COLLECTION = "collection"  # 合集 (season)
    SERIES = "series"  # 列表
    SUBMISSION = "submission"  # UP uploads
    WATCH_LATER = "watch_later"
    BANGUMI = "bangumi"


@dataclass(frozen=True)
class SourceRef:
    """A parsed link: which source, identified by the ids its APIs need.

    `key` is the canonical short form (`fav:ID`, `season:MID:SID`, `series:MID:SID`,
    `up:MID`, `watchlater`, `ss:ID`); two links to the same source give the same key.
    """

    kind: SourceKind
    mid: int | None = None  # owner (UP) id: collections, series, submissions
    id: int | None = None  # media_id (favorite), season_id/series_id, bangumi season_id
    ep_id: int | None = None  # bangumi link given as an episode: season resolved later
    media_id: int | None = None  # bangumi md link: season resolved later
    all_seasons: bool = False  # bangumi: follow every season of the show

    @property
    def key(self) -> str:
        match self.kind:
            case SourceKind.FAVORITE:
                return f"fav:{self.id}"
            case SourceKind.COLLECTION:
                return f"season:{self.mid}:{self.id}"
            case SourceKind.SERIES:
                return f"series:{self.mid}:{self.id}"
            case SourceKind.SUBMISSION:
                return f"up:{self.mid}"
            case SourceKind.WATCH_LATER:
                return "watchlater"
            case SourceKind.BANGUMI:
                if self.id is not None:
                    return f"ss:{self.id}" + ("+all" if self.all_seasons else "")
                if self.ep_id is not None:
                    return f"ep:{self.ep_id}"
                return f"md:{self.media_id}"


@dataclass(frozen=True)
class Upper:
    mid: int
    name: str
    face: str = ""
    role: str = ""  # staff title for joint uploads ("UP主", "剪辑"…)


@dataclass(frozen=True)
class SourceInfo:
    """What a source is, shown before adding it."""

    ref: SourceRef  # resolved: bangumi ep/md links come back with `id` = season_id
    title: str
    owner: Upper | None
    count: int
    cover: str = ""


@dataclass(frozen=True)
class RemoteItem:
    """One entry of a source's list, as the list API gives it (before details).

    `key` is unique inside a source: the bvid for ordinary videos, `ep{ep_id}` for bangumi.
    `order_time` is what incremental scans compare with the source's high-water mark:
    fav_time for favorites, created for submissions, add_at for watch later, pubdate for
    collections/series, pub_time for bangumi.
    """

    key: str
    bvid: str
    aid: int
    title: str
    cover: str
    intro: str
    upper: Upper | None
    pubtime: datetime
    order_time: datetime
    fav_time: datetime | None = None
    duration: int = 0  # seconds
    page_count: int = 0  # 0 = unknown until details are fetched
    valid: bool = True  # False: deleted/invalid in the list itself (fav attr 1/9, state != 0)
    # bangumi only
    ep_id: int | None = None
    cid: int | None = None
    season_id: int | None = None
    season_number: int | None = None
    episode_number: int | None = None
    series_title: str = ""
    dimension: tuple[int, int, int] | None = None  # width, height, rotate
    # the season the source names: the show's id, also when it follows every season
    show_season_id: int | None = None


@dataclass(frozen=True)
class PageInfo:
    cid: int
    page: int  # 1-based page number (pid)
    part: str  # page title
    duration: int  # seconds
    width: int = 0
    height: int = 0
    rotate: int = 0
    first_frame: str = ""


@dataclass(frozen=True)
class VideoDetail:
    bvid: str
    aid: int
    title: str
    cover: str
    intro: str
    pubtime: datetime
    ctime: datetime
    duration: int
    owner: Upper
    staff: list[Upper]
    pages: list[PageInfo]
    tags: list[str]
    state: int = 0
    redirect_url: str = ""  # set for PGC content reached through a bvid
    charge_only: bool = False  # is_upower_exclusive and the account cannot play it


@dataclass(frozen=True)
class MediaStream:
    """One DASH stream (video or audio) or one progressive (durl) file."""

    id: int  # qn for video, audio id for audio
    urls: list[str]  # baseUrl first, then backupUrl entries
    codecid: int = 0  # 7 AVC, 12 HEVC, 13 AV1; 0 for audio
    codecs: str = ""
    bandwidth: int = 0
    width: int = 0
    height: int = 0
    size: int = 0  # durl only (bytes), 0 when unknown
    kind: str = "dash"  # "dash" | "durl"


@dataclass(frozen=True)
class PlayInfo:
    video: list[MediaStream]
    audio: list[MediaStream]  # plain dash.audio
    dolby: list[MediaStream] = field(default_factory=list)
    flac: MediaStream | None = None
    durl: list[MediaStream] = field(default_factory=list)  # progressive fallback, in order
    is_preview: bool = False  # bangumi trial clip


@dataclass(frozen=True)
class SubtitleTrack:
    lan: str
    lan_doc: str
    url: str  # absolute URL
    is_ai: bool


@dataclass(frozen=True)
class SubtitleCue:
    start: float  # seconds
    end: float
    content: str


@dataclass(frozen=True)
class NavInfo:
    is_login: bool
    mid: int
    uname: str
    face: str
    vip_status: int
    vip_type: int
    img_url: str
    sub_url: str


@dataclass
class Credential:
    """A Bilibili login. Only ever stored through core.secrets (the OS keyring)."""

    sessdata: str
    bili_jct: str
    dedeuserid: str
    buvid3: str = ""
    ac_time_value: str = ""  # refresh_token

    def cookies(self) -> dict[str, str]:
        jar = {"SESSDATA": self.sessdata, "bili_jct": self.bili_jct, "DedeUserID": self.dedeuserid}
        if self.buvid3:
            jar["buvid3"] = self.buvid3
        return jar
