"""The HTTP side of the Bilibili provider: hosts, headers, cookies, rate limit, retries, WBI.

Two httpx clients share the browser User-Agent and the bilibili Referer (without them the
API and the CDN answer 403): the API client carries the account cookies and goes through
the rate limiter; the media client (streams, covers, subtitle bodies) carries no cookies
and is not limited. Neither keeps cookies a server sets: the account is exactly
`BiliClient.credential`, nothing picked up along the way.
"""

from __future__ import annotations

import logging
import time
import urllib.parse
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from types import TracebackType
from typing import Any

import httpx
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from core.errors import DownloadError, InvalidResponseError, TransientError
from core.net import NetOptions, RateLimiter, make_client
from core.providers.bilibili.envelope import check_http_status, has_voucher, parse_json, unwrap
from core.providers.bilibili.models import Credential
from core.providers.bilibili.wbi import WbiKeyCache, WbiKeys, key_from_url, sign

REFERER = "https://www.bilibili.com/"
NAV_PATH = "/x/web-interface/nav"
DEFAULT_RATE_COUNT = 4
DEFAULT_RATE_WINDOW = 0.25
# One try plus two quick retries: enough for a dropped keep-alive connection, short enough
# that a dead network surfaces as TransientError within a second or two.
ATTEMPTS = 3

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BiliHosts:
    """Base URLs (scheme + host, no trailing slash); each can be pointed elsewhere in config."""

    api: str = "https://api.bilibili.com"
    passport: str = "https://passport.bilibili.com"
    www: str = "https://www.bilibili.com"
    comment: str = "https://comment.bilibili.com"
    b23: str = "https://b23.tv"


@dataclass(frozen=True)
class ApiReply:
    """The unwrapped `data` (or `result`) of a reply, with the response for its headers."""

    data: Any
    response: httpx.Response


class _ServerError(Exception):
    """HTTP 5xx: retried like a network error."""


_TRANSIENT = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
    httpx.ProxyError,
    httpx.DecodingError,
    _ServerError,
)


class _NoCookiesPolicy(DefaultCookiePolicy):
    """Refuse every cookie a server sets, and send none from the jar."""

    def set_ok(self, cookie: Any, request: Any) -> bool:
        return False

    def return_ok(self, cookie: Any, request: Any) -> bool:
        return False


def _cookie_free(client: httpx.AsyncClient) -> httpx.AsyncClient:
    # A bare CookieJar is adopted as is; wrapping it in httpx.Cookies would copy it and drop the policy.
    client.cookies = CookieJar(policy=_NoCookiesPolicy())
    return client


def cookie_header(credential: Credential) -> str:
    cookies = credential.cookies()
    # A SESSDATA pasted in its decoded form contains "," which breaks PGC endpoints;
    # re-encoding is a no-op for the usual, already encoded value.
    cookies["SESSDATA"] = urllib.parse.quote(urllib.parse.unquote(cookies["SESSDATA"]))
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def absolute_url(url: str, base: str) -> str:
    """Give a protocol-relative `//host/path` URL the scheme of `base`."""
    if url.startswith("//"):
        return f"{urllib.parse.urlsplit(base).scheme or 'https'}:{url}"
    return url


