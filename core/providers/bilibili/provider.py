"""Bilibili as a provider: links, sources, playback, danmaku, subtitles and logins.

This wraps the modules next to it (`api`, `links`, `login`, `streams`, `credential`) and
turns their Bilibili shapes into the shared ones of `core.providers.protocols`. Everything
needed to find an item again (bvid, aid, ep_id, cid, season_id) travels in `details`, which
only this module reads.
"""

from __future__ import annotations

import logging
import os
import urllib.parse
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from core.config import Config
from core.errors import ConfigError, DownloadError, LinkError, LoginExpiredError, PlaybackError, UnavailableError
from core.net import BROWSER_UA, RateLimiter, net_options
from core.playback.playable import Playable
from core.providers.bilibili import DISPLAY_NAME, api, items, links, login, streams
from core.providers.bilibili.client import REFERER, BiliClient, BiliHosts
from core.providers.bilibili.credential import (
    ENV_COOKIE,
    DamagedSecretError,
    credential_from_env,
    credential_from_secret,
    credential_to_secret,
    register_credential,
)
from core.providers.bilibili.models import (
    Credential,
    MediaStream,
    NavInfo,
    PageInfo,
    RemoteItem,
    SourceKind,
    SourceRef,
    Upper,
    VideoDetail,
)
from core.providers.bilibili.models import SubtitleTrack as BiliSubtitleTrack
from core.providers.protocols import (
    Danmaku,
    Episode,
    Listing,
    LoginCheck,
    LoginMethod,
    LoginResult,
    MediaItem,
    MediaPart,
    Person,
    Playback,
    Profile,
    ProviderSession,
    QrChallenge,
    QrStatus,
    SourcePreview,
    SourceTarget,
    Stream,
    SubtitleCue,
    SubtitleTrack,
)

log = logging.getLogger(__name__)

NAME = "bilibili"
# What people call each kind of source; also the default folder under the library root.
KIND_LABELS = {
    SourceKind.FAVORITE: "收藏夹",
    SourceKind.COLLECTION: "合集",
    SourceKind.SERIES: "列表",
    SourceKind.SUBMISSION: "投稿",
    SourceKind.WATCH_LATER: "稍后再看",
    SourceKind.BANGUMI: "番剧",
}
KIND_LABELS_EN = {
    SourceKind.FAVORITE: "Favorites",
    SourceKind.COLLECTION: "Collections",
    SourceKind.SERIES: "Series",
    SourceKind.SUBMISSION: "Uploads",
    SourceKind.WATCH_LATER: "Watch later",
    SourceKind.BANGUMI: "Bangumi",
}
# Lists that are not ordered by time: each scan reads them whole and hands back no cursor.
UNORDERED_KINDS = frozenset({SourceKind.COLLECTION, SourceKind.SERIES, SourceKind.BANGUMI})
DANMAKU_FORMAT = "bilibili-protobuf"
LISTED_INVALID = "deleted or invalid upstream"
NO_EPISODE_VIDEO = "the episode has no video upstream"
TRIAL_CLIP_ONLY = "only a trial clip of this episode is offered: it needs a 大会员 (VIP) login"
SITE = "https://www.bilibili.com"
# The CDN answers 403 without a bilibili Referer and a browser User-Agent.
MEDIA_HEADERS = {"Referer": REFERER, "User-Agent": BROWSER_UA}


# ---- Bilibili shapes → shared shapes --------------------------------------------------------


def _person(upper: Upper | None) -> Person | None:
    if upper is None or not upper.mid:
        return None
    return Person(id=str(upper.mid), name=upper.name, face=upper.face, role=upper.role)


def _target(ref: SourceRef) -> SourceTarget:
    return SourceTarget(
        provider=NAME,
        locator=ref.key,
        kind=ref.kind.value,
        kind_label=KIND_LABELS[ref.kind],
        kind_labels={"zh_CN": KIND_LABELS[ref.kind], "en": KIND_LABELS_EN[ref.kind]},
        needs_login=ref.kind is SourceKind.WATCH_LATER,
        shared_folder=ref.kind is SourceKind.BANGUMI,
    )


