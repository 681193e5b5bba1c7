"""How each flavour of server finds the token of a request, as the reference describes.

- Emby 4.x: `X-Emby-Token`, `X-MediaBrowser-Token`, `X-Emby-Authorization` or
  `Authorization` (scheme `Emby` or `MediaBrowser`, leniently parsed), or `api_key` in the query.
- Jellyfin 10.10/10.11: `Authorization: MediaBrowser …`, the legacy forms above, `api_key`
  or `ApiKey` in the query.
- Jellyfin 12: only `Authorization: MediaBrowser` in its strict form (`Key="value"` pairs,
  `, ` separated, every value quoted) and `ApiKey` in the query; `api_key` is refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_STRICT_PAIR = re.compile(r'([A-Za-z]+)="([^"]*)"')
_LENIENT_PAIR = re.compile(r'([A-Za-z]+)\s*=\s*"?([^",]*)"?')


def parse_strict(value: str) -> dict[str, str] | None:
    scheme, _, rest = value.partition(" ")
    if scheme != "MediaBrowser" or not rest:
        return None
    fields: dict[str, str] = {}
    for piece in rest.split(", "):
        match = _STRICT_PAIR.fullmatch(piece)
        if match is None:
            return None
        fields[match.group(1)] = match.group(2)
    return fields


def parse_lenient(value: str) -> dict[str, str] | None:
    scheme, _, rest = value.strip().partition(" ")
    if scheme.lower() not in ("mediabrowser", "emby"):
        return None
    return {key: val.strip() for key, val in _LENIENT_PAIR.findall(rest)}


class AuthRules:
    def __init__(self, flavour: str) -> None:
        self.flavour = flavour
        self.strict = flavour == "jellyfin-12"
        self.emby = flavour == "emby"

    def client_fields(self, headers: Mapping[str, str]) -> dict[str, str]:
        """Client, Device, DeviceId, Version (and Token) from the headers this server reads."""
        if self.strict:
            return parse_strict(headers.get("Authorization", "")) or {}
        for name in ("Authorization", "X-Emby-Authorization"):
            parsed = parse_lenient(headers.get(name, ""))
            if parsed:
                return parsed
        return {}

    def token(self, headers: Mapping[str, str], query: Mapping[str, str]) -> tuple[str, str]:
        """(token, how it came) — ("", why) when there is none this server accepts."""
        lowered = {key.lower(): value for key, value in query.items()}
        if self.strict and "api_key" in query:
            return "", "api_key refused"
        token = self.client_fields(headers).get("Token", "")
        if token:
            return token, "Authorization"
        if not self.strict:
            for name in ("X-Emby-Token", "X-MediaBrowser-Token"):
                if headers.get(name):
                    return headers[name], name
            if lowered.get("api_key"):
                return lowered["api_key"], "api_key"
        if not self.emby and query.get("ApiKey"):
            return query["ApiKey"], "ApiKey"
        return "", "no token"
