"""Is the database file fit to use? Checked at every open, before anything is read or written.

Each problem becomes one paragraph that names the file and says what to do, raised as one of
core.errors' DatabaseError kinds. A damaged database is never migrated, backed up over a good
backup, or synced from: a sync on it would misread which items exist and act on the library.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from core.errors import DamagedDatabaseError, DatabaseError, DataFolderError, NewerDatabaseError
from core.store import backup

HEADER = b"SQLite format 3\x00"


def check_file(path: Path) -> None:
    """What can be told from the file system alone, before SQLite opens (and would create) it."""
    if path.is_dir():
        raise damaged(path, "it is a folder, not a file")
    folder = path.parent
    if not os.access(folder, os.W_OK):
        raise read_only(path)
    if not path.exists():
        return
    if path.exists() and not os.access(path, os.W_OK):
        raise read_only(path)
    size = path.stat().st_size
    wal = path.with_name(path.name + "-wal")
    # SQLite would take an empty file for a new database and start afresh; but a file
    # SyncDeck made always has a header, so 0 bytes means its content was lost.
    if size == 0 and not (wal.exists() and wal.stat().st_size > 0):
        raise damaged(path, "it is empty (0 bytes), so every source and account in it is gone")
    if size:
        with path.open("rb") as f:
            head = f.read(100)
        if head[: len(HEADER)] != HEADER:
            raise damaged(path, "it is not a SQLite database any more")
        if _cut_short(head, size) and not (wal.exists() and wal.stat().st_size > 0):
            raise damaged(path, f"it is cut short at {size:,} bytes")


def _cut_short(head: bytes, size: int) -> bool:
    """SQLite writes whole pages, and the header counts them (when its counter is valid).

    Only trusted without a WAL file: while one is pending, the header may already count pages
    that are still only in the WAL.
    """
    if len(head) < 100:
        return True
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return True
    pages = int.from_bytes(head[28:32], "big")
    counted = pages and head[24:28] == head[92:96]
    return size % page_size != 0 or bool(counted and size < pages * page_size)


def _stamp(path: Path) -> Path:
    return path.with_name(path.name + ".checked")


def _fingerprint(path: Path) -> str | None:
    """Size and modification time, or None while a WAL file holds changes not in the file."""
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return None
    st = path.stat()
    return f"{st.st_size} {st.st_mtime_ns}"


def left_as_closed(path: Path) -> bool:
    """True when the file is exactly as a SyncDeck that had checked it closed it.

    Then the quick check (about 0.1 s per 45 MB) is skipped: a truncation, a bad copy or a
    program writing over the file changes its size or time. The daily copy checks again.
    """
    try:
        return _stamp(path).read_text(encoding="ascii") == _fingerprint(path)
    except (OSError, UnicodeError):
        return False


def forget_closed(path: Path) -> None:
    """The next open runs the quick check again."""
    with contextlib.suppress(OSError):
        _stamp(path).unlink(missing_ok=True)


def remember_closed(path: Path) -> None:
    try:
        fingerprint = _fingerprint(path)
        if fingerprint is None:  # another process still has it open
            _stamp(path).unlink(missing_ok=True)
        else:
            _stamp(path).write_text(fingerprint, encoding="ascii")
    except OSError:
        pass  # only a saving of time is lost


def integrity_problems(conn: sqlite3.Connection, limit: int = 5) -> list[str]:
    """SQLite's quick_check (structure and indexes, not the slower cross-checks); [] when fine."""
    try:
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA quick_check({int(limit)})").fetchall()]
    except sqlite3.DatabaseError as exc:  # too broken for the check to finish
        if not is_damage(exc):
            raise
        return [str(exc)]
    if rows == ["ok"]:
        return []
    lines = [line.strip() for row in rows for line in row.splitlines()]
    return [line for line in lines if line and not line.startswith("***")][:limit]


def missing_tables(conn: sqlite3.Connection) -> list[str]:
    from sqlmodel import SQLModel

    import core.store.models  # noqa: F401  (registers the tables)

    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return sorted((set(SQLModel.metadata.tables) | {"alembic_version"}) - present)