def _page_part(page: PageInfo, url: str) -> MediaPart:
    # Bilibili gives pages (and bangumi episodes) no description of their own: `intro` stays
    # empty and the library falls back to the video's.
    return MediaPart(
        key=str(page.cid),
        number=page.page,
        title=page.part,
        duration=page.duration,
        details={
            "cid": page.cid,
            "width": page.width,
            "height": page.height,
            "rotate": page.rotate,
            "first_frame": page.first_frame,
        },
        url=url,
    )


def _video_url(bvid: str) -> str:
    return f"{SITE}/video/{bvid}/"


def _page_url(bvid: str, page: int) -> str:
    return f"{SITE}/video/{bvid}/?p={page}"


def _episode_url(ep_id: object) -> str:
    return f"{SITE}/bangumi/play/ep{ep_id}"


def _season_url(season_id: object) -> str:
    return f"{SITE}/bangumi/play/ss{season_id}"


def _episode_part(item: RemoteItem) -> MediaPart:
    assert item.cid is not None
    width, height, rotate = item.dimension or (0, 0, 0)
    page = PageInfo(item.cid, 1, item.title, item.duration, width, height, rotate)
    return _page_part(page, _episode_url(item.ep_id))


def _media_item(item: RemoteItem) -> MediaItem:
    ids = {"bvid": item.bvid, "aid": item.aid, "ep_id": item.ep_id, "cid": item.cid, "season_id": item.season_id}
    common: dict[str, Any] = {
        "key": item.key,
        "title": item.title,
        "cover": item.cover,
        "intro": item.intro,
        "owner": _person(item.upper),
        "published_at": item.pubtime,
        "added_at": item.fav_time,
        "order_at": item.order_time,
        "duration": item.duration,
        "part_count": item.page_count,
        "unavailable": "" if item.valid else LISTED_INVALID,
        "url": _video_url(item.bvid) if item.ep_id is None else _episode_url(item.ep_id),
        "details": {name: value for name, value in ids.items() if value is not None},
    }
    if item.ep_id is None:
        return MediaItem(**common)
    # A bangumi episode: the season listing already says everything there is to know.
    show = item.show_season_id or item.season_id
    episode = Episode(
        item.series_title, item.season_number or 1, item.episode_number or 1,
        series_key=f"ss{show}" if show else "", series_url=_season_url(show) if show else "",
    )  # fmt: skip
    if item.cid is None:
        return MediaItem(**{**common, "unavailable": NO_EPISODE_VIDEO}, episode=episode)
    return MediaItem(**common, parts=(_episode_part(item),), complete=True, episode=episode)


def _episode_completed(item: MediaItem) -> MediaItem:
    """An episode as its listing gave it; one stored without its part gets it back from its cid."""
    if item.parts or item.unavailable:
        return replace(item, complete=True)
    cid = item.details.get("cid")
    if cid is None:
        return replace(item, unavailable=NO_EPISODE_VIDEO)
    page = PageInfo(int(cid), 1, item.title, item.duration)
    return replace(item, parts=(_page_part(page, item.url),), part_count=1, complete=True)


def _unavailable_reason(detail: VideoDetail) -> str:
    if detail.redirect_url:
        return "bangumi/film episode: add the bangumi itself as a source (ss:/ep: link)"
    if detail.charge_only:
        return "charge-only video (充电专属)"
    if detail.state != 0:
        return f"not public upstream (state {detail.state})"
    return ""


def _completed(item: MediaItem, detail: VideoDetail) -> MediaItem:
    people = [_person(upper) for upper in detail.staff or [detail.owner]]
    parts = tuple(_page_part(page, _page_url(detail.bvid, page.page)) for page in detail.pages)
    return replace(
        item,
        title=detail.title,
        cover=detail.cover,
        intro=detail.intro,
        owner=_person(detail.owner) or item.owner,
        people=tuple(person for person in people if person is not None),
        tags=tuple(detail.tags),
        published_at=detail.pubtime,
        duration=detail.duration,
        part_count=len(parts),
        parts=parts,
        complete=True,
        unavailable=_unavailable_reason(detail),
        details={**item.details, "bvid": detail.bvid, "aid": detail.aid},
    )


