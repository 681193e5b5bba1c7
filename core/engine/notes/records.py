"""Reading and writing note batches and tasks (run on the database thread: `db.run(fn, …)`)."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from core.engine.notes.views import NoteBatchView, NoteTaskView
from core.store.models import Task, utcnow
from core.store.notes_tables import NoteBatch, NoteTask

HEARTBEAT_S = 1.0  # how often a running batch says it is alive
STALE_S = 4.0  # a batch whose runner has not said so for this long runs nowhere (killed)


def add_batch(session: Session, batch: NoteBatch, tasks: Sequence[dict[str, Any]]) -> int:
    session.add(batch)
    session.flush()
    assert batch.id is not None
    if tasks:
        session.execute(sa.insert(NoteTask), [{**t, "batch_id": batch.id, "position": i} for i, t in enumerate(tasks)])
    return batch.id


def get_batch(session: Session, batch_id: int) -> NoteBatch | None:
    return session.get(NoteBatch, batch_id)


def batch_state(session: Session, batch_id: int) -> str | None:
    return session.execute(sa.select(NoteBatch.state).where(NoteBatch.id == batch_id)).scalar()  # type: ignore[arg-type]


def update_batch(session: Session, batch_id: int, **fields: Any) -> None:
    session.execute(sa.update(NoteBatch).where(NoteBatch.id == batch_id).values(**fields))  # type: ignore[arg-type]


def set_state_unless(session: Session, batch_id: int, state: str, unless: Sequence[str]) -> bool:
    """Set the batch's state unless it is in one of `unless`; whether it changed."""
    result = session.execute(
        sa.update(NoteBatch).where(NoteBatch.id == batch_id, NoteBatch.state.not_in(unless))  # type: ignore[arg-type, attr-defined]
        .values(state=state)
    )  # fmt: skip
    return bool(result.rowcount)  # type: ignore[attr-defined]


def claim(session: Session, batch_id: int, pid: int) -> list[int]:
    """Take the batch to run here: tasks left running by a killed process go back to pending.
    The ids of the tasks to do, in order."""
    now = utcnow()
    batch = session.get(NoteBatch, batch_id)
    assert batch is not None
    update_batch(session, batch_id, state="running", runner_pid=pid, heartbeat_at=now,
                 started_at=batch.started_at or now, finished_at=None)  # fmt: skip
    session.execute(
        sa.update(NoteTask).where(NoteTask.batch_id == batch_id, NoteTask.state == "running")  # type: ignore[arg-type]
        .values(state="pending", stage="", progress=0.0)
    )  # fmt: skip
    rows = session.execute(
        sa.select(NoteTask.id).where(NoteTask.batch_id == batch_id, NoteTask.state == "pending")  # type: ignore[arg-type]
        .order_by(NoteTask.position)  # type: ignore[arg-type]
    )  # fmt: skip
    return [r[0] for r in rows]


def release(session: Session, batch_id: int, pid: int, state: str | None) -> None:
    """The run in process `pid` ends; `state` (if given) is the batch's new state."""
    fields: dict[str, Any] = {"runner_pid": 0, "heartbeat_at": None}
    if state is not None:
        fields["state"] = state
        if state in ("done", "failed", "cancelled"):
            fields["finished_at"] = utcnow()
    session.execute(
        sa.update(NoteBatch).where(NoteBatch.id == batch_id, NoteBatch.runner_pid == pid).values(**fields)  # type: ignore[arg-type]
    )


def heartbeat(session: Session, batch_id: int, pid: int) -> str | None:
    """Say the run is alive; the batch's state (how other processes steer it)."""
    session.execute(
        sa.update(NoteBatch).where(NoteBatch.id == batch_id, NoteBatch.runner_pid == pid)  # type: ignore[arg-type]
        .values(heartbeat_at=utcnow())
    )  # fmt: skip
    return batch_state(session, batch_id)


def get_task(session: Session, task_id: int) -> NoteTask | None:
    return session.get(NoteTask, task_id)


def update_task(session: Session, task_id: int, **fields: Any) -> None:
    session.execute(sa.update(NoteTask).where(NoteTask.id == task_id).values(**fields))  # type: ignore[arg-type]


def reset_tasks(session: Session, batch_id: int, states: Sequence[str], **fields: Any) -> int:
    result = session.execute(
        sa.update(NoteTask).where(NoteTask.batch_id == batch_id, NoteTask.state.in_(states))  # type: ignore[arg-type, attr-defined]
        .values(**fields)
    )  # fmt: skip
    return int(result.rowcount)  # type: ignore[attr-defined]