class BiliClient:
    def __init__(
        self,
        *,
        hosts: BiliHosts,
        net: NetOptions,
        credential: Credential | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.hosts = hosts
        self.limiter = limiter or RateLimiter(DEFAULT_RATE_COUNT, DEFAULT_RATE_WINDOW)
        self.api_calls = 0
        self.http = _cookie_free(make_client(net, headers={"Referer": REFERER}))
        self.media = _cookie_free(make_client(net, headers={"Referer": REFERER}))
        self.wbi_keys = WbiKeyCache(self._load_wbi_keys)
        self.credential: Credential | None = None
        self.set_credential(credential)

    async def __aenter__(self) -> BiliClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.http.aclose()
        await self.media.aclose()

    def set_credential(self, credential: Credential | None) -> None:
        """Use this login from the next request on (None: logged out)."""
        self.credential = credential
        self.apply_credential()

    def apply_credential(self) -> None:
        """Re-read `self.credential` after its fields were changed in place."""
        if self.credential is None:
            self.http.headers.pop("Cookie", None)
        else:
            self.http.headers["Cookie"] = cookie_header(self.credential)

    # ---- low level -------------------------------------------------------------------------

    async def _send(
        self,
        http: httpx.AsyncClient,
        method: str,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        form: dict[str, Any] | None = None,
        follow_redirects: bool = True,
        limited: bool = True,
    ) -> httpx.Response:
        what = urllib.parse.urlsplit(url).path or url
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(ATTEMPTS),
                wait=wait_exponential(multiplier=0.2, max=1.0),
                retry=retry_if_exception_type(_TRANSIENT),
                reraise=True,
            ):
                with attempt:
                    if limited:
                        await self.limiter.acquire()
                        self.api_calls += 1
                    started = time.monotonic()
                    response = await http.request(
                        method, url, params=params, data=form, follow_redirects=follow_redirects
                    )
                    # the path only: query strings carry signatures, and headers the cookie
                    log.debug("%s %s: HTTP %s in %.0f ms", method, what, response.status_code,
                              (time.monotonic() - started) * 1000)  # fmt: skip
                    if response.status_code >= 500:
                        raise _ServerError(f"HTTP {response.status_code}")
        except _TRANSIENT as exc:
            raise TransientError(f"network trouble talking to Bilibili ({what}): {exc!r}") from exc
        check_http_status(response.status_code, what)
        return response

    async def _load_wbi_keys(self) -> WbiKeys:
        # nav answers -101 with the keys when logged out, so the envelope is read by hand.
        response = await self._send(self.http, "GET", self.hosts.api + NAV_PATH)
        payload = parse_json(response.content, NAV_PATH)
        data = payload.get("data")
        wbi_img = data.get("wbi_img") if isinstance(data, dict) else None
        if not isinstance(wbi_img, dict) or not wbi_img.get("img_url") or not wbi_img.get("sub_url"):
            if payload["code"] not in (0, -101):
                unwrap(payload, NAV_PATH)
            raise InvalidResponseError(f"{NAV_PATH} gave no WBI keys: {str(payload)[:120]}")
        return WbiKeys(key_from_url(wbi_img["img_url"]), key_from_url(wbi_img["sub_url"]))

    async def _api_attempt(
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None,
        form: dict[str, Any] | None,
        wbi: bool,
        json_only: bool,
    ) -> tuple[httpx.Response, dict[str, Any] | None, WbiKeys | None]:
        query = dict(params or {})
        keys: WbiKeys | None = None
        if wbi:
            keys = await self.wbi_keys.get()
            query = sign(query, keys.img_key, keys.sub_key)
        response = await self._send(self.http, method, url, params=query, form=form)
        path = urllib.parse.urlsplit(url).path
        is_json = "json" in response.headers.get("content-type", "")
        if not json_only and response.is_success and not is_json:
            return response, None, keys
        if not response.is_success and not is_json:
            raise InvalidResponseError(f"{path} answered HTTP {response.status_code}")
        return response, parse_json(response.content, path), keys

    async def api_response(
        self,
        method: str,
        host: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        form: dict[str, Any] | None = None,
        wbi: bool = False,
        json_only: bool = True,
    ) -> tuple[httpx.Response, dict[str, Any] | None]:
        """Send an API request; return the response and its JSON envelope (None for a binary body).

        A WBI call rejected with -352 or a v_voucher is repeated once with freshly loaded
        keys, because rotated keys look exactly like that.
        """
        attempt = (method, host + path, params, form, wbi, json_only)
        response, payload, keys = await self._api_attempt(*attempt)
        if wbi and payload is not None and (payload["code"] == -352 or has_voucher(payload)):
            self.wbi_keys.invalidate(keys)
            response, payload, _ = await self._api_attempt(*attempt)
        return response, payload

    async def request_json(
        self,
        method: str,
        host: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        form: dict[str, Any] | None = None,
        wbi: bool = False,
        result_key: str = "data",
    ) -> ApiReply:
        response, payload = await self.api_response(method, host, path, params=params, form=form, wbi=wbi)
        assert payload is not None
        return ApiReply(unwrap(payload, path, result_key), response)

    async def get_json(
        self,
        host: str,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        wbi: bool = False,
        result_key: str = "data",
    ) -> Any:
        reply = await self.request_json("GET", host, path, params=params, wbi=wbi, result_key=result_key)
        return reply.data

    async def post_form(self, host: str, path: str, form: dict[str, Any], *, result_key: str = "data") -> Any:
        reply = await self.request_json("POST", host, path, form=form, result_key=result_key)
        return reply.data

    async def get_bytes(
        self, host: str, path: str, params: dict[str, Any] | None = None, *, wbi: bool = False
    ) -> bytes:
        """A binary API body (danmaku segments); a JSON reply there is an error envelope."""
        response, payload = await self.api_response("GET", host, path, params=params, wbi=wbi, json_only=False)
        if payload is not None:
            unwrap(payload, path)
            raise InvalidResponseError(f"{path} answered JSON where binary data was expected")
        return response.content

    async def get_text(self, host: str, path: str) -> str:
        """An HTML page on a bilibili host, sent with the account cookies."""
        response = await self._send(self.http, "GET", host + path)
        if not response.is_success:
            raise InvalidResponseError(f"{path} answered HTTP {response.status_code}")
        return response.text

    async def redirect_target(self, url: str) -> str | None:
        """The absolute `Location` a URL redirects to, or None when it does not redirect."""
        response = await self._send(self.http, "GET", url, follow_redirects=False)
        location: str = response.headers.get("location", "")
        if not response.is_redirect or not location:
            return None
        return urllib.parse.urljoin(url, location)

    async def media_bytes(self, url: str) -> bytes:
        """A whole small file (cover, subtitle body) through the media client."""
        response = await self._send(self.media, "GET", url, limited=False)
        if not response.is_success:
            raise DownloadError(f"HTTP {response.status_code} for {url}")
        return response.content
