"""The login kept in the keyring: the server, who logged in, the token and the device it
belongs to. The password is never kept: a token outlives it until the server revokes it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from core.errors import LoginExpiredError
from core.providers.emby.server import ServerKind
from core.secrets import register_secret


@dataclass(frozen=True)
class ServerLogin:
    server: str  # the API base: scheme, host, port and path prefix
    kind: ServerKind
    version: str
    server_id: str
    user_id: str
    user_name: str
    token: str
    device_id: str


def login_to_secret(login: ServerLogin) -> str:
    register_secret(login.token)
    return json.dumps(asdict(login), ensure_ascii=False)


def login_from_secret(text: str, display_name: str) -> ServerLogin:
    try:
        raw = json.loads(text)
        login = ServerLogin(**{**raw, "kind": ServerKind(raw["kind"])})
    except (ValueError, TypeError, KeyError):
        raise LoginExpiredError(f"The saved {display_name} login is damaged; log in again") from None
    if not (login.server and login.token and login.user_id):
        raise LoginExpiredError(f"The saved {display_name} login is incomplete; log in again")
    register_secret(login.token)
    return login