def _counts(session: Session, batch_ids: Sequence[int] | None) -> dict[int, dict[str, Any]]:
    query = sa.select(
        NoteTask.batch_id, NoteTask.state, sa.func.count(), sa.func.sum(NoteTask.prompt_tokens),
        sa.func.sum(NoteTask.completion_tokens), sa.func.sum(NoteTask.cost), sa.func.sum(NoteTask.progress),
        sa.func.avg(sa.case((NoteTask.state == "done", NoteTask.seconds), else_=None)),
    ).group_by(NoteTask.batch_id, NoteTask.state)  # fmt: skip
    if batch_ids is not None:
        query = query.where(NoteTask.batch_id.in_(batch_ids))  # type: ignore[attr-defined]
    out: dict[int, dict[str, Any]] = {}
    for batch_id, state, n, pt, ct, cost, progress, avg in session.execute(query):
        entry = out.setdefault(batch_id, {"states": {}, "pt": 0, "ct": 0, "cost": 0.0, "running_progress": 0.0,
                                          "avg": None})  # fmt: skip
        entry["states"][state] = n
        entry["pt"] += pt or 0
        entry["ct"] += ct or 0
        entry["cost"] += cost or 0.0
        if state == "running":
            entry["running_progress"] = progress or 0.0
        if state == "done":
            entry["avg"] = avg
    return out


