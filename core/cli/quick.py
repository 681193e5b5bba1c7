"""The listings people type most (`status`, `task list`, `source list`, `account list`),
answered from the database without starting the engine.

Every command is a new process, so its imports are its cost: the engine brings SQLAlchemy,
SQLModel, Alembic, httpx and keyring (about a second), these answers need `sqlite3`
(core/store/readonly.py). They show the same views and words as the engine; a database that
is not at the newest schema is migrated once through the engine's database first, and a
data folder without one reads as empty (looking creates nothing).
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from core.config import Config, schedule
from core.config.schedule import Schedule
from core.store import health
from core.store.readonly import OlderSchema, Reader, SourceRow
from core.tasks import states
from core.tasks import steps as stp
from core.tasks.views import TaskView

QuickHandler = Callable[[Reader, Config, argparse.Namespace], int]


def run(config: Config, args: argparse.Namespace, handler: QuickHandler) -> int:
    try:
        reader = Reader(config.database_path)
    except OlderSchema:
        from core.store.db import Database  # migrates on open; only after an upgrade

        Database(config.database_path).close()
        reader = Reader(config.database_path)
    try:
        return handler(reader, config, args)
    except sqlite3.Error as exc:  # damage the quick check at open cannot see (a dropped table…)
        missing = re.match(r"no such table: (\w+)", str(exc))
        if missing:
            raise health.damaged(config.database_path, f"the table {missing[1]} is missing") from None
        raise health.explain(exc, config.database_path) from None
    finally:
        reader.close()


_display_names: dict[str, str] = {}


def display_name(provider: str) -> str:
    """A provider's display name from its package (`core/providers/<name>`), without loading
    the provider itself; its stored name when it has none."""
    if provider not in _display_names:
        try:
            module = importlib.import_module(f"core.providers.{provider}")
            _display_names[provider] = str(getattr(module, "DISPLAY_NAME", provider))
        except ImportError:
            _display_names[provider] = provider
    return _display_names[provider]


def task_view(row: dict[str, Any]) -> TaskView:
    """The view the engine gives for a stored task (nothing runs in this process)."""
    own = not row["children"]
    return TaskView(
        id=row["id"], kind=row["kind"], provider=row["provider"], provider_name=display_name(row["provider"]),
        source_id=row["source_id"], parent_id=row["parent_id"], key=row["key"], title=row["title"],
        state=row["state"], bytes_done=row["bytes_done"] if own else row["size"],
        bytes_total=row["bytes_total"] if own else row["size"], attempts=row["attempts"],
        last_error=row["unavailable"] or row["last_error"], steps=stp.loads(row["steps"]), children=row["children"],
        number=row["number"], cover=row["cover"], path=row["path"], updated_at=row["updated_at"],
        details=json.loads(row["details"] or "{}"),
    )  # fmt: skip


def task_children(reader: Reader, task_id: int) -> list[TaskView]:
    rows = reader.tasks(parent_id=task_id, limit=100_000)
    return sorted((task_view(r) for r in rows), key=lambda t: (t.number, t.id))


def source_schedule(config: Config, source: SourceRow) -> Schedule:
    return schedule.source_schedule(config["schedule.every"], source)


def next_scan(config: Config, source: SourceRow, now: datetime | None = None) -> datetime | None:
    return schedule.source_next_scan(config["schedule.every"], source, now)


def state_counts(counts: dict[str, int]) -> str:
    """'3 done, 1 unavailable', in the vocabulary's order; '' for none."""
    return ", ".join(f"{counts[s]} {s}" for s in states.TASK_STATES if counts.get(s))
