"""`syncdeck` on the command line: the same engine as the window, for servers and scripts.

Exit codes: 0 all done, 1 some items failed (or login expired), 2 usage or config error,
3 stopped by risk control.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections.abc import Callable, Coroutine
from dataclasses import asdict
from datetime import datetime
from typing import Any

from core.cli.notify import add_notify_parser, cmd_notify
from core.config import SETTINGS, Config, load_config, save_config
from core.errors import ConfigError, LinkError, SecretStoreError, SyncDeckError
from core.store.states import TASK_STATES

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_RISK = 0, 1, 2, 3


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.format_usage()}{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="syncdeck", description="Keep local copies of the videos you follow.")
    p.add_argument("--config", help="config file (default: the platform config dir)")
    p.add_argument("--data-dir", help="data folder: database, logs (env SYNCDECK_DATA_DIR)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a setting")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more output (repeat for debug)")
    # -v also works after the command (`syncdeck sync -v`)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", parser_class=Parser)

    def command(group: Any, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = group.add_parser(name, parents=[common], **kwargs)
        return parser

    lg = command(sub, "login", help="log in to a service")
    lg.add_argument("service", choices=["bilibili"])
    how = lg.add_mutually_exclusive_group(required=True)
    how.add_argument("--qr", action="store_true", help="scan a QR code with the Bilibili app")
    how.add_argument("--cookie", metavar="TEXT", help="cookie header or cookies.txt; '-' reads stdin")
    lg.add_argument("--name", default="", help="a name for the account")

    acc = command(sub, "account", help="logged-in accounts").add_subparsers(dest="action", required=True)
    acc_list = command(acc, "list")
    acc_list.add_argument("--json", action="store_true")
    command(acc, "remove").add_argument("id", type=int)

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
    prev.add_argument("--account", type=int)
    prev.add_argument("--json", action="store_true")
    ls = command(src, "list")
    ls.add_argument("--json", action="store_true")
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

    sy = command(sub, "sync", help="run one round now")
    sy.add_argument("--source", type=int, action="append", help="only this source (repeatable)")
    sy.add_argument("--json", action="store_true")
    command(sub, "daemon", help="run rounds on schedule until stopped")

    task = command(sub, "task", help="videos and their sub-tasks").add_subparsers(dest="action", required=True)
    tl = command(task, "list")
    tl.add_argument("--state", choices=TASK_STATES)
    tl.add_argument("--source", type=int)
    tl.add_argument("--search")
    tl.add_argument("--limit", type=int, default=200)
    tl.add_argument("--json", action="store_true")
    tr = command(task, "reset")
    mode = tr.add_mutually_exclusive_group()
    mode.add_argument("--failed", action="store_true", help="failed sub-tasks only (default)")
    mode.add_argument("--force", action="store_true", help="everything: download again")
    tr.add_argument("--source", type=int)
    tr.add_argument("--video", metavar="BVID")
    for action in ("pause", "resume"):
        command(task, action).add_argument("ids", type=int, nargs="+")

    st = command(sub, "status", help="what the engine is doing")
    st.add_argument("--json", action="store_true")

    cfg = command(sub, "config", help="settings").add_subparsers(dest="action", required=True)
    show = command(cfg, "show")
    show.add_argument("--json", action="store_true")
    command(cfg, "set").add_argument("pairs", nargs="+", metavar="KEY=VALUE")
    command(cfg, "path")
    add_notify_parser(sub, command)
    return p


def _pairs(items: list[str]) -> dict[str, str]:
    pairs = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"expected KEY=VALUE, got {item!r}")
        pairs[key.strip()] = value
    return pairs


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value))


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "-"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    try:
        config = load_config(args.config, data_dir=args.data_dir, overrides=_pairs(args.set))
    except ConfigError as exc:
        print(f"syncdeck: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.command is None:
        build_parser().print_help()
        return EXIT_OK
    if args.command == "config":
        return _config_command(args, config)

    from core.cli.logsetup import setup_logging

    setup_logging(config.data_dir, args.verbose)
    handler = COMMANDS[args.command]
    try:
        return asyncio.run(_with_engine(config, lambda engine: handler(engine, args)))
    except (ConfigError, LinkError) as exc:
        print(f"syncdeck: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SecretStoreError as exc:
        print(f"syncdeck: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except SyncDeckError as exc:
        print(f"syncdeck: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130


async def _with_engine(config: Config, body: Callable[[Any], Coroutine[Any, Any, int]]) -> int:
    from core.engine.engine import Engine

    engine = Engine(config)
    try:
        return await body(engine)
    finally:
        await engine.close()


# ---------------------------------------------------------------- commands


async def cmd_login(engine: Any, args: argparse.Namespace) -> int:
    if args.cookie is not None:
        text = sys.stdin.read() if args.cookie == "-" else args.cookie
        account = await engine.import_cookie(text, args.name)
        print(f"logged in as {account.uname} (account {account.id})")
        return EXIT_OK
    import segno

    for _ in range(3):
        ticket = await engine.qr_login_start()
        print("Scan this QR code with the Bilibili app (哔哩哔哩 → 扫一扫):\n")
        segno.make(ticket.url, error="m").terminal(compact=True)
        print(f"\nor open: {ticket.url}\n")
        shown = ""
        while True:
            state, account = await engine.qr_login_poll(ticket.key, args.name)
            if state != shown:
                print({"waiting": "waiting for scan…", "scanned": "scanned — confirm on your phone…",
                       "expired": "the code expired", "confirmed": "confirmed"}[state], flush=True)  # fmt: skip
                shown = state
            if state == "confirmed":
                print(f"logged in as {account.uname} (account {account.id})")
                return EXIT_OK
            if state == "expired":
                break
            await asyncio.sleep(2)
        print("generating a new code…")
    print("syncdeck: login not completed", file=sys.stderr)
    return EXIT_FAILED


async def cmd_account(engine: Any, args: argparse.Namespace) -> int:
    if args.action == "remove":
        await engine.logout(args.id)
        print(f"account {args.id} removed (its login was deleted from the keyring)")
        return EXIT_OK
    accounts = await engine.list_accounts()
    if args.json:
        _print_json(
            [
                {
                    "id": a.id,
                    "name": a.name,
                    "mid": a.mid,
                    "uname": a.uname,
                    "vip": bool(a.vip_status),
                    "state": a.state,
                    "last_check_at": a.last_check_at,
                }  # fmt: skip
                for a in accounts
            ]
        )
        return EXIT_OK
    if not accounts:
        print("no accounts — log in with `syncdeck login bilibili --qr`")
    for a in accounts:
        vip = " VIP" if a.vip_status else ""
        print(f"#{a.id}  {a.name}  (uid {a.mid}{vip})  {a.state}  checked {_when(a.last_check_at)}")
    return EXIT_OK


async def cmd_source(engine: Any, args: argparse.Namespace) -> int:
    action = args.action
    if action == "add":
        source = await engine.add_source(
            args.url, path=args.path, name=args.name, rules=args.rules, schedule=args.schedule,
            **({} if args.account is None else {"account_id": args.account or None}),
        )  # fmt: skip
        print(f"added source #{source.id}: {source.name} ({source.key}) → {source.path}")
    elif action == "preview":
        info = await engine.preview_link(args.url, args.account)
        data = {"key": info.ref.key, "kind": info.ref.kind.value, "title": info.title,
                "owner": info.owner.name if info.owner else "", "count": info.count, "cover": info.cover}  # fmt: skip
        if args.json:
            _print_json(data)
        else:
            print(f"{data['kind']} {data['key']}: {data['title']} by {data['owner'] or '-'}, {data['count']} items")
    elif action == "list":
        views = await engine.sources()
        if args.json:
            _print_json(
                [
                    {
                        "id": v.source.id,
                        "kind": v.source.kind,
                        "key": v.source.key,
                        "name": v.source.name,
                        "path": v.source.path,
                        "account": v.account,
                        "enabled": v.source.enabled,
                        "last_scan_at": v.source.last_scan_at,
                        "next_scan_at": v.next_scan,
                        "schedule": v.source.schedule or engine.config["schedule.every"],
                        "done": v.done,
                        "pending": v.pending,
                        "failed": v.failed,
                        "removed": v.removed,
                        "skipped": v.skipped,
                        "last_error": v.source.last_error,
                        "cooldown_until": v.source.cooldown_until,
                    }  # fmt: skip
                    for v in views
                ]
            )
            return EXIT_OK
        if not views:
            print("no sources — add one with `syncdeck source add <link>`")
        for v in views:
            s = v.source
            flag = "on " if s.enabled else "off"
            print(f"#{s.id} [{flag}] {s.kind:<11} {s.name}  ({s.key})")
            print(f"     {v.done} done, {v.pending} pending, {v.failed} failed, {v.removed} removed upstream"
                  f", {v.skipped} skipped · {s.path}")  # fmt: skip
            every = engine.source_schedule(s).describe()
            print(f"     last scan {_when(s.last_scan_at)} · next {_when(v.next_scan)} · {every}")
            if s.last_error:
                print(f"     last error: {s.last_error}")
    elif action in ("enable", "disable"):
        await engine.set_enabled(args.id, action == "enable")
        print(f"source {args.id} {action}d")
    elif action == "remove":
        await engine.remove_source(args.id, delete_files=args.delete_files)
        print(f"source {args.id} removed" + ("" if args.delete_files else " (files kept)"))
    elif action == "edit":
        await engine.update_source(
            args.id, name=args.name, path=args.path, rules=args.rules, schedule=args.schedule,
            **({} if args.account is None else {"account_id": args.account or None}),
        )  # fmt: skip
        print(f"source {args.id} updated")
    return EXIT_OK


async def cmd_sync(engine: Any, args: argparse.Namespace) -> int:
    result = await engine.sync(args.source)
    if args.json:
        _print_json({**asdict(result), "exit_code": result.exit_code})
    else:
        print(f"round {result.round_id}: {result.outcome} — {result.new_items} new, {result.downloaded} downloaded, "
              f"{result.failed} failed, {result.removed} removed upstream, {result.api_calls} API calls")  # fmt: skip
        for message in result.messages:
            print(f"  {message}")
    return result.exit_code


async def cmd_daemon(engine: Any, args: argparse.Namespace) -> int:
    import logging

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # Windows: Ctrl+C arrives as KeyboardInterrupt
            signal.signal(sig, lambda *_: loop.call_soon_threadsafe(stop.set))
    logging.getLogger("syncdeck").warning("daemon started; rounds %s", engine.config["schedule.every"])
    print(f"syncdeck daemon: rounds every {engine.config['schedule.every']} (Ctrl+C to stop)", flush=True)
    await engine.run_daemon(stop)
    print("syncdeck daemon: stopped", flush=True)
    return EXIT_OK


async def cmd_task(engine: Any, args: argparse.Namespace) -> int:
    if args.action == "reset":
        changed = await engine.reset(force=args.force, source_id=args.source, bvid=args.video)
        print(f"{changed} videos reset ({'forced' if args.force else 'failed sub-tasks'})")
        return EXIT_OK
    if args.action in ("pause", "resume"):
        await (engine.pause_videos if args.action == "pause" else engine.resume_videos)(args.ids)
        print(f"{len(args.ids)} videos {args.action}d")
        return EXIT_OK
    rows = await engine.tasks(state=args.state, source_id=args.source, search=args.search, limit=args.limit)
    if args.json:
        out = []
        for r in rows:
            pages = await engine.video_pages(r.id)
            from core.engine import status as stc

            out.append({
                **asdict(r), "subtasks": stc.describe(r.status, stc.VIDEO_SUBTASKS),
                "pages": [{"pid": p.pid, "cid": p.cid, "title": p.title, "state": p.state, "path": p.path,
                           "subtasks": stc.describe(p.status, stc.PAGE_SUBTASKS)} for p in pages],
            })  # fmt: skip
        _print_json(out)
        return EXIT_OK
    for r in rows:
        note = r.unavailable or ("removed upstream" if r.removed else "") or r.last_error
        print(f"#{r.id:<6} {r.state:<8} {r.bvid or r.key:<14} {r.title[:40]}" + (f"  — {note}" if note else ""))
    return EXIT_OK


async def cmd_status(engine: Any, args: argparse.Namespace) -> int:
    data = await engine.status()
    if args.json:
        _print_json(data)
        return EXIT_OK
    videos = data["videos"]
    print(f"library: {data['library']}\ndata:    {data['data_dir']}")
    print(f"sources: {data['enabled_sources']} enabled of {data['sources']}")
    print("videos:  " + (", ".join(f"{n} {s}" for s, n in sorted(videos.items())) or "none yet"))
    last = data["last_round"]
    if last:
        print(f"last round #{last['id']}: {last['outcome']}, {last['downloaded']} downloaded, {last['failed']} failed")
    for c in data["risk_cooldown"]:
        print(f"risk control cool-down: {c['name']} until {c['until']}")
    if data["keyring"] != "secure":
        print(f"keyring: {data['keyring']}")
    return EXIT_OK


def _config_command(args: argparse.Namespace, config: Config) -> int:
    if args.action == "path":
        print(config.path)
        return EXIT_OK
    if args.action == "set":
        try:
            save_config(config.path, _pairs(args.pairs))
        except ConfigError as exc:
            print(f"syncdeck: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"saved to {config.path}")
        return EXIT_OK
    if args.json:
        _print_json({s.key: {"value": config.values[s.key], "from": config.origins[s.key]} for s in SETTINGS})
        return EXIT_OK
    for s in SETTINGS:
        print(f"{s.key} = {config.values[s.key]!r}  [{config.origins[s.key]}]  {s.doc}")
    return EXIT_OK


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "login": cmd_login,
    "account": cmd_account,
    "source": cmd_source,
    "sync": cmd_sync,
    "daemon": cmd_daemon,
    "task": cmd_task,
    "status": cmd_status,
    "notify": cmd_notify,
}

if __name__ == "__main__":
    sys.exit(main())
