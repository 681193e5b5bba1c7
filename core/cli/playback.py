"""`syncdeck parse` and `syncdeck play`: preview a link, play it or a playlist entry.

`play --print-url` prints the PlaybackInfo as JSON. In proxied mode the URL is served by the
running SyncDeck's proxy when one owns the data folder (the command is handed to it and
returns at once), else by this command, which then stays in the foreground until Ctrl+C.
Without `--print-url` an external player is started (`--external CMD`, the
`player.external_command` setting, or the first of mpv, IINA, VLC, PotPlayer found).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from core.cli import remote
from core.cli.output import EXIT_OK, print_json
from core.errors import PlaybackError

if TYPE_CHECKING:
    from core.engine.engine import Engine
    from core.engine.playback.views import PlaybackInfo


def register(sub: Any, command: Any) -> None:
    parse = command(sub, "parse", help="show what a link plays (provider, title, duration, parts)")
    parse.add_argument("link")
    parse.add_argument("--account", type=int, help="account id whose login is used; 0 = none")
    parse.add_argument("--json", action="store_true")
    play = command(sub, "play", help="play a link or a playlist entry in an external player, or print its URL")
    play.add_argument("target", metavar="ENTRY_ID|LINK")
    play.add_argument("--mode", choices=("direct", "proxied"), help="default: by the proxy.policy setting")
    play.add_argument("--quality", help="e.g. 1080p, 1080p@hevc or @av1 (--print-url lists the qualities offered)")
    play.add_argument("--part", help="which part to play: its number or key (default: the first, or ?p=N)")
    play.add_argument("--account", type=int, help="account id whose login is used; 0 = none")
    play.add_argument("--subtitles", choices=("ass", "srt", "vtt"), help="subtitle format (default: by player)")
    play.add_argument("--start", type=float, default=None, help="start at this many seconds")
    play.add_argument("--print-url", action="store_true", help="print the playback info as JSON instead of playing")
    play.add_argument("--external", metavar="CMD", help="player command ({url} is replaced by the stream URL)")


def _account(args: argparse.Namespace) -> dict[str, Any]:
    return {} if args.account is None else {"account_id": args.account or None}


def _link(text: str) -> str:
    """A relative path to a local file made absolute; anything else as given."""
    if "://" not in text and not os.path.isabs(text) and os.path.exists(text):
        return os.path.abspath(text)
    return text


def _duration(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


async def cmd_parse(engine: Engine, args: argparse.Namespace) -> int:
    parsed = await engine.playback.parse(_link(args.link), **_account(args))
    if args.json:
        print_json({
            "provider": parsed.provider, "provider_name": parsed.provider_display, "title": parsed.title,
            "duration": parsed.duration, "url": parsed.url, "cover": parsed.cover, "account_id": parsed.account_id,
            "parts": [dataclasses.asdict(part) for part in parsed.parts], "item": parsed.item_json,
        })  # fmt: skip
        return EXIT_OK
    count = len(parsed.parts)
    length = _duration(parsed.duration) if parsed.duration else "length unknown"
    print(f"{parsed.provider_display}: {parsed.title} ({length}, {count} part{'s' if count != 1 else ''})")
    if count > 1:
        for part in parsed.parts:
            print(f"  {part.number:>3}. {part.title}" + (f" ({_duration(part.duration)})" if part.duration else ""))
    return EXIT_OK


def info_json(info: PlaybackInfo) -> dict[str, Any]:
    data = dataclasses.asdict(info)
    data["headers"] = dict(info.headers)
    return data


async def entry_target(engine: Engine, entry_id: int) -> Mapping[str, Any]:
    """What a playlist entry plays: `item_json`, `provider`, `account_id`, `position`, `part_key`.
    Asked of `engine.playlists.entry_item(entry_id)`, which the playlists feature provides."""
    entry_item = getattr(engine.playlists, "entry_item", None)
    if entry_item is None:
        raise PlaybackError("playlists are not available in this SyncDeck: play a link instead of an entry id")
    found = await entry_item(entry_id)
    if isinstance(found, Mapping):
        return found
    names = ("item_json", "provider", "account_id", "position", "part_key")
    return {name: getattr(found, name, None) for name in names}


async def cmd_play(engine: Engine, args: argparse.Namespace) -> int:
    from core.playback.external import find_player

    player = None if args.print_url else find_player(args.external or engine.config["player.external_command"])
    subtitle_format = args.subtitles or (None if player is None or player.kind in ("mpv", "iina") else "srt")

    async def resolve(mode: str | None) -> PlaybackInfo:
        options: dict[str, Any] = {"mode": mode, "quality": args.quality, "subtitle_format": subtitle_format}
        if args.target.isascii() and args.target.isdigit():
            entry = await entry_target(engine, int(args.target))
            start = args.start if args.start is not None else float(entry.get("position") or 0)
            return await engine.playback.resolve(
                entry["item_json"], entry["provider"], entry.get("account_id"),
                args.part or entry.get("part_key"), start_at=start, entry_id=int(args.target), **options,
            )  # fmt: skip
        return await engine.playback.resolve_link(_link(args.target), part_key=args.part, start_at=args.start or 0.0,
                                                  **_account(args), **options)  # fmt: skip

    info = await resolve(args.mode)
    serving_here = info.mode == "proxied" and not remote.handed_over()
    if player is None:
        print_json(info_json(info))
        if serving_here:
            sys.stdout.flush()
            print("syncdeck: serving the stream through the local proxy; press Ctrl+C to stop", file=sys.stderr)
            await asyncio.Event().wait()
        return EXIT_OK
    from core.playback.external import needs_proxy

    if args.mode is None and needs_proxy(player, info):
        info = await resolve("proxied")
        serving_here = not remote.handed_over()
    launched = await engine.playback.open_external(info, args.external)
    print(f"playing {info.title} in {launched.player} ({info.mode}{', ' + info.quality if info.quality else ''})")
    if serving_here:
        print("syncdeck: serving the stream until the player closes (Ctrl+C stops)", file=sys.stderr)
        await engine.playback.wait_external(launched)
    return EXIT_OK


COMMANDS = {"parse": cmd_parse, "play": cmd_play}
