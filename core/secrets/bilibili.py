"""A Bilibili login as one keyring secret, or from the environment for servers."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, fields

from core.errors import ConfigError, SecretStoreError
from core.providers.bilibili.models import Credential
from core.secrets.redact import register_secret
from core.secrets.store import ENV_COOKIE, SecretStore

_REQUIRED_COOKIES = ("SESSDATA", "bili_jct", "DedeUserID")


def _register_credential(cred: Credential) -> None:
    # DedeUserID is the public account id: hiding it would only garble the logs.
    for value in (cred.sessdata, cred.bili_jct, cred.buvid3, cred.ac_time_value):
        register_secret(value)


def save_bilibili_credential(store: SecretStore, ref: str, cred: Credential) -> None:
    _register_credential(cred)
    store.set(ref, json.dumps(asdict(cred), ensure_ascii=False))


def load_bilibili_credential(store: SecretStore, ref: str) -> Credential | None:
    """The login saved under `ref`, or None when there is none."""
    text = store.get(ref)
    if text is None:
        return None
    damaged = SecretStoreError(f"The Bilibili login saved as {ref!r} is damaged; please log in again.")
    try:
        data = json.loads(text)
    except ValueError:
        raise damaged from None
    if not isinstance(data, dict):
        raise damaged
    # Keys this version does not know (written by a newer one) are dropped, not fatal.
    known = {f.name for f in fields(Credential)}
    values = {key: value for key, value in data.items() if key in known}
    if not all(isinstance(value, str) for value in values.values()):
        raise damaged
    try:
        cred = Credential(**values)
    except TypeError:  # a required field is missing
        raise damaged from None
    _register_credential(cred)
    return cred


def parse_cookie_header(text: str) -> dict[str, str]:
    """`name=value; name=value` (a Cookie header, optionally with its `Cookie:` prefix) as a dict.

    Values are kept exactly as given, URL encoding included (SESSDATA carries `%2C`), except
    for one pair of surrounding double quotes, which RFC 6265 allows. The first occurrence of a
    name wins. Errors name the position of the bad part, never its content, which may be secret.
    """
    body = text.strip()
    if body[:7].lower() == "cookie:":
        body = body[7:]
    cookies: dict[str, str] = {}
    for position, part in enumerate(body.split(";"), start=1):
        part = part.strip()
        if not part:
            continue
        name, sep, value = part.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name:
            raise ConfigError(f"part {position} of the cookie is not name=value")
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        cookies.setdefault(name, value)
    return cookies


def credential_from_env(environ: Mapping[str, str] = os.environ) -> Credential | None:
    """The login given in SYNCDECK_BILIBILI_COOKIE, for this process only; None when unset.

    Meant for servers without a keyring: the value is never written anywhere.
    """
    text = environ.get(ENV_COOKIE, "").strip()
    if not text:
        return None
    try:
        parsed = parse_cookie_header(text)
    except ConfigError as exc:
        raise ConfigError(f"{ENV_COOKIE}: {exc}") from None
    # Browsers and copy-paste tools disagree on capitalisation; the names are unambiguous.
    cookies = {name.lower(): value for name, value in reversed(parsed.items())}
    missing = [name for name in _REQUIRED_COOKIES if not cookies.get(name.lower())]
    if missing:
        raise ConfigError(
            f"{ENV_COOKIE} lacks {', '.join(missing)}; it must look like a Cookie header: "
            "'SESSDATA=…; bili_jct=…; DedeUserID=…; buvid3=…'"
        )
    cred = Credential(
        sessdata=cookies["sessdata"],
        bili_jct=cookies["bili_jct"],
        dedeuserid=cookies["dedeuserid"],
        buvid3=cookies.get("buvid3", ""),
        ac_time_value=cookies.get("ac_time_value") or cookies.get("refresh_token", ""),
    )
    _register_credential(cred)
    return cred