def has_any_table(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").fetchone() is not None


def damaged(path: Path, what: str, *, at_open: bool = True) -> DamagedDatabaseError:
    newest = backup.newest(path)
    if newest is not None:
        advice = (
            f"Run `syncdeck db restore` to put back the newest backup, from {newest.taken_local} "
            "(the damaged file is kept next to it under another name); `syncdeck db check` shows the details."
        )
    else:
        advice = (
            f"There is no backup in {backup.folder(path)}. Move the file out of the way to start with an "
            "empty database, then add your sources and accounts again."
        )
    return DamagedDatabaseError(
        f"The database {path} is damaged: {what}. "
        + (
            "SyncDeck stopped before using it, so your library is untouched. "
            if at_open
            else "SyncDeck stopped there. "
        )
        + advice
    )


def newer(path: Path, revision: str, known: str) -> NewerDatabaseError:
    return NewerDatabaseError(
        f"The database {path} was written by a newer SyncDeck (schema revision {revision}); this SyncDeck "
        f"is older and knows revisions up to {known}, so it did not touch the file. Update SyncDeck, or "
        "run `syncdeck db restore BACKUP` with a backup this version took (see `syncdeck db check`)."
    )


def read_only(path: Path) -> DataFolderError:
    folder = path.parent
    if folder.exists() and not os.access(folder, os.W_OK):
        what = f"The data folder {folder} is read-only"
    elif path.exists() and not os.access(path, os.W_OK):
        what = f"The database file {path} is read-only"
    else:
        what = f"The database {path} cannot be opened for writing"
    return DataFolderError(
        f"{what}, and SyncDeck must write its database there. Make it writable for your user, or choose "
        "another data folder with --data-dir or SYNCDECK_DATA_DIR."
    )


def is_damage(exc: BaseException) -> bool:
    """An sqlite3 error that means the file's content is broken (not busy, full or locked)."""
    name = getattr(exc, "sqlite_errorname", "")
    return (
        name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))
        or str(exc).startswith("Could not decode to UTF-8")
        or (type(exc) is sqlite3.DatabaseError)
    )


def explain(exc: BaseException, path: Path) -> DatabaseError:
    """An sqlite3 error raised while opening or checking, as a message for the user."""
    name = getattr(exc, "sqlite_errorname", "")
    if is_damage(exc):
        return damaged(path, f"SQLite says {str(exc)!r}")
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")):
        return read_only(path)
    if name.startswith("SQLITE_FULL"):
        return DatabaseError(f"The disk holding the database {path} is full. Free some space and try again.")
    return DatabaseError(f"The database {path} could not be opened: {exc}. Check the data folder and try again.")


def _connect_existing(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """A connection that never creates the file (plain sqlite3.connect would)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rw'}", uri=True)


def diagnose(path: Path, head: str, known: frozenset[str]) -> tuple[str | None, str | None]:
    """(problem, schema revision) of the database at `path`, without changing it.

    Runs the full integrity check (slower than the quick one at open; this is asked for).
    A missing file is no problem: a new one is made at the next start.
    """
    revision = None
    try:
        check_file(path)
        if not path.exists():
            return None, None
        conn = _connect_existing(path, read_only=False)
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(5)").fetchall()]
            if rows != ["ok"]:
                lines = [ln.strip() for row in rows for ln in row.splitlines() if ln.strip() and "***" not in ln]
                raise damaged(path, "the integrity check failed (" + "; ".join(lines[:2]) + ")")
            try:
                found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = found[0] if found else None
            except sqlite3.OperationalError:
                revision = None
            if revision is not None and revision not in known:
                raise newer(path, revision, head)
            missing = missing_tables(conn)
            if missing:
                raise damaged(
                    path, "the table " + ", ".join(missing) + (" is" if len(missing) == 1 else " are") + " missing"
                )
        finally:
            conn.close()
    except DatabaseError as exc:
        return str(exc), revision
    except sqlite3.Error as exc:
        return str(explain(exc, path)), revision
    except (UnicodeError, ValueError) as exc:
        return str(damaged(path, f"it cannot be read ({exc})")), revision
    return None, revision


def backup_problem(path: Path, known: frozenset[str]) -> str | None:
    """Why a backup cannot be restored, or None when it is sound."""
    try:
        with path.open("rb") as f:
            if f.read(len(HEADER)) != HEADER:
                return f"The backup {path} is not a SQLite database. Pick another one (`syncdeck db check` lists them)."
        conn = _connect_existing(path, read_only=True)
        try:
            problems = integrity_problems(conn)
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            missing = missing_tables(conn)
        finally:
            conn.close()
    except (OSError, sqlite3.Error, UnicodeError, ValueError) as exc:
        return f"The backup {path} cannot be read ({exc}). Pick another one (`syncdeck db check` lists them)."
    if problems or missing:
        what = "; ".join(problems[:2]) or "missing " + ", ".join(missing)
        return f"The backup {path} is damaged too ({what}). Pick another one (`syncdeck db check` lists them)."
    if revision is None or revision[0] not in known:
        return (
            f"The backup {path} was written by a newer SyncDeck (schema revision {revision and revision[0]}); "
            "this one cannot use it. Pick another one (`syncdeck db check` lists them)."
        )
    return None
