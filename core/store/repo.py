"""Repository functions: each takes a Session and runs on the database thread (Database.run)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from core.store.models import Account, RoundRecord, Source, Task, utcnow
from core.store.readonly import SHOWN_STATE_SQL
from core.tasks import states
from core.tasks import steps as stp

# ---------------------------------------------------------------- accounts


def add_account(session: Session, account: Account) -> Account:
    session.add(account)
    session.flush()
    return account


def get_account(session: Session, account_id: int) -> Account | None:
    return session.get(Account, account_id)


def list_accounts(session: Session) -> list[Account]:
    return list(session.exec(select(Account).order_by(col(Account.id))))


def find_account(session: Session, provider: str, user_id: str) -> Account | None:
    return session.exec(select(Account).where(Account.provider == provider, Account.user_id == user_id)).first()


def update_account(session: Session, account_id: int, **fields: Any) -> None:
    session.execute(sa.update(Account).where(col(Account.id) == account_id).values(**fields))


def delete_account(session: Session, account_id: int) -> None:
    session.execute(sa.update(Source).where(col(Source.account_id) == account_id).values(account_id=None))
    session.execute(sa.delete(Account).where(col(Account.id) == account_id))


# ---------------------------------------------------------------- sources


def add_source(session: Session, source: Source) -> Source:
    session.add(source)
    session.flush()
    return source


def get_source(session: Session, source_id: int) -> Source | None:
    return session.get(Source, source_id)


def find_source(session: Session, provider: str, locator: str) -> Source | None:
    return session.exec(select(Source).where(Source.provider == provider, Source.locator == locator)).first()


def list_sources(session: Session, *, enabled_only: bool = False, ids: Sequence[int] | None = None) -> list[Source]:
    query = select(Source).order_by(col(Source.id))
    if enabled_only:
        query = query.where(col(Source.enabled).is_(True))
    if ids is not None:
        query = query.where(col(Source.id).in_(ids))
    return list(session.exec(query))


def update_source(session: Session, source_id: int, **fields: Any) -> None:
    session.execute(sa.update(Source).where(col(Source.id) == source_id).values(**fields))


def delete_source(session: Session, source_id: int) -> list[str]:
    """Remove a source and its tasks; returns the item folders it had (for optional deletion)."""
    paths = [
        p
        for p in session.exec(select(Task.path).where(Task.source_id == source_id, col(Task.parent_id).is_(None)))
        if p
    ]
    children = select(Task.id).where(Task.source_id == source_id, col(Task.parent_id).is_not(None))
    session.execute(sa.delete(Task).where(col(Task.id).in_(children)))
    session.execute(sa.delete(Task).where(col(Task.source_id) == source_id))
    session.execute(sa.delete(Source).where(col(Source.id) == source_id))
    return paths


@dataclass(frozen=True)
class SourceCounts:
    """A source's top-level tasks by the state they show (core.tasks.states): each task is
    counted once, under the same word `task list` shows for it."""

    done: int = 0
    queued: int = 0
    failed: int = 0
    removed: int = 0  # removed upstream
    skipped: int = 0  # left out by the filter rules
    paused: int = 0
    cancelled: int = 0
    unavailable: int = 0

    @property
    def total(self) -> int:
        return sum(vars(self).values())


def source_counts(session: Session) -> dict[int, SourceCounts]:
    """Per source, its top-level tasks by shown state."""
    shown = sa.literal_column(SHOWN_STATE_SQL)
    rows = session.execute(
        sa.select(Task.source_id, shown, sa.func.count())
        .where(col(Task.parent_id).is_(None), col(Task.source_id).is_not(None))
        .group_by(Task.source_id, shown)
    )
    found: dict[int, dict[str, int]] = {}
    for source_id, state, n in rows:
        if state in SourceCounts.__dataclass_fields__:
            found.setdefault(source_id, {})[state] = int(n)
    return {source_id: SourceCounts(**counts) for source_id, counts in found.items()}


# ---------------------------------------------------------------- a source's items


@dataclass(frozen=True)
class KnownItem:
    id: int
    key: str
    order_at: datetime | None
    part_count: int
    complete: bool
    removed: bool
    episode: bool


def known_items(session: Session, source_id: int) -> dict[str, KnownItem]:
    query = sa.select(
        Task.id, Task.key, Task.order_at, Task.part_count, Task.complete, Task.removed_at, Task.episode_number
    ).where(Task.source_id == source_id, col(Task.parent_id).is_(None))
    return {
        r[1]: KnownItem(r[0], r[1], r[2], r[3], r[4], r[5] is not None, r[6] is not None)
        for r in session.execute(query)
    }


def insert_items(session: Session, source_id: int, rows: Iterable[dict[str, Any]]) -> list[int]:
    """Insert a source's new items; existing (source, key) pairs are left alone. Returns new ids."""
    payload = list(rows)
    if not payload:
        return []
    now = utcnow()
    stmt = sqlite_insert(Task).on_conflict_do_nothing(
        index_elements=["source_id", "key"], index_where=sa.text("parent_id IS NULL")
    )
    new_ids: list[int] = []
    for row in payload:  # RETURNING with ON CONFLICT works row by row in SQLite
        values = {"created_at": now, "updated_at": now, **row, "source_id": source_id, "parent_id": None}
        new_ids.extend(r[0] for r in session.execute(stmt.values(**values).returning(col(Task.id))))
    return new_ids


