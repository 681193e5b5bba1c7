"""The fake Bilibili's data: one logged-in account, a few UPs and every kind of list.

Everything here is plain data; the HTTP layer (`api.py`) renders it into the real API's
JSON shapes. `build_default_world(now)` returns a fresh copy; times are offsets from `now`
so that the default items are "recent" and anything added later is newer.

Default world (ids are stable, tests may refer to the constants below):

Account `ACCOUNT_MID` 1001 "同步测试员", 大会员 (vipStatus 1, vipType 2); its login is `COOKIE`
(`SESSDATA`, `BILI_JCT`, `DEDEUSERID`, `BUVID3`) with `REFRESH_TOKEN`.
UPs: 2001 "甲UP主", 2002 "乙UP主", 2003 "丙UP主".

Favorite folder `fav:101` "同步测试收藏夹" (fid 1, owner 1001), newest fav_time first:
  1. `BVID_SPRING` "春日散步 Vlog" (UP 2001, 1 page, CC subtitles zh-CN + en), fav 1 h ago
  2. `BVID_MULTIPAGE` "【三集连播】多P测试视频" (UP 2001 with staff 2003; 3 pages, page 1 has
     CC zh-CN + AI ai-zh subtitles, page 3 claims 725 s so its danmaku spans 3 segments), 5 h ago
  3. `BVID_HOSTILE` `HOSTILE_TITLE` (UP 2003; 300 characters with `/`, `..`, `CON`,
     `<>:"|?*` and emoji; its page part is the same string), 10 h ago
  4. `BVID_DELETED` deleted: listed with attr 1 and title "已失效视频", view answers -404, 20 h ago
  5. `BVID_CHARGE_ONLY` "充电专属：幕后花絮" (UP 2001): view has is_upower_exclusive, playurl
     answers 87008, 30 h ago
  6. `BVID_PRIVATE` "仅自己可见的视频" (UP 2003): view answers 62012, 40 h ago
Favorite folder `fav:201` "私密收藏夹": private (attr 3), empty.

Collection `season:2001:30001` "城市漫游" (UP 2001): `BVIDS_SEASON` "城市漫游 第1站/第2站/第3站",
  published 72/48/24 h ago.
Series `series:2001:40001` "料理笔记" (UP 2001): `BVIDS_SERIES` "料理笔记：番茄炒蛋",
  "料理笔记：红烧肉", published 60/36 h ago.
Submissions `up:2002`: 35 videos `BVIDS_UP_B`, "乙的投稿 第01期" … "第35期"; 第k期 was
  published (36 - k) * 6 h ago, so 第35期 is the newest (ps=30 needs two pages).
Watch later `watchlater`: `BVID_DOLBY` "稍后再看：杜比与无损音轨" (UP 2001; Dolby Atmos and
  Hi-Res audio, qualities up to 8K/HDR/Dolby Vision) added 3 h ago, and `BVIDS_SEASON[0]`
  added 8 h ago.
Bangumi show "测试番剧" (type 1):
  `ss401` "第一季", media_id 28220001: ep 500101 "启程", ep 500102 "相遇" (badge "会员": a trial
  clip, is_preview 1, unless the caller is a logged-in 大会员), ep 500103 "第二季预告"
  (section_type 1, badge "预告"); section[] holds one extra PV, ep 500109 (type 5).
  `ss402` "第二季", media_id 28220002: ep 500201 "新的旅程", ep 500202 "终点".
  PGC episode `duration` is in milliseconds, like the real API; their bvids' view carries a
  `redirect_url` to the episode page.
b23 short links: `B23_LINKS` (code → Location).

Every page has danmaku; media for every page are the same generated files (see media.py).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any

# --- stable ids -------------------------------------------------------------------------

ACCOUNT_MID = 1001
UP_A_MID = 2001
UP_B_MID = 2002
UP_C_MID = 2003

FAV_ID = 101
FAV_FID = 1
PRIVATE_FAV_ID = 201
SEASON_ID = 30001
SERIES_ID = 40001
BANGUMI_SEASON_1 = 401
BANGUMI_SEASON_2 = 402
BANGUMI_MEDIA_1 = 28220001
BANGUMI_MEDIA_2 = 28220002
EP_FIRST = 500101
EP_VIP = 500102
EP_PREVIEW = 500103
EP_PV_SECTION = 500109
EPS_SEASON_2 = (500201, 500202)

# The default account's login, as a browser holds it. SESSDATA is URL-encoded (",", "*").
SESSDATA = "fa1e5e55%2C1924991999%2Cab12c%2A11CjBTeW5jRGVja0RlZmF1bHRTZXNzaW9u"
BILI_JCT = "b1f1c7a5d0e94c7f8e2a6d3b9c4f5a61"
DEDEUSERID = str(ACCOUNT_MID)
BUVID3 = "A1B2C3D4-E5F6-7A8B-9C0D-1E2F3A4B5C6D00000infoc"
REFRESH_TOKEN = "5e2f0c7a9b1d4e3f8a6c2b0d9e7f1a3c"
COOKIE = f"SESSDATA={SESSDATA}; bili_jct={BILI_JCT}; DedeUserID={DEDEUSERID}; buvid3={BUVID3}"
COOKIES = {"SESSDATA": SESSDATA, "bili_jct": BILI_JCT, "DedeUserID": DEDEUSERID, "buvid3": BUVID3}

FAV_KEY = f"fav:{FAV_ID}"
SEASON_KEY = f"season:{UP_A_MID}:{SEASON_ID}"
SERIES_KEY = f"series:{UP_A_MID}:{SERIES_ID}"
UP_B_KEY = f"up:{UP_B_MID}"
WATCH_LATER_KEY = "watchlater"

HOSTILE_TITLE_HEAD = 'CON/../坏:名<字>"引号"|问号?星号*🎬😀\\反斜杠 .. '
HOSTILE_TITLE = HOSTILE_TITLE_HEAD + "超长标题" * ((300 - len(HOSTILE_TITLE_HEAD)) // 4)
HOSTILE_TITLE += "尾" * (300 - len(HOSTILE_TITLE))

DELETED_FAV_TITLE = "已失效视频"
MEDIA_DURATION = 3  # seconds of the generated media files

_BV_TABLE = "FcwAPNKTMug3GV5Lj7EJnHpWsx4tb8haYeviqBz6rkCy12mUSDQX9RdoZf"
_BV_XOR = 23442827791579
_BV_MASK = 2251799813685247
_BV_MAX_AID = 1 << 51


def aid_to_bvid(aid: int) -> str:
    """The real av→BV conversion (2024 algorithm), so ids look and round-trip like real ones."""
    chars = list("BV1000000000")
    index = len(chars) - 1
    value = (_BV_MAX_AID | aid) ^ _BV_XOR
    while value > 0:
        chars[index] = _BV_TABLE[value % 58]
        value //= 58
        index -= 1
    chars[3], chars[9] = chars[9], chars[3]
    chars[4], chars[7] = chars[7], chars[4]
    return "".join(chars)


def bvid_to_aid(bvid: str) -> int:
    chars = list(bvid)
    chars[3], chars[9] = chars[9], chars[3]
    chars[4], chars[7] = chars[7], chars[4]
    value = 0
    for char in chars[3:]:
        value = value * 58 + _BV_TABLE.index(char)
    return (value & _BV_MASK) ^ _BV_XOR


AID_SPRING = 1000101
AID_MULTIPAGE = 1000102
AID_HOSTILE = 1000103
AID_DELETED = 1000104
AID_CHARGE_ONLY = 1000105
AID_PRIVATE = 1000106
AIDS_SEASON = (1000201, 1000202, 1000203)
AIDS_SERIES = (1000301, 1000302)
AIDS_UP_B = tuple(range(1000401, 1000436))
AID_DOLBY = 1000501

BVID_SPRING = aid_to_bvid(AID_SPRING)
BVID_MULTIPAGE = aid_to_bvid(AID_MULTIPAGE)
BVID_HOSTILE = aid_to_bvid(AID_HOSTILE)
BVID_DELETED = aid_to_bvid(AID_DELETED)
BVID_CHARGE_ONLY = aid_to_bvid(AID_CHARGE_ONLY)
BVID_PRIVATE = aid_to_bvid(AID_PRIVATE)
BVIDS_SEASON = tuple(aid_to_bvid(aid) for aid in AIDS_SEASON)
BVIDS_SERIES = tuple(aid_to_bvid(aid) for aid in AIDS_SERIES)
BVIDS_UP_B = tuple(aid_to_bvid(aid) for aid in AIDS_UP_B)
BVID_DOLBY = aid_to_bvid(AID_DOLBY)

B23_LINKS = {
    "Fav101a": f"https://space.bilibili.com/{ACCOUNT_MID}/favlist?fid={FAV_ID}",
    "Ss401bX": f"https://www.bilibili.com/bangumi/play/ss{BANGUMI_SEASON_1}",
    "Col3001": f"https://space.bilibili.com/{UP_A_MID}/channel/collectiondetail?sid={SEASON_ID}",
    "Ser4001": f"https://space.bilibili.com/{UP_A_MID}/channel/seriesdetail?sid={SERIES_ID}",
    "Up2002q": f"https://space.bilibili.com/{UP_B_MID}",
    "Vid0101": f"https://www.bilibili.com/video/{BVID_SPRING}/?share_source=copy_web&vd_source=0f1e2d3c",
}

HOUR = 3600

# Quality ids a default video offers, best first (login decides which are returned).
DEFAULT_QUALITIES = (80, 64, 32, 16)
ALL_QUALITIES = (127, 126, 125, 120, 116, 112, 80, 64, 32, 16)


# --- data classes -----------------------------------------------------------------------


@dataclass
class Upper:
    mid: int
    name: str
    sign: str = ""


@dataclass
class Danmaku:
    dmid: int
    progress_ms: int
    mode: int
    fontsize: int
    color: int
    mid_hash: str
    content: str
    ctime: int
    weight: int
    pool: int = 0
    attr: int = 0


@dataclass
class Subtitle:
    id: int
    lan: str
    lan_doc: str
    is_ai: bool
    cues: list[tuple[float, float, str]]


@dataclass
class Page:
    cid: int
    page: int
    part: str
    duration: int
    width: int = 1920
    height: int = 1080
    rotate: int = 0
    subtitles: list[Subtitle] = field(default_factory=list)
    danmaku: list[Danmaku] = field(default_factory=list)


@dataclass
class Video:
    aid: int
    bvid: str
    title: str
    owner: int
    pubdate: int
    pages: list[Page]
    desc: str = ""
    staff: list[tuple[int, str]] = field(default_factory=list)  # (mid, role)
    tags: list[tuple[int, str]] = field(default_factory=list)  # (tag_id, tag_name)
    tid: int = 21
    tname: str = "日常"
    deleted: bool = False  # view/pagelist → -404; favorites list it as 已失效视频 (attr 1)
    view_code: int = 0  # non-zero: view/pagelist/playurl answer this code (62002/62004/62012)
    charge_only: bool = False  # is_upower_exclusive; playurl answers 87008
    durl_only: bool = False  # playurl has no dash, only a progressive mp4 in durl[]
    silent: bool = False  # dash.audio is null
    dolby: bool = False  # dash.dolby.audio has an E-AC-3 stream
    hires: bool = False  # dash.flac.audio has a FLAC stream
    qualities: tuple[int, ...] = DEFAULT_QUALITIES
    redirect_url: str = ""  # PGC episodes reached through their bvid
    in_space: bool = True  # listed in the owner's submissions

    @property
    def ctime(self) -> int:
        return self.pubdate - 600

    @property
    def duration(self) -> int:
        return sum(page.duration for page in self.pages)


@dataclass
class ListEntry:
    bvid: str
    added: int  # fav_time / add_at


@dataclass
class FavFolder:
    media_id: int
    fid: int
    mid: int
    title: str
    private: bool
    is_default: bool
    ctime: int
    entries: list[ListEntry] = field(default_factory=list)
    intro: str = ""

    @property
    def attr(self) -> int:
        # bit0 private, bit1 set = not the default folder
        return (1 if self.private else 0) | (0 if self.is_default else 2)


@dataclass
class Collection:
    """A 合集 (season) or a 列表 (series); `bvids` in the UP's order."""

    id: int
    mid: int
    name: str
    description: str
    ctime: int
    bvids: list[str] = field(default_factory=list)


