"""Copies of the database in the data folder's `backups/`: before every migration and daily.

Copies are taken with SQLite's online backup API (a consistent snapshot even while another
process writes, WAL included) into a temporary name and renamed, so a half-written copy never
looks like a backup. Each copy is switched to a rollback journal so it is one self-contained
file that can be moved or restored by copying it. Only a database that passed its check is
ever copied, so the good backups are not rotated out by damaged ones.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

KEEP = 5
EVERY = timedelta(hours=24)
_NAME = re.compile(r"^syncdeck-(\d{8}-\d{6})-([a-z0-9-]+)\.db$")
_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime  # UTC
    reason: str  # "daily", "before-0005", "before-restore"

    @property
    def taken_local(self) -> str:
        return self.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def folder(database: Path) -> Path:
    return database.parent / "backups"


def all_backups(database: Path) -> list[Backup]:
    """Newest first; files of other names (a user's own copies) are left alone."""
    found = []
    try:
        entries = list(folder(database).iterdir())
    except OSError:
        return []
    for entry in entries:
        m = _NAME.match(entry.name)
        if m and entry.is_file():
            taken = datetime.strptime(m.group(1), _STAMP).replace(tzinfo=UTC)
            found.append(Backup(entry, taken, m.group(2)))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def newest(database: Path) -> Backup | None:
    backups = all_backups(database)
    return backups[0] if backups else None


def due(database: Path, now: datetime | None = None) -> bool:
    last = newest(database)
    return last is None or (now or datetime.now(UTC)) - last.taken_at >= EVERY


def take(database: Path, reason: str, *, keep: int = KEEP) -> Backup:
    """Copy `database` (which must be healthy) and drop the oldest copies beyond `keep`."""
    target_dir = folder(database)
    target_dir.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC).replace(microsecond=0)
    target = target_dir / f"syncdeck-{now.strftime(_STAMP)}-{reason}.db"
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(database)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    finally:
        source.close()
    os.replace(partial, target)
    for old in all_backups(database)[keep:]:
        old.path.unlink(missing_ok=True)
    return Backup(target, now, reason)


def find(database: Path, name: str | None) -> Backup | None:
    """A backup by file name or path; the newest when `name` is None."""
    backups = all_backups(database)
    if name is None:
        return backups[0] if backups else None
    wanted = Path(name).expanduser()
    for b in backups:
        if b.path.name == wanted.name and (not wanted.parent.parts or wanted.resolve() == b.path.resolve()):
            return b
    if wanted.is_file():  # a copy kept somewhere else
        return Backup(wanted, datetime.fromtimestamp(wanted.stat().st_mtime, UTC), "outside")
    return None


def set_aside(database: Path) -> Path | None:
    """Rename the database (file or folder) and its WAL files so a restored copy never meets
    the old WAL; returns the new name of the main file, or None when there was none."""
    stamp = datetime.now(UTC).strftime(_STAMP)
    aside = database.with_name(f"{database.name}.set-aside-{stamp}")
    moved = None
    for suffix in ("", "-wal", "-shm"):
        part = database.with_name(database.name + suffix)
        if part.exists() or part.is_symlink():
            os.replace(part, aside.with_name(aside.name + suffix))
            if not suffix:
                moved = aside
    return moved


def put_back(backup: Backup, database: Path) -> None:
    """Copy the backup into place (the old database must have been set aside)."""
    partial = database.with_name(database.name + ".restoring")
    shutil.copyfile(backup.path, partial)
    os.replace(partial, database)
