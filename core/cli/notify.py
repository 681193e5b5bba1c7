"""`syncdeck notify …`: try the notification channels, keep their secrets, show how they are set.

syncdeck notify test [webhook|telegram|email]   exit 0 all sent, 1 one failed, 2 none configured
syncdeck notify secret telegram|email [--delete] the value from stdin, or a prompt on a terminal
syncdeck notify status [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from core.cli.output import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from core.engine.notify.names import CHANNELS, SECRET_NAMES, SECRET_REFS
from core.errors import ConfigError, SyncDeckError

if TYPE_CHECKING:
    from core.engine.engine import Engine


def register(sub: Any, command: Callable[..., argparse.ArgumentParser]) -> None:
    """Register `notify` on the main parser's subcommands (`command` adds one with the common flags)."""
    notify = command(sub, "notify", help="notifications by webhook, Telegram and email")
    actions = notify.add_subparsers(dest="action", required=True)
    test = command(actions, "test", help="send a test message (default: through every configured channel)")
    test.add_argument("channel", nargs="?", choices=CHANNELS)
    secret = command(actions, "secret", help="keep the Telegram bot token or the SMTP password in the keyring")
    secret.add_argument("channel", choices=list(SECRET_REFS))
    secret.add_argument("--delete", action="store_true", help="remove it from the keyring")
    status = command(actions, "status", help="channels, whether each can send, and what notifies")
    status.add_argument("--json", action="store_true")


async def cmd_notify(engine: Engine, args: argparse.Namespace) -> int:
    if args.action == "test":
        return await _test(engine, args.channel)
    if args.action == "secret":
        return await _secret(engine, args.channel, args.delete)
    return await _status(engine, args.json)


async def _test(engine: Engine, channel: str | None) -> int:
    if channel:
        channels = [channel]
    else:
        statuses = await engine.notification_channels()
        channels = [s.channel for s in statuses if s.configured]
        if not channels:
            print("syncdeck: no notification channel is set up (see `syncdeck notify status`)", file=sys.stderr)
            return EXIT_USAGE
    results = await asyncio.gather(*(engine.test_notification(c) for c in channels), return_exceptions=True)
    failed = unconfigured = 0
    missing: dict[str, tuple[str, ...]] = {}
    if any(isinstance(r, ConfigError) for r in results):
        missing = {s.channel: s.missing for s in await engine.notification_channels()}
    for name, result in zip(channels, results, strict=True):
        if isinstance(result, ConfigError):
            unconfigured += 1
            print(f"{name}: not set up — set {', '.join(missing[name])}" if missing.get(name) else f"{name}: {result}")
        elif isinstance(result, SyncDeckError):
            failed += 1
            print(f"{name}: FAILED — {result}")
        elif isinstance(result, BaseException):
            raise result
        else:
            print(f"{name}: {result}")
    if failed:
        return EXIT_FAILED
    return EXIT_USAGE if unconfigured == len(channels) else EXIT_OK


async def _secret(engine: Engine, channel: str, delete: bool) -> int:
    what = SECRET_NAMES[channel]
    if delete:
        await engine.set_notification_secret(channel, "")
        print(f"{what} deleted from the keyring")
        return EXIT_OK
    if sys.stdin is not None and sys.stdin.isatty():
        value = getpass.getpass(f"{what[0].upper()}{what[1:]} (not shown): ")
    else:
        value = sys.stdin.readline() if sys.stdin is not None else ""
    if not value.strip():
        print(f"syncdeck: {what} was empty; nothing was stored", file=sys.stderr)
        return EXIT_USAGE
    await engine.set_notification_secret(channel, value)
    print(f"{what} saved in the keyring")
    return EXIT_OK


async def _status(engine: Engine, as_json: bool) -> int:
    statuses = await engine.notification_channels()
    events = list(engine.config["notify.events"])
    language = engine.notification_language()
    if as_json:
        data = {
            "channels": [
                {"channel": s.channel, "configured": s.configured, "target": s.target, "missing": list(s.missing)}
                for s in statuses
            ],
            "events": events,
            "language": language,
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    for s in statuses:
        state = "ready" if s.configured else "not set up"
        print(f"{s.channel:<9} {state}" + (f" → {s.target}" if s.target else ""))
        if s.missing:
            print(f"          needs {', '.join(s.missing)}")
    print(f"events:   {', '.join(events) or 'none'}")
    print(f"language: {language}")
    return EXIT_OK


COMMANDS = {"notify": cmd_notify}
