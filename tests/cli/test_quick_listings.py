"""`status`, `task list`, `source list` and `account list` answer from the database without
the engine: the same views as the engine's, without loading what only work needs."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys

import pytest

from core.cli import quick
from core.config import load_config
from core.engine.engine import Engine
from core.store.db import HEAD_REVISION, Database, make_engine, migrate
from core.store.readonly import SCHEMA, TABLES, Reader
from tests.cli.conftest import REPO, Cli, fill

pytestmark = pytest.mark.timeout(120)

HEAVY = ("alembic", "keyring", "httpx", "PySide6", "sqlalchemy", "sqlmodel")


def test_the_quick_reader_is_written_for_the_newest_schema() -> None:
    assert SCHEMA == HEAD_REVISION, "update core/store/readonly.py's queries for the new migration"
    from sqlmodel import SQLModel

    import core.store.models  # noqa: F401  (registers the tables)

    assert set(SQLModel.metadata.tables) == TABLES, "a damaged database is one that lacks any of them"


def test_quick_views_equal_the_engines(cli: Cli) -> None:
    config = load_config(cli.config, data_dir=str(cli.data))
    engine = Engine(config)
    fill(engine.db, cli.root / "library")
    reader = Reader(config.database_path)

    async def compare() -> None:
        tasks = await engine.tasks(limit=1000)
        assert [quick.task_view(r) for r in reader.tasks(limit=1000)] == tasks
        for task in tasks:
            assert quick.task_children(reader, task.id) == await engine.task_children(task.id)
        for state in ("failed", "paused", "skipped", "pending"):
            assert [quick.task_view(r) for r in reader.tasks(state=state, limit=1000)] == await engine.tasks(
                state=state, limit=1000
            )
        assert [quick.task_view(r) for r in reader.tasks(search="视频 1", source_id=2)] == await engine.tasks(
            search="视频 1", source_id=2
        )
        assert reader.state_totals() == (await engine.status())["tasks"]
        for view, row in zip(await engine.sources(), reader.sources(), strict=True):
            assert (row.id, row.name, row.account, row.enabled, row.last_scan_at, row.cooldown_until) == (
                view.id, view.name, view.account, view.enabled, view.last_scan_at, view.cooldown_until)  # fmt: skip
            assert quick.display_name(row.provider) == view.provider_name
            assert quick.source_schedule(config, row).describe() == view.schedule_text
            ours, theirs = quick.next_scan(config, row), view.next_scan
            assert ours == theirs or abs((ours - theirs).total_seconds()) < 5, "never scanned: due now"  # type: ignore[operator]
            assert sum(row.counts.values()) == view.total
            assert row.counts == {s: n for s, n in view.counts.items() if n}
        accounts = await engine.list_accounts()
        assert [a["user_name"] for a in reader.accounts()] == [a.user_name for a in accounts]
        await engine.close()

    asyncio.run(compare())
    reader.close()


@pytest.mark.parametrize("command", [["status"], ["task", "list"], ["source", "list"], ["status", "--json"]])
def test_listings_load_none_of_the_heavy_libraries(cli: Cli, command: list[str]) -> None:
    db = Database(cli.data / "syncdeck.db")
    fill(db, cli.root / "library")
    db.close()
    probe = (
        "import sys; from desktop.launcher import main; code = main(sys.argv[1:]); "
        f"print('LOADED', sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})); sys.exit(code)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, *command], cwd=REPO, env=cli.env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "LOADED []", "a listing stays fast: no engine, database or HTTP libraries"


def test_an_older_database_is_migrated_once_then_listed(cli: Cli) -> None:
    cli.data.mkdir(parents=True)
    engine = make_engine(cli.data / "syncdeck.db")
    migrate(engine, "0003")  # a database written by an earlier release
    engine.dispose()
    assert cli.json("status")["tasks"] == {}
    with sqlite3.connect(cli.data / "syncdeck.db") as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
    assert "no tasks yet" in cli.run("task", "list").stdout


def test_looking_at_an_empty_data_folder_creates_nothing(cli: Cli) -> None:
    assert cli.json("status")["sources"] == 0
    assert "no sources" in cli.run("source", "list").stdout
    assert not (cli.data / "syncdeck.db").exists(), "a listing only reads"


def test_empty_answers_say_what_was_looked_for(cli: Cli) -> None:
    db = Database(cli.data / "syncdeck.db")
    db.close()
    assert cli.run("task", "list", "--state", "failed").stdout.strip() == "no tasks in state failed"
    assert cli.run("task", "list", "--state", "retrying").stdout.strip() == "no tasks in state queued"
    out = cli.run("task", "list", "--source", "3", "--search", "猫").stdout.strip()
    assert out == "no tasks of source 3 matching '猫'"
    assert cli.run("task", "list").stdout.startswith("no tasks yet — add a source with `syncdeck source add")
    assert cli.run("source", "list").stdout.startswith("no sources — add one with `syncdeck source add")
    assert cli.run("account", "list").stdout.startswith("no accounts — log in with `syncdeck login")


def test_version_and_help(cli: Cli) -> None:
    from importlib.metadata import version

    proc = cli.run("--version")
    assert proc.stdout == f"syncdeck {version('syncdeck')}\n" and not proc.stderr, "printed once"
    assert "With no command, syncdeck opens its window" in " ".join(cli.run("--help").stdout.split())


def test_account_list_tells_when_logins_cannot_be_kept_safely(cli: Cli) -> None:
    db = Database(cli.data / "syncdeck.db")
    fill(db, cli.root / "library")
    db.close()
    out = cli.run("account", "list").stdout
    assert "#1  Bilibili  主号  (id 1001)  ok" in out
    assert "keyring: Credentials cannot be stored securely" in out  # the null keyring of the tests
    assert "keyring" not in cli.run("status").stdout
