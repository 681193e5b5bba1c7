"""Which server answers, and how it wants to be authenticated.

Emby and Jellyfin share most of their API, but not how a token travels:

| server          | headers we send                                   | token in a media URL |
|-----------------|---------------------------------------------------|----------------------|
| Emby 4.x        | Authorization: MediaBrowser …, X-Emby-Token        | `api_key=`           |
| Jellyfin 10.x   | Authorization: MediaBrowser …, Token="…"           | `ApiKey=`            |
| Jellyfin 12.x   | Authorization: MediaBrowser …, Token="…" (only)    | `ApiKey=` (`api_key` is refused) |

The `Authorization: MediaBrowser` header is sent to every server: it is the one form Jellyfin
12 accepts, and Emby and older Jellyfin read it too. Emby also gets `X-Emby-Token`, the form
its own documentation uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core.errors import InvalidResponseError

CLIENT_NAME = "SyncDeck"
CLIENT_VERSION = "0.1.0"
TICKS_PER_SECOND = 10_000_000


class ServerKind(StrEnum):
    EMBY = "emby"
    JELLYFIN = "jellyfin"


DISPLAY_NAMES = {ServerKind.EMBY: "Emby", ServerKind.JELLYFIN: "Jellyfin"}


@dataclass(frozen=True)
class ServerInfo:
    """What `/System/Info/Public` says, and where the API lives (`base`: scheme, host and any
    path prefix such as `/emby` or a Jellyfin BaseUrl, without a trailing slash)."""

    base: str
    kind: ServerKind
    version: str
    server_id: str
    name: str

    @property
    def display(self) -> str:
        return f"{DISPLAY_NAMES[self.kind]} {self.version}".strip()

    @property
    def major(self) -> int:
        match = re.match(r"(\d+)", self.version)
        return int(match.group(1)) if match else 0


def server_info(base: str, payload: Any) -> ServerInfo:
    """Read `/System/Info/Public`: `ProductName` names Jellyfin ("Jellyfin Server"); Emby
    sends none (or "Emby Server")."""
    if not isinstance(payload, dict) or not payload.get("Id") or "Version" not in payload:
        raise InvalidResponseError(f"{base} did not answer /System/Info/Public like an Emby or Jellyfin server")
    product = str(payload.get("ProductName") or "")
    kind = ServerKind.JELLYFIN if "jellyfin" in product.lower() else ServerKind.EMBY
    return ServerInfo(
        base=base,
        kind=kind,
        version=str(payload.get("Version") or ""),
        server_id=str(payload["Id"]),
        name=str(payload.get("ServerName") or ""),
    )


def _quoted(value: str) -> str:
    # The header's values are quoted strings: a quote or comma in a device name would end them.
    return re.sub(r'["\\,\r\n]', "_", value)


def authorization(device_name: str, device_id: str, token: str = "") -> str:
    """The `Authorization: MediaBrowser …` value, in the exact form Jellyfin 12 parses:
    `Key="value"` pairs separated by `, `, Token last when there is one."""
    fields = [
        ("Client", CLIENT_NAME),
        ("Device", device_name or "Desktop"),
        ("DeviceId", device_id),
        ("Version", CLIENT_VERSION),
    ]
    if token:
        fields.append(("Token", token))
    return "MediaBrowser " + ", ".join(f'{key}="{_quoted(value)}"' for key, value in fields)


def auth_headers(kind: ServerKind, device_name: str, device_id: str, token: str = "") -> dict[str, str]:
    """Headers for API calls (and for players and downloads of media URLs)."""
    headers = {"Authorization": authorization(device_name, device_id, token)}
    if kind is ServerKind.EMBY:
        headers["X-Emby-Authorization"] = headers["Authorization"].replace("MediaBrowser ", "Emby ", 1)
        if token:
            headers["X-Emby-Token"] = token
    return headers


def media_headers(kind: ServerKind, device_name: str, device_id: str, token: str) -> dict[str, str]:
    """The one header a player or downloader needs for a media URL of this server."""
    if kind is ServerKind.EMBY:
        return {"X-Emby-Token": token}
    return {"Authorization": authorization(device_name, device_id, token)}


def token_query_name(kind: ServerKind) -> str:
    """The query parameter that carries a token in media URLs: Emby reads `api_key`, Jellyfin
    (10.x and 12) `ApiKey`; Jellyfin 12 refuses `api_key`."""
    return "api_key" if kind is ServerKind.EMBY else "ApiKey"
