"""The database: one SQLite file in WAL mode, one writer thread, migrations at open.

Every query runs on a dedicated single-thread executor (`await db.run(fn, ...)`), so the
asyncio loop never blocks on SQLite and writes are serialized without "database is locked".
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import sqlalchemy as sa
from sqlmodel import Session

from core.errors import SyncDeckError

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

P = ParamSpec("P")
T = TypeVar("T")

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration. Opening a database that is already there skips loading Alembic,
# which costs a noticeable part of the window's start-up (a test keeps this in step).
HEAD_REVISION = "0004"


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


class Database:
    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SyncDeckError(f"cannot create the data folder {path.parent}: {exc.strerror}") from None
        self.path = path
        self.engine = make_engine(path)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="syncdeck-db")
        self._executor.submit(migrate_if_needed, self.engine).result()

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `fn(session, *args)` on the database thread and commit."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(self.call, fn, *args, **kwargs))

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """The same, synchronously (command-line helpers and benchmarks)."""
        with Session(self.engine, expire_on_commit=False) as session:
            result = fn(session, *args, **kwargs)
            session.commit()
            return result

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        self.engine.dispose()
