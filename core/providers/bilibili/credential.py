"""A Bilibili login as one secret text: the keyring entry, the environment login, log redaction.

The secret text is the JSON object of a `Credential` (`{"sessdata": …, "bili_jct": …,
"dedeuserid": …, "buvid3": …, "ac_time_value": …}`), exactly what earlier versions wrote to
the keyring, so saved logins keep working. Error messages never quote a value.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, fields
from typing import TYPE_CHECKING

from core.errors import ConfigError, SecretStoreError
from core.providers.bilibili.models import Credential
from core.secrets.redact import register_secret

if TYPE_CHECKING:
    from core.secrets.store import SecretStore

ENV_COOKIE = "SYNCDECK_BILIBILI_COOKIE"
REQUIRED_COOKIES = ("SESSDATA", "bili_jct", "DedeUserID")


class DamagedSecretError(ValueError):
    """A secret text that is not a Bilibili login (never carries the text itself)."""


def register_credential(cred: Credential) -> None:
    """Redact the login's values from every log record from now on."""
    # DedeUserID is the public account id: hiding it would only garble the logs.
    for value in (cred.sessdata, cred.bili_jct, cred.buvid3, cred.ac_time_value):
        register_secret(value)


def credential_to_secret(cred: Credential) -> str:
    register_credential(cred)
    return json.dumps(asdict(cred), ensure_ascii=False)


def credential_from_secret(text: str) -> Credential:
    """The login a secret text holds; DamagedSecretError when it is not one."""
    try:
        data = json.loads(text)
    except ValueError:
        raise DamagedSecretError("not JSON") from None
    if not isinstance(data, dict):
        raise DamagedSecretError("not a JSON object")
    # Keys this version does not know (written by a newer one) are dropped, not fatal.
    known = {f.name for f in fields(Credential)}
    values = {key: value for key, value in data.items() if key in known}
    if not all(isinstance(value, str) for value in values.values()):
        raise DamagedSecretError("a value is not text")
    try:
        cred = Credential(**values)
    except TypeError:  # a required field is missing
        raise DamagedSecretError("a required cookie is missing") from None
    register_credential(cred)
    return cred


def save_credential(store: SecretStore, ref: str, cred: Credential) -> None:
    store.set(ref, credential_to_secret(cred))


def load_credential(store: SecretStore, ref: str) -> Credential | None:
    """The login saved under `ref`, or None when there is none."""
    text = store.get(ref)
    if text is None:
        return None
    try:
        return credential_from_secret(text)
    except DamagedSecretError:
        raise SecretStoreError(f"The Bilibili login saved as {ref!r} is damaged; please log in again.") from None


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
    missing = [name for name in REQUIRED_COOKIES if not cookies.get(name.lower())]
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
    register_credential(cred)
    return cred
