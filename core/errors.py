"""Domain errors shared by providers, downloads and the engine.

The engine decides what an error costs from its class alone:
- RiskControlError: stop the round, count no attempt, cool down;
- LoginExpiredError: stop the sources of that account, ask for a new login;
- UnavailableError: the item is gone or hidden upstream; mark it, never retry;
- TransientError: network hiccup; retried next round without counting an attempt;
- anything else (SyncDeckError or not): a normal failed attempt.
"""

from __future__ import annotations


class SyncDeckError(Exception):
    """Base class; `str(err)` is a message fit to show a user."""


class ConfigError(SyncDeckError):
    """Bad configuration or command-line usage."""


class LinkError(SyncDeckError):
    """A pasted link or id that cannot be used."""


class RiskControlError(SyncDeckError):
    """The service applied risk control (风控): -352, -412, -799, v_voucher, HTTP 412/403…"""

    def __init__(self, message: str, *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class LoginExpiredError(SyncDeckError):
    """The account's login is missing or expired (-101)."""


class UnavailableError(SyncDeckError):
    """The item was deleted, is under review, private or otherwise not playable."""

    def __init__(self, message: str, *, code: int = 0) -> None:
        super().__init__(message)
        self.code = code


class ApiError(SyncDeckError):
    """A non-zero API code that has no more specific meaning."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"API error {code}: {message}")
        self.code = code
        self.api_message = message


class InvalidResponseError(SyncDeckError):
    """A reply that is not the JSON shape the API promises."""


class TransientError(SyncDeckError):
    """Timeouts, dropped connections, truncated bodies: try again later, free of charge."""


class FolderPasswordError(SyncDeckError):
    """A folder on a server is locked with a password of its own: none was given, or `wrong`."""

    def __init__(self, message: str, *, folder: str, wrong: bool) -> None:
        super().__init__(message)
        self.folder = folder
        self.wrong = wrong


class DownloadError(SyncDeckError):
    """A download that failed for a reason other than the above (e.g. size mismatch)."""


class DiskFullError(SyncDeckError):
    """No space left where the library or the data directory lives."""


class SecretStoreError(SyncDeckError):
    """No secure keyring, or the keyring refused the operation."""


class DatabaseError(SyncDeckError):
    """The database cannot be used; nothing was read from or written to it (exit 1)."""


class DamagedDatabaseError(DatabaseError):
    """The database file is damaged, emptied or missing tables: restore a backup."""


class NewerDatabaseError(DatabaseError):
    """The database was written by a newer SyncDeck (a schema revision this one lacks)."""


class DataFolderError(DatabaseError):
    """The data folder or the database file cannot be written (read-only, no permission)."""


class LlmError(SyncDeckError):
    """An LLM account could not answer (no key left, quota used up, the model refused…)."""


class PlaybackError(SyncDeckError):
    """An entry cannot be played (nothing playable, the server refused, no player found)."""


class TorrentError(SyncDeckError):
    """A torrent could not be added or changed (corrupt file, invalid magnet…)."""
