"""One round at a time per data directory, across processes (daemon + a manual `sync`)."""

from __future__ import annotations

import os
from pathlib import Path

from core.errors import SyncDeckError
from core.filelock import try_lock, unlock

ROUND_LOCK_NAME = "round.lock"


class RoundBusyError(SyncDeckError):
    pass


class RoundLock:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / ROUND_LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try_lock(fd)
        except OSError:
            os.close(fd)
            raise RoundBusyError(
                "another round is already running for this data folder (the daemon, the window or "
                "another `syncdeck sync`); try again when it has finished"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            unlock(self._fd)
            os.close(self._fd)
            self._fd = None
