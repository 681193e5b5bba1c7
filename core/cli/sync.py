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
from typing import TYPE_CHECKING, Any

from core.cli.output import EXIT_OK, EXIT_TERMINATED, ProgressLine, print_json

if TYPE_CHECKING:
    from core.engine.engine import Engine


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
    if args.json:
        print_json({**asdict(result), "exit_code": result.exit_code})
    else:
        print(f"round {result.round_id}: {result.outcome} — {result.new_items} new, {result.downloaded} downloaded, "
              f"{result.failed} failed, {result.removed} removed upstream, {result.api_calls} API calls")  # fmt: skip
        for message in result.messages:
            print(f"  {message}")
    return result.exit_code


async def cmd_daemon(engine: Engine, args: argparse.Namespace) -> int:
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


async def cmd_status(engine: Engine, args: argparse.Namespace) -> int:
    data = await engine.status()
    if args.json:
        print_json(data)
        return EXIT_OK
    tasks: dict[str, int] = data["tasks"]  # type: ignore[assignment]
    print(f"library: {data['library']}\ndata:    {data['data_dir']}")
    print(f"sources: {data['enabled_sources']} enabled of {data['sources']}")
    print("tasks:   " + (", ".join(f"{n} {s}" for s, n in sorted(tasks.items())) or "none yet"))
    last: Any = data["last_round"]
    if last:
        print(f"last round #{last['id']}: {last['outcome']}, {last['downloaded']} downloaded, {last['failed']} failed")
    for c in data["risk_cooldown"]:  # type: ignore[attr-defined]
        print(f"risk control cool-down: {c['name']} until {c['until']}")
    if data["keyring"] != "secure":
        print(f"keyring: {data['keyring']}")
    return EXIT_OK


COMMANDS = {"sync": cmd_sync, "daemon": cmd_daemon, "status": cmd_status}
