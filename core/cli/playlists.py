"""`syncdeck playlist`: static playlists, folders and dynamic folders, and their entries.

    syncdeck playlist create NAME [--parent ID]              prints the new id
    syncdeck playlist add ID LINK | ID ACCOUNT:PATH [--dynamic]
    syncdeck playlist list
    syncdeck playlist show ID [--after POS] [--limit N] [--path SUB] [--page N]
    syncdeck playlist rename ID NAME | --entry ENTRY_ID TITLE
    syncdeck playlist move ID --to PARENT|top [--index N] | --entry ENTRY_ID… --to ID [--index N]
    syncdeck playlist remove ID… | --entry ENTRY_ID…
    syncdeck playlist download ENTRY_ID                     into the library, as a task

Every command takes --json. Ids that name nothing, links nobody plays and sub-paths outside
a dynamic folder exit 2 with the reason.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from core.cli.output import EXIT_FAILED, EXIT_OK, EXIT_USAGE, print_json
from core.engine.playlists.paths import looks_like_ref
from core.engine.playlists.views import PlaylistNotFound

if TYPE_CHECKING:
    from core.engine.engine import Engine
    from core.engine.playlists.views import DynamicPage, EntryView, PlaylistNodeView


def register(sub: Any, command: Any) -> None:
    playlist = command(sub, "playlist", help="playlists, folders and dynamic folders").add_subparsers(
        dest="action", required=True
    )
    pc = command(playlist, "create", help="a new playlist (prints its id)")
    pc.add_argument("name")
    pc.add_argument("--parent", type=int, metavar="ID", help="inside this playlist")
    pa = command(playlist, "add", help="add a link or ACCOUNT:PATH to a playlist")
    pa.add_argument("id", type=int)
    pa.add_argument("what", metavar="LINK|ACCOUNT:PATH")
    pa.add_argument("--dynamic", action="store_true", help="ACCOUNT:PATH is a folder listed live, never copied")
    pl = command(playlist, "list", help="every playlist and folder")
    ps = command(playlist, "show", help="a playlist's entries, or a dynamic folder's children")
    ps.add_argument("id", type=int)
    ps.add_argument("--after", type=int, metavar="POS", help="entries after this position (paging)")
    ps.add_argument("--limit", type=int, default=200)
    ps.add_argument("--path", default="", metavar="SUB", help="a folder inside a dynamic folder")
    ps.add_argument("--page", type=int, default=1)
    pr = command(playlist, "rename", help="rename a playlist (or an entry with --entry)")
    pr.add_argument("id", type=int)
    pr.add_argument("name")
    pr.add_argument("--entry", action="store_true", help="ID is an entry")
    pm = command(playlist, "move", help="move a playlist under another, or entries (--entry) to a playlist")
    pm.add_argument("ids", type=int, nargs="+", metavar="ID")
    pm.add_argument("--to", required=True, metavar="ID|top")
    pm.add_argument("--index", type=int, help="position there, from 0 (default: the end)")
    pm.add_argument("--entry", action="store_true", help="the ids are entries")
    pd = command(playlist, "remove", help="remove playlists with what they hold (or entries with --entry)")
    pd.add_argument("ids", type=int, nargs="+", metavar="ID")
    pd.add_argument("--entry", action="store_true", help="the ids are entries")
    pw = command(playlist, "download", help="download an entry into the library (a task; waits until it ends)")
    pw.add_argument("entry", type=int, metavar="ENTRY_ID")
    for parser in (pc, pa, pl, ps, pr, pm, pd, pw):
        parser.add_argument("--json", action="store_true")


def node_json(node: PlaylistNodeView) -> dict[str, Any]:
    return asdict(node)


def entry_json(entry: EntryView) -> dict[str, Any]:
    return asdict(entry)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds <= 0:
        return "-"
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _describe(node: PlaylistNodeView) -> str:
    if node.dynamic:
        return f"[dynamic: {node.provider_name} {node.root}]"
    return f"({node.entry_count} entries)" if node.entry_count != 1 else "(1 entry)"


async def cmd_playlist(engine: Engine, args: argparse.Namespace) -> int:
    handler = {
        "create": _create, "add": _add, "list": _list, "show": _show, "rename": _rename, "move": _move,
        "remove": _remove, "download": _download,
    }[args.action]  # fmt: skip
    return await handler(engine, args)


async def _create(engine: Engine, args: argparse.Namespace) -> int:
    new_id = await engine.playlists.create(args.name, parent=args.parent)
    if args.json:
        print_json(node_json(await engine.playlists.node(new_id)))
    else:
        print(new_id)
    return EXIT_OK


async def _add(engine: Engine, args: argparse.Namespace) -> int:
    book = engine.playlists
    text = args.what.strip()
    servers = getattr(engine, "servers", None)
    if args.dynamic or (book.link_provider(text) is None and looks_like_ref(text)):
        added = await book.add_ref(args.id, text, dynamic=args.dynamic, servers=servers)
    else:
        added = await book.add_link(args.id, text)
    if isinstance(added, int):
        node = await book.node(added)
        if args.json:
            print_json(node_json(node))
        else:
            print(f"#{node.id}: dynamic folder {node.name} ({node.provider_name} {node.root}) in playlist {args.id}")
        return EXIT_OK
    if args.json:
        print_json(entry_json(added))
    else:
        print(f"entry #{added.id}: {added.title} ({added.provider_name}, {_duration(added.duration)}) "
              f"in playlist {args.id}")  # fmt: skip
    return EXIT_OK


async def _download(engine: Engine, args: argparse.Namespace) -> int:
    done = await engine.playback.download_to_library(args.entry, wait=True)
    if args.json:
        print_json(asdict(done))
    elif done.state == "done":
        print(f"task #{done.task_id}: {done.title} downloaded to {done.path}")
    elif done.state == "paused":  # from the Tasks page or `task pause` meanwhile
        print(f"task #{done.task_id}: {done.title} paused; `syncdeck task resume {done.task_id}` continues it",
              file=sys.stderr)  # fmt: skip
    else:
        print(f"task #{done.task_id}: {done.title} failed: {done.error}", file=sys.stderr)
    return EXIT_OK if done.state == "done" else EXIT_FAILED


async def _list(engine: Engine, args: argparse.Namespace) -> int:
    nodes = await engine.playlists.tree()
    if args.json:
        print_json([node_json(n) for n in nodes])
        return EXIT_OK
    if not nodes:
        print("no playlists yet — `syncdeck playlist create NAME` makes one")
        return EXIT_OK
    children: dict[int | None, list[PlaylistNodeView]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def walk(parent: int | None, depth: int) -> None:
        for node in children.get(parent, []):
            print(f"{'  ' * depth}#{node.id:<5} {node.name}  {_describe(node)}")
            walk(node.id, depth + 1)

    walk(None, 0)
    return EXIT_OK


async def _show(engine: Engine, args: argparse.Namespace) -> int:
    book = engine.playlists
    node = await book.node(args.id)
    if node.dynamic:
        page = await book.dynamic_children(node.id, args.path, page=args.page, per_page=max(1, args.limit))
        return _show_dynamic(node, page, args.json)
    if args.path:
        print(f"syncdeck: --path is for dynamic folders; #{node.id} {node.name} is a playlist", file=sys.stderr)
        return EXIT_USAGE
    entries = await book.entries(node.id, after_position=args.after, limit=max(1, args.limit))
    if args.json:
        print_json({**node_json(node), "entries": [entry_json(e) for e in entries]})
        return EXIT_OK
    print(f"#{node.id} {node.name}  {_describe(node)}")
    for e in entries:
        resume = f"  resume {_duration(e.resume)}" if e.resume else ""
        shown = f"{_duration(e.duration):>8}  {e.provider_name:<10} {e.title}{resume}"
        print(f"  {e.position + 1:>5}. entry #{e.id:<6} {shown}")
    if node.entry_count > (args.after + 1 if args.after is not None else 0) + len(entries):
        last = entries[-1].position if entries else args.after
        print(f"  … more: syncdeck playlist show {node.id} --after {last}")
    return EXIT_OK


def _show_dynamic(node: PlaylistNodeView, page: DynamicPage, as_json: bool) -> int:
    if as_json:
        print_json({
            **node_json(node), "sub_path": page.sub_path, "total": page.total, "page": page.page,
            "per_page": page.per_page, "has_more": page.has_more,
            "breadcrumbs": [{"name": name, "sub_path": sub} for name, sub in page.breadcrumbs],
            "children": [{k: v for k, v in asdict(c).items() if k != "item_json"} for c in page.children],
        })  # fmt: skip
        return EXIT_OK
    print(f"#{node.id} {' / '.join(name for name, _ in page.breadcrumbs)}  "
          f"[{node.provider_name} {node.root}] {page.total} items, page {page.page}")  # fmt: skip
    for child in page.children:
        mark = "/" if child.is_folder else ""
        print(f"  {_duration(child.duration):>8}  {child.title}{mark}")
    if page.has_more:
        print(f"  … more: syncdeck playlist show {node.id} --path {page.sub_path or '/'!r} --page {page.page + 1}")
    return EXIT_OK


async def _rename(engine: Engine, args: argparse.Namespace) -> int:
    if args.entry:
        await engine.playlists.rename_entry(args.id, args.name)
        view: Any = await engine.playlists.entry(args.id)
        text = f"entry #{view.id} is now {view.title}"
    else:
        await engine.playlists.rename(args.id, args.name)
        view = await engine.playlists.node(args.id)
        text = f"#{view.id} is now {view.name}"
    if args.json:
        print_json(asdict(view))
    else:
        print(text)
    return EXIT_OK


async def _move(engine: Engine, args: argparse.Namespace) -> int:
    book = engine.playlists
    top = args.to.strip().lower() == "top"
    if not top and not args.to.strip().isdigit():
        print(f"syncdeck: --to takes a playlist id or 'top', not {args.to!r}", file=sys.stderr)
        return EXIT_USAGE
    target = None if top else int(args.to)
    if args.entry:
        if target is None:
            print("syncdeck: entries go into a playlist: give --to ID", file=sys.stderr)
            return EXIT_USAGE
        await book.move_entries(args.ids, target, args.index)
        moved: list[Any] = await book.entries_by_ids(args.ids)
        text = f"{len(moved)} entries moved to playlist {target}"
    else:
        for n, node_id in enumerate(args.ids):  # in the order given
            await book.move(node_id, target, None if args.index is None else args.index + n)
        moved = [await book.node(node_id) for node_id in args.ids]
        text = f"{len(moved)} moved {'to the top' if target is None else f'into #{target}'}"
    if args.json:
        print_json([asdict(v) for v in moved])
    else:
        print(text)
    return EXIT_OK


async def _remove(engine: Engine, args: argparse.Namespace) -> int:
    book = engine.playlists
    if args.entry:
        removed = await book.remove_entries(args.ids)
        if removed < len(set(args.ids)):
            missing = len(set(args.ids)) - removed
            print(f"syncdeck: {missing} of the entries did not exist", file=sys.stderr)
            if args.json:
                print_json({"removed": removed})
            return EXIT_USAGE
    else:
        for node_id in args.ids:
            await book.node(node_id)  # every id is checked before anything goes
        for node_id in args.ids:
            with contextlib.suppress(PlaylistNotFound):  # inside one removed before it
                await book.remove(node_id)
        removed = len(set(args.ids))
    if args.json:
        print_json({"removed": removed})
    else:
        print(f"{removed} {'entries' if args.entry else 'playlists'} removed")
    return EXIT_OK


COMMANDS = {"playlist": cmd_playlist}