@dataclass
class Episode:
    ep_id: int
    aid: int
    cid: int
    title: str  # the episode number as shown ("1", "PV")
    long_title: str
    pub_time: int
    duration_ms: int
    badge: str = ""
    section_type: int = 0
    vip_only: bool = False

    @property
    def bvid(self) -> str:
        return aid_to_bvid(self.aid)


@dataclass
class BangumiSeason:
    season_id: int
    media_id: int
    title: str
    season_title: str
    evaluate: str
    type: int
    episodes: list[Episode]
    sections: list[tuple[int, str, list[Episode]]] = field(default_factory=list)  # (type, title, eps)
    total: int = -1


@dataclass
class World:
    now: int
    account_mid: int
    account_vip: bool
    uppers: dict[int, Upper]
    videos: dict[str, Video]
    favorites: dict[int, FavFolder]
    seasons: dict[int, Collection]
    series: dict[int, Collection]
    watch_later: list[ListEntry]
    bangumi: dict[int, BangumiSeason]
    b23: dict[str, str]
    next_aid: int = 1100001
    next_cid: int = 6100001
    next_subtitle_id: int = 9100001

    # --- lookups ---------------------------------------------------------------------

    def video_by_aid(self, aid: int) -> Video | None:
        for video in self.videos.values():
            if video.aid == aid:
                return video
        return None

    def page_by_cid(self, cid: int) -> tuple[Video, Page] | None:
        for video in self.videos.values():
            for page in video.pages:
                if page.cid == cid:
                    return video, page
        return None

    def subtitle_by_id(self, subtitle_id: int) -> Subtitle | None:
        for video in self.videos.values():
            for page in video.pages:
                for subtitle in page.subtitles:
                    if subtitle.id == subtitle_id:
                        return subtitle
        return None

    def episode(self, ep_id: int) -> tuple[BangumiSeason, Episode] | None:
        for season in self.bangumi.values():
            for episode in all_episodes(season):
                if episode.ep_id == ep_id:
                    return season, episode
        return None

    def submissions(self, mid: int) -> list[Video]:
        """An UP's public uploads, newest first (what space arc/search lists)."""
        listed = [
            video
            for video in self.videos.values()
            if video.owner == mid
            and video.in_space
            and not video.deleted
            and video.view_code == 0
            and not video.redirect_url
        ]
        return sorted(listed, key=lambda video: video.pubdate, reverse=True)

    # --- mutations used by the control API -----------------------------------------------

    def allocate_aid(self) -> int:
        aid = self.next_aid
        self.next_aid += 1
        return aid

    def allocate_cid(self) -> int:
        cid = self.next_cid
        self.next_cid += 1
        return cid

    def add_page(self, bvid: str, part: str, duration: int = MEDIA_DURATION) -> Page:
        video = self.videos[bvid]
        page = Page(cid=self.allocate_cid(), page=len(video.pages) + 1, part=part, duration=duration)
        page.danmaku = make_danmaku(page.cid, duration, self.now)
        video.pages.append(page)
        return page

    def new_video(self, spec: dict[str, Any], *, default_owner: int) -> Video:
        """Build a video from a test's dict (see `FakeBilibili.add_video` for the keys)."""
        aid = int(spec["aid"]) if "aid" in spec else self.allocate_aid()
        bvid = str(spec.get("bvid") or aid_to_bvid(aid))
        if bvid in self.videos:
            raise ValueError(f"video {bvid} already exists")
        title = str(spec.get("title", f"新增视频 {aid}"))
        pages_spec = spec.get("pages", 1)
        if isinstance(pages_spec, int):
            pages_spec = [{"part": title if pages_spec == 1 else f"P{index}"} for index in range(1, pages_spec + 1)]
        video = Video(
            aid=aid,
            bvid=bvid,
            title=title,
            owner=int(spec.get("owner", default_owner)),
            pubdate=int(spec.get("pubdate", self.now)),
            pages=[],
            desc=str(spec.get("desc", "")),
            tags=[(90000 + index, str(name)) for index, name in enumerate(spec.get("tags", ["测试"]))],
            staff=[(int(mid), str(role)) for mid, role in spec.get("staff", [])],
            charge_only=bool(spec.get("charge_only", False)),
            durl_only=bool(spec.get("durl_only", False)),
            silent=bool(spec.get("silent", False)),
            dolby=bool(spec.get("dolby", False)),
            hires=bool(spec.get("hires", False)),
            view_code=int(spec.get("view_code", 0)),
            qualities=tuple(int(qn) for qn in spec.get("qualities", DEFAULT_QUALITIES)),
        )
        self.videos[bvid] = video
        for page_spec in pages_spec:
            self.add_page(bvid, str(page_spec.get("part", title)), int(page_spec.get("duration", MEDIA_DURATION)))
        return video


