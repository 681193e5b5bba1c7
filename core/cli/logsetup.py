"""Logging for every front end: console, a rotating file in the data dir, secrets redacted."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from core.secrets.redact import SecretRedactor

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def setup_logging(data_dir: Path, verbosity: int = 0, *, console: bool = True) -> None:
    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    redactor = SecretRedactor()
    if console:
        stream = logging.StreamHandler()
        stream.setLevel(logging.DEBUG if verbosity > 1 else logging.INFO if verbosity else logging.WARNING)
        stream.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        stream.addFilter(redactor)
        root.addHandler(stream)
    try:
        (data_dir / "logs").mkdir(parents=True, exist_ok=True)
        file = logging.handlers.RotatingFileHandler(
            data_dir / "logs" / "syncdeck.log", maxBytes=5 * 2**20, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return  # a read-only data dir must not stop the program; the console still logs
    file.setLevel(logging.INFO)
    file.setFormatter(logging.Formatter(FORMAT))
    file.addFilter(redactor)
    root.addHandler(file)
    for noisy in ("httpx", "httpcore", "alembic", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
