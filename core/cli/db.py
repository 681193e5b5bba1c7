"""`syncdeck db check` and `syncdeck db restore`: the database file itself, without the engine.

They run without starting the engine, because they are what to do when it refuses to start on
a damaged database. The store is imported only when a command runs (start-up stays quick).
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from core.cli.output import EXIT_FAILED, EXIT_OK, human_bytes, print_json
from core.config import Config

log = logging.getLogger(__name__)


def register(sub: Any, command: Any) -> None:
    db = command(sub, "db", help="check the database or restore a backup").add_subparsers(dest="action", required=True)
    command(db, "check", help="check the database and list its backups").add_argument("--json", action="store_true")
    restore = command(db, "restore", help="put a backup in place of the database (which is kept aside)")
    restore.add_argument("backup", nargs="?", help="a backup's file name or path (default: the newest)")


def db_command(args: argparse.Namespace, config: Config) -> int:
    if args.action == "check":
        return _check(config, args.json)
    return _restore(config, args.backup)


def _check(config: Config, as_json: bool) -> int:
    from core.store import backup, health
    from core.store.db import HEAD_REVISION, KNOWN_REVISIONS

    path = config.database_path
    problem, revision = health.diagnose(path, HEAD_REVISION, KNOWN_REVISIONS)
    backups = backup.all_backups(path)
    size = path.stat().st_size if path.is_file() else None
    if as_json:
        print_json({
            "database": str(path), "exists": path.exists(), "size": size, "revision": revision,
            "ok": problem is None, "problem": problem, "backups_folder": str(backup.folder(path)),
            "backups": [
                {"name": b.path.name, "path": str(b.path), "taken_at": b.taken_at, "reason": b.reason, "size": b.size}
                for b in backups
            ],
        })  # fmt: skip
    else:
        state = "no database yet (one is made at the next start)" if not path.exists() else "ok"
        print(f"database: {path}" + (f" ({human_bytes(size)}, schema {revision})" if size is not None else ""))
        print(f"check:    {state if problem is None else 'FAILED'}")
        if problem:
            print(f"\n{problem}\n")
        print(f"backups:  {len(backups) or 'none'} in {backup.folder(path)}")
        for b in backups:
            print(f"  {b.path.name}  {b.taken_local}  {human_bytes(b.size)}")
    return EXIT_OK if problem is None else EXIT_FAILED


def _restore(config: Config, name: str | None) -> int:
    from core.engine.sync.roundlock import RoundBusyError, RoundLock
    from core.store import backup, health
    from core.store.db import KNOWN_REVISIONS

    path = config.database_path
    chosen = backup.find(path, name)
    if chosen is None:
        what = f"No backup named {name}" if name else "No backup"
        return _fail(f"{what} in {backup.folder(path)}; `syncdeck db check` lists the backups there.")
    problem = health.backup_problem(chosen.path, KNOWN_REVISIONS)
    if problem:
        return _fail(problem)
    lock = RoundLock(config.data_dir)
    try:
        lock.acquire()
    except (RoundBusyError, OSError) as exc:
        return _fail(f"Cannot restore now: {exc}. Stop the daemon or close the SyncDeck window, then try again.")
    try:
        aside = backup.set_aside(path)
        backup.put_back(chosen, path)
    except OSError as exc:
        return _fail(f"Could not restore {chosen.path.name} to {path}: {exc.strerror or exc}.")
    finally:
        lock.release()
    log.info("database restored from %s; the previous one is kept as %s", chosen.path, aside)
    print(f"Restored {chosen.path.name} (taken {chosen.taken_local}) to {path}.")
    if aside is not None:
        print(f"The previous database is kept as {aside}; delete it once everything looks right.")
    print("Changes made after the backup was taken are not in it; the next sync finds new items again.")
    return EXIT_OK


def _fail(message: str) -> int:
    print(f"syncdeck: {message}", file=sys.stderr)
    return EXIT_FAILED


COMMANDS: dict[str, Any] = {}  # no command of this group starts the engine
