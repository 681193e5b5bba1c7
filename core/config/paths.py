"""Folders and files the user names in settings and on the command line."""

from __future__ import annotations

from pathlib import Path

from core.errors import ConfigError


def user_path(text: str | Path) -> Path:
    """`text` with a leading ~ or ~user expanded; a user this system does not know is a
    ConfigError that names it (pathlib would raise a bare RuntimeError)."""
    try:
        return Path(text).expanduser()
    except RuntimeError:
        user = str(text).split("/")[0]
        raise ConfigError(f"{user!r} in {str(text)!r} names no user of this computer; give a full path") from None
