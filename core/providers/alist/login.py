"""What an Alist/OpenList login keeps in the keyring: enough to log in again unasked.

Alist tokens die on a server restart ("token is invalidated") and after 48 hours, so the
secret holds the password too: the salted SHA-256 Alist's hashed login takes where the
server offers that login (the plain password never leaves this machine then), else the
password itself. Folder passwords the user gave are kept with it, by folder.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from core.errors import ConfigError, LoginExpiredError
from core.secrets import register_secret

HASH_SALT = "-https://github.com/alist-org/alist"  # unchanged in OpenList


def hash_password(password: str) -> str:
    return hashlib.sha256((password + HASH_SALT).encode()).hexdigest()


def normalise_server(url: str) -> str:
    """`host:5244` or `https://host/alist/` → `http://host:5244`, `https://host/alist`."""
    text = url.strip().rstrip("/")
    if not text:
        raise ConfigError("give the server's address, e.g. http://192.168.1.2:5244")
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{url!r} is not a server address (http://host:port)")
    return text


@dataclass(frozen=True)
class AlistLogin:
    server: str
    username: str = ""  # "" = the guest user
    password: str = ""  # kept only where the server has no hashed login
    password_hash: str = ""
    token: str = ""
    folders: dict[str, str] = field(default_factory=dict)  # folder path → its password

    @property
    def guest(self) -> bool:
        return not self.username

    def with_token(self, token: str) -> AlistLogin:
        register_secret(token)
        return replace(self, token=token)

    def with_folder(self, folder: str, password: str) -> AlistLogin:
        register_secret(password)
        return replace(self, folders={**self.folders, folder: password})

    def folder_password(self, path: str) -> str:
        """The password given for `path` or the nearest folder above it that has one."""
        best, found = "", ""
        for folder, password in self.folders.items():
            inside = path == folder or path.startswith(folder.rstrip("/") + "/")
            if inside and len(folder) >= len(best):
                best, found = folder, password
        return found

    def to_secret(self) -> str:
        return json.dumps({"server": self.server, "username": self.username, "password": self.password,
                           "password_hash": self.password_hash, "token": self.token, "folders": self.folders},
                          ensure_ascii=False)  # fmt: skip

    @classmethod
    def from_secret(cls, text: str) -> AlistLogin:
        try:
            raw = json.loads(text)
            login = cls(server=str(raw["server"]), username=str(raw.get("username", "")),
                        password=str(raw.get("password", "")), password_hash=str(raw.get("password_hash", "")),
                        token=str(raw.get("token", "")), folders=dict(raw.get("folders") or {}))  # fmt: skip
        except (ValueError, KeyError, TypeError):
            raise LoginExpiredError("the saved Alist login is damaged; log in again") from None
        for value in (login.password, login.password_hash, login.token, *login.folders.values()):
            register_secret(value)
        return login
