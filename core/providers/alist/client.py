"""An Alist v3 / OpenList v4 session: the `{code, message, data}` envelope, the raw token in
`Authorization` (no "Bearer"), and a silent login again when the server forgot the token."""

from __future__ import annotations

import logging
from typing import Any

import httpx

from core.errors import (
    ApiError,
    FolderPasswordError,
    InvalidResponseError,
    LoginExpiredError,
    TransientError,
    UnavailableError,
)
from core.net import make_client
from core.net.client import NetOptions
from core.providers.alist.login import AlistLogin

log = logging.getLogger(__name__)

# 401 messages a new login cures (a restart, logout or expiry forgot the token)
RENEWABLE = ("token is invalidated", "token is expired", "that's not even a token", "token not active yet",
             "couldn't handle this token")  # fmt: skip
FOLDER_REFUSED = "password is incorrect or you have no permission"
NO_GUESTS = "Guest user is disabled"


class AlistClient:
    """One login's connection. `login` changes when the token is renewed (see `secret`)."""

    def __init__(self, login: AlistLogin, net: NetOptions, display_name: str) -> None:
        self.login = login
        self.opened_with = login
        self.display_name = display_name
        self.http = make_client(net, headers={"Origin": login.server, "Referer": login.server + "/"})
        self.api_calls = 0

    @property
    def server(self) -> str:
        return self.login.server

    def secret(self) -> str:
        return self.login.to_secret()

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> AlistClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # ---- raw calls

    async def _send(self, method: str, route: str, body: dict[str, Any] | None, token: str) -> dict[str, Any]:
        self.api_calls += 1
        headers = {"Authorization": token} if token else {}
        try:
            response = await self.http.request(method, self.server + route, json=body, headers=headers)
        except httpx.TimeoutException:
            raise TransientError(f"{self.server} did not answer in time") from None
        except httpx.HTTPError as exc:
            raise TransientError(f"cannot reach {self.server} ({type(exc).__name__}: {exc or 'no answer'})") from None
        if response.status_code == 404:
            raise ApiError(404, f"{route} not found")
        if response.status_code >= 500:
            raise TransientError(f"{self.server} answered HTTP {response.status_code}")
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if not isinstance(payload, dict) or "code" not in payload:
            raise InvalidResponseError(
                f"{self.server} does not answer as an {self.display_name} server does (HTTP {response.status_code}, "
                f"{response.headers.get('content-type', 'no content type')}); check the address"
            )
        return payload

    async def call(self, route: str, body: dict[str, Any] | None = None, *, method: str = "POST",
                   folder: str = "") -> Any:  # fmt: skip
        """`data` of a successful answer. A forgotten token is renewed once with the stored
        password; `folder` names the path a folder-password refusal is about."""
        payload = await self._send(method, route, body, self.login.token)
        code, message = int(payload.get("code", 0)), str(payload.get("message", ""))
        if code == 401 and not self.login.guest and message.startswith(RENEWABLE):
            log.info("%s forgot the login (%s): logging in again", self.server, message)
            await self.authenticate()
            payload = await self._send(method, route, body, self.login.token)
            code, message = int(payload.get("code", 0)), str(payload.get("message", ""))
        if code == 200:
            return payload.get("data")
        if code == 401:
            if message.startswith(NO_GUESTS):
                raise LoginExpiredError(f"{self.server} does not let guests in; log in with a user name")
            raise LoginExpiredError(f"{self.server} no longer accepts this login ({message}); log in again")
        if code == 403 and message.startswith(FOLDER_REFUSED) and folder:
            wrong = bool(self.login.folder_password(folder))
            locked = f"{folder} is locked: it needs its folder password"
            message = f"wrong folder password for {folder}" if wrong else locked
            raise FolderPasswordError(message, folder=folder, wrong=wrong)
        if code == 500 and "not found" in message:
            raise UnavailableError(f"{folder or 'that path'} is not on {self.server} ({message})", code=code)
        raise ApiError(code, message)

    # ---- login

    async def probe(self) -> dict[str, Any]:
        """The public settings (no login needed): proof that this is an Alist/OpenList server."""
        try:
            payload = await self._send("GET", "/api/public/settings", None, "")
        except ApiError:  # HTTP 404: no such API here
            payload = {}
        if int(payload.get("code", 0)) != 200 or not isinstance(payload.get("data"), dict):
            raise InvalidResponseError(f"{self.server} is not an {self.display_name} server")
        data: dict[str, Any] = payload["data"]
        return data

    async def authenticate(self) -> None:
        """Log in with the stored password (hashed where the server offers that); sets the token."""
        login = self.login
        if login.guest:
            return
        if login.password_hash:
            route, password = "/api/auth/login/hash", login.password_hash
        else:
            route, password = "/api/auth/login", login.password
        payload = await self._send("POST", route, {"username": login.username, "password": password, "otp_code": ""},
                                   "")  # fmt: skip
        code, message = int(payload.get("code", 0)), str(payload.get("message", ""))
        if code == 200 and isinstance(payload.get("data"), dict) and payload["data"].get("token"):
            self.login = login.with_token(str(payload["data"]["token"]))
            return
        if code == 402:
            raise LoginExpiredError(f"{self.server} asks for a two-factor code, which SyncDeck cannot give yet")
        if code == 429:
            raise LoginExpiredError(f"{self.server} refuses logins for a while: too many failed attempts")
        raise LoginExpiredError(f"wrong user name or password for {self.server} (the server said: {message})")

    async def me(self) -> dict[str, Any]:
        data = await self.call("/api/me", method="GET")
        if not isinstance(data, dict):
            raise InvalidResponseError(f"{self.server} gave no user for this login")
        return data
