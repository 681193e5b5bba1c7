"""`syncdeck torrent`: torrents and magnet links as tasks.

With the window or `syncdeck daemon` running, these commands are handed to it (it owns the
BitTorrent session) and `torrent add` returns at once: the running SyncDeck downloads and
seeds. With nothing running, `torrent add` downloads in the foreground until every chosen
file is complete (like `sync`), then exits; Ctrl+C stops it and keeps the torrent and what it
downloaded for the next `sync`, `daemon` or window. `--paused` (or `--no-wait`) only records it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from core.cli.output import EXIT_FAILED, EXIT_OK, human_bytes, print_json
from core.errors import ConfigError

if TYPE_CHECKING:
    from core.engine.engine import Engine
    from core.engine.torrents.views import RunOutcome, TorrentView


def register(sub: Any, command: Any) -> None:
    t = command(sub, "torrent", help="BitTorrent: .torrent files and magnet links").add_subparsers(
        dest="action", required=True
    )
    add = command(t, "add", help="add a .torrent file, a magnet link or a URL of a .torrent")
    add.add_argument("what", metavar="FILE.torrent|MAGNET|URL")
    add.add_argument("--path", help="download folder (default: the torrent.path setting, else <library>/Torrents)")
    add.add_argument("--files", help="only these file indexes, e.g. 0,2-3 (see `torrent show`)")
    add.add_argument("--sequential", action="store_true", help="download pieces in order (for playing early)")
    add.add_argument("--paused", action="store_true", help="add it stopped")
    add.add_argument("--no-wait", action="store_true", help="only record it; the next sync or daemon downloads it")
    add.add_argument("--json", action="store_true")
    command(t, "list").add_argument("--json", action="store_true")
    show = command(t, "show", help="files, trackers and peers of one torrent")
    show.add_argument("id", type=int)
    show.add_argument("--json", action="store_true")
    for verb, text in (("pause", "stop it"), ("recheck", "check its files again")):
        command(t, verb, help=text).add_argument("id", type=int)
    resume = command(t, "resume", help="queue it again (--force: download now, outside the queue)")
    resume.add_argument("id", type=int)
    resume.add_argument("--force", action="store_true", help="force start: ignore the active downloads limit")
    move = command(t, "move", help="move its files to another folder")
    move.add_argument("id", type=int)
    move.add_argument("folder", metavar="DIR")
    trackers = command(t, "trackers", help="list, add or remove its trackers")
    trackers.add_argument("id", type=int)
    trackers.add_argument("--add", action="append", default=[], metavar="URL", help="add a tracker (repeatable)")
    trackers.add_argument("--remove", action="append", default=[], metavar="URL", help="remove a tracker (repeatable)")
    trackers.add_argument("--json", action="store_true")
    sequential = command(t, "sequential", help="download its pieces in order (for playing early), or not")
    sequential.add_argument("id", type=int)
    sequential.add_argument("mode", choices=("on", "off"))
    rm = command(t, "remove", help="remove it (its files stay unless --delete-files)")
    rm.add_argument("id", type=int)
    rm.add_argument("--delete-files", action="store_true")
    files = command(t, "files", help="file priorities: 0 skip, 1 low, 4 normal, 7 top")
    files.add_argument("id", type=int)
    files.add_argument("--priority", required=True, metavar="INDEX=0..7[,…]")
    limits = command(t, "limits", help="speed limits of one torrent, or of all with no ID")
    limits.add_argument("id", type=int, nargs="?")
    limits.add_argument("--down", type=int, metavar="KIB_S", help="download limit in KiB/s (0 = none)")
    limits.add_argument("--up", type=int, metavar="KIB_S", help="upload limit in KiB/s (0 = none)")


def parse_indexes(text: str) -> list[int]:
    """ "0,2-3" → [0, 2, 3]."""
    out: list[int] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        first, sep, last = part.partition("-")
        try:
            a, b = int(first), int(last) if sep else int(first)
        except ValueError:
            raise ConfigError(f"--files takes indexes like 0,2-3, not {text!r}") from None
        if a < 0 or b < a:
            raise ConfigError(f"--files: {part!r} is not a range of file indexes")
        out.extend(range(a, b + 1))
    return sorted(set(out))


def parse_priorities(text: str) -> dict[int, int]:
    """ "0=7,2=0" → {0: 7, 2: 0}."""
    out: dict[int, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        index, sep, value = part.partition("=")
        if not sep or not index.strip().isdigit() or not value.strip().isdigit() or not 0 <= int(value) <= 7:
            raise ConfigError(f"--priority takes INDEX=0..7 pairs like 0=7,2=0, not {part!r}")
        out[int(index)] = int(value)
    return out


def _line(v: TorrentView) -> str:
    rates = f"↓{human_bytes(v.down_rate)}/s ↑{human_bytes(v.up_rate)}/s" if v.down_rate or v.up_rate else ""
    size = human_bytes(v.wanted) if v.wanted else "?"
    note = f"  — {v.error}" if v.error else ""
    return (f"#{v.id:<5} {v.state:<8} {v.progress * 100:5.1f}% of {size:<9} {v.activity:<11} "
            f"peers {v.peers}/{v.seeds} ratio {v.ratio:.2f} {rates} {v.name[:50]}{note}")  # fmt: skip


def _json(v: TorrentView) -> dict[str, Any]:
    return asdict(v)


async def _foreground(engine: Engine, ids: list[int]) -> int:
    """Download in this process until complete or stalled; a terminal sees a progress line."""
    show = sys.stderr.isatty()

    async def progress() -> None:
        while True:
            await asyncio.sleep(1)
            views = [v for v in await engine.torrents.list() if v.id in ids]
            if show and views:
                v = views[0]
                sys.stderr.write(f"\r\x1b[K{v.name[:40]}: {v.progress * 100:.1f}% ↓{human_bytes(v.down_rate)}/s "
                                 f"{v.peers} peers")  # fmt: skip
                sys.stderr.flush()

    ticker = asyncio.ensure_future(progress())
    try:
        outcome = await engine.torrents.run_until_complete(ids)
    finally:
        ticker.cancel()
        if show:
            sys.stderr.write("\r\x1b[K")
    return report_outcome(outcome)


def report_outcome(outcome: RunOutcome) -> int:
    for task_id, why in outcome.stalled:
        print(f"torrent #{task_id} stalled: {why}", file=sys.stderr)
    for task_id, why in outcome.failed:
        print(f"torrent #{task_id} failed: {why}", file=sys.stderr)
    if outcome.completed:
        print(f"{len(outcome.completed)} torrents complete")
    return EXIT_OK if outcome.ok else EXIT_FAILED


async def cmd_torrent(engine: Engine, args: argparse.Namespace) -> int:
    service = engine.torrents
    action = args.action
    if action == "add":
        files = parse_indexes(args.files) if args.files else None
        owner = service.keeps_running
        view = await service.add(args.what, path=args.path, files=files, sequential=args.sequential,
                                 paused=args.paused, start=owner or not (args.paused or args.no_wait))  # fmt: skip
        if args.json:
            print_json(_json(view))
        else:
            print(f"added torrent #{view.id}: {view.name} → {view.save_path}")
        if owner or args.paused or args.no_wait:
            return EXIT_OK
        return await _foreground(engine, [view.id])
    if action == "list":
        views = await service.list()
        if args.json:
            print_json([_json(v) for v in views])
        elif not views:
            print("no torrents — add one with `syncdeck torrent add FILE.torrent|MAGNET|URL`")
        for v in views:
            print(_line(v))
        return EXIT_OK
    if action == "show":
        detail = await service.detail(args.id)
        if args.json:
            print_json(asdict(detail) | {"pieces": "".join("1" if p else "0" for p in detail.pieces)})
            return EXIT_OK
        v = detail.torrent
        print(_line(v))
        print(f"  hash {v.info_hash} · {v.save_path}" + (" · sequential" if v.sequential else ""))
        print("  files:")
        for f in detail.files:
            done = f"{f.done * 100 // f.size if f.size else 100}%"
            print(f"    [{f.index}] prio {f.priority} {done:>4} {human_bytes(f.size):>9}  {f.path}")
        if detail.trackers:
            print("  trackers:")
            for t in detail.trackers:
                print(f"    {t.status:<13} {t.url}" + (f"  ({t.message})" if t.message else ""))
        if detail.peers:
            print("  peers:")
            for p in detail.peers:
                print(f"    {p.address:<22} {p.client[:20]:<20} ↓{human_bytes(p.down_rate)}/s "
                      f"↑{human_bytes(p.up_rate)}/s {p.progress * 100:5.1f}% {p.flags}")  # fmt: skip
        return EXIT_OK
    if action == "pause":
        await service.pause(args.id)
        print(f"torrent {args.id} paused")
    elif action == "resume":
        await service.resume(args.id, force=args.force)
        print(f"torrent {args.id} " + ("force started" if args.force else "resumed (queued)"))
    elif action == "move":
        folder = await service.move_storage(args.id, args.folder)
        print(f"torrent {args.id}: files moved to {folder}")
    elif action == "trackers":
        urls = await service.edit_trackers(args.id, add=args.add, remove=args.remove)
        if args.json:
            print_json(urls)
        elif not urls:
            print(f"torrent {args.id} has no trackers")
        for url in [] if args.json else urls:
            print(url)
    elif action == "sequential":
        await service.set_sequential(args.id, args.mode == "on")
        print(f"torrent {args.id}: sequential download {args.mode}")
    elif action == "recheck":
        await service.recheck(args.id)
        print(f"torrent {args.id}: checking its files")
    elif action == "remove":
        await service.remove(args.id, delete_files=args.delete_files)
        print(f"torrent {args.id} removed" + (" with its files" if args.delete_files else " (files kept)"))
    elif action == "files":
        await service.set_file_priorities(args.id, parse_priorities(args.priority))
        print(f"torrent {args.id}: file priorities set")
    elif action == "limits":
        if args.down is None and args.up is None:
            return _print_limits(engine, args.id, await service.list())
        await service.set_limits(args.id, down_kib=args.down, up_kib=args.up)
        print(f"{'torrent ' + str(args.id) if args.id is not None else 'global'} limits set")
    return EXIT_OK


def _print_limits(engine: Engine, task_id: int | None, views: list[TorrentView]) -> int:
    def kib(n: int) -> str:
        return f"{n // 1024} KiB/s" if n else "none"

    if task_id is None:
        cfg = engine.config
        alt = " (alternative limits on)" if engine.torrents.alternative_limits else ""
        print(f"global: down {kib(cfg['torrent.down_kib'] * 1024)}, up {kib(cfg['torrent.up_kib'] * 1024)}{alt}")
        alt_down, alt_up = kib(cfg["torrent.alt_down_kib"] * 1024), kib(cfg["torrent.alt_up_kib"] * 1024)
        print(f"alternative: down {alt_down}, up {alt_up}")
        return EXIT_OK
    view = next((v for v in views if v.id == task_id), None)
    if view is None:
        raise ConfigError(f"there is no torrent {task_id} (see `syncdeck torrent list`)")
    print(f"torrent {task_id}: down {kib(view.down_limit)}, up {kib(view.up_limit)}")
    return EXIT_OK


COMMANDS = {"torrent": cmd_torrent}
