"""Emby and Jellyfin as providers: login, browse, search, playback, subtitles, mirror sync and
playback reports. `EmbyProvider` and `JellyfinProvider` differ only in the server they log in
to; a session follows whatever server its login names (see `server.py` for the differences).

Folder keys are paths of item ids: `/` lists the user's libraries (views), `/VIEW` a library,
`/VIEW/SERIES/SEASON` a season; only the last id is read, the rest is where it was found (so
a dynamic playlist folder can check a sub-path stays inside its root). A bare id works too.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from dataclasses import replace
from typing import Any, ClassVar

import httpx
import pysubs2

from core.config import Config
from core.errors import ApiError, ConfigError, TransientError, UnavailableError
from core.net import RateLimiter, make_client, net_options
from core.providers.emby import items as emby_items
from core.providers.emby import playback as emby_playback
from core.providers.emby.client import (
    EmbySession,
    PlaySession,
    authenticate,
    check_status,
    find_server,
    normalized_url,
)
from core.providers.emby.device import device_id, device_name
from core.providers.emby.secret import ServerLogin, login_from_secret, login_to_secret
from core.providers.emby.server import DISPLAY_NAMES, ServerKind
from core.providers.protocols import (
    FolderPage,
    Listing,
    LoginCheck,
    LoginMethod,
    LoginResult,
    MediaItem,
    MediaPart,
    Playback,
    PlaybackEvent,
    Profile,
    ProviderSession,
    QrChallenge,
    QrStatus,
    SourceTarget,
    SubtitleCue,
    SubtitleTrack,
)

log = logging.getLogger(__name__)

SCAN_PAGE = 200  # items per request when a library is listed whole
SEARCH_PAGE = 50
PROGRESS_EVENTS = {"progress": "timeupdate", "pause": "pause", "unpause": "unpause"}


def _session(session: ProviderSession) -> EmbySession:
    if not isinstance(session, EmbySession):
        raise TypeError(f"not an Emby/Jellyfin session: {type(session).__name__}")
    return session


def _steps(key: str) -> list[str]:
    return [step for step in key.strip().split("/") if step]


def _looks_like_id(step: str, kind: ServerKind) -> bool:
    """Emby's item ids are numbers, Jellyfin's 32 hex digits (a GUID without dashes)."""
    if kind is ServerKind.EMBY:
        return step.isascii() and step.isdigit()
    return len(step) == 32 and all(c in "0123456789abcdefABCDEF" for c in step)


def _key_steps(rows: list[dict[str, Any]], kind: ServerKind) -> list[str]:
    """How each child is named in its key: by its name where that is unambiguous in the page
    and safe in a path, else by its id (two "Season 1", a name with a slash, a numeric title
    on Emby where ids are numbers)."""
    names = [str(raw.get("Name") or "") for raw in rows]
    seen = Counter(name.casefold() for name in names)
    steps = []
    for name, raw in zip(names, rows, strict=True):
        safe = (
            name and name == name.strip() and seen[name.casefold()] == 1 and name not in (".", "..")
            and not any(c in name for c in "/\\") and not any(ord(c) < 32 for c in name)
            and not _looks_like_id(name, kind)
        )  # fmt: skip
        steps.append(name if safe else str(raw["Id"]))
    return steps


class MediaServerProvider:
    """What Emby and Jellyfin share; subclasses name the kind of server they log in to."""

    kind: ClassVar[ServerKind]
    name: ClassVar[str]
    display_name: ClassVar[str]
    login_variable = ""
    login_methods = (LoginMethod.PASSWORD,)

    def __init__(self, config: Config) -> None:
        self.config = config
        self.net = net_options(config)
        self.limiter = RateLimiter(config["limits.api_calls"], config["limits.api_window_ms"] / 1000)

    # ---- sessions ---------------------------------------------------------------------------

    def device_id(self) -> str:
        return device_id(self.config.data_dir)

    async def open_session(self, secret: str | None) -> EmbySession:
        login = login_from_secret(secret, self.display_name) if secret is not None else None
        return EmbySession(
            http=make_client(self.net), limiter=self.limiter, display_name=self.display_name,
            device_name=device_name(), login=login,
        )  # fmt: skip

    def secret_from_environment(self) -> str | None:
        return None

    async def fetch_image(self, session: ProviderSession, url: str) -> bytes:
        client = _session(session)
        own = client.login is not None and url.startswith(client.login.server)
        try:
            response = await client.http.get(url, headers=client.headers() if own else None)
        except httpx.HTTPError as exc:
            raise TransientError(f"cannot fetch {url}: {exc or type(exc).__name__}") from None
        check_status(response, client.server_name if client.login else url)
        return response.content

    def template_variables(self, item: MediaItem, part: MediaPart | None) -> dict[str, Any]:
        return {}

    # ---- logins -----------------------------------------------------------------------------

    async def qr_start(self) -> QrChallenge:
        raise ConfigError(f"{self.display_name} logs in with a user name and password, not a QR code")

    async def qr_poll(self, challenge: QrChallenge) -> QrStatus:
        raise ConfigError(f"{self.display_name} logs in with a user name and password, not a QR code")

    async def login_with(self, method: LoginMethod, fields: Mapping[str, str]) -> LoginResult:
        """`server` (http://host:8096, a prefix such as /emby is found), `username`, `password`
        (may be empty). A server of the other kind is refused, naming the right one."""
        if method != LoginMethod.PASSWORD:
            raise ConfigError(f"{self.display_name} logs in with a server address, a user name and a password")
        username = fields.get("username", "").strip()
        if not username:
            raise ConfigError(f"{self.display_name} needs a user name to log in")
        async with make_client(self.net) as http:
            info = await find_server(http, fields.get("server", ""))
            if info.kind is not self.kind:
                raise ConfigError(
                    f"{normalized_url(fields.get('server', ''))} runs {info.display}, not {self.display_name}: "
                    f"log in to it as {info.kind.value}"
                )
            login, user = await authenticate(
                http, info, username, fields.get("password", ""), device_name=device_name(), device_id=self.device_id()
            )  # fmt: skip
        return LoginResult(secret=login_to_secret(login), profile=self._profile(login, user))

    def _profile(self, login: ServerLogin, user: Mapping[str, Any]) -> Profile:
        avatar = emby_items.image_url(login, login.user_id, user.get("PrimaryImageTag"), width=200)
        admin = bool((user.get("Policy") or {}).get("IsAdministrator"))
        name = str(user.get("Name") or login.user_name)
        return Profile(user_id=login.user_id, name=name, avatar=avatar, vip=admin, server_url=login.server)

    async def check_login(self, session: ProviderSession, *, refresh: bool) -> LoginCheck:
        """The user as the server knows them now (401: the token was revoked). With `refresh`,
        the server's version is read again: an upgrade (say Jellyfin 10 → 12) is kept."""
        client = _session(session)
        login = client.require_login()
        user = await client.get_json(f"/Users/{login.user_id}")
        secret = None
        if refresh:
            info = await find_server(client.http, login.server)
            if info.version != login.version and info.kind is login.kind:
                client.login = login = replace(login, version=info.version)
                secret = login_to_secret(login)
        return LoginCheck(profile=self._profile(login, user), secret=secret)

    # ---- browsing ---------------------------------------------------------------------------

    async def _item_id(self, client: EmbySession, key: str) -> str:
        """The item a folder key names ("" = the libraries). Its last id is enough; a step that
        is a name (`/Movies/Film One`, as a person types it) is looked up among the children of
        the step before it."""
        steps = _steps(key)
        kind = client.require_login().kind
        ids = [index for index, step in enumerate(steps) if _looks_like_id(step, kind)]
        if ids and ids[-1] == len(steps) - 1:
            return steps[-1]
        start = ids[-1] + 1 if ids else 0
        parent = steps[start - 1] if start else ""
        for step in steps[start:]:
            parent = await self._child_named(client, parent, step, key)
        return parent

    async def _child_named(self, client: EmbySession, parent: str, name: str, key: str) -> str:
        wanted = name.casefold()
        if (parent, wanted) in client.names:
            return client.names[(parent, wanted)]
        start = 0
        while True:
            rows, total = await self._children(client, parent, start, SCAN_PAGE, fields="")
            self._learn(client, rows, parent)
            for raw in rows:
                if str(raw.get("Name") or "").casefold() == wanted:
                    return str(raw["Id"])
            start += len(rows)
            if not rows or start >= total:
                raise UnavailableError(f"{self.display_name} has no {name!r} in {key!r}")

    async def _kind_of(self, client: EmbySession, item_id: str) -> tuple[str, str, dict[str, Any] | None]:
        """(Type, SeriesId, the item's JSON when it had to be asked for)."""
        if item_id in client.kinds:
            kind, series = client.kinds[item_id]
            return kind, series, None
        login = client.require_login()
        raw = await client.get_json(f"/Users/{login.user_id}/Items/{item_id}")
        self._learn(client, [raw])
        return str(raw.get("Type") or ""), str(raw.get("SeriesId") or ""), raw

    @staticmethod
    def _learn(client: EmbySession, raws: list[dict[str, Any]], parent: str | None = None) -> None:
        """Remember each item's type (and, listed in `parent`, its name there) for later keys."""
        for raw in raws:
            if raw.get("Id"):
                client.kinds[str(raw["Id"])] = (str(raw.get("Type") or ""), str(raw.get("SeriesId") or ""))
                if parent is not None and raw.get("Name"):
                    client.names.setdefault((parent, str(raw["Name"]).casefold()), str(raw["Id"]))

    async def _children(
        self, client: EmbySession, item_id: str, start: int, limit: int | None, *, fields: str = emby_items.LIST_FIELDS
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of a folder's children (all of them with `limit=None`) and their total."""
        login = client.require_login()
        paging = {"StartIndex": start, "Limit": limit}
        if not item_id:
            answer = await client.get_json(f"/Users/{login.user_id}/Views")
            rows = list(answer.get("Items") or [])
            total = int(answer.get("TotalRecordCount") or len(rows))
            return rows[start : None if limit is None else start + limit], total
        kind, series_id, _ = await self._kind_of(client, item_id)
        if kind == "Series":
            answer = await client.get_json(f"/Shows/{item_id}/Seasons", {"UserId": login.user_id, "Fields": fields})
            rows = list(answer.get("Items") or [])
            return rows[start : None if limit is None else start + limit], len(rows)
        if kind == "Season":
            params = {"UserId": login.user_id, "SeasonId": item_id, "Fields": fields, **paging}
            answer = await client.get_json(f"/Shows/{series_id}/Episodes", params)
        else:
            params = {"ParentId": item_id, "Fields": fields, "SortBy": "SortName", "SortOrder": "Ascending", **paging}
            answer = await client.get_json(f"/Users/{login.user_id}/Items", params)
        rows = list(answer.get("Items") or [])
        return rows, int(answer.get("TotalRecordCount") if answer.get("TotalRecordCount") is not None else len(rows))

    async def browse(self, session: ProviderSession, folder: str, page: int, per_page: int) -> FolderPage:
        """Page `page` (from 1) of a folder, `per_page` entries (all when 0 or less)."""
        client = _session(session)
        login = client.require_login()
        page = max(1, page)
        limit = per_page if per_page > 0 else None
        item_id = await self._item_id(client, folder)
        if item_id:
            kind, _, raw = await self._kind_of(client, item_id)
            if kind in emby_items.PLAYABLE_TYPES:  # a file's key: the page shows the file itself, under that key
                raw = raw or await client.get_json(f"/Users/{login.user_id}/Items/{item_id}")
                entry = emby_items.folder_entry(login, "/", raw)
                return FolderPage(entries=(replace(entry, key=folder.strip().rstrip("/")),), total=1, page=1)
        rows, total = await self._children(client, item_id, (page - 1) * (limit or 0), limit)
        self._learn(client, rows, item_id)
        base = folder.strip() or "/"
        steps = _key_steps(rows, login.kind)
        entries = tuple(emby_items.folder_entry(login, base, raw, step) for raw, step in zip(rows, steps, strict=True))
        return FolderPage(entries=entries, total=total, page=page)

    async def search(self, session: ProviderSession, query: str, page: int) -> list[MediaItem]:
        """Movies, episodes and videos whose name matches, `SEARCH_PAGE` a page (from 1): things
        to play (a series is found by browsing)."""
        client = _session(session)
        login = client.require_login()
        if not query.strip():
            raise ConfigError("nothing to search for")
        params = {
            "SearchTerm": query.strip(), "Recursive": "true", "Fields": emby_items.LIST_FIELDS,
            "IncludeItemTypes": "Movie,Episode,Video,MusicVideo", "StartIndex": (max(1, page) - 1) * SEARCH_PAGE,
            "Limit": SEARCH_PAGE,
        }  # fmt: skip
        answer = await client.get_json(f"/Users/{login.user_id}/Items", params)
        rows = list(answer.get("Items") or [])
        self._learn(client, rows)
        return [emby_items.media_item(login, raw, complete=True) for raw in rows]

    # ---- mirror sync ------------------------------------------------------------------------

    async def _all(self, client: EmbySession, path: str, params: dict[str, Any]) -> AsyncIterator[dict[str, Any]]:
        """Every row of a paged listing."""
        start = 0
        while True:
            answer = await client.get_json(path, {**params, "StartIndex": start, "Limit": SCAN_PAGE})
            rows = list(answer.get("Items") or [])
            for raw in rows:
                yield raw
            start += len(rows)
            total = answer.get("TotalRecordCount")
            if not rows or (total is not None and start >= int(total)) or (total is None and len(rows) < SCAN_PAGE):
                return

    async def _episodes(self, client: EmbySession, series_id: str, season_id: str = "") -> list[dict[str, Any]]:
        login = client.require_login()
        params = {"UserId": login.user_id, "SeasonId": season_id, "Fields": emby_items.FULL_FIELDS}
        return [raw async for raw in self._all(client, f"/Shows/{series_id}/Episodes", params)]

    async def _scan_rows(self, client: EmbySession, locator: str, fields: str) -> tuple[str, list[dict[str, Any]]]:
        """The kind of the mirrored folder, and what a mirror of it holds: the episodes of a
        series or season; otherwise movies, videos and series anywhere below it."""
        login = client.require_login()
        item_id = await self._item_id(client, locator)
        kind, series_id, _ = await self._kind_of(client, item_id) if item_id else ("", "", None)
        if kind == "Series":
            return kind, await self._episodes(client, item_id)
        if kind == "Season":
            return kind, await self._episodes(client, series_id, item_id)
        if kind in emby_items.PLAYABLE_TYPES:
            return kind, [await client.get_json(f"/Users/{login.user_id}/Items/{item_id}")]
        params = {"ParentId": item_id, "Recursive": "true", "IncludeItemTypes": emby_items.SCANNED_TYPES,
                  "Fields": fields, "SortBy": "DateCreated,SortName", "SortOrder": "Ascending"}  # fmt: skip
        return kind, [raw async for raw in self._all(client, f"/Users/{login.user_id}/Items", params)]

    async def scan(self, session: ProviderSession, target: SourceTarget, cursor: str | None) -> Listing:
        """The whole folder every time (one request per 200 items), keyed by the server's item
        ids: new ids are new items, missing ones were removed upstream. Episodes of a mirrored
        series come complete; movies and series are completed one by one when new."""
        client = _session(session)
        login = client.require_login()
        _, rows = await self._scan_rows(client, target.locator, emby_items.SCAN_FIELDS)
        found = []
        for raw in rows:
            complete = raw.get("Type") in emby_items.PLAYABLE_TYPES and raw.get("Type") == "Episode"
            found.append(emby_items.media_item(login, raw, complete=complete))
        return Listing(items=found, cursor=None, whole=True)

    async def list_keys(self, session: ProviderSession, target: SourceTarget) -> set[str]:
        _, rows = await self._scan_rows(_session(session), target.locator, "Etag")
        return {str(raw["Id"]) for raw in rows}

    async def complete(self, session: ProviderSession, item: MediaItem) -> MediaItem:
        """The item with people, genres and tags (`/Users/{id}/Items/{item}`); a series with its
        episodes as parts. Gone upstream: UnavailableError."""
        client = _session(session)
        login = client.require_login()
        item_id = str(item.details.get("id") or item.key)
        raw = await client.get_json(f"/Users/{login.user_id}/Items/{item_id}", {"Fields": emby_items.FULL_FIELDS})
        if raw.get("Type") == "Series":
            return emby_items.series_item(login, raw, await self._episodes(client, item_id))
        if raw.get("Type") not in emby_items.PLAYABLE_TYPES:
            raise UnavailableError(f"{item.title} is a {raw.get('Type') or 'folder'}, not something to download")
        return emby_items.media_item(login, raw, complete=True)

    # ---- playback ---------------------------------------------------------------------------

    async def _playback_info(
        self, client: EmbySession, item: MediaItem, part: MediaPart
    ) -> tuple[str, dict[str, Any], dict[str, Any]]:
        login = client.require_login()
        if item.details.get("type") == "Series" and not item.parts:
            raise UnavailableError(f"{item.title} is a series: pick one of its episodes")
        item_id = str(part.details.get("item_id") or item.details.get("id") or item.key)
        msid = str(part.details.get("media_source_id") or item_id)
        body = emby_playback.playback_request(login.user_id, msid)
        info = await client.post_json(f"/Items/{item_id}/PlaybackInfo", {"UserId": login.user_id}, body)
        return item_id, info, emby_playback.pick_source(info, msid, part.title or item.title)

    async def resolve(self, session: ProviderSession, item: MediaItem, part: MediaPart) -> Playback:
        """PlaybackInfo's streams: the original file first, then a remux and transcodes (HLS).
        URLs carry the token in the query form the server accepts, and `headers` the header
        form, for players and downloads that can send it."""
        client = _session(session)
        item_id, info, source = await self._playback_info(client, item, part)
        emby_playback.remember(client, item_id, info, source)
        streams = emby_playback.streams_of(client, item_id, source, client.play_sessions[item_id].play_session_id)
        # subtitles come through `subtitle_tracks` (this is a SubtitleSource): listing them here
        # as well would offer each track twice
        return Playback(streams=tuple(streams))

    async def subtitle_tracks(self, session: ProviderSession, item: MediaItem, part: MediaPart) -> list[SubtitleTrack]:
        """External (and extractable embedded) text subtitles, from the item's media source."""
        client = _session(session)
        login = client.require_login()
        item_id = str(part.details.get("item_id") or item.details.get("id") or item.key)
        raw = await client.get_json(f"/Users/{login.user_id}/Items/{item_id}", {"Fields": "MediaSources,MediaStreams"})
        sources = raw.get("MediaSources") or []
        if not sources:
            return []
        msid = str(part.details.get("media_source_id") or "")
        source = next((s for s in sources if str(s.get("Id")) == msid), sources[0])
        if not source.get("MediaStreams") and raw.get("MediaStreams"):
            source = {**source, "MediaStreams": raw["MediaStreams"]}
        return emby_playback.subtitle_tracks(client, item_id, source)

    async def subtitle_cues(self, session: ProviderSession, track: SubtitleTrack) -> list[SubtitleCue]:
        client = _session(session)
        try:
            response = await client.http.get(track.url, headers=client.headers())
        except httpx.HTTPError as exc:
            raise TransientError(f"cannot fetch the subtitles {track.label}: {exc or type(exc).__name__}") from None
        check_status(response, client.server_name)
        fmt = track.url.rsplit(".", 1)[-1].split("?")[0].lower()
        try:
            parsed = pysubs2.SSAFile.from_string(response.text, format_=None if fmt not in ("srt", "ass", "vtt") else
                                                 {"srt": "srt", "ass": "ass", "vtt": "vtt"}[fmt])  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - pysubs2 raises several kinds for a broken file
            raise UnavailableError(f"the subtitles {track.label} cannot be read: {exc}") from None
        return [
            SubtitleCue(start=line.start / 1000, end=line.end / 1000, text=line.plaintext)
            for line in parsed if not line.is_comment and line.plaintext.strip()
        ]  # fmt: skip

    # ---- playback reports -------------------------------------------------------------------

    async def report_playback(
        self, session: ProviderSession, item: MediaItem, part: MediaPart, event: PlaybackEvent, position: float,
        *, paused: bool = False,
    ) -> None:  # fmt: skip
        """Tell the server where playback is: `start` (`/Sessions/Playing`), `progress` every
        10 s and `pause`/`unpause` (`/Sessions/Playing/Progress`), `stopped`
        (`/Sessions/Playing/Stopped`: the server keeps the resume point, or marks the item
        played near its end, and ends any transcode of the play session)."""
        client = _session(session)
        item_id = str(part.details.get("item_id") or item.details.get("id") or item.key)
        play = client.play_sessions.get(item_id)
        if play is None:  # played from a URL resolved by another session: a play session of its own
            msid = str(part.details.get("media_source_id") or item_id)
            play = client.play_sessions[item_id] = PlaySession(uuid.uuid4().hex, msid, "DirectPlay")
        if event == "start":
            path, name = "/Sessions/Playing", "start"
        elif event == "stopped":
            path, name = "/Sessions/Playing/Stopped", "stopped"
            client.play_sessions.pop(item_id, None)
        elif event in PROGRESS_EVENTS:
            path, name = "/Sessions/Playing/Progress", PROGRESS_EVENTS[event]
        else:
            raise ConfigError(f"unknown playback event {event!r}")
        body = emby_playback.report_body(play, item_id, position, paused=paused or event == "pause", event=name)
        await client.request("POST", path, json=body)
        if event == "stopped":
            await self._end_transcode(client, play)

    async def _end_transcode(self, client: EmbySession, play: PlaySession) -> None:
        """Jellyfin ends a play session's transcode on Stopped; Emby has been seen to keep
        encoding, so both are asked to end it outright (harmless when nothing encodes)."""
        login = client.require_login()
        params = {"DeviceId": login.device_id, "PlaySessionId": play.play_session_id}
        try:
            if login.kind is ServerKind.EMBY:
                await client.request("POST", "/Videos/ActiveEncodings/Delete", params=params)
            else:
                await client.request("DELETE", "/Videos/ActiveEncodings", params=params)
        except (ApiError, UnavailableError, TransientError) as exc:  # the report itself went through
            log.debug("ending the transcode of %s: %s", play.play_session_id, exc)

    async def report_start(
        self, session: ProviderSession, item: MediaItem, part: MediaPart, position: float = 0
    ) -> None:
        await self.report_playback(session, item, part, "start", position)

    async def report_progress(
        self, session: ProviderSession, item: MediaItem, part: MediaPart, position: float, *, paused: bool = False
    ) -> None:
        await self.report_playback(session, item, part, "progress", position, paused=paused)

    async def report_stopped(self, session: ProviderSession, item: MediaItem, part: MediaPart, position: float) -> None:
        await self.report_playback(session, item, part, "stopped", position)


class EmbyProvider(MediaServerProvider):
    """An Emby server (4.x)."""

    kind = ServerKind.EMBY
    name = "emby"
    display_name = DISPLAY_NAMES[ServerKind.EMBY]


class JellyfinProvider(MediaServerProvider):
    """A Jellyfin server (10.10, 10.11, and 12 with its strict authorization header)."""

    kind = ServerKind.JELLYFIN
    name = "jellyfin"
    display_name = DISPLAY_NAMES[ServerKind.JELLYFIN]
