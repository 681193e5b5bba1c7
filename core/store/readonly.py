"""Read-only answers straight from SQLite for the commands a person types most (`status`,
`task list`, `source list`, `account list`).

They run in a fresh process every time, so what they import is most of what they cost:
SQLAlchemy, SQLModel and Alembic take ten times longer to load than these queries take to
run. This module needs only `sqlite3` and answers from a database already at the schema it
was written for (`SCHEMA`); anything else (no database yet, an older one) is for the caller
to handle. The window and the engine keep using `core.store.repo`; both count states with
`SHOWN_STATE_SQL`, and tests compare the two readers on the same database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.store import health
from core.tasks import states

# The migration the queries below were written against (kept equal to the newest by a test).
SCHEMA = "0007"
TABLES = frozenset(
    {  # kept equal to the models' by a test
        "account",
        "feedentry",
        "playlist_entry",
        "playlist_node",
        "roundrecord",
        "source",
        "task",
        "torrentrecord",
    }
)
TABLES |= {"llm_account", "llm_key_state", "llm_model", "llm_health"}  # LLM accounts (notes_tables.py)
TABLES |= {"notebatch", "notetask"}  # note batches and their tasks (notes_tables.py)

# `core.tasks.states.shown_state` in SQL, over the task table's own columns: every count of
# tasks by state (status, a source's counts, the window) uses this one expression.
SHOWN_STATE_SQL = (
    "CASE WHEN removed_at IS NOT NULL THEN 'removed'"
    " WHEN unavailable != '' THEN 'unavailable'"
    " WHEN cancelled THEN 'cancelled'"
    " WHEN NOT wanted THEN 'skipped'"
    " WHEN state = 'done' THEN 'done'"
    " WHEN paused THEN 'paused'"
    " ELSE state END"
)


class OlderSchema(Exception):
    """The database is not at `SCHEMA` (it needs migrating first)."""


def timestamp(value: str | None) -> datetime | None:
    """A stored time (naive UTC text) as an aware datetime, as the store hands it back."""
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


@dataclass(frozen=True)
class SourceRow:
    id: int
    provider: str
    kind: str
    locator: str
    name: str
    path: str
    account_id: int | None
    account: str
    enabled: bool
    rules: str
    schedule: str
    last_scan_at: datetime | None
    last_error: str
    cooldown_until: datetime | None
    created_at: datetime | None
    counts: dict[str, int]  # shown state → top-level tasks


_TASK_COLUMNS = (
    "t.id, t.kind, t.provider, t.source_id, t.parent_id, t.key, t.number, t.title, t.cover, t.steps, t.attempts,"
    " t.bytes_done, t.bytes_total, t.last_error, t.unavailable, t.path, t.updated_at, t.details"
)


class Reader:
    """One read-only connection; `None` database path (nothing created yet) reads as empty."""

    def __init__(self, path: Path) -> None:
        self.conn: sqlite3.Connection | None = None
        if not path.exists():
            return
        health.check_file(path)  # the same refusals as the engine's open: damage is never read as data
        # Read-only: looking must never create or change the database (a daemon may be writing).
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        problems = [] if health.left_as_closed(path) else health.integrity_problems(conn)
        if problems:
            conn.close()
            raise health.damaged(path, "the integrity check failed (" + "; ".join(problems[:2]) + ")")
        try:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            revision = None
        if revision is None or revision[0] != SCHEMA:
            conn.close()
            raise OlderSchema(str(revision[0]) if revision else "none")
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if missing := sorted(TABLES - present):
            conn.close()
            raise health.damaged(path, f"the table {', '.join(missing)} is missing")
        self.conn = conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [] if self.conn is None else self.conn.execute(sql, params).fetchall()

    # ------------------------------------------------------------ tasks

    def state_totals(self) -> dict[str, int]:
        """Top-level tasks per shown state."""
        sql = f"SELECT {SHOWN_STATE_SQL} AS s, count(*) FROM task WHERE parent_id IS NULL GROUP BY s"
        return {state: int(n) for state, n in self._rows(sql)}

    def tasks(
        self, *, state: str | None = None, source_id: int | None = None, search: str | None = None,
        parent_id: int | None = None, limit: int = 200,
    ) -> list[dict[str, Any]]:  # fmt: skip
        """Top-level tasks (or one task's children) ordered by id, with their shown state,
        child count and size: the fields of `core.store.repo.TaskRow`."""
        where, params = ["t.parent_id IS NULL" if parent_id is None else "t.parent_id = ?"], []
        if parent_id is not None:
            params.append(parent_id)
        if state is not None:
            state = states.STATE_ALIASES.get(state, state)
            if state not in states.TASK_STATES:
                raise ValueError(f"unknown task state {state!r}; use one of {', '.join(states.TASK_STATES)}")
            where.append(f"({SHOWN_STATE_SQL}) = ?")
            params.append(state)
        if source_id is not None:
            where.append("t.source_id = ?")
            params.append(source_id)
        if search:
            where.append("(t.title LIKE ? OR t.key LIKE ?)")
            params += [f"%{search}%"] * 2
        sql = (
            f"SELECT {_TASK_COLUMNS}, {SHOWN_STATE_SQL} AS shown,"
            " (SELECT count(*) FROM task c WHERE c.parent_id = t.id),"
            " (SELECT coalesce(sum(c.bytes_total), 0) FROM task c WHERE c.parent_id = t.id)"
            f" FROM task t WHERE {' AND '.join(where)} ORDER BY t.id LIMIT ?"
        )
        rows = []
        for r in self._rows(sql, [*params, limit]):
            (id_, kind, provider, source, parent, key, number, title, cover, steps, attempts, done, total, error,
             unavailable, path, updated, details, shown, children, children_bytes) = r  # fmt: skip
            rows.append({
                "id": id_, "kind": kind, "provider": provider, "source_id": source, "parent_id": parent,
                "key": key, "number": number, "title": title, "cover": cover, "state": shown, "steps": steps,
                "attempts": attempts, "bytes_done": done, "bytes_total": total, "last_error": error,
                "unavailable": unavailable, "path": path, "updated_at": timestamp(updated), "details": details,
                "children": children, "size": children_bytes if children else total,
            })  # fmt: skip
        return rows

    # ------------------------------------------------------------ sources, accounts, rounds

    def sources(self) -> list[SourceRow]:
        counts: dict[int, dict[str, int]] = {}
        sql = (
            f"SELECT source_id, {SHOWN_STATE_SQL} AS s, count(*) FROM task"
            " WHERE parent_id IS NULL AND source_id IS NOT NULL GROUP BY source_id, s"
        )
        for source_id, state, n in self._rows(sql):
            counts.setdefault(source_id, {})[state] = int(n)
        sql = (
            "SELECT s.id, s.provider, s.kind, s.locator, s.name, s.path, s.account_id, coalesce(a.name, ''),"
            " s.enabled, s.rules, s.schedule, s.last_scan_at, s.last_error, s.cooldown_until, s.created_at"
            " FROM source s LEFT JOIN account a ON a.id = s.account_id ORDER BY s.id"
        )
        return [
            SourceRow(
                id=r[0],
                provider=r[1],
                kind=r[2],
                locator=r[3],
                name=r[4],
                path=r[5],
                account_id=r[6],
                account=r[7] if r[6] else "",
                enabled=bool(r[8]),
                rules=r[9],
                schedule=r[10],
                last_scan_at=timestamp(r[11]),
                last_error=r[12],
                cooldown_until=timestamp(r[13]),
                created_at=timestamp(r[14]),
                counts=counts.get(r[0], {}),
            )  # fmt: skip
            for r in self._rows(sql)
        ]

    def accounts(self) -> list[dict[str, Any]]:
        sql = (
            "SELECT id, provider, name, user_id, user_name, avatar, vip, server_url, state, last_check_at"
            " FROM account ORDER BY id"
        )
        keys = ("id", "provider", "name", "user_id", "user_name", "avatar", "vip", "server_url", "state")
        return [
            {**dict(zip(keys, r[:9], strict=True)), "vip": bool(r[6]), "last_check_at": timestamp(r[9])}
            for r in self._rows(sql)
        ]

    def last_round(self) -> dict[str, Any] | None:
        sql = "SELECT id, started_at, outcome, new_items, downloaded, failed, api_calls FROM roundrecord"
        rows = self._rows(sql + " ORDER BY id DESC LIMIT 1")
        if not rows:
            return None
        r = rows[0]
        started = timestamp(r[1])
        return {
            "id": r[0], "started_at": started.isoformat() if started else None, "outcome": r[2], "new_items": r[3],
            "downloaded": r[4], "failed": r[5], "api_calls": r[6],
        }  # fmt: skip
