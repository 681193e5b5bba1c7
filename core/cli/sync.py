"""`syncdeck sync`, `syncdeck daemon` and `syncdeck status`: rounds now, on schedule, and
what the engine is doing."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from core.cli import quick, remote
from core.cli.output import EXIT_BUSY, EXIT_FAILED, EXIT_OK, EXIT_TERMINATED, ProgressLine, print_json
from core.engine.sync.roundlock import ROUND_LOCK_NAME
from core.filelock import is_locked

if TYPE_CHECKING:
    from core.config import Config
    from core.engine.engine import Engine
    from core.store.readonly import Reader


def _shown_round(last: dict[str, Any] | None, config: Config) -> dict[str, Any] | None:
    """A round still "running" with nobody holding the round lock was cut short by a kill or
    a crash (the next engine start closes it as such; say so already)."""
    if last and last.get("outcome") == "running" and not is_locked(config.data_dir / ROUND_LOCK_NAME):
        return {**last, "outcome": "interrupted"}
    return last


def register(sub: Any, command: Any) -> None:
    sy = command(sub, "sync", help="run one round now")
    sy.add_argument("--source", type=int, action="append", help="only this source (repeatable)")
    sy.add_argument("--json", action="store_true")
    command(sub, "daemon", help="run rounds on schedule until stopped")
    command(sub, "status", help="what the engine is doing").add_argument("--json", action="store_true")


def _on_sigterm(callback: Callable[[], None]) -> Callable[[], None]:
    """Call `callback` on SIGTERM (what `kill`, systemd and docker stop send); returns the undo."""
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGTERM, callback)
        return lambda: loop.remove_signal_handler(signal.SIGTERM)
    except (NotImplementedError, RuntimeError):  # Windows, or not the main thread
        try:
            previous = signal.signal(signal.SIGTERM, lambda *_: loop.call_soon_threadsafe(callback))
        except ValueError:  # not the main thread: nothing to hook
            return lambda: None
        return lambda: signal.signal(signal.SIGTERM, previous)


async def cmd_sync(engine: Engine, args: argparse.Namespace) -> int:
    progress = ProgressLine(engine.bus)
    work = asyncio.ensure_future(engine.sync(args.source))
    terminated = False

    def terminate() -> None:
        # Like Ctrl+C: the round stops, records itself as cancelled and keeps every .part.
        nonlocal terminated
        terminated = True
        work.cancel()

    undo = _on_sigterm(terminate)
    try:
        result = await work
    except asyncio.CancelledError:
        if not terminated:
            raise
        print("syncdeck: stopped (SIGTERM); downloads continue from where they stopped next time", file=sys.stderr)
        return EXIT_TERMINATED
    finally:
        undo()
        progress.close()
    torrents = await _run_torrents(engine)
    code = result.exit_code or (torrents.get("exit_code", EXIT_OK) if torrents else EXIT_OK)
    if args.json:
        print_json({**asdict(result), "exit_code": code, **({"torrents": torrents} if torrents else {})})
    else:
        print(f"round {result.round_id}: {result.outcome} — {result.new_items} new, {result.downloaded} downloaded, "
              f"{result.failed} failed, {result.removed} removed upstream, {result.api_calls} API calls")  # fmt: skip
        for message in result.messages:
            print(f"  {message}")
        for line in torrents.get("messages", []):
            print(f"  {line}")
    return code


async def _run_torrents(engine: Engine) -> dict[str, Any]:
    """Torrents run until every wanted file is complete, or one stalls (it is named)."""
    if not await engine.torrents.has_work():
        return {}
    outcome = await engine.torrents.run_until_complete()
    messages = [f"torrent #{i} stalled: {why}" for i, why in outcome.stalled]
    messages += [f"torrent #{i} failed: {why}" for i, why in outcome.failed]
    messages += [f"{len(outcome.completed)} torrents complete"] if outcome.completed else []
    return {"completed": outcome.completed, "stalled": [{"id": i, "reason": why} for i, why in outcome.stalled],
            "failed": [{"id": i, "reason": why} for i, why in outcome.failed],
            "exit_code": EXIT_OK if outcome.ok else EXIT_FAILED, "messages": messages}  # fmt: skip


async def cmd_daemon(engine: Engine, args: argparse.Namespace) -> int:
    from core.cli.main import run_for_client

    channel = remote.CommandChannel(engine.config.data_dir, lambda argv: run_for_client(engine, argv), "daemon")
    try:
        await channel.open()
    except remote.DataDirBusy as exc:
        print(f"syncdeck daemon: {exc}", file=sys.stderr)
        return EXIT_BUSY
    try:
        await engine.torrents.start_if_stored()  # seeding and unfinished torrents go on here
        return await _run_daemon(engine)
    finally:
        await channel.close()


async def _run_daemon(engine: Engine) -> int:
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


def quick_status(reader: Reader, config: Config, args: argparse.Namespace) -> int:
    sources = reader.sources()
    totals = reader.state_totals()
    now = datetime.now(UTC)
    data: dict[str, Any] = {
        "data_dir": str(config.data_dir),
        "library": str(config.library_root),
        "sources": len(sources),
        "enabled_sources": sum(s.enabled for s in sources),
        "tasks": totals,  # top-level tasks by the word `task list` shows for each
        "videos": totals,  # the name of earlier releases, for scripts
        "last_round": _shown_round(reader.last_round(), config),
        "risk_cooldown": [
            {"source": s.id, "name": s.name, "until": s.cooldown_until.isoformat()}
            for s in sources
            if s.cooldown_until and s.cooldown_until > now
        ],
    }
    if args.json:
        print_json(data)
        return EXIT_OK
    print(f"library: {data['library']}\ndata:    {data['data_dir']}")
    print(f"sources: {data['enabled_sources']} enabled of {data['sources']}")
    print("tasks:   " + (quick.state_counts(totals) or "none yet"))
    last = data["last_round"]
    if last:
        print(f"last round #{last['id']}: {last['outcome']}, {last['downloaded']} downloaded, {last['failed']} failed")
    for c in data["risk_cooldown"]:
        print(f"risk control cool-down: {c['name']} until {c['until']}")
    return EXIT_OK


COMMANDS = {"sync": cmd_sync, "daemon": cmd_daemon}
QUICK = {("status", None): quick_status}
