"""Advisory whole-file locks that the system drops when the holder dies (even by kill -9)."""

from __future__ import annotations

import os
from pathlib import Path

if os.name == "nt":
    import msvcrt

    def try_lock(fd: int) -> None:
        """Lock `fd` or raise OSError at once if another open file holds it."""
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def try_lock(fd: int) -> None:
        """Lock `fd` or raise OSError at once if another open file holds it."""
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def is_locked(path: Path) -> bool:
    """Whether a live process holds the lock on `path` (False when the file is missing)."""
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        try_lock(fd)
    except OSError:
        return True
    else:
        unlock(fd)
        return False
    finally:
        os.close(fd)
