"""The schema comes from migrations, and the migrations match the models."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from core.store.db import HEAD_REVISION, Database, make_engine, migrate


def test_an_empty_database_is_migrated_to_the_models(tmp_path: Path) -> None:
    db = Database(tmp_path / "new.db")
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    db.close()
    assert diff == [], f"models and migrations differ: {diff}"


def test_wal_mode_and_reopening_is_idempotent(tmp_path: Path) -> None:
    Database(tmp_path / "x.db").close()
    db = Database(tmp_path / "x.db")  # second open: nothing to migrate, nothing lost
    db.close()
    conn = sqlite3.connect(tmp_path / "x.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION


def test_migration_keeps_existing_rows(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "old.db")
    migrate(engine, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO source (kind, key, name, path, enabled, rules, last_error, cooldown_level, created_at) "
            "VALUES ('favorite', 'fav:1', '收藏', '/x', 1, '', '', 0, '2026-01-01 00:00:00')"
        )
    engine.dispose()
    db = Database(tmp_path / "old.db")
    from core.store import repo

    assert [s.name for s in db.call(repo.list_sources)] == ["收藏"]
    db.close()


def test_sources_from_the_first_schema_get_the_global_schedule(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "v1.db")
    migrate(engine, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO source (kind, key, name, path, enabled, rules, last_error, cooldown_level, created_at) "
            "VALUES ('favorite', 'fav:1', 'old', '/x', 1, '', '', 0, '2026-01-01 00:00:00')"
        )
    engine.dispose()
    db = Database(tmp_path / "v1.db")
    from core.store import repo

    assert db.call(repo.list_sources)[0].schedule == ""
    db.close()


def test_the_head_revision_constant_matches_the_migrations() -> None:
    from alembic.script import ScriptDirectory

    from core.store.db import HEAD_REVISION, MIGRATIONS

    assert ScriptDirectory(str(MIGRATIONS)).get_heads() == [HEAD_REVISION]