def _profile(nav: NavInfo) -> Profile:
    return Profile(user_id=str(nav.mid), name=nav.uname, avatar=nav.face, vip=nav.vip_status == 1)


def _cursor_time(cursor: str | None) -> datetime | None:
    if not cursor:
        return None
    try:
        moment = datetime.fromisoformat(cursor)
    except ValueError:
        log.warning("ignoring an unreadable scan cursor %r: the source is listed from the start", cursor[:40])
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _deadline(urls: list[str]) -> datetime | None:
    """When a CDN URL stops working (`deadline=<unix seconds>` in its query)."""
    values = urllib.parse.parse_qs(urllib.parse.urlsplit(urls[0]).query).get("deadline") if urls else None
    if not values or not values[0].isascii() or not values[0].isdigit():
        return None
    return datetime.fromtimestamp(int(values[0]), tz=UTC)


def _video_stream(stream: MediaStream) -> Stream:
    return Stream(
        kind="muxed" if stream.kind == "durl" else "video",
        urls=tuple(stream.urls),
        quality=streams.video_quality_label(stream),
        codec=streams.video_codec_label(stream),
        size=stream.size,
        headers=MEDIA_HEADERS,
    )


def _audio_stream(stream: MediaStream) -> Stream:
    return Stream(
        kind="audio",
        urls=tuple(stream.urls),
        quality=streams.audio_quality_label(stream),
        codec=streams.audio_codec_label(stream),
        size=stream.size,
        headers=MEDIA_HEADERS,
    )


def _client(session: ProviderSession) -> BiliClient:
    if not isinstance(session, BiliClient):
        raise TypeError(f"not a Bilibili session: {type(session).__name__}")
    return session


def _ref(target: SourceTarget) -> SourceRef:
    if target.provider != NAME:
        raise ConfigError(f"the source {target.locator!r} belongs to {target.provider!r}, not to Bilibili")
    return links.parse_link(target.locator)


def _part_cid(part: MediaPart) -> int:
    return int(part.details.get("cid") or part.key)


# ---- the provider ---------------------------------------------------------------------------