def all_episodes(season: BangumiSeason) -> list[Episode]:
    return season.episodes + [episode for _, _, episodes in season.sections for episode in episodes]


# --- default data -----------------------------------------------------------------------

_DANMAKU_LINES = (
    ("第一！", 1, 25, 16777215),
    ("前方高能", 5, 25, 16711680),
    ("哈哈哈哈哈", 1, 25, 16777215),
    ("字幕君在此", 4, 18, 65280),
    ("A&B <测试> \"引号\" '单引号'", 1, 36, 16776960),
    ("🎉 好看", 1, 25, 16738047),
    ("倒着飞的弹幕", 6, 25, 16777215),
    ("完结撒花", 1, 25, 3355443),
)


def make_danmaku(cid: int, duration: int, now: int) -> list[Danmaku]:
    """Eight comments in every 6-minute segment the page spans, spread over the segment."""
    comments: list[Danmaku] = []
    segment_count = max(1, -(-duration // 360))
    for segment in range(segment_count):
        start_ms = segment * 360_000
        span_ms = min(360_000, duration * 1000 - start_ms)
        for index, (content, mode, fontsize, color) in enumerate(_DANMAKU_LINES):
            sender = cid * 10 + index
            comments.append(
                Danmaku(
                    dmid=cid * 1000 + segment * 100 + index + 1,
                    progress_ms=start_ms + span_ms * (2 * index + 1) // (2 * len(_DANMAKU_LINES)),
                    mode=mode,
                    fontsize=fontsize,
                    color=color,
                    mid_hash=f"{zlib.crc32(str(sender).encode()):08x}",
                    content=content,
                    ctime=now - 86400 + index * 60,
                    weight=(index % 10) + 1,
                    pool=1 if mode == 4 else 0,
                )
            )
    return comments


def _cc_cues(language: str) -> list[tuple[float, float, str]]:
    if language == "en":
        return [(0.0, 1.2, "Hello, world."), (1.2, 2.4, "This is a test subtitle."), (2.4, 3.0, "Bye!")]
    return [(0.0, 1.2, "大家好。"), (1.2, 2.4, "这是一条测试字幕，\n分两行。"), (2.4, 3.0, "再见！")]


def _ai_cues() -> list[tuple[float, float, str]]:
    return [(0.1, 1.5, "大家好这是自动生成的字幕"), (1.5, 2.9, "识别可能不准确")]


def _video(
    aid: int,
    title: str,
    owner: int,
    pubdate: int,
    now: int,
    parts: list[tuple[str, int]] | None = None,
    **extra: Any,
) -> Video:
    pages = []
    for index, (part, duration) in enumerate(parts or [(title, MEDIA_DURATION)], start=1):
        cid = aid + 4_000_000 + (index - 1) * 10_000
        pages.append(Page(cid=cid, page=index, part=part, duration=duration, danmaku=make_danmaku(cid, duration, now)))
    return Video(aid=aid, bvid=aid_to_bvid(aid), title=title, owner=owner, pubdate=pubdate, pages=pages, **extra)


def build_default_world(now: int) -> World:
    uppers = {
        ACCOUNT_MID: Upper(ACCOUNT_MID, "同步测试员", "只是一个测试账号"),
        UP_A_MID: Upper(UP_A_MID, "甲UP主", "记录城市与料理"),
        UP_B_MID: Upper(UP_B_MID, "乙UP主", "每周更新"),
        UP_C_MID: Upper(UP_C_MID, "丙UP主", "剪辑师"),
    }
    videos: list[Video] = []

    spring = _video(
        AID_SPRING,
        "春日散步 Vlog",
        UP_A_MID,
        now - 50 * HOUR,
        now,
        desc="春天的公园里走一走。\n第二行简介。",
        tags=[(1001, "日常"), (1002, "Vlog"), (1003, "春天")],
    )
    spring.pages[0].subtitles = [
        Subtitle(9000101, "zh-CN", "中文（中国）", False, _cc_cues("zh-CN")),
        Subtitle(9000102, "en", "English", False, _cc_cues("en")),
    ]
    multipage = _video(
        AID_MULTIPAGE,
        "【三集连播】多P测试视频",
        UP_A_MID,
        now - 40 * HOUR,
        now,
        parts=[("第一集：出发", MEDIA_DURATION), ("第二集：路上", MEDIA_DURATION), ("第三集：到达", 725)],
        desc="三个分P，用来测试剧集目录。",
        staff=[(UP_A_MID, "UP主"), (UP_C_MID, "剪辑")],
        tags=[(1004, "旅行"), (1005, "合作")],
    )
    multipage.pages[0].subtitles = [
        Subtitle(9000103, "zh-CN", "中文（中国）", False, _cc_cues("zh-CN")),
        Subtitle(9000104, "ai-zh", "中文（自动生成）", True, _ai_cues()),
    ]
    hostile = _video(
        AID_HOSTILE,
        HOSTILE_TITLE,
        UP_C_MID,
        now - 30 * HOUR,
        now,
        desc="标题里什么都有。",
        tags=[(1006, "测试")],
    )
    deleted = _video(AID_DELETED, "被删除的视频", UP_C_MID, now - 90 * HOUR, now, deleted=True)
    charge_only = _video(
        AID_CHARGE_ONLY,
        "充电专属：幕后花絮",
        UP_A_MID,
        now - 35 * HOUR,
        now,
        charge_only=True,
        tags=[(1007, "花絮")],
    )
    private = _video(AID_PRIVATE, "仅自己可见的视频", UP_C_MID, now - 45 * HOUR, now, view_code=62012)
    videos += [spring, multipage, hostile, deleted, charge_only, private]

    season_videos = [
        _video(aid, f"城市漫游 第{index}站", UP_A_MID, now - (96 - 24 * index) * HOUR, now, tags=[(1008, "城市")])
        for index, aid in enumerate(AIDS_SEASON, start=1)
    ]
    series_videos = [
        _video(AIDS_SERIES[0], "料理笔记：番茄炒蛋", UP_A_MID, now - 60 * HOUR, now, tags=[(1009, "美食")]),
        _video(AIDS_SERIES[1], "料理笔记：红烧肉", UP_A_MID, now - 36 * HOUR, now, tags=[(1009, "美食")]),
    ]
    up_b_videos = [
        _video(
            aid,
            f"乙的投稿 第{index:02d}期",
            UP_B_MID,
            now - (36 - index) * 6 * HOUR,
            now,
            tags=[(1010, "周更")],
        )
        for index, aid in enumerate(AIDS_UP_B, start=1)
    ]
    dolby = _video(
        AID_DOLBY,
        "稍后再看：杜比与无损音轨",
        UP_A_MID,
        now - 20 * HOUR,
        now,
        dolby=True,
        hires=True,
        qualities=ALL_QUALITIES,
        tags=[(1011, "音乐"), (1012, "Hi-Res")],
    )
    videos += season_videos + series_videos + up_b_videos + [dolby]

    def episode(ep_id: int, aid: int, title: str, long_title: str, pub_time: int, **extra: Any) -> Episode:
        return Episode(ep_id, aid, aid + 4_000_000, title, long_title, pub_time, MEDIA_DURATION * 1000, **extra)

    season_one = BangumiSeason(
        season_id=BANGUMI_SEASON_1,
        media_id=BANGUMI_MEDIA_1,
        title="测试番剧",
        season_title="第一季",
        evaluate="一部用来测试同步的番剧。",
        type=1,
        total=3,
        episodes=[
            episode(EP_FIRST, 1000601, "1", "启程", now - 14 * 24 * HOUR),
            episode(EP_VIP, 1000602, "2", "相遇", now - 7 * 24 * HOUR, badge="会员", vip_only=True),
            episode(EP_PREVIEW, 1000603, "PV", "第二季预告", now - 6 * 24 * HOUR, badge="预告", section_type=1),
        ],
        sections=[(5, "PV&其他", [episode(EP_PV_SECTION, 1000609, "PV1", "先导PV", now - 20 * 24 * HOUR)])],
    )
    season_two = BangumiSeason(
        season_id=BANGUMI_SEASON_2,
        media_id=BANGUMI_MEDIA_2,
        title="测试番剧",
        season_title="第二季",
        evaluate="第二季，旅程继续。",
        type=1,
        total=-1,
        episodes=[
            episode(EPS_SEASON_2[0], 1000701, "1", "新的旅程", now - 2 * 24 * HOUR),
            episode(EPS_SEASON_2[1], 1000702, "2", "终点", now - 1 * 24 * HOUR),
        ],
    )
    for season in (season_one, season_two):
        for ep in all_episodes(season):
            title = f"{season.title} {season.season_title}：第{ep.title}话 {ep.long_title}"
            pgc_video = _video(
                ep.aid,
                title,
                UP_C_MID,
                ep.pub_time,
                now,
                redirect_url=f"https://www.bilibili.com/bangumi/play/ep{ep.ep_id}",
                tid=33,
                tname="连载动画",
            )
            pgc_video.pages[0].subtitles = (
                [Subtitle(9000200 + ep.ep_id % 1000, "zh-CN", "中文（中国）", False, _cc_cues("zh-CN"))]
                if ep.ep_id == EP_FIRST
                else []
            )
            videos.append(pgc_video)

    favorites = {
        FAV_ID: FavFolder(
            media_id=FAV_ID,
            fid=FAV_FID,
            mid=ACCOUNT_MID,
            title="同步测试收藏夹",
            private=False,
            is_default=True,
            ctime=now - 365 * 24 * HOUR,
            intro="什么都有一点",
            entries=[
                ListEntry(BVID_SPRING, now - 1 * HOUR),
                ListEntry(BVID_MULTIPAGE, now - 5 * HOUR),
                ListEntry(BVID_HOSTILE, now - 10 * HOUR),
                ListEntry(BVID_DELETED, now - 20 * HOUR),
                ListEntry(BVID_CHARGE_ONLY, now - 30 * HOUR),
                ListEntry(BVID_PRIVATE, now - 40 * HOUR),
            ],
        ),
        PRIVATE_FAV_ID: FavFolder(
            media_id=PRIVATE_FAV_ID,
            fid=2,
            mid=ACCOUNT_MID,
            title="私密收藏夹",
            private=True,
            is_default=False,
            ctime=now - 100 * 24 * HOUR,
        ),
    }
    return World(
        now=now,
        account_mid=ACCOUNT_MID,
        account_vip=True,
        uppers=uppers,
        videos={video.bvid: video for video in videos},
        favorites=favorites,
        seasons={
            SEASON_ID: Collection(
                SEASON_ID, UP_A_MID, "城市漫游", "跟着甲走遍城市。", now - 100 * HOUR, list(BVIDS_SEASON)
            )
        },
        series={
            SERIES_ID: Collection(
                SERIES_ID, UP_A_MID, "料理笔记", "家常菜做法合集。", now - 100 * HOUR, list(BVIDS_SERIES)
            )
        },
        watch_later=[ListEntry(BVID_DOLBY, now - 3 * HOUR), ListEntry(BVIDS_SEASON[0], now - 8 * HOUR)],
        bangumi={BANGUMI_SEASON_1: season_one, BANGUMI_SEASON_2: season_two},
        b23=dict(B23_LINKS),
    )
