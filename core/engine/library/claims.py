"""Two tasks never share a destination.

Name templates can render the same path for different items ("{{truncate title 3}}", a
constant page name…); without a check the second download overwrites the first and both are
marked done. Before an item's folder or a part's files are used, the path is claimed: taken
as rendered when no other task holds it, else the first free "<name> (2)", "<name> (3)"…
A claimed item folder is stored with the item at once; a part's media path is stored when
its file is written, so parts running at the same time also reserve theirs in memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, col, select

from core.store import repo
from core.store.db import Database
from core.store.models import Task
from core.tasks import steps as stp

MAX_VARIANTS = 100  # also keeps the lookup under SQLite's limit of query parameters


def variants(path: Path) -> Iterator[Path]:
    """`path` itself, then "name (2)", "name (3)"… (the number goes after the whole name:
    rendered names may contain dots that are not suffixes)."""
    yield path
    for n in range(2, MAX_VARIANTS):
        yield path.with_name(f"{path.name} ({n})")


def _first_free(session: Session, task_id: int, candidates: list[str], store: bool) -> str:
    own = session.get(Task, task_id)
    own_path = own.path if own is not None else ""
    rows = session.exec(select(Task.path, Task.id).where(col(Task.path).in_(candidates), col(Task.id) != task_id))
    # Where several tasks already hold the same path (written before this check existed), the
    # oldest keeps it and the others move to a free name.
    held = {path for path, other in rows if path != own_path or (other or 0) < task_id}
    chosen = next((c for c in candidates if c not in held), candidates[-1])
    if store:
        repo.update_task(session, task_id, path=chosen)
    return chosen


def release_shared_files(session: Session, source_id: int) -> int:
    """Parts of the source marked done with a file another part also claims (what colliding
    names did before this check) start over, all but the oldest: a part is done only when
    its own file exists. Returns how many start over."""
    shared = (
        sa.select(Task.path)
        .where(Task.source_id == source_id, Task.kind == "part", Task.path != "")
        .group_by(Task.path)
        .having(sa.func.count() > 1)
    )
    released = 0
    for path in session.exec(shared).all():  # type: ignore[call-overload]
        parts = session.exec(select(Task).where(Task.path == path[0]).order_by(col(Task.id))).all()
        for part in parts[1:]:
            repo.set_steps(session, part.id or 0, stp.force_reset(stp.loads(part.steps)), path="")
            if part.parent_id is not None:
                repo.refresh_parts_step(session, part.parent_id, "parts")
            released += 1
    return released


class PathClaims:
    """The destinations claimed by the downloads of one round, and the lookup of stored ones."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._held: dict[str, int] = {}  # path → task, for parts whose path is not stored yet
        self._lock = asyncio.Lock()

    async def claim(self, task_id: int, candidates: list[Path], *, store: bool = False) -> int:
        """The index of the first candidate no other task holds; with `store` it becomes the
        task's stored path in the same database call."""
        async with self._lock:
            free = [str(p) for p in candidates if self._held.get(str(p), task_id) == task_id] or [str(candidates[-1])]
            chosen = await self.db.run(_first_free, task_id, free, store)
            self._held[chosen] = task_id
            return [str(p) for p in candidates].index(chosen)
