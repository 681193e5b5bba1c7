"""Database work of the torrent service: a torrent is a task row plus a TorrentRecord.
Each function takes a session and runs on the database thread (Database.run)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from core.store import repo
from core.store.models import Task, utcnow
from core.store.torrent_tables import FeedEntry, TorrentRecord
from core.tasks import steps as stp

KIND = "torrent"
PROVIDER = "torrent"
STEP = "download"


@dataclass
class Stored:
    task: Task
    record: TorrentRecord

    @property
    def options(self) -> dict[str, Any]:
        return dict(json.loads(self.record.options or "{}"))


def add(session: Session, *, info_hash: str, name: str, save_path: str, magnet: str, torrent: bytes,
        options: dict[str, Any], paused: bool, size: int, source_id: int | None) -> Stored:  # fmt: skip
    now = utcnow()
    task = Task(
        kind=KIND, provider=PROVIDER, key=info_hash, title=name, path=save_path, paused=paused,
        steps=stp.dumps({STEP: stp.NOT_STARTED}), state="queued", bytes_total=size, added_at=now, order_at=now,
        complete=True, details=json.dumps({"info_hash": info_hash, "magnet": bool(magnet)}),
    )  # fmt: skip
    session.add(task)
    session.flush()
    record = TorrentRecord(
        task_id=task.id or 0, info_hash=info_hash, magnet=magnet, torrent=torrent, save_path=save_path,
        options=json.dumps(options), source_id=source_id,
    )  # fmt: skip
    session.add(record)
    session.flush()
    return Stored(task, record)


def by_hash(session: Session, info_hash: str) -> TorrentRecord | None:
    return session.exec(select(TorrentRecord).where(TorrentRecord.info_hash == info_hash)).first()


def get(session: Session, task_id: int) -> Stored | None:
    record = session.exec(select(TorrentRecord).where(TorrentRecord.task_id == task_id)).first()
    task = session.get(Task, task_id)
    if record is None or task is None:
        return None
    return Stored(task, record)


def count(session: Session) -> int:
    return int(session.scalar(sa.select(sa.func.count()).select_from(TorrentRecord)) or 0)


def unfinished_ids(session: Session) -> list[int]:
    query = (
        select(TorrentRecord.task_id).join(Task, col(Task.id) == col(TorrentRecord.task_id))
        .where(col(TorrentRecord.completed_at).is_(None), col(Task.paused).is_(False), col(Task.cancelled).is_(False))
    )  # fmt: skip
    return list(session.exec(query))


def all_stored(session: Session) -> list[Stored]:
    query = select(Task, TorrentRecord).join(TorrentRecord, col(TorrentRecord.task_id) == col(Task.id))
    rows = session.exec(query.order_by(col(Task.id))).all()
    return [Stored(t, r) for t, r in rows]


def save_resume(session: Session, task_id: int, blob: bytes, **task_fields: Any) -> None:
    row = sa.update(TorrentRecord).where(col(TorrentRecord.task_id) == task_id)
    session.execute(row.values(resume=blob, resume_saved_at=utcnow()))
    if task_fields:
        repo.update_task(session, task_id, **task_fields)


def update_record(session: Session, task_id: int, **fields: Any) -> None:
    session.execute(sa.update(TorrentRecord).where(col(TorrentRecord.task_id) == task_id).values(**fields))


def set_options(session: Session, task_id: int, **changes: Any) -> dict[str, Any]:
    record = session.exec(select(TorrentRecord).where(TorrentRecord.task_id == task_id)).one()
    options = {**json.loads(record.options or "{}"), **changes}
    record.options = json.dumps(options)
    session.add(record)
    return options


def mark_complete(session: Session, task_id: int, done: int) -> None:
    repo.set_steps(session, task_id, {STEP: stp.OK}, bytes_done=done, last_error="")
    update_record(session, task_id, completed_at=utcnow())


def mark_incomplete(session: Session, task_id: int) -> None:
    """More files were chosen, or a recheck found pieces missing: downloading again."""
    repo.set_steps(session, task_id, {STEP: stp.NOT_STARTED})
    update_record(session, task_id, completed_at=None)


def progress(session: Session, values: list[tuple[int, int, int]]) -> None:
    for task_id, done, total in values:
        session.execute(sa.update(Task).where(col(Task.id) == task_id).values(bytes_done=done, bytes_total=total))


def remove(session: Session, task_id: int) -> None:
    session.execute(sa.delete(TorrentRecord).where(col(TorrentRecord.task_id) == task_id))
    session.execute(sa.delete(Task).where(col(Task.id) == task_id))


def feed_seen(session: Session, source_id: int) -> set[str]:
    return set(session.exec(select(FeedEntry.guid).where(FeedEntry.source_id == source_id)))


def feed_record(session: Session, source_id: int, guid: str, title: str, info_hash: str, outcome: str) -> None:
    session.add(FeedEntry(source_id=source_id, guid=guid, title=title, info_hash=info_hash, outcome=outcome))
