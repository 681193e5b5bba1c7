"""Getting and keeping a Bilibili login: QR code, pasted cookies, and the cookie refresh.

A web login lasts until Bilibili asks for a refresh (`cookie/info` → `refresh: true`). The
refresh replaces SESSDATA, bili_jct and the refresh token at once; the old ones stop
working, so the caller must persist `client.credential` whenever a refresh happened.
"""

from __future__ import annotations

import http.cookies
import json
import logging
import re
import time
import urllib.parse
from dataclasses import dataclass
from typing import Literal

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from core.errors import ApiError, ConfigError, LoginExpiredError, SyncDeckError
from core.providers.bilibili.client import BiliClient
from core.providers.bilibili.models import Credential

log = logging.getLogger(__name__)

QR_WAITING = 86101
QR_SCANNED = 86090
QR_EXPIRED = 86038
REFRESH_TOKEN_MISMATCH = 86095

# Published by Bilibili for encrypting the correspond path of the cookie refresh.
REFRESH_PUBLIC_KEY = b"""-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDLgd2OAkcGVtoE3ThUREbio0Eg
Uc/prcajMKXvkCKFCWhJYJcLkcM2DKKcSeFpD/j6Boy538YXnR6VhcuUJOhH2x71
nzPjfdTcqMz7djHum0qSZA0AyCBDABUqCrfNgCiJ00Ra7GmRj+YCK1NJEuewlb40
JNrRuoEUXpabUzGB8QIDAQAB
-----END PUBLIC KEY-----
"""

REQUIRED_COOKIES = ("SESSDATA", "bili_jct", "DedeUserID")
_REFRESH_CSRF = re.compile(r'<div\s+id="1-name"\s*>\s*([^<\s]+)\s*</div>')

QrState = Literal["waiting", "scanned", "expired", "confirmed"]


@dataclass(frozen=True)
class QrTicket:
    url: str  # to be shown as a QR code
    key: str  # qrcode_key, valid about 180 s


@dataclass(frozen=True)
class QrPoll:
    state: QrState
    credential: Credential | None = None  # set once the user confirmed


def _set_cookies(response: httpx.Response) -> dict[str, str]:
    jar: dict[str, str] = {}
    for header in response.headers.get_list("set-cookie"):
        parsed = http.cookies.SimpleCookie()
        try:
            parsed.load(header)
        except http.cookies.CookieError:
            continue
        jar.update({name: morsel.value for name, morsel in parsed.items()})
    return jar


async def qr_generate(client: BiliClient) -> QrTicket:
    data = await client.get_json(
        client.hosts.passport,
        "/x/passport-login/web/qrcode/generate",
        {"source": "main-fe-header"},
    )
    if not isinstance(data, dict) or not data.get("url") or not data.get("qrcode_key"):
        raise ApiError(0, "the QR login service returned no code")
    return QrTicket(url=str(data["url"]), key=str(data["qrcode_key"]))


async def _buvid3(client: BiliClient) -> str:
    data = await client.get_json(client.hosts.api, "/x/web-frontend/getbuvid")
    return str((data or {}).get("buvid") or "")


async def qr_poll(client: BiliClient, key: str) -> QrPoll:
    """One poll; call it every couple of seconds until the state is expired or confirmed."""
    reply = await client.request_json(
        "GET", client.hosts.passport, "/x/passport-login/web/qrcode/poll", params={"qrcode_key": key}
    )
    data = reply.data or {}
    code = int(data.get("code", -1))
    if code == QR_WAITING:
        return QrPoll("waiting")
    if code == QR_SCANNED:
        return QrPoll("scanned")
    if code == QR_EXPIRED:
        return QrPoll("expired")
    if code != 0:
        raise ApiError(code, str(data.get("message") or "QR login failed"))
    cookies = _set_cookies(reply.response)
    # The cross-domain URL carries the same cookies in its query; use it if headers lack them.
    url_query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(str(data.get("url") or "")).query))
    for name in REQUIRED_COOKIES:
        if name not in cookies and url_query.get(name):
            cookies[name] = url_query[name]
    missing = [name for name in REQUIRED_COOKIES if not cookies.get(name)]
    if missing:
        raise ApiError(0, f"the QR login succeeded but did not hand out {', '.join(missing)}")
    return QrPoll(
        "confirmed",
        Credential(
            sessdata=cookies["SESSDATA"],
            bili_jct=cookies["bili_jct"],
            dedeuserid=cookies["DedeUserID"],
            buvid3=cookies.get("buvid3") or await _buvid3(client),
            ac_time_value=str(data.get("refresh_token") or ""),
        ),
    )


# ---- pasted cookies -------------------------------------------------------------------------


def _pairs_from_json(text: str) -> list[tuple[str, str, str]]:
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"the cookie export is not valid JSON: {exc}") from exc
    if isinstance(document, dict):
        if isinstance(document.get("cookies"), list):
            document = document["cookies"]
        else:
            return [(str(name), str(value), "") for name, value in document.items()]
    if not isinstance(document, list):
        raise ConfigError("the cookie export must be a JSON array of {name, value} objects")
    return [
        (str(entry["name"]), str(entry["value"]), str(entry.get("domain") or ""))
        for entry in document
        if isinstance(entry, dict) and "name" in entry and "value" in entry
    ]


