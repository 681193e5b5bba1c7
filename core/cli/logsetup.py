"""Logging for every front end: console, a rotating file in the data dir, secrets redacted.

At Info the log tells a user's story (rounds, sources scanned, items done or failed and why,
logins, risk control, settings changed). Libraries (httpx, asyncio, qasync, SQLAlchemy…)
speak only at Warning and above, also at -vv, unless a developer sets SYNCDECK_DEBUG_LIBRARIES=1:
at Debug they would bury the story under the event loop's internals.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from core.secrets.redact import SecretRedactor

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
OWN_LOGGERS = frozenset({"core", "desktop", "syncdeck", "__main__"})
DEBUG_LIBRARIES = "SYNCDECK_DEBUG_LIBRARIES"
FILE_ONLY = "syncdeck_file_only"  # `extra={FILE_ONLY: True}`: a record for the log file, not the console
LOG_BYTES, LOG_BACKUPS = 5 * 2**20, 3  # syncdeck.log rotates at 5 MiB, three old files kept


class LibraryFilter(logging.Filter):
    """Lets SyncDeck's own records through and those of libraries from Warning up."""

    def __init__(self) -> None:
        super().__init__()
        self.library_level = logging.DEBUG if os.environ.get(DEBUG_LIBRARIES) == "1" else logging.WARNING

    def filter(self, record: logging.LogRecord) -> bool:
        return record.name.partition(".")[0] in OWN_LOGGERS or record.levelno >= self.library_level


def setup_logging(data_dir: Path, verbosity: int = 0, *, console: bool = True) -> None:
    """-v shows Info on the console, -vv Debug in the console and the file."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    redactor = SecretRedactor()
    libraries = LibraryFilter()
    if console:
        stream = logging.StreamHandler()
        stream.setLevel(logging.DEBUG if verbosity > 1 else logging.INFO if verbosity else logging.WARNING)
        stream.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        stream.addFilter(libraries)
        stream.addFilter(lambda record: not getattr(record, FILE_ONLY, False))
        stream.addFilter(redactor)
        root.addHandler(stream)
    try:
        (data_dir / "logs").mkdir(parents=True, exist_ok=True)
        file = logging.handlers.RotatingFileHandler(
            data_dir / "logs" / "syncdeck.log", maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError:
        return  # a read-only data dir must not stop the program; the console still logs
    file.setLevel(logging.DEBUG if verbosity > 1 else logging.INFO)
    file.setFormatter(logging.Formatter(FORMAT))
    file.addFilter(libraries)
    file.addFilter(redactor)
    root.addHandler(file)
