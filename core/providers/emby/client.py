"""A session with one Emby or Jellyfin server: finding it, logging in, JSON calls.

HTTP statuses become SyncDeck's errors here, once: 401 → LoginExpiredError, 404 →
UnavailableError, 5xx and network failures → TransientError, any other refusal → ApiError
with the server's text.
"""

from __future__ import annotations

import logging
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

import httpx

from core.errors import ApiError, ConfigError, InvalidResponseError, LoginExpiredError, TransientError, UnavailableError
from core.net import NetOptions, RateLimiter, make_client
from core.providers.emby.secret import ServerLogin
from core.providers.emby.server import (
    DISPLAY_NAMES,
    ServerInfo,
    auth_headers,
    media_headers,
    server_info,
    token_query_name,
)

log = logging.getLogger(__name__)

# Where a server's API may live below the address a person typed: as typed, then the
# prefixes Emby (`/emby`) and a Jellyfin behind a path (`/jellyfin`) use.
PREFIXES = ("", "/emby", "/jellyfin")


def normalized_url(text: str) -> str:
    """`host:8096`, `http://host:8096/` and `http://host:8096/web/index.html` all name the
    same server: scheme added, the web client's path and trailing slashes dropped."""
    text = text.strip()
    if not text:
        raise ConfigError("a server address is needed, e.g. http://192.168.1.5:8096")
    if "://" not in text:
        text = "http://" + text
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{text!r} is not a server address (http://host:port)")
    path = parts.path
    for tail in ("/web/index.html", "/web/", "/web"):
        if path.endswith(tail):
            path = path[: -len(tail)]
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path.rstrip("/"), "", ""))


@dataclass
class PlaySession:
    """What PlaybackInfo handed out for an item: reports must name the same ids."""

    play_session_id: str
    media_source_id: str
    play_method: str  # "DirectPlay", "DirectStream" or "Transcode"


@dataclass
class EmbySession:
    """One login (or none: `login is None`) at one server."""

    http: httpx.AsyncClient
    limiter: RateLimiter
    display_name: str
    device_name: str
    login: ServerLogin | None = None
    api_calls: int = 0
    play_sessions: dict[str, PlaySession] = field(default_factory=dict)
    # ids seen in listings → (Type, SeriesId): browse knows a series or a season without asking
    kinds: dict[str, tuple[str, str]] = field(default_factory=dict)
    # (parent id, name casefolded) → child id, from listings: name paths resolve without asking
    names: dict[tuple[str, str], str] = field(default_factory=dict)

    # ---- who we are -------------------------------------------------------------------------

    def require_login(self) -> ServerLogin:
        if self.login is None:
            raise LoginExpiredError(f"Not logged in to {self.display_name}: log in to the server first")
        return self.login

    @property
    def server_name(self) -> str:
        login = self.require_login()
        return f"{DISPLAY_NAMES[login.kind]} at {login.server}"

    def headers(self) -> dict[str, str]:
        login = self.require_login()
        return auth_headers(login.kind, self.device_name, login.device_id, login.token)

    def media_headers(self) -> dict[str, str]:
        login = self.require_login()
        return media_headers(login.kind, self.device_name, login.device_id, login.token)

    def url(self, path: str, params: dict[str, Any] | None = None, *, token: bool = False) -> str:
        """An absolute URL of the server; with `token`, the token in the query form the
        server accepts (for players that cannot send headers)."""
        login = self.require_login()
        query = {key: value for key, value in (params or {}).items() if value is not None and value != ""}
        if token:
            query[token_query_name(login.kind)] = login.token
        encoded = urllib.parse.urlencode(query)
        return f"{login.server}{path}" + (f"?{encoded}" if encoded else "")

    # ---- calls ------------------------------------------------------------------------------

    async def request(
        self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None
    ) -> httpx.Response:
        login = self.require_login()
        async with self.limiter:
            self.api_calls += 1
            try:
                response = await self.http.request(
                    method, login.server + path, params=_clean(params), json=json, headers=self.headers()
                )
            except httpx.TimeoutException as exc:
                raise TransientError(f"{self.server_name} did not answer in time ({type(exc).__name__})") from None
            except httpx.HTTPError as exc:
                raise TransientError(f"cannot reach {self.server_name}: {exc}") from None
        check_status(response, self.server_name)
        return response

    async def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return _json(await self.request("GET", path, params=params), path)

    async def post_json(self, path: str, params: dict[str, Any] | None = None, body: Any = None) -> Any:
        return _json(await self.request("POST", path, params=params, json=body), path)

    async def aclose(self) -> None:
        await self.http.aclose()


