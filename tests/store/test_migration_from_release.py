"""A database written by release 0.1 (schema 0003) opens in this release with every row,
step value and file path kept (tests/store/data/README.md says how it was made)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from core.store import repo
from core.store.db import HEAD_REVISION, Database
from core.store.models import Task
from core.tasks import steps as stp

DATA = Path(__file__).with_name("data")
FIXTURE = json.loads((DATA / "release-0.1.json").read_text(encoding="utf-8"))
OLD = FIXTURE["tables"]
VIDEO_STEPS = ("poster", "show_nfo", "owner_avatar", "owner_nfo", "parts")
PART_STEPS = ("poster", "media", "nfo", "danmaku", "subtitles")


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("release")
    shutil.copy(DATA / "release-0.1.sqlite", folder / "syncdeck.db")
    db = Database(folder / "syncdeck.db")
    yield db
    db.close()


def _tasks(db: Database) -> dict[int, Task]:
    return {t.id: t for t in db.call(lambda session: list(session.exec(select(Task))))}


def test_the_database_reaches_the_newest_schema_intact(migrated: Database) -> None:
    conn = sqlite3.connect(migrated.path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_every_video_keeps_its_id_fields_steps_and_folder(migrated: Database) -> None:
    tasks = _tasks(migrated)
    sources = {s["id"]: s for s in OLD["source"]}
    for video in OLD["video"]:
        task = tasks[video["id"]]
        assert (task.kind, task.provider, task.source_id, task.parent_id) == (
            "video",
            "bilibili",
            video["source_id"],
            None,
        )
        assert (task.key, task.title, task.cover) == (video["key"], video["title"], video["cover"])
        assert json.loads(task.details)["bvid"] == video["bvid"]
        assert stp.loads(task.steps) == stp.from_bits(video["status"], VIDEO_STEPS)
        assert task.finished == bool(video["status"] & (1 << 31))
        assert task.paused == bool(video["paused"])
        assert (task.removed_at is None) == (video["removed_at"] is None)
        if video["path"]:
            root = Path(sources[video["source_id"]]["path"])
            assert task.path == str(root if video["path"] == "." else root / video["path"])
        else:
            assert task.path == ""


def test_every_page_becomes_a_part_of_its_video_with_its_file(migrated: Database) -> None:
    tasks = _tasks(migrated)
    parts = {(t.parent_id, t.key): t for t in tasks.values() if t.kind == "part"}
    assert len(parts) == len(OLD["page"])
    for page in OLD["page"]:
        part = parts[(page["video_id"], str(page["cid"]))]
        assert part.number == page["pid"] and part.title == page["title"]
        assert stp.loads(part.steps) == stp.from_bits(page["status"], PART_STEPS)
        assert part.path == page["path"] and part.bytes_total == page["size"]
        assert json.loads(part.details)["cid"] == page["cid"]


def test_the_cases_show_the_state_a_person_expects(migrated: Database) -> None:
    cases = FIXTURE["cases"]["videos"]
    expected = {
        "single_done": "done", "multipage_done": "done", "danmaku_gave_up": "failed",
        "subtitles_failed_once": "queued", "removed_upstream": "removed", "paused_mid_download": "paused",
        "cancelled_mid_download": "cancelled", "unavailable_deleted": "unavailable",
        "unavailable_charge_only": "unavailable", "unavailable_private": "unavailable", "risk_interrupted": "queued",
    }  # fmt: skip
    shown = {row.id: row.state for row in migrated.call(repo.list_tasks, limit=10_000)}
    for case, state in expected.items():
        assert case in cases, f"the fixture lacks {case}"
        assert shown[cases[case]["video_id"]] == state, case
    retrying = migrated.call(repo.get_task, cases["subtitles_failed_once"]["video_id"])
    assert retrying.attempts == 1


def test_accounts_and_sources_keep_what_they_had(migrated: Database) -> None:
    [account] = migrated.call(repo.list_accounts)
    [old_account] = OLD["account"]
    assert (account.provider, account.user_id, account.user_name) == (
        "bilibili",
        str(old_account["mid"]),
        old_account["uname"],
    )
    assert account.secret_ref == old_account["secret_ref"] and account.vip
    sources = {s.id: s for s in migrated.call(repo.list_sources)}
    assert len(sources) == len(OLD["source"])
    for old in OLD["source"]:
        source = sources[old["id"]]
        assert (source.provider, source.kind, source.locator) == ("bilibili", old["kind"], old["key"])
        assert (source.path, source.rules, source.schedule, source.enabled) == (
            old["path"], old["rules"], old["schedule"], bool(old["enabled"])
        )  # fmt: skip
        assert source.cooldown_level == old["cooldown_level"]
        assert (source.cooldown_until is None) == (old["cooldown_until"] is None)
        assert bool(source.cursor) == bool(old["latest_row_at"])
    cooling = sources[FIXTURE["cases"]["sources"]["up_risk"]]
    assert cooling.cooldown_until is not None and cooling.cooldown_until.year == 2036