class BilibiliProvider:
    """Bilibili: parses links, scans sources, resolves playback, danmaku, subtitles and logins.

    Sessions are `BiliClient`s; all of them share one API rate limiter, because the limit
    protects the IP, not the account.
    """

    name = NAME
    display_name = DISPLAY_NAME
    login_variable = ENV_COOKIE
    link_help = links.ACCEPTED_FORMS
    item_help = items.ACCEPTED_FORMS
    login_methods = (LoginMethod.QR, LoginMethod.COOKIE)

    def __init__(self, config: Config) -> None:
        self.config = config
        self.hosts = BiliHosts(
            api=config["bilibili.api_host"],
            passport=config["bilibili.passport_host"],
            www=config["bilibili.www_host"],
            comment=config["bilibili.comment_host"],
            b23=config["bilibili.b23_host"],
        )
        self.net = net_options(config)
        self.limiter = RateLimiter(config["limits.api_calls"], config["limits.api_window_ms"] / 1000)

    # ---- sessions ---------------------------------------------------------------------------

    def _new_client(self, credential: Credential | None) -> BiliClient:
        return BiliClient(hosts=self.hosts, net=self.net, credential=credential, limiter=self.limiter)

    async def open_session(self, secret: str | None) -> BiliClient:
        """A client logged in with `secret` (None: anonymous); the caller closes it."""
        credential = None
        if secret is not None:
            try:
                credential = credential_from_secret(secret)
            except DamagedSecretError:
                raise LoginExpiredError("The saved Bilibili login is damaged; log in again") from None
        return self._new_client(credential)

    def secret_from_environment(self) -> str | None:
        credential = credential_from_env(os.environ)  # the process's own, whatever the settings came from
        return None if credential is None else credential_to_secret(credential)

    async def fetch_image(self, session: ProviderSession, url: str) -> bytes:
        return await api.fetch_image(_client(session), url)

    def template_variables(self, item: MediaItem, part: MediaPart | None) -> dict[str, Any]:
        """`bvid` and `ep_id` (empty for ordinary videos)."""
        ep_id = item.details.get("ep_id")
        return {"bvid": str(item.details.get("bvid") or ""), "ep_id": "" if ep_id is None else ep_id}

    # ---- links ------------------------------------------------------------------------------

    def claims(self, text: str) -> bool:
        own = (self.hosts.api, self.hosts.passport, self.hosts.www, self.hosts.comment, self.hosts.b23)
        return links.is_bilibili_text(text, own)

    async def resolve_link(self, session: ProviderSession, text: str) -> SourceTarget:
        """The source a link names; bangumi episode and media links come back as their season."""
        if not self.claims(text):
            shown = text.strip()[:200]
            raise LinkError(f"{shown!r} is not a Bilibili link.\n{links.ACCEPTED_FORMS}")
        client = _client(session)
        ref = await links.resolve_link(client, text)
        return _target(await api.resolve_bangumi(client, ref))

    async def describe(self, session: ProviderSession, target: SourceTarget) -> SourcePreview:
        info = await api.describe_source(_client(session), _ref(target))
        return SourcePreview(
            target=_target(info.ref), title=info.title, owner=_person(info.owner), count=info.count, cover=info.cover
        )

    # ---- one video or episode to play (ItemParser) -------------------------------------------

    def _own_hosts(self) -> tuple[str, ...]:
        return (self.hosts.api, self.hosts.passport, self.hosts.www, self.hosts.comment, self.hosts.b23)

    def claims_item(self, text: str) -> bool:
        return items.claims(text, self._own_hosts())

    async def parse_item(self, session: ProviderSession, text: str) -> MediaItem:
        """A video with all its pages as parts (`?p=N` is kept as `details["page"]`), or one
        bangumi episode as a one-part item."""
        client = _client(session)
        found = await items.resolve_video_link(client, text)
        if found.ep_id is not None:
            return _media_item(await items.episode_of(client, found.ep_id))
        detail = await api.fetch_detail(client, found.bvid)
        if detail.redirect_url and (episode := items.parse_video_link(detail.redirect_url)) and episode.ep_id:
            return _media_item(await items.episode_of(client, episode.ep_id))
        item = _completed(MediaItem(key=detail.bvid, title=detail.title, url=_video_url(detail.bvid)), detail)
        if item.unavailable:
            raise UnavailableError(f"{detail.title or found.bvid} cannot be played: {item.unavailable}")
        return replace(item, details={**item.details, "page": found.page})

    async def resolve_playable(
        self, session: ProviderSession, item: MediaItem, part: MediaPart, *, quality: str | None = None
    ) -> Playable:
        """DASH video + audio (or one progressive file) at `quality` ("1080p", "1080p@hevc", "@av1";
        None = the `quality.*` settings' choice); every quality offered is listed, best first."""
        ep_id = item.details.get("ep_id")
        play = await api.fetch_playinfo(
            _client(session), bvid=str(item.details.get("bvid") or ""), cid=_part_cid(part),
            ep_id=None if ep_id is None else int(ep_id),
        )  # fmt: skip
        if play.is_preview:
            raise UnavailableError(TRIAL_CLIP_ONLY)
        offered = sorted({s.id for s in play.video or play.durl}, reverse=True)
        labels = tuple(streams.VIDEO_QUALITY_LABELS.get(qn, f"qn{qn}") for qn in offered)
        prefs = streams.prefs_from_config(self.config)
        label, _, codec = (quality or "").lower().partition("@")  # "1080p", "1080p@hevc" or "@av1"
        if codec and codec not in streams.CODEC_NAMES:
            raise PlaybackError(f"unknown codec {codec!r}; use avc, hevc or av1")
        if label:
            wanted = next((qn for qn, name in zip(offered, labels, strict=True) if name == label), None)
            if wanted is None:
                raise PlaybackError(f"quality {quality!r} is not offered for this video; choose one of "
                                    f"{', '.join(labels) or 'none'}")  # fmt: skip
            prefs = replace(prefs, video_max_qn=wanted, video_min_qn=wanted, no_hdr=False, no_dolby_video=False)
        if label or codec:  # the wanted codec first, then any other rather than nothing
            order = (codec, *prefs.codecs) if codec else prefs.codecs
            prefs = replace(prefs, codecs=tuple(dict.fromkeys((*order, "avc", "hevc", "av1"))))
        try:
            choice = streams.select_streams(play, prefs)
        except DownloadError as exc:
            raise PlaybackError(str(exc)) from None
        chosen = [_video_stream(choice.video)]
        deadlines = [_deadline(choice.video.urls)]
        if choice.audio is not None:
            chosen.append(_audio_stream(choice.audio))
            deadlines.append(_deadline(choice.audio.urls))
        known = [moment for moment in deadlines if moment is not None]
        playback = Playback(streams=tuple(chosen), danmaku=True, expires_at=min(known) if known else None)
        return Playable(playback=playback, quality=streams.video_quality_label(choice.video), qualities=labels,
                        format="dash" if choice.audio is not None else "mp4",
                        duration=float(part.duration or item.duration))  # fmt: skip

    # ---- sources ----------------------------------------------------------------------------

    async def scan(self, session: ProviderSession, target: SourceTarget, cursor: str | None) -> Listing:
        """Collections, series and bangumi whole (no cursor). Favorites and UP uploads up to
        the page that reaches the cursor (the newest order time seen, ISO 8601), every item of
        the pages read included; whole when there was no cursor. Watch later comes whole."""
        ref = _ref(target)
        since = None if ref.kind in UNORDERED_KINDS else _cursor_time(cursor)
        remote = [item async for item in api.scan_source(_client(session), ref, since)]
        items = [_media_item(item) for item in remote]
        if ref.kind in UNORDERED_KINDS:
            return Listing(items=items, cursor=None, whole=True)
        times = [item.order_time for item in remote]
        newest = max([*times, *([since] if since is not None else [])], default=None)
        return Listing(
            items=items,
            cursor=newest.isoformat() if newest is not None else None,
            whole=since is None or ref.kind is SourceKind.WATCH_LATER,
            span=(min(times), max(times)) if times else None,
        )

    async def list_keys(self, session: ProviderSession, target: SourceTarget) -> set[str]:
        return await api.list_keys(_client(session), _ref(target))

    async def complete(self, session: ProviderSession, item: MediaItem) -> MediaItem:
        """Parts, tags and people from the video's view (asked again even for a complete item:
        that is how new parts are found); why it cannot be downloaded, if so. A bangumi
        episode is complete from its listing and costs no request."""
        if "ep_id" in item.details:
            return _episode_completed(item)
        if item.unavailable:
            return item
        try:
            detail = await api.fetch_detail(_client(session), str(item.details.get("bvid") or item.key))
        except UnavailableError as exc:
            return replace(item, unavailable=str(exc))
        return _completed(item, detail)

    # ---- playback ---------------------------------------------------------------------------

    async def resolve(self, session: ProviderSession, item: MediaItem, part: MediaPart) -> Playback:
        """The streams the `quality.*` settings choose: video + audio (or video alone when it
        is silent), or one muxed file. URLs expire after about two hours."""
        ep_id = item.details.get("ep_id")
        play = await api.fetch_playinfo(
            _client(session),
            bvid=str(item.details.get("bvid") or ""),
            cid=_part_cid(part),
            ep_id=None if ep_id is None else int(ep_id),
        )
        if play.is_preview:
            raise UnavailableError(TRIAL_CLIP_ONLY)
        choice = streams.select_streams(play, streams.prefs_from_config(self.config))
        chosen = [_video_stream(choice.video)]
        deadlines = [_deadline(choice.video.urls)]
        if choice.audio is not None:
            chosen.append(_audio_stream(choice.audio))
            deadlines.append(_deadline(choice.audio.urls))
        known = [moment for moment in deadlines if moment is not None]
        return Playback(streams=tuple(chosen), danmaku=True, expires_at=min(known) if known else None)

    async def danmaku(self, session: ProviderSession, item: MediaItem, part: MediaPart) -> Danmaku:
        duration = part.duration or item.duration or 1
        segments = await api.fetch_danmaku_segments(_client(session), _part_cid(part), duration)
        return Danmaku(format=DANMAKU_FORMAT, segments=tuple(segments))

    async def subtitle_tracks(self, session: ProviderSession, item: MediaItem, part: MediaPart) -> list[SubtitleTrack]:
        """CC tracks (AI ones marked `generated`); empty when logged out."""
        tracks = await api.fetch_subtitle_tracks(_client(session), str(item.details.get("bvid") or ""), _part_cid(part))
        return [SubtitleTrack(lang=t.lan, label=t.lan_doc, url=t.url, generated=t.is_ai) for t in tracks]

    async def subtitle_cues(self, session: ProviderSession, track: SubtitleTrack) -> list[SubtitleCue]:
        bili_track = BiliSubtitleTrack(lan=track.lang, lan_doc=track.label, url=track.url, is_ai=track.generated)
        cues = await api.fetch_subtitle_cues(_client(session), bili_track)
        return [SubtitleCue(start=cue.start, end=cue.end, text=cue.content) for cue in cues]

    # ---- logins -----------------------------------------------------------------------------

    async def _login_of(self, credential: Credential) -> LoginResult:
        """The credential as a login to keep, confirmed with `nav`."""
        register_credential(credential)
        async with self._new_client(credential) as client:
            nav = await api.ensure_login(client)
        return LoginResult(secret=credential_to_secret(credential), profile=_profile(nav))

    async def qr_start(self) -> QrChallenge:
        async with self._new_client(None) as client:
            ticket = await login.qr_generate(client)
        return QrChallenge(url=ticket.url, key=ticket.key)

    async def qr_poll(self, challenge: QrChallenge) -> QrStatus:
        """One poll: call it every two seconds or so until the state is expired or confirmed."""
        async with self._new_client(None) as client:
            poll = await login.qr_poll(client, challenge.key)
        if poll.credential is None:
            return QrStatus(poll.state)
        return QrStatus("confirmed", await self._login_of(poll.credential))

    async def login_with(self, method: LoginMethod, fields: Mapping[str, str]) -> LoginResult:
        """Cookies (`fields["cookie"]`): a Cookie header, a cookies.txt or a JSON export."""
        if method != LoginMethod.COOKIE:
            raise ConfigError(f"Bilibili logs in with a QR code or cookies, not with {method!s}")
        credential = login.parse_cookie_text(fields.get("cookie", ""))
        try:
            return await self._login_of(credential)
        except LoginExpiredError:
            raise LoginExpiredError(
                "Bilibili did not accept this cookie: it is not a logged-in session (signed out, expired, "
                "or copied incompletely); copy it again from a bilibili.com tab where you are logged in"
            ) from None

    async def check_login(self, session: ProviderSession, *, refresh: bool) -> LoginCheck:
        """Confirm the login with `nav`. With `refresh`, first renew the cookies if Bilibili
        asks for it (a failed renewal is only logged: the login often works a while longer).
        An expired login gets one strict renewal, when a refresh token is stored and none
        was tried yet, before it is judged."""
        client = _client(session)
        if client.credential is None:
            raise LoginExpiredError("Not logged in to Bilibili; log in first")
        before = credential_to_secret(client.credential)
        if refresh:
            try:
                await login.refresh_if_needed(client)
            except LoginExpiredError as exc:
                log.warning("could not refresh the Bilibili login: %s", exc)
        try:
            nav = await api.ensure_login(client)
        except LoginExpiredError:
            if refresh or not client.credential.ac_time_value:
                raise
            await login.refresh_if_needed(client)
            nav = await api.ensure_login(client)
        after = credential_to_secret(client.credential)
        return LoginCheck(profile=_profile(nav), secret=after if after != before else None)