def _clean(params: dict[str, Any] | None) -> dict[str, Any] | None:
    if params is None:
        return None
    return {key: value for key, value in params.items() if value is not None and value != ""}


def _json(response: httpx.Response, path: str) -> Any:
    try:
        return response.json()
    except ValueError:
        raise InvalidResponseError(f"{path} did not answer JSON (HTTP {response.status_code})") from None


def check_status(response: httpx.Response, server: str) -> None:
    status = response.status_code
    if status < 400:
        return
    text = response.text.strip()[:200]
    if status == 401:
        raise LoginExpiredError(
            f"{server} no longer accepts this login (HTTP 401{': ' + text if text else ''}); log in again"
        )
    if status == 404:
        raise UnavailableError(f"{server} has no such item any more (HTTP 404)", code=404)
    if status >= 500:
        raise TransientError(f"{server} failed (HTTP {status}{': ' + text if text else ''})")
    raise ApiError(status, text or response.reason_phrase)


# ---- finding the server and logging in ------------------------------------------------------


def anonymous_client(net: NetOptions) -> httpx.AsyncClient:
    return make_client(net, follow_redirects=True)


async def find_server(http: httpx.AsyncClient, typed: str) -> ServerInfo:
    """Probe `/System/Info/Public` under the typed address and the usual prefixes."""
    base = normalized_url(typed)
    last_error = ""
    for prefix in PREFIXES:
        if prefix and base.endswith(prefix):
            continue
        candidate = base + prefix
        try:
            response = await http.get(candidate + "/System/Info/Public")
        except httpx.HTTPError as exc:
            raise TransientError(f"cannot reach {base}: {exc or type(exc).__name__}") from None
        if response.status_code == 200:
            try:
                return server_info(candidate, response.json())
            except (ValueError, InvalidResponseError) as exc:
                last_error = str(exc)
                continue
        last_error = f"HTTP {response.status_code}"
    raise ConfigError(f"{base} is not an Emby or Jellyfin server ({last_error} at /System/Info/Public)")


async def authenticate(
    http: httpx.AsyncClient, info: ServerInfo, username: str, password: str, *, device_name: str, device_id: str
) -> tuple[ServerLogin, dict[str, Any]]:
    """`POST /Users/AuthenticateByName`: the login and the server's user JSON; a refused
    password is a LoginExpiredError saying so."""
    server = f"{info.display} at {info.base}"
    try:
        response = await http.post(
            info.base + "/Users/AuthenticateByName",
            json={"Username": username, "Pw": password},
            headers=auth_headers(info.kind, device_name, device_id),
        )
    except httpx.HTTPError as exc:
        raise TransientError(f"cannot reach {server}: {exc or type(exc).__name__}") from None
    if response.status_code == 401:
        raise LoginExpiredError(f"{server} refused the user name {username!r} or its password")
    if response.status_code == 403:
        raise LoginExpiredError(
            f"{server} does not let {username!r} log in from this device (disabled user, device or session limit)"
        )
    check_status(response, server)
    payload = _json(response, "/Users/AuthenticateByName")
    user = payload.get("User") or {}
    token = str(payload.get("AccessToken") or "")
    if not token or not user.get("Id"):
        raise InvalidResponseError(f"{server} answered the login without a token")
    login = ServerLogin(
        server=info.base, kind=info.kind, version=info.version,
        server_id=str(payload.get("ServerId") or info.server_id), user_id=str(user["Id"]),
        user_name=str(user.get("Name") or username), token=token, device_id=device_id,
    )  # fmt: skip
    return login, user
