"""Alist v3 and OpenList v4 (one HTTP API): logins, folders, search, playback, subtitles and
mirroring a folder to disk.

An item is one file; its key is its path on the server ("/Movies/Film.mkv"), so a playlist
entry or a mirrored task finds it again by path. Download links are the server's signed
`/d/<path>?sign=…` links (the server streams local files with Range, and redirects to the
cloud for cloud storages), with `raw_url` as the second choice.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote

import pysubs2

from core.config import Config
from core.errors import ApiError, ConfigError, LoginExpiredError, TransientError, UnavailableError
from core.net import net_options
from core.net.client import BROWSER_UA
from core.providers.alist.client import AlistClient
from core.providers.alist.login import AlistLogin, hash_password, normalise_server
from core.providers.protocols import (
    FolderEntry,
    FolderPage,
    Listing,
    LoginCheck,
    LoginMethod,
    LoginResult,
    MediaItem,
    MediaPart,
    Playback,
    Profile,
    ProviderSession,
    QrChallenge,
    QrStatus,
    SourceTarget,
    Stream,
    SubtitleCue,
    SubtitleTrack,
)

VIDEO_EXTENSIONS = frozenset({"mp4", "mkv", "avi", "mov", "rmvb", "webm", "flv", "m3u8", "ts", "m2ts", "wmv", "mpg",
                              "mpeg", "m4v", "3gp", "vob"})  # fmt: skip
AUDIO_EXTENSIONS = frozenset({"mp3", "flac", "ogg", "m4a", "wav", "opus", "wma", "aac", "ape"})
SUBTITLE_EXTENSIONS = frozenset({"srt", "ass", "ssa", "vtt"})
SCAN_PAGE = 1000  # entries per fs/list call while mirroring
SEARCH_PAGE = 100


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def stem(name: str) -> str:
    return name.rsplit(".", 1)[0] if "." in name else name


def clean_path(path: str) -> str:
    """An absolute, normalised server path; `..` above the root stays at the root."""
    return posixpath.normpath("/" + path.strip()).replace("//", "/") or "/"


def join(folder: str, name: str) -> str:
    return folder.rstrip("/") + "/" + name


def _time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return None if moment.year <= 1 else moment


def _client(session: ProviderSession) -> AlistClient:
    if not isinstance(session, AlistClient):
        raise LoginExpiredError("this needs an Alist/OpenList account: log in to the server first")
    return session


def _sign_query(sign: str) -> str:
    return f"?sign={sign}" if sign else ""


class AlistProvider:
    """Alist v3 servers: password or guest login, folders, search, playback, subtitles, mirroring."""

    name = "alist"
    display_name = "Alist"
    login_variable = ""
    login_methods = (LoginMethod.PASSWORD,)

    def __init__(self, config: Config) -> None:
        self.config = config
        self.net = net_options(config)

    # ---- sessions

    async def open_session(self, secret: str | None) -> AlistClient:
        if secret is None:
            raise LoginExpiredError(f"log in to an {self.display_name} server first (`syncdeck login {self.name} URL`)")
        return AlistClient(AlistLogin.from_secret(secret), self.net, self.display_name)

    def secret_from_environment(self) -> str | None:
        return None

    async def fetch_image(self, session: ProviderSession, url: str) -> bytes:
        if not url:
            return b""
        try:
            response = await _client(session).http.get(url)
        except Exception as exc:  # noqa: BLE001 - any network failure: try again later
            raise TransientError(f"thumbnail not fetched: {exc}") from None
        response.raise_for_status()
        return response.content

    def template_variables(self, item: MediaItem, part: MediaPart | None) -> dict[str, Any]:
        # the default file names use a video id: a file's own name (without extension) here
        return {"bvid": item.title}

    # ---- logins

    async def qr_start(self) -> QrChallenge:
        raise ConfigError(f"{self.display_name} logs in with a user name and password")

    async def qr_poll(self, challenge: QrChallenge) -> QrStatus:
        raise ConfigError(f"{self.display_name} logs in with a user name and password")

    def _profile(self, login: AlistLogin, me: Mapping[str, Any]) -> Profile:
        user = str(me.get("username") or login.username or "guest")
        host = login.server.split("://", 1)[-1]
        return Profile(user_id=f"{user}@{login.server}", name=f"{user}@{host}", server_url=login.server)

    async def login_with(self, method: LoginMethod, fields: Mapping[str, str]) -> LoginResult:
        """`server`, `username` ("" = guest) and `password`. The hashed login is used where the
        server has it; only its hash is kept then."""
        if method != LoginMethod.PASSWORD:
            raise ConfigError(f"{self.display_name} logs in with a user name and password")
        server = normalise_server(fields.get("server", ""))
        username = fields.get("username", "").strip()
        password = fields.get("password", "")
        login = AlistLogin(server=server, username=username, password_hash=hash_password(password) if username else "")
        async with AlistClient(login, self.net, self.display_name) as client:
            await client.probe()
            if username:
                try:
                    await client.authenticate()
                except ApiError as exc:
                    if exc.code != 404:
                        raise
                    # an older server without the hashed login: the password itself is kept
                    client.login = AlistLogin(server=server, username=username, password=password)
                    await client.authenticate()
            me = await client.me()
            return LoginResult(secret=client.secret(), profile=self._profile(client.login, me))

    async def check_login(self, session: ProviderSession, *, refresh: bool) -> LoginCheck:
        client = _client(session)
        if refresh and not client.login.guest:
            await client.authenticate()
        me = await client.me()
        changed = client.login != client.opened_with
        return LoginCheck(profile=self._profile(client.login, me), secret=client.secret() if changed else None)

    def unlock_folder(self, session: ProviderSession, folder: str, password: str) -> str:
        client = _client(session)
        client.login = client.login.with_folder(clean_path(folder), password)
        return client.secret()

    # ---- folders and search

    def _item(self, client: AlistClient, path: str, raw: Mapping[str, Any]) -> MediaItem:
        name = str(raw.get("name") or posixpath.basename(path))
        size = int(raw.get("size") or 0)
        modified = str(raw.get("modified") or "")
        when = _time(modified)
        part = MediaPart(key="file", number=1, title=stem(name), details={"path": path, "size": size})
        return MediaItem(
            key=path, title=stem(name), cover=str(raw.get("thumb") or ""), published_at=when, order_at=when,
            part_count=1, parts=(part,), complete=True, url=client.server + quote(path),
            details={"path": path, "name": name, "size": size, "modified": modified, "server": client.server},
            revision=f"{size}:{modified}",
        )  # fmt: skip

    def _entry(self, client: AlistClient, folder: str, raw: Mapping[str, Any]) -> FolderEntry:
        name = str(raw.get("name", ""))
        path = join(folder, name)
        is_dir = bool(raw.get("is_dir"))
        playable = not is_dir and extension(name) in VIDEO_EXTENSIONS | AUDIO_EXTENSIONS
        return FolderEntry(key=path, title=name, is_folder=is_dir, size=int(raw.get("size") or 0),
                           item=self._item(client, path, raw) if playable else None)  # fmt: skip

    async def _list(self, client: AlistClient, folder: str, page: int, per_page: int) -> tuple[list[Any], int]:
        body = {"path": folder, "password": client.login.folder_password(folder), "page": page,
                "per_page": per_page, "refresh": False}  # fmt: skip
        data = await client.call("/api/fs/list", body, folder=folder) or {}
        return list(data.get("content") or []), int(data.get("total") or 0)  # content is null when empty

    async def browse(self, session: ProviderSession, folder: str, page: int, per_page: int) -> FolderPage:
        client = _client(session)
        folder = clean_path(folder)
        content, total = await self._list(client, folder, max(page, 1), max(per_page, 1))
        return FolderPage(entries=tuple(self._entry(client, folder, raw) for raw in content), total=total, page=page)

    async def search(self, session: ProviderSession, query: str, page: int) -> list[MediaItem]:
        """Files whose names contain `query`, anywhere on the server (what the user may see)."""
        client = _client(session)
        body = {"parent": "/", "keywords": query, "scope": 2, "page": max(page, 1), "per_page": SEARCH_PAGE,
                "password": ""}  # fmt: skip
        try:
            data = await client.call("/api/fs/search", body) or {}
        except Exception as exc:
            if "search not available" in str(exc):
                raise UnavailableError(
                    f"this server has no search index, so it cannot search; browse its folders instead (its admin "
                    f"can build one in {self.display_name}'s settings → Index)"
                ) from None
            raise
        items = []
        for raw in data.get("content") or []:
            path = join(str(raw.get("parent") or "/"), str(raw.get("name", "")))
            if not raw.get("is_dir") and extension(path) in VIDEO_EXTENSIONS | AUDIO_EXTENSIONS:
                items.append(self._item(client, path, raw))
        return items

    # ---- playback and subtitles

    async def _get(self, client: AlistClient, path: str) -> dict[str, Any]:
        body = {"path": path, "password": client.login.folder_password(path)}
        data = await client.call("/api/fs/get", body, folder=path)
        if not isinstance(data, dict):
            raise UnavailableError(f"{path} is not on {client.server}")
        return data

    def _download_link(self, client: AlistClient, path: str, sign: str) -> str:
        return f"{client.server}/d{quote(path)}{_sign_query(sign)}"

    async def resolve(self, session: ProviderSession, item: MediaItem, part: MediaPart) -> Playback:
        """The signed `/d` link (then `raw_url`) with the User-Agent it was asked with: cloud
        storages may tie their links to it."""
        client = _client(session)
        path = str(part.details.get("path") or item.key)
        data = await self._get(client, path)
        if data.get("is_dir"):
            raise UnavailableError(f"{path} is a folder")
        sign = str(data.get("sign") or "")
        urls = [self._download_link(client, path, sign)]
        raw_url = str(data.get("raw_url") or "")
        if raw_url and raw_url not in urls:
            urls.append(raw_url)
        expires = sign.rsplit(":", 1)[-1] if sign else "0"
        deadline = datetime.fromtimestamp(int(expires)).astimezone() if expires.isdigit() and expires != "0" else None
        stream = Stream(kind="muxed", urls=tuple(urls), quality="original", size=int(data.get("size") or 0),
                        headers={"User-Agent": BROWSER_UA})  # fmt: skip
        tracks = self._subtitles(client, path, data.get("related") or [])
        return Playback(streams=(stream,), subtitles=tuple(tracks), expires_at=deadline)

    def _subtitles(self, client: AlistClient, path: str, related: list[Any]) -> list[SubtitleTrack]:
        folder, own = posixpath.split(path)
        base = stem(own)
        tracks = []
        for raw in sorted(related, key=lambda r: str(r.get("name", ""))):
            name = str(raw.get("name", ""))
            if raw.get("is_dir") or extension(name) not in SUBTITLE_EXTENSIONS or not name.startswith(base):
                continue
            middle = name[len(base) : -len(extension(name)) - 1].strip(".-_ ")  # "zh" of Film.zh.ass
            url = self._download_link(client, join(folder, name), str(raw.get("sign") or ""))
            tracks.append(SubtitleTrack(lang=middle, label=name, url=url))
        return tracks

    async def subtitle_tracks(self, session: ProviderSession, item: MediaItem, part: MediaPart) -> list[SubtitleTrack]:
        """Subtitle files next to the video named like it: `Film.srt`, `Film.zh.ass`, `Film.en.vtt`."""
        client = _client(session)
        path = str(part.details.get("path") or item.key)
        data = await self._get(client, path)
        return self._subtitles(client, path, data.get("related") or [])

    async def subtitle_cues(self, session: ProviderSession, track: SubtitleTrack) -> list[SubtitleCue]:
        client = _client(session)
        try:
            response = await client.http.get(track.url)
        except Exception as exc:  # noqa: BLE001 - a network failure: next round
            raise TransientError(f"subtitle {track.label} not fetched: {exc}") from None
        if response.status_code != 200 or response.headers.get("content-type", "").startswith("application/json"):
            raise UnavailableError(f"{client.server} refused the subtitle {track.label} (HTTP {response.status_code})")
        text = response.content.decode("utf-8-sig", errors="replace")
        try:
            subs = pysubs2.SSAFile.from_string(text)
        except Exception as exc:  # noqa: BLE001 - pysubs2 raises several kinds for unreadable files
            raise UnavailableError(f"{track.label} is not a subtitle file SyncDeck can read ({exc})") from None
        return [SubtitleCue(start=event.start / 1000, end=event.end / 1000, text=event.plaintext)
                for event in subs if not event.is_comment]  # fmt: skip

    # ---- mirroring a folder

    async def _walk(self, client: AlistClient, folder: str) -> list[MediaItem]:
        items: list[MediaItem] = []
        page = 1
        while True:
            content, total = await self._list(client, folder, page, SCAN_PAGE)
            for raw in content:
                path = join(folder, str(raw.get("name", "")))
                if raw.get("is_dir"):
                    items += await self._walk(client, path)
                elif extension(path) in VIDEO_EXTENSIONS:
                    items.append(self._item(client, path, raw))
            if not content or page * SCAN_PAGE >= total:
                return items
            page += 1

    async def scan(self, session: ProviderSession, target: SourceTarget, cursor: str | None) -> Listing:
        """Every video file under the folder, each with its size and modified time as its
        revision: a file replaced upstream is downloaded again, one gone is marked removed."""
        items = await self._walk(_client(session), clean_path(target.locator))
        return Listing(items=items, cursor=None, whole=True)

    async def list_keys(self, session: ProviderSession, target: SourceTarget) -> set[str]:
        return {item.key for item in await self._walk(_client(session), clean_path(target.locator))}

    async def complete(self, session: ProviderSession, item: MediaItem) -> MediaItem:
        return item  # a listing gives all there is to know of a file


class OpenListProvider(AlistProvider):
    """OpenList v4, the community fork of Alist: the same API, its own name in the interface."""

    name = "openlist"
    display_name = "OpenList"