def _pairs_from_netscape(text: str) -> list[tuple[str, str, str]]:
    pairs = []
    for line in text.splitlines():
        # Browsers export HttpOnly cookies (SESSDATA is one) as "#HttpOnly_<domain>…".
        if line.startswith("#HttpOnly_"):
            line = line[len("#HttpOnly_") :]
        elif not line.strip() or line.startswith("#"):
            continue
        fields = line.rstrip("\r\n").split("\t")
        if len(fields) >= 7:
            pairs.append((fields[5], fields[6], fields[0]))
    return pairs


def _pairs_from_header(text: str) -> list[tuple[str, str, str]]:
    text = re.sub(r"^\s*cookie\s*:", "", text.strip(), flags=re.I)
    pairs = []
    for part in re.split(r"[;\n]", text):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            pairs.append((name.strip(), value.strip().strip('"'), ""))
    return pairs


def parse_cookie_text(text: str) -> Credential:
    """A login from pasted cookies: a `Cookie:` header, a cookies.txt export or a JSON export."""
    stripped = text.strip()
    if not stripped:
        raise ConfigError("no cookies given; paste the Cookie header or a cookie export of bilibili.com")
    if stripped[0] in "[{":
        pairs = _pairs_from_json(stripped)
    elif "\t" in stripped:
        pairs = _pairs_from_netscape(stripped)
    else:
        pairs = _pairs_from_header(stripped)
    cookies: dict[str, str] = {}
    # Exports of a whole browser profile hold other sites too; bilibili's own entries win.
    from_bilibili: set[str] = set()
    for name, value, domain in pairs:
        is_bilibili = not domain or "bilibili" in domain.lower()
        if name in from_bilibili and not is_bilibili:
            continue
        cookies[name] = value
        if is_bilibili:
            from_bilibili.add(name)
    missing = [name for name in REQUIRED_COOKIES if not cookies.get(name)]
    if missing:
        raise ConfigError(
            f"the cookies lack {', '.join(missing)}; copy them from a logged-in bilibili.com tab "
            "(SESSDATA is HttpOnly: use the browser's developer tools or a cookie export)"
        )
    return Credential(
        sessdata=cookies["SESSDATA"],
        bili_jct=cookies["bili_jct"],
        dedeuserid=cookies["DedeUserID"],
        buvid3=cookies.get("buvid3", ""),
        ac_time_value=cookies.get("ac_time_value", ""),
    )


# ---- cookie refresh -------------------------------------------------------------------------


def correspond_path(timestamp_ms: int) -> str:
    """Hex of RSA-OAEP(SHA-256) over `refresh_{timestamp_ms}` with Bilibili's public key."""
    key = serialization.load_pem_public_key(REFRESH_PUBLIC_KEY)
    assert isinstance(key, rsa.RSAPublicKey)
    cipher = key.encrypt(
        f"refresh_{timestamp_ms}".encode(),
        padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None),
    )
    return cipher.hex()


def _login_expired(exc: ApiError, step: str) -> LoginExpiredError:
    return LoginExpiredError(f"Bilibili refused to refresh the login ({step}: {exc.api_message}); log in again")


async def refresh_if_needed(client: BiliClient) -> bool:
    """Refresh the login when Bilibili asks for it; True when `client.credential` changed."""
    credential = client.credential
    if credential is None:
        raise LoginExpiredError("No Bilibili login to refresh; log in first")
    passport = client.hosts.passport
    info = await client.get_json(passport, "/x/passport-login/web/cookie/info", {"csrf": credential.bili_jct})
    if not (info or {}).get("refresh"):
        return False
    if not credential.ac_time_value:
        raise LoginExpiredError(
            "Bilibili wants the login refreshed but no refresh token is stored; log in again with the QR code"
        )
    timestamp = int((info or {}).get("timestamp") or time.time() * 1000)
    page = await client.get_text(client.hosts.www, f"/correspond/1/{correspond_path(timestamp)}")
    match = _REFRESH_CSRF.search(page)
    if match is None:
        raise LoginExpiredError("Bilibili did not hand out a refresh_csrf; the login has expired, log in again")

    old_token = credential.ac_time_value
    try:
        reply = await client.request_json(
            "POST",
            passport,
            "/x/passport-login/web/cookie/refresh",
            form={
                "csrf": credential.bili_jct,
                "refresh_csrf": match.group(1),
                "source": "main_web",
                "refresh_token": old_token,
            },
        )
    except ApiError as exc:
        if exc.code == REFRESH_TOKEN_MISMATCH:
            raise _login_expired(exc, "refresh token does not match the cookies") from exc
        raise
    cookies = _set_cookies(reply.response)
    new_token = str((reply.data or {}).get("refresh_token") or "")
    if not cookies.get("SESSDATA") or not cookies.get("bili_jct") or not new_token:
        raise LoginExpiredError("Bilibili's cookie refresh returned no new login; log in again")

    # Change the object in place: whoever holds this credential sees the new login.
    credential.sessdata = cookies["SESSDATA"]
    credential.bili_jct = cookies["bili_jct"]
    credential.dedeuserid = cookies.get("DedeUserID") or credential.dedeuserid
    credential.ac_time_value = new_token
    client.apply_credential()

    # Confirming retires the old refresh token. The new cookies already work, so a failed
    # confirmation must not hide them from the caller, who has to store them now.
    try:
        await client.post_form(
            passport,
            "/x/passport-login/web/confirm/refresh",
            {"csrf": credential.bili_jct, "refresh_token": old_token},
        )
    except SyncDeckError as exc:
        log.warning("Bilibili login refreshed, but confirming it failed: %s", exc)
    return True