def insert_tasks_bulk(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Core executemany insert for large imports (benchmarks)."""
    if rows:
        session.execute(sa.insert(Task), list(rows))


def mark_removed(
    session: Session, source_id: int, present: set[str], *, since: datetime | None = None
) -> tuple[list[int], list[int]]:
    """Flag items missing from a listing as removed upstream, and unflag ones that came back.

    `since` None: the listing was the whole list. Otherwise it covered the list from its top
    down to `since` (an order time): only items at or after it can be judged.
    Returns (removed, restored) ids."""
    query = sa.select(Task.id, Task.key, Task.removed_at, Task.order_at).where(
        Task.source_id == source_id, col(Task.parent_id).is_(None)
    )
    removed, restored = [], []
    for task_id, key, removed_at, order_at in session.execute(query):
        if key in present:
            if removed_at is not None:
                restored.append(task_id)
        elif removed_at is None and (since is None or (order_at is not None and order_at >= since)):
            removed.append(task_id)
    now = utcnow()
    if removed:
        session.execute(sa.update(Task).where(col(Task.id).in_(removed)).values(removed_at=now))
    if restored:
        session.execute(sa.update(Task).where(col(Task.id).in_(restored)).values(removed_at=None))
    return removed, restored


def get_task(session: Session, task_id: int) -> Task | None:
    return session.get(Task, task_id)


def tasks_by_ids(session: Session, ids: Sequence[int]) -> list[Task]:
    return list(session.exec(select(Task).where(col(Task.id).in_(ids)).order_by(col(Task.id))))


def items_needing_detail(session: Session, source_id: int, limit: int = 500) -> list[Task]:
    query = (
        select(Task)
        .where(Task.source_id == source_id, col(Task.parent_id).is_(None), col(Task.complete).is_(False))
        .where(Task.unavailable == "", col(Task.removed_at).is_(None))
        .order_by(col(Task.id))
        .limit(limit)
    )
    return list(session.exec(query))


def parts_check_candidates(
    session: Session, source_id: int, now: datetime, *, recent: timedelta, recheck: timedelta, limits: tuple[int, int]
) -> list[Task]:
    """Finished items whose parts should be compared with upstream again: those published
    within `recent` (newest first, at most `limits[0]`), then older ones not checked within
    `recheck` (least recently checked first, at most `limits[1]`), so old items take turns.
    Episodes of a show have one part for good and are never rechecked."""
    checked, published = col(Task.parts_checked_at), col(Task.published_at)
    finished = (
        select(Task)
        .where(Task.source_id == source_id, col(Task.parent_id).is_(None), col(Task.complete).is_(True))
        .where(Task.unavailable == "", col(Task.removed_at).is_(None), col(Task.episode_number).is_(None))
        .where(Task.state == states.DONE, col(Task.wanted).is_(True), col(Task.cancelled).is_(False))
    )
    fresh = finished.where(published >= now - recent).order_by(published.desc()).limit(limits[0])
    older = (
        finished.where(sa.or_(published.is_(None), published < now - recent))
        .where(sa.or_(checked.is_(None), checked < now - recheck))
        .order_by(checked.is_not(None), checked)
        .limit(limits[1])
    )
    return [*session.exec(fresh), *session.exec(older)]


def update_task(session: Session, task_id: int, **fields: Any) -> None:
    fields.setdefault("updated_at", utcnow())
    session.execute(sa.update(Task).where(col(Task.id) == task_id).values(**fields))


def update_tasks(session: Session, task_ids: Sequence[int], **fields: Any) -> None:
    fields.setdefault("updated_at", utcnow())
    session.execute(sa.update(Task).where(col(Task.id).in_(task_ids)).values(**fields))


def save_parts(session: Session, item: Task, parts: Sequence[dict[str, Any]], steps: Iterable[str]) -> int:
    """Insert the item's parts that are new (by key); returns how many were added."""
    existing = set(session.exec(select(Task.key).where(Task.parent_id == item.id)))
    fresh = [p for p in parts if p["key"] not in existing]
    initial = stp.dumps(stp.new(steps))
    for part in fresh:
        session.add(
            Task(
                kind="part",
                provider=item.provider,
                source_id=item.source_id,
                parent_id=item.id,
                steps=initial,
                complete=True,
                **part,
            )  # fmt: skip
        )
    return len(fresh)


def parts_of(session: Session, item_id: int) -> list[Task]:
    return list(session.exec(select(Task).where(Task.parent_id == item_id).order_by(col(Task.number), col(Task.id))))


def downloadable_items(session: Session, source_id: int, attempts: int) -> list[Task]:
    """Items with work left: available, wanted, not removed, paused or cancelled, not finished."""
    query = (
        select(Task)
        .where(Task.source_id == source_id, col(Task.parent_id).is_(None), Task.unavailable == "")
        .where(col(Task.wanted).is_(True), col(Task.cancelled).is_(False), col(Task.complete).is_(True))
        .where(col(Task.removed_at).is_(None), col(Task.paused).is_(False), col(Task.finished).is_(False))
        .order_by(col(Task.order_at).desc(), col(Task.id))
    )
    return [t for t in session.exec(query) if stp.any_to_run(stp.loads(t.steps), attempts)]


def set_steps(session: Session, task_id: int, steps: dict[str, int], **fields: Any) -> None:
    """Store a task's steps with what follows from them (state, finished, attempts)."""
    update_task(
        session, task_id, steps=stp.dumps(steps), state=stp.state(steps), finished=stp.finished(steps),
        attempts=stp.attempts_used(steps), **fields,
    )  # fmt: skip


def refresh_parts_step(session: Session, item_id: int, step: str) -> dict[str, int]:
    """Recompute the item's step that mirrors its parts (the worst part value); returns the
    item's steps."""
    item = session.get(Task, item_id)
    assert item is not None
    parts = [stp.loads(s) for s in session.exec(select(Task.steps).where(Task.parent_id == item_id))]
    steps = {**stp.loads(item.steps), step: stp.worst(parts)}
    set_steps(session, item_id, steps)
    return steps


# ---------------------------------------------------------------- resets


def _item_scope(source_id: int | None, key: str | None, task_ids: Sequence[int] | None) -> sa.Select[Any]:
    query = sa.select(Task.id).where(col(Task.parent_id).is_(None))
    if source_id is not None:
        query = query.where(Task.source_id == source_id)
    if key is not None:
        query = query.where(Task.key == key)
    if task_ids is not None:
        query = query.where(col(Task.id).in_(task_ids))
    return query


def item_ids(
    session: Session, *, source_id: int | None = None, key: str | None = None, task_ids: Sequence[int] | None = None
) -> list[int]:
    """The top-level tasks a source, a key or a list of ids stands for."""
    return [row[0] for row in session.execute(_item_scope(source_id, key, task_ids))]


RESETS = {"failed": stp.reset_failed, "force": stp.force_reset, "interrupted": stp.reset_interrupted}


def reset_steps(
    session: Session,
    mode: str,
    *,
    source_id: int | None = None,
    key: str | None = None,
    task_ids: Sequence[int] | None = None,
) -> int:
    """mode "failed" (failed/given-up steps only), "force" (everything, fetched again) or
    "interrupted" (failure counts after risk control). Returns how many items changed: their
    own steps or their parts' (an item's "parts" step can lag behind after a kill)."""
    transform = RESETS[mode]
    ids = [row[0] for row in session.execute(_item_scope(source_id, key, task_ids))]
    changed: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for part in session.exec(select(Task).where(col(Task.parent_id).in_(chunk))):
            old = stp.loads(part.steps)
            new = transform(old)
            if new != old:
                # a forced reset forgets the media file, so it is fetched again
                set_steps(session, part.id or 0, new, **({"path": ""} if mode == "force" else {}))
                changed.add(part.parent_id or 0)
        for item in session.exec(select(Task).where(col(Task.id).in_(chunk))):
            old = stp.loads(item.steps)
            new = transform(old)
            extra: dict[str, Any] = {"last_error": "", "paused": False} if mode == "force" else {}
            if new != old or extra:
                set_steps(session, item.id or 0, new, **extra)
                if new != old:
                    changed.add(item.id or 0)
    return len(changed)


# ---------------------------------------------------------------- task listing


@dataclass(frozen=True)
class TaskRow:
    """One row of the task list: the columns a panel shows, nothing more."""

    id: int
    kind: str
    provider: str
    source_id: int | None
    parent_id: int | None
    key: str
    number: int
    title: str
    cover: str
    state: str  # the word a person sees (core.tasks.states.shown_state)
    steps: str
    attempts: int
    bytes_done: int
    bytes_total: int
    last_error: str
    unavailable: str
    path: str
    updated_at: datetime
    details: str
    children: int
    size: int  # bytes written: its own, or its children's


_ROW_COLUMNS = (
    Task.id, Task.kind, Task.provider, Task.source_id, Task.parent_id, Task.key, Task.number, Task.title,
    Task.cover, Task.state, Task.steps, Task.attempts, Task.bytes_done, Task.bytes_total, Task.last_error,
    Task.unavailable, Task.path, Task.updated_at, Task.details,
)  # fmt: skip
_FLAGS = (Task.removed_at, Task.cancelled, Task.wanted, Task.paused)

_child = sa.orm.aliased(Task)
_children = sa.select(sa.func.count()).where(_child.parent_id == Task.id).scalar_subquery()
_children_bytes = (
    sa.select(sa.func.coalesce(sa.func.sum(_child.bytes_total), 0)).where(_child.parent_id == Task.id).scalar_subquery()
)


def _row(r: Sequence[Any]) -> TaskRow:
    values = list(r[: len(_ROW_COLUMNS)])
    removed_at, cancelled, wanted, paused, children, children_bytes = r[len(_ROW_COLUMNS) :]
    values[9] = states.shown_state(
        stored=values[9], removed=removed_at is not None, unavailable=bool(values[15]), cancelled=cancelled,
        wanted=wanted, paused=paused,
    )  # fmt: skip
    size = children_bytes if children else values[13]
    return TaskRow(*values, children, size)


def _state_filter(query: sa.Select[Any], state: str) -> sa.Select[Any]:
    """Each task matches exactly the word it shows (the order of `shown_state`)."""
    state = states.STATE_ALIASES.get(state, state)
    if state not in states.TASK_STATES:
        raise ValueError(f"unknown task state {state!r}; use one of {', '.join(states.TASK_STATES)}")
    removed = col(Task.removed_at).is_not(None)
    unavailable = Task.unavailable != ""
    cancelled = col(Task.cancelled).is_(True)
    unwanted = col(Task.wanted).is_(False)
    ladder = [(states.REMOVED, removed), (states.UNAVAILABLE, unavailable), (states.CANCELLED, cancelled),
              (states.SKIPPED, unwanted)]  # fmt: skip
    for word, condition in ladder:
        if state == word:
            return query.where(condition)
        query = query.where(sa.not_(condition))
    if state == states.DONE:
        return query.where(Task.state == states.DONE)
    query = query.where(Task.state != states.DONE)
    if state == states.PAUSED:
        return query.where(col(Task.paused).is_(True))
    if state == states.RUNNING:  # only the running engine knows; the store has none
        return query.where(sa.false())
    return query.where(Task.state == state, col(Task.paused).is_(False))


def _task_filter(
    query: sa.Select[Any], state: str | None, source_id: int | None, search: str | None, parent_id: int | None
) -> sa.Select[Any]:
    query = query.where(col(Task.parent_id).is_(None) if parent_id is None else Task.parent_id == parent_id)
    if state is not None:
        query = _state_filter(query, state)
    if source_id is not None:
        query = query.where(Task.source_id == source_id)
    if search:
        like = f"%{search}%"
        query = query.where(sa.or_(col(Task.title).like(like), col(Task.key).like(like)))
    return query


def list_tasks(
    session: Session,
    *,
    state: str | None = None,
    source_id: int | None = None,
    search: str | None = None,
    parent_id: int | None = None,
    after_id: int | None = None,
    limit: int = 200,
) -> list[TaskRow]:
    """Keyset-paged task list (ordered by id): top-level tasks, or one task's children."""
    query = sa.select(*_ROW_COLUMNS, *_FLAGS, _children, _children_bytes).order_by(col(Task.id))
    query = _task_filter(query, state, source_id, search, parent_id)
    if after_id is not None:
        query = query.where(col(Task.id) > after_id)
    return [_row(r) for r in session.execute(query.limit(limit))]


def count_tasks(
    session: Session, *, state: str | None = None, source_id: int | None = None, search: str | None = None
) -> int:
    query = _task_filter(sa.select(sa.func.count()).select_from(Task), state, source_id, search, None)
    return int(session.execute(query).scalar_one())


# ---------------------------------------------------------------- rounds


def start_round(session: Session, sources: int) -> RoundRecord:
    record = RoundRecord(sources=sources)
    session.add(record)
    session.flush()
    return record


def finish_round(session: Session, round_id: int, **fields: Any) -> None:
    session.execute(
        sa.update(RoundRecord).where(col(RoundRecord.id) == round_id).values(finished_at=utcnow(), **fields)
    )


def recent_rounds(session: Session, limit: int = 10) -> list[RoundRecord]:
    return list(session.exec(select(RoundRecord).order_by(col(RoundRecord.id).desc()).limit(limit)))


def close_interrupted_rounds(session: Session) -> int:
    """Mark rounds still "running" as interrupted; only call while holding the round lock,
    when no process can be running one, so these were cut short by a kill or a crash."""
    result = session.execute(
        sa.update(RoundRecord)
        .where(col(RoundRecord.outcome) == "running")
        .values(outcome="interrupted", finished_at=utcnow(), message="SyncDeck stopped before the round ended")
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def state_totals(session: Session) -> dict[str, int]:
    """Top-level tasks per shown state (the word `task list` shows for each)."""
    shown = sa.literal_column(SHOWN_STATE_SQL)
    rows = session.execute(sa.select(shown, sa.func.count()).where(col(Task.parent_id).is_(None)).group_by(shown))
    return {state: int(n) for state, n in rows}