def _alive(pid: int) -> bool:
    """Whether process `pid` runs (on this machine); True where that cannot be told (Windows),
    leaving it to the heartbeat."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def _active(batch: NoteBatch, now: datetime) -> bool:
    """Some process works on the batch: it said so lately and, right after a kill, still exists."""
    fresh = batch.heartbeat_at is not None and (now - batch.heartbeat_at).total_seconds() < STALE_S
    return bool(batch.runner_pid) and fresh and _alive(batch.runner_pid)


def batch_view(batch: NoteBatch, counts: dict[str, Any] | None, now: datetime) -> NoteBatchView:
    counts = counts or {"states": {}, "pt": 0, "ct": 0, "cost": 0.0, "running_progress": 0.0, "avg": None}
    states = counts["states"]
    total = sum(states.values())
    done, skipped = states.get("done", 0), states.get("skipped", 0)
    failed, cancelled = states.get("failed", 0), states.get("cancelled", 0)
    running, pending = states.get("running", 0), states.get("pending", 0)
    finished = done + skipped + failed + cancelled
    progress = (finished + counts["running_progress"]) / total if total else 1.0
    eta = None
    if counts["avg"] is not None and (running or pending):
        parallel = max(1, min(batch.workers, running + pending))
        eta = max(0.0, (pending + running - counts["running_progress"]) * counts["avg"] / parallel)
    return NoteBatchView(
        id=batch.id or 0, name=batch.name, state=batch.state, template=batch.template, llm=batch.llm,
        model=batch.model, formats=tuple(f for f in batch.formats.split(",") if f), out_dir=batch.out_dir,
        workers=batch.workers, language=batch.language, inputs=tuple(json.loads(batch.inputs or "[]")),
        total=total, done=done + skipped, failed=failed, skipped=skipped, cancelled=cancelled, running=running,
        pending=pending, progress=min(progress, 1.0), eta=eta, prompt_tokens=counts["pt"],
        completion_tokens=counts["ct"], cost=counts["cost"], active=_active(batch, now),
        created_at=batch.created_at, started_at=batch.started_at, finished_at=batch.finished_at,
    )  # fmt: skip


def batch_views(session: Session, batch_ids: Sequence[int] | None = None) -> list[NoteBatchView]:
    query = select(NoteBatch).order_by(NoteBatch.id.desc())  # type: ignore[union-attr]
    if batch_ids is not None:
        query = query.where(NoteBatch.id.in_(batch_ids))  # type: ignore[union-attr]
    batches = list(session.exec(query))
    counts = _counts(session, [b.id for b in batches if b.id is not None])
    now = utcnow()
    return [batch_view(b, counts.get(b.id or 0), now) for b in batches]


def task_view(t: NoteTask) -> NoteTaskView:
    return NoteTaskView(
        id=t.id or 0, batch_id=t.batch_id, position=t.position, input=t.input, title=t.title,
        video_path=t.video_path, state=t.state, stage=t.stage, progress=t.progress, attempts=t.attempts,
        error=t.error, transcript_source=t.transcript_source, outputs=tuple(json.loads(t.outputs or "[]")),
        prompt_tokens=t.prompt_tokens, completion_tokens=t.completion_tokens, cost=t.cost, seconds=t.seconds,
        started_at=t.started_at, finished_at=t.finished_at,
    )  # fmt: skip


def task_views(session: Session, batch_id: int, limit: int | None = None) -> list[NoteTaskView]:
    query = select(NoteTask).where(NoteTask.batch_id == batch_id).order_by(NoteTask.position)  # type: ignore[arg-type]
    if limit is not None:
        query = query.limit(limit)
    return [task_view(t) for t in session.exec(query)]


def failures(session: Session, batch_id: int, limit: int = 5) -> list[tuple[str, str]]:
    rows = session.execute(
        sa.select(NoteTask.title, NoteTask.error).where(NoteTask.batch_id == batch_id, NoteTask.state == "failed")  # type: ignore[arg-type]
        .order_by(NoteTask.position).limit(limit)  # type: ignore[arg-type]
    )  # fmt: skip
    return [(r[0], r[1]) for r in rows]


# ---- the library's videos as inputs --------------------------------------------------


def _part_inputs(session: Session, video: Task) -> list[dict[str, Any]]:
    parts = list(session.exec(select(Task).where(Task.parent_id == video.id).order_by(Task.number)))  # type: ignore[arg-type]
    out = []
    for part in parts or [video]:
        title = video.title if len(parts) <= 1 else f"{video.title} P{part.number} {part.title}".strip()
        path = part.path if part.path and not part.path.endswith("/") else ""
        problem = "" if path else "not downloaded yet: sync it first"
        out.append({"title": title, "video_path": path, "library_task_id": video.id, "problem": problem})
    return out


def library_videos(session: Session, kind: str, ref: str) -> list[dict[str, Any]] | None:
    """The synced files of `task:ID`, `source:ID`, a link that names a synced video, or a
    video's key alone; None when there is no such task, source or video."""
    if kind == "task":
        task = session.get(Task, int(ref))
        if task is None:
            return None
        video = session.get(Task, task.parent_id) if task.parent_id else task
        if video is None:
            return None
        if task.parent_id:
            return [{"title": f"{video.title} P{task.number}".strip(), "video_path": task.path,
                     "library_task_id": video.id, "problem": "" if task.path else "not downloaded yet"}]  # fmt: skip
        return _part_inputs(session, video)
    if kind == "source":
        videos = list(
            session.exec(
                select(Task)
                .where(Task.source_id == int(ref), Task.parent_id.is_(None), Task.removed_at.is_(None))  # type: ignore[arg-type, union-attr]
                .order_by(Task.id)
            )
        )  # type: ignore[arg-type]
        if not videos:
            from core.store.models import Source

            return [] if session.get(Source, int(ref)) is not None else None
        return [row for v in videos for row in _part_inputs(session, v)]
    # A link or a bare id names a synced video when the video's key is in it: no service's
    # link format is needed here (keys shorter than 6 characters would match by chance).
    query = select(Task).where(Task.parent_id.is_(None), sa.func.length(Task.key) >= 6)  # type: ignore[union-attr]
    named = Task.key == ref if kind == "key" else sa.func.instr(ref, Task.key) > 0
    query = query.where(named)  # type: ignore[arg-type]
    videos = list(session.exec(query.order_by(sa.func.length(Task.key).desc()).limit(1)))  # type: ignore[arg-type]
    if not videos:
        return None
    return _part_inputs(session, videos[0])


# ---- links fetched for notes ----------------------------------------------------------


def batch_inputs(session: Session, batch_id: int) -> list[str]:
    """The INPUT texts of a batch's tasks that have no synced video behind them."""
    rows = session.execute(
        sa.select(NoteTask.input).where(NoteTask.batch_id == batch_id, NoteTask.library_task_id.is_(None))  # type: ignore[arg-type, union-attr]
    )  # fmt: skip
    return [r[0] for r in rows]


def input_wanted_elsewhere(session: Session, text: str, batch_id: int) -> bool:
    """Whether a task of another batch still needs what was fetched for `text`."""
    found = session.execute(
        sa.select(NoteTask.id).where(NoteTask.input == text, NoteTask.batch_id != batch_id,  # type: ignore[arg-type]
                                     NoteTask.state.in_(("pending", "running"))).limit(1)  # type: ignore[attr-defined]
    ).first()  # fmt: skip
    return found is not None
