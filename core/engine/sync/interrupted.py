"""Rounds cut short by a kill or a crash: closed as "interrupted" when an engine starts.

A round writes "running" when it starts and its outcome when it ends; a process that dies in
between leaves "running" behind for ever. At start, an engine that can take the round lock
knows no process runs a round in this data folder, so every "running" row is such a leftover.
"""

from __future__ import annotations

import logging
from pathlib import Path

from core.engine.sync.roundlock import RoundBusyError, RoundLock
from core.store import repo
from core.store.db import Database

log = logging.getLogger(__name__)


def close_interrupted_rounds(db: Database, data_dir: Path) -> int:
    lock = RoundLock(data_dir)
    try:
        lock.acquire()
    except (RoundBusyError, OSError):  # a round runs now (its "running" is true), or no lock file
        return 0
    try:
        closed = db.call(repo.close_interrupted_rounds)
    finally:
        lock.release()
    if closed:
        log.info("%d round(s) cut short by a stop or crash are now marked interrupted", closed)
    return closed
