"""one task model for every provider: videos and pages become tasks, accounts and sources
name their provider, Bilibili's own columns move into the task's details

Every row, status value and file path is kept: a video keeps its id (so `syncdeck task
pause 12` still means the same video), its parts follow after the highest video id, the
bit-packed statuses become named steps with the same values, and the video folders that
were stored relative to their source become absolute like every other path.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

import core.store.models

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

VIDEO_STEPS = ("poster", "show_nfo", "owner_avatar", "owner_nfo", "parts")
PART_STEPS = ("poster", "media", "nfo", "danmaku", "subtitles")
GAVE_UP, OK = 4, 7


def _steps(status: int, names: tuple[str, ...]) -> dict[str, int]:
    return {name: (status >> (3 * i)) & 7 for i, name in enumerate(names)}


def _state(steps: dict[str, int]) -> str:
    values = list(steps.values())
    if GAVE_UP in values:
        return "failed"
    return "done" if all(v == OK for v in values) else "queued"


def _attempts(steps: dict[str, int]) -> int:
    return max((4 if v == GAVE_UP else v for v in steps.values() if v != OK), default=0)


def _create_task_table() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    time = core.store.models.UTCDateTime
    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", text(), nullable=False),
        sa.Column("provider", text(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("key", text(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", text(), nullable=False),
        sa.Column("cover", text(), nullable=False),
        sa.Column("intro", text(), nullable=False),
        sa.Column("owner_id", text(), nullable=False),
        sa.Column("owner_name", text(), nullable=False),
        sa.Column("owner_face", text(), nullable=False),
        sa.Column("people", text(), nullable=False),
        sa.Column("tags", text(), nullable=False),
        sa.Column("published_at", time(), nullable=True),
        sa.Column("added_at", time(), nullable=True),
        sa.Column("order_at", time(), nullable=True),
        sa.Column("duration", sa.Integer(), nullable=False),
        sa.Column("part_count", sa.Integer(), nullable=False),
        sa.Column("series_title", text(), nullable=False),
        sa.Column("season_number", sa.Integer(), nullable=True),
        sa.Column("episode_number", sa.Integer(), nullable=True),
        sa.Column("details", text(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("unavailable", text(), nullable=False),
        sa.Column("wanted", sa.Boolean(), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("removed_at", time(), nullable=True),
        sa.Column("parts_checked_at", time(), nullable=True),
        sa.Column("path", text(), nullable=False),
        sa.Column("steps", text(), nullable=False),
        sa.Column("finished", sa.Boolean(), nullable=False),
        sa.Column("state", text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("bytes_done", sa.Integer(), nullable=False),
        sa.Column("bytes_total", sa.Integer(), nullable=False),
        sa.Column("last_error", text(), nullable=False),
        sa.Column("created_at", time(), nullable=False),
        sa.Column("updated_at", time(), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["task.id"]),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ux_task_item", "task", ["source_id", "key"], unique=True, sqlite_where=sa.text("parent_id IS NULL")
    )
    op.create_index(
        "ux_task_child", "task", ["parent_id", "key"], unique=True, sqlite_where=sa.text("parent_id IS NOT NULL")
    )
    op.create_index("ix_task_source_state", "task", ["source_id", "state"])
    op.create_index("ix_task_parent_id", "task", ["parent_id", "id"])
    op.create_index("ix_task_state_id", "task", ["state", "id"])


def _item_task(video: Any, source_paths: dict[int, str]) -> dict[str, Any]:
    steps = _steps(video.status, VIDEO_STEPS)
    cancelled = not video.should_download and video.last_error == "cancelled"
    staff = [
        {"id": str(p.get("mid", "")), "name": p.get("name", ""), "face": p.get("face", ""), "role": p.get("role", "")}
        for p in json.loads(video.staff or "[]")
    ]
    details = {"bvid": video.bvid, "aid": video.aid}
    if video.ep_id is not None:
        details.update(ep_id=video.ep_id, cid=video.cid, season_id=video.season_id)
    folder = ""
    if video.path:
        root = Path(source_paths.get(video.source_id, "/"))
        folder = str(root if video.path == "." else root / video.path)
    unavailable = video.unavailable or ("" if video.valid else "deleted or invalid upstream")
    return {
        "id": video.id, "kind": "video", "provider": "bilibili", "source_id": video.source_id, "parent_id": None,
        "key": video.key, "number": 0, "title": video.title, "cover": video.cover, "intro": video.intro,
        "owner_id": str(video.upper_mid) if video.upper_mid else "", "owner_name": video.upper_name,
        "owner_face": video.upper_face, "people": json.dumps(staff, ensure_ascii=False), "tags": video.tags or "[]",
        "published_at": video.pubtime, "added_at": video.fav_time, "order_at": video.order_time,
        "duration": video.duration, "part_count": video.page_count, "series_title": video.series_title,
        "season_number": video.season_number, "episode_number": video.episode_number if video.ep_id else None,
        "details": json.dumps(details), "complete": video.detail_fetched, "unavailable": unavailable,
        "wanted": video.should_download or cancelled, "cancelled": cancelled, "paused": video.paused,
        "removed_at": video.removed_at, "parts_checked_at": video.parts_checked_at, "path": folder,
        "steps": json.dumps(steps), "finished": bool(video.status & (1 << 31)), "state": _state(steps),
        "attempts": _attempts(steps), "bytes_done": 0, "bytes_total": 0,
        "last_error": "" if cancelled else video.last_error,
        "created_at": video.created_at, "updated_at": video.updated_at,
    }  # fmt: skip


def _part_task(page: Any, task_id: int, video: Any) -> dict[str, Any]:
    steps = _steps(page.status, PART_STEPS)
    details = {"cid": page.cid, "width": page.width, "height": page.height, "rotate": page.rotate}
    if page.first_frame:
        details["first_frame"] = page.first_frame
    return {
        "id": task_id, "kind": "part", "provider": "bilibili", "source_id": video.source_id, "parent_id": video.id,
        "key": str(page.cid), "number": page.pid, "title": page.title, "cover": "", "intro": "", "owner_id": "",
        "owner_name": "", "owner_face": "", "people": "[]", "tags": "[]", "published_at": None, "added_at": None,
        "order_at": None, "duration": page.duration, "part_count": 0, "series_title": "", "season_number": None,
        "episode_number": None, "details": json.dumps(details), "complete": True, "unavailable": "",
        "wanted": True, "cancelled": False, "paused": False, "removed_at": None, "parts_checked_at": None,
        "path": page.path, "steps": json.dumps(steps), "finished": bool(page.status & (1 << 31)),
        "state": _state(steps), "attempts": _attempts(steps), "bytes_done": page.size, "bytes_total": page.size,
        "last_error": page.last_error, "created_at": page.created_at, "updated_at": page.created_at,
    }  # fmt: skip


def _read_videos_and_pages() -> list[dict[str, Any]]:
    bind = op.get_bind()
    source_paths = dict(bind.execute(sa.text("SELECT id, path FROM source")).all())
    videos = {v.id: v for v in bind.execute(sa.text("SELECT * FROM video ORDER BY id")).all()}
    rows = [_item_task(v, source_paths) for v in videos.values()]
    first_part_id = max(videos, default=0)
    for page in bind.execute(sa.text("SELECT * FROM page ORDER BY id")).all():
        rows.append(_part_task(page, first_part_id + page.id, videos[page.video_id]))
    return rows


def _write_tasks(rows: list[dict[str, Any]]) -> None:
    if rows:
        task = sa.table("task", *(sa.column(name) for name in rows[0]))
        for start in range(0, len(rows), 500):
            op.get_bind().execute(sa.insert(task), rows[start : start + 500])


def _generic_accounts() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.alter_column("kind", new_column_name="provider")
        batch_op.alter_column("uname", new_column_name="user_name")
        batch_op.alter_column("face", new_column_name="avatar")
        batch_op.add_column(sa.Column("user_id", text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("vip", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("server_url", text(), server_default="", nullable=False))
    op.execute("UPDATE account SET user_id = CAST(mid AS TEXT), vip = (vip_status != 0)")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_index("ix_account_mid")
        batch_op.drop_column("mid")
        batch_op.drop_column("vip_type")
        batch_op.drop_column("vip_status")
        batch_op.create_index(batch_op.f("ix_account_user_id"), ["user_id"], unique=False)


def _generic_sources() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provider", text(), server_default="bilibili", nullable=False))
        batch_op.add_column(sa.Column("cursor", text(), server_default="", nullable=False))
    bind = op.get_bind()
    for source_id, latest in bind.execute(sa.text("SELECT id, latest_row_at FROM source")).all():
        if latest is not None:  # stored as naive UTC; the cursor is ISO-8601 with its zone
            cursor = str(latest).replace(" ", "T") + "+00:00"
            bind.execute(sa.text("UPDATE source SET cursor = :c WHERE id = :i"), {"c": cursor, "i": source_id})
    # the first schema's UNIQUE(key) has no name: a naming convention lets batch mode drop it
    convention = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
    with op.batch_alter_table("source", schema=None, naming_convention=convention) as batch_op:
        batch_op.drop_constraint("uq_source_key", type_="unique")
        batch_op.alter_column("key", new_column_name="locator")
        batch_op.drop_column("latest_row_at")
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_source_provider", ["provider", "locator"])


def upgrade() -> None:
    tasks = _read_videos_and_pages()
    op.drop_table("page")
    op.drop_table("video")
    _generic_accounts()
    _generic_sources()
    _create_task_table()
    _write_tasks(tasks)


def downgrade() -> None:
    raise NotImplementedError("SyncDeck does not go back to the Bilibili-only schema")
