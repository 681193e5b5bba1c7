"""`syncdeck source`: things to keep in sync, from a link of any provider that claims it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from core.cli import quick
from core.cli.output import EXIT_OK, print_json, when
from core.tasks.states import QUEUED, RUNNING, TASK_STATES

if TYPE_CHECKING:
    from core.config import Config
    from core.engine.engine import Engine
    from core.store.readonly import Reader, SourceRow


def register(sub: Any, command: Any) -> None:
    src = command(sub, "source", help="things to keep in sync").add_subparsers(dest="action", required=True)
    add = command(src, "add", help="add a source from a link or short form")
    add.add_argument("url")
    add.add_argument("--path", help="target folder (default: <library>/<kind>/<name>)")
    add.add_argument("--name")
    add.add_argument("--account", type=int, help="account id; 0 = none (default: the only account)")
    add.add_argument("--filter", dest="rules", help="e.g. 'title icontains 教程 and duration > 60'")
    add.add_argument("--schedule", default="", help="seconds between scans or a cron expression (default: global)")
    prev = command(src, "preview", help="show what a link points at without adding it")
    prev.add_argument("url")
    prev.add_argument("--account", type=int, help="account id; 0 = none (default: the only account)")
    prev.add_argument("--json", action="store_true")
    command(src, "list").add_argument("--json", action="store_true")
    for action in ("enable", "disable"):
        command(src, action).add_argument("id", type=int)
    rm = command(src, "remove")
    rm.add_argument("id", type=int)
    rm.add_argument("--delete-files", action="store_true", help="also delete its downloaded files")
    ed = command(src, "edit")
    ed.add_argument("id", type=int)
    ed.add_argument("--name")
    ed.add_argument("--path")
    ed.add_argument("--filter", dest="rules", help="new filter rules; '' clears them")
    ed.add_argument("--account", type=int, help="account id; 0 = none")
    ed.add_argument("--schedule", help="seconds or cron; '' = the global schedule")


def _account(args: argparse.Namespace) -> dict[str, Any]:
    return {} if args.account is None else {"account_id": args.account or None}


def source_json(config: Config, s: SourceRow) -> dict[str, Any]:
    schedule = quick.source_schedule(config, s)
    counts = {state: s.counts.get(state, 0) for state in TASK_STATES if state != RUNNING}
    return {
        "id": s.id, "provider": s.provider, "kind": s.kind, "key": s.locator, "name": s.name, "path": s.path,
        "account": s.account, "account_id": s.account_id, "enabled": s.enabled, "last_scan_at": s.last_scan_at,
        "next_scan_at": quick.next_scan(config, s), "schedule": s.schedule or schedule.describe(), **counts,
        "pending": counts[QUEUED],  # the word of earlier releases, for scripts
        "last_error": s.last_error, "cooldown_until": s.cooldown_until,
    }  # fmt: skip


def quick_source_list(reader: Reader, config: Config, args: argparse.Namespace) -> int:
    rows = reader.sources()
    if args.json:
        print_json([source_json(config, s) for s in rows])
        return EXIT_OK
    if not rows:
        print("no sources — add one with `syncdeck source add <link>`")
    for s in rows:
        flag = "on " if s.enabled else "off"
        print(f"#{s.id} [{flag}] {quick.display_name(s.provider)} {s.kind:<11} {s.name}  ({s.locator})")
        print(f"     {quick.state_counts(s.counts) or 'no tasks yet'} · {s.path}")
        schedule = quick.source_schedule(config, s).describe()
        print(f"     last scan {when(s.last_scan_at)} · next {when(quick.next_scan(config, s))} · {schedule}")
        if s.last_error:
            print(f"     last error: {s.last_error}")
    return EXIT_OK


async def cmd_source(engine: Engine, args: argparse.Namespace) -> int:
    action = args.action
    if action == "add":
        source = await engine.add_source(
            args.url, path=args.path, name=args.name, rules=args.rules, schedule=args.schedule, **_account(args)
        )  # fmt: skip
        print(f"added source #{source.id}: {source.name} ({source.locator}) → {source.path}")
    elif action == "preview":
        info = await engine.preview_link(args.url, **_account(args))
        data = {
            "provider": info.provider, "key": info.locator, "kind": info.kind, "kind_label": info.kind_label,
            "title": info.title,
            "owner": info.owner, "count": info.count, "cover": info.cover, "folder": info.default_folder,
        }  # fmt: skip
        if args.json:
            print_json(data)
        else:
            print(f"{info.provider_name} {info.kind_label} {info.locator}: {info.title} by {info.owner or '-'}, "
                  f"{info.count} items → {info.default_folder}")  # fmt: skip
    elif action in ("enable", "disable"):
        await engine.set_enabled(args.id, action == "enable")
        print(f"source {args.id} {action}d")
    elif action == "remove":
        await engine.remove_source(args.id, delete_files=args.delete_files)
        print(f"source {args.id} removed" + ("" if args.delete_files else " (files kept)"))
    elif action == "edit":
        await engine.update_source(
            args.id, name=args.name, path=args.path, rules=args.rules, schedule=args.schedule, **_account(args)
        )  # fmt: skip
        print(f"source {args.id} updated")
    return EXIT_OK


COMMANDS = {"source": cmd_source}
QUICK = {("source", "list"): quick_source_list}
