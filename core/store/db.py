"""The database: one SQLite file in WAL mode, one writer thread, checks and migrations at open.

Every query runs on a dedicated single-thread executor (`await db.run(fn, ...)`), so the
asyncio loop never blocks on SQLite and writes are serialized without "database is locked".

Opening checks the file first (core.store.health: SQLite's quick_check, about 0.1 s on a
database of 100,000 tasks, the schema revision, the tables) and refuses a damaged or newer
one with a message, before anything reads or writes it. A copy is taken before every
migration and once a day (core.store.backup).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import sqlalchemy as sa
from sqlmodel import Session

from core.errors import DatabaseError, SyncDeckError
from core.store import backup, health

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration. Opening a database that is already there skips loading Alembic,
# which costs a noticeable part of the window's start-up (a test keeps this in step).
HEAD_REVISION = "0007"
# Revisions are numbered 0001, 0002…; any other one was written by a newer SyncDeck.
BACKUP_CHECK_S = 3600.0
KNOWN_REVISIONS = frozenset(f"{n:04d}" for n in range(1, int(HEAD_REVISION) + 1))


def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(path: Path) -> sa.Engine:
    engine = sa.create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    sa.event.listen(engine, "connect", _on_connect)
    return engine


def alembic_config(engine: sa.Engine) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", str(engine.url))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: sa.Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        try:
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        except sa.exc.OperationalError:  # a new, empty database
            return None


def migrate_if_needed(engine: sa.Engine) -> None:
    if current_revision(engine) != HEAD_REVISION:
        migrate(engine)


def open_checked(engine: sa.Engine, path: Path) -> bool:
    """Check, back up and migrate the database at open; True when it existed before.

    Raises a core.errors.DatabaseError (with the message for the user) instead of touching a
    file that is damaged, from a newer SyncDeck, or in a folder SyncDeck cannot write.
    """
    health.check_file(path)
    try:
        with engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert isinstance(raw, sqlite3.Connection)
            problems = [] if health.left_as_closed(path) else health.integrity_problems(raw)
            if problems:
                raise health.damaged(path, "the integrity check failed (" + "; ".join(problems[:2]) + ")")
            try:
                revision = raw.execute("SELECT version_num FROM alembic_version").fetchone()
            except sqlite3.OperationalError:  # no such table: new, or its bookkeeping lost
                if health.has_any_table(raw):
                    raise health.damaged(path, "the table alembic_version is missing") from None
                revision = None
        existed = revision is not None
        if existed and revision[0] not in KNOWN_REVISIONS:
            raise health.newer(path, revision[0], HEAD_REVISION)
        if revision is None or revision[0] != HEAD_REVISION:
            if existed:
                backup.take(path, f"before-{HEAD_REVISION}")
            try:
                migrate(engine)
            except sa.exc.DBAPIError:
                raise  # a full disk, a lock, damage: explained below
            except Exception as exc:  # one transaction: the file is as it was
                log.debug("the upgrade failed", exc_info=True)
                what = f"Upgrading the database {path} from schema {revision[0]}" if revision else f"Creating {path}"
                kept = f"; the file is unchanged and a copy is in {backup.folder(path)}" if revision else ""
                raise DatabaseError(
                    f"{what} to schema {HEAD_REVISION} failed ({exc}){kept}. Please report it; `-vv` shows the details."
                ) from None
        with engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert isinstance(raw, sqlite3.Connection)
            missing = health.missing_tables(raw)
        if missing:
            raise health.damaged(
                path, "the table " + ", ".join(missing) + (" is" if len(missing) == 1 else " are") + " missing"
            )
        return existed
    except sa.exc.DBAPIError as exc:
        raise health.explain(exc.orig, path) from None
    except sqlite3.Error as exc:
        raise health.explain(exc, path) from None
    except (UnicodeError, ValueError) as exc:  # garbage where SQLite expected text or numbers
        raise health.damaged(path, f"it cannot be read ({exc})") from None


class Database:
    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SyncDeckError(f"cannot create the data folder {path.parent}: {exc.strerror}") from None
        self.path = path
        self.engine = make_engine(path)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="syncdeck-db")
        self._opened = False
        try:
            existed = self._executor.submit(open_checked, self.engine, path).result()
        except BaseException:
            self.close()
            raise
        self._opened = True
        # A new, empty database needs no copy yet; an existing one gets its daily copy now and,
        # in a long-running process, again when a day has passed (checked on the next query).
        self._next_backup = 0.0 if existed else time.monotonic() + BACKUP_CHECK_S
        self._backup_if_due()

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `fn(session, *args)` on the database thread and commit."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(self.call, fn, *args, **kwargs))

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """The same, synchronously (command-line helpers and benchmarks)."""
        if time.monotonic() >= self._next_backup:
            self._backup_if_due()
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                result = fn(session, *args, **kwargs)
                session.commit()
                return result
        except sa.exc.DBAPIError as exc:
            # Damage the quick check at open cannot see (garbled text inside a row) shows
            # only when the row is read: say so instead of an SQL error.
            if health.is_damage(exc.orig):
                raise health.damaged(self.path, f"SQLite says {str(exc.orig)!r}", at_open=False) from exc
            raise

    def _backup_if_due(self) -> None:
        if time.monotonic() < self._next_backup:
            return
        self._next_backup = time.monotonic() + BACKUP_CHECK_S
        try:
            if backup.due(self.path):
                with contextlib.closing(sqlite3.connect(self.path)) as conn:
                    problems = health.integrity_problems(conn)
                if problems:  # never rotate good copies out for a damaged one; refuse it at next start
                    log.warning("no daily copy of the database: its check failed (%s)", "; ".join(problems))
                    self._opened = False
                    health.forget_closed(self.path)
                    return
                backup.take(self.path, "daily")
        except (OSError, sqlite3.Error) as exc:  # a missed copy must not stop the program
            log.warning("could not back up the database to %s: %s", backup.folder(self.path), exc)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        self.engine.dispose()
        if self._opened:
            health.remember_closed(self.path)
