"""Copies of the database: before every migration, once a day, a few kept, never of a damaged file."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from core.errors import DamagedDatabaseError
from core.store import backup
from core.store.db import Database
from tests.db.conftest import Deck

pytestmark = pytest.mark.timeout(60)
RELEASE_DB = Path(__file__).parents[1] / "store" / "data" / "release-0.1.sqlite"


def revision(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()


def test_a_database_is_copied_before_it_is_migrated(deck: Deck) -> None:
    shutil.copy(RELEASE_DB, deck.db)  # written by release 0.1, schema 0003
    assert deck.run("status").code == 0
    (before,) = (deck.data / "backups").glob("syncdeck-*-before-*.db")
    assert revision(before) == "0003", "the copy is the database as it was before the migration"
    assert revision(deck.db) != "0003"


def test_one_copy_a_day_and_a_few_kept(deck: Deck) -> None:
    folder = deck.data / "backups"
    (daily,) = folder.iterdir()
    Database(deck.db).close()
    assert list(folder.iterdir()) == [daily], "a second start on the same day copies nothing"
    daily.rename(folder / "syncdeck-20200101-000000-daily.db")  # as if taken long ago
    (folder / "my own copy.db").write_bytes(b"kept")
    Database(deck.db).close()
    assert len(list(folder.glob("syncdeck-*-daily.db"))) == 2
    for n in range(8):
        backup.take(deck.db, f"test{n}")
    kept = sorted(b.reason for b in backup.all_backups(deck.db))
    assert kept == ["test3", "test4", "test5", "test6", "test7"]
    assert (folder / "my own copy.db").read_bytes() == b"kept", "files of other names are left alone"


def test_a_copy_is_a_self_contained_sound_database(deck: Deck) -> None:
    (copy,) = backup.all_backups(deck.db)
    assert not copy.path.with_name(copy.path.name + "-wal").exists()
    conn = sqlite3.connect(copy.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT name FROM source").fetchall() == [("Favourites",)]
    conn.close()


def test_damage_that_kept_the_file_time_is_never_copied_and_refused_at_the_next_start(deck: Deck) -> None:
    """A clean reopen of an unchanged file skips the quick check; the daily copy checks again.

    Damage that leaves size and time alone (a failing disk) is then not copied over the good
    copies, and the next start refuses the file."""
    conn = sqlite3.connect(deck.db)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'roundrecord'").fetchone()
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    st = deck.db.stat()
    data = bytearray(deck.db.read_bytes())
    data[(root - 1) * page : (root - 1) * page + 8] = b"\xff" * 8  # the table's page header
    deck.db.write_bytes(bytes(data))
    os.utime(deck.db, ns=(st.st_atime_ns, st.st_mtime_ns))
    folder = deck.data / "backups"
    (daily,) = folder.iterdir()
    daily.rename(folder / "syncdeck-20200101-000000-daily.db")  # a copy is due

    Database(deck.db).close()
    assert [b.name for b in folder.iterdir()] == ["syncdeck-20200101-000000-daily.db"]
    with pytest.raises(DamagedDatabaseError, match="integrity check failed"):
        Database(deck.db)
