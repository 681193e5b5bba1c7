"""`syncdeck browse` and `syncdeck search` on media server accounts (Alist, OpenList, Emby,
Jellyfin), and the password half of `syncdeck login SERVICE URL --user NAME`."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, Any

from core.cli.output import EXIT_OK, human_bytes, print_json
from core.errors import ConfigError, FolderPasswordError

if TYPE_CHECKING:
    from core.engine.engine import Engine
    from core.engine.servers.views import BrowsePage, ServerEntry


def register(sub: Any, command: Any) -> None:
    br = command(sub, "browse", help="list a folder of a media server account (Alist, OpenList, Emby, Jellyfin)")
    br.add_argument("account", help="the account's id or name (see `syncdeck account list`), or ACCOUNT:PATH")
    br.add_argument("path", nargs="?", default=None, help="the folder (default: the top)")
    br.add_argument("--page", type=int, default=1)
    br.add_argument("--per-page", type=int, default=200)
    br.add_argument("--folder-password", help="the password of a locked folder ('-' reads it from stdin)")
    br.add_argument("--json", action="store_true")
    se = command(sub, "search", help="search a media server account for videos")
    se.add_argument("account", help="the account's id or name")
    se.add_argument("query")
    se.add_argument("--json", action="store_true")


def read_password(prompt: str) -> str:
    """From a prompt on a terminal; else the first line of stdin."""
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


def self_contained(argv: list[str], args: argparse.Namespace) -> list[str]:
    """A command handed to a running SyncDeck cannot read this terminal: ask here first."""
    if args.command == "login" and getattr(args, "url", None) and args.user and args.password is None:
        return [*argv, f"--password={read_password(f'password for {args.user} at {args.url}: ')}"]
    if args.command == "browse" and getattr(args, "folder_password", None) == "-":
        return [a for a in argv if a not in ("--folder-password", "-")] + [f"--folder-password={read_password('')}"]
    return argv


async def password_login(engine: Engine, args: argparse.Namespace, provider: str) -> int:
    if not args.url:
        raise ConfigError(
            f"give the server's address: `syncdeck login {args.service} http://host:port --user NAME` "
            "(Bilibili: --qr or --cookie)"
        )
    user = (args.user or "").strip()
    password = args.password
    if password is None:
        password = read_password(f"password for {user} at {args.url}: ") if user else ""
    account = await engine.servers.login(provider, args.url, user, password, args.name)
    who = account.user_name or "guest"
    print(f"logged in to {account.server_url} as {who} (account {account.id}: {account.name})")
    return EXIT_OK


def _entry_json(entry: ServerEntry) -> dict[str, Any]:
    return {"key": entry.key, "ref": entry.ref, "title": entry.title, "is_folder": entry.is_folder,
            "size": entry.size, "playable": entry.playable, "item": entry.item_json}  # fmt: skip


def _print_entries(entries: Any) -> None:
    for entry in entries:
        if entry.is_folder:
            print(f"  {entry.title}/")
        else:
            mark = "  ▶" if entry.playable else ""
            print(f"  {entry.title}  ({human_bytes(entry.size)}){mark}")


async def _browse(engine: Engine, args: argparse.Namespace) -> BrowsePage:
    account, path = args.account, args.path
    if path is None and await engine.servers.claims_ref(account):  # ACCOUNT:PATH
        where = await engine.servers.resolve_ref(account)
        account, path = str(where.account_id), where.path
    try:
        return await engine.servers.browse(account, path or "", args.page, args.per_page)
    except FolderPasswordError as exc:
        password = read_password("") if args.folder_password == "-" else args.folder_password
        if password is None and sys.stdin is not None and sys.stdin.isatty():
            password = getpass.getpass(f"{exc}. Password: ")
        if not password:
            raise FolderPasswordError(f"{exc} (give it with --folder-password)", folder=exc.folder,
                                      wrong=exc.wrong) from None  # fmt: skip
        await engine.servers.unlock(account, exc.folder, password)
        return await engine.servers.browse(account, path or "", args.page, args.per_page)


async def cmd_browse(engine: Engine, args: argparse.Namespace) -> int:
    page = await _browse(engine, args)
    if args.json:
        print_json({"account_id": page.account_id, "provider": page.provider, "path": page.path,
                    "total": page.total, "page": page.page, "per_page": page.per_page, "has_more": page.has_more,
                    "entries": [_entry_json(e) for e in page.entries]})  # fmt: skip
        return EXIT_OK
    print(f"{page.account_id}:{page.path or '/'}  ({page.total} entries)")
    if not page.entries:
        print("  (empty)")
    _print_entries(page.entries)
    if page.has_more:
        print(f"page {page.page}; more with --page {page.page + 1}")
    return EXIT_OK


async def cmd_search(engine: Engine, args: argparse.Namespace) -> int:
    found = await engine.servers.search(args.account, args.query)
    if args.json:
        print_json([_entry_json(e) for e in found])
        return EXIT_OK
    if not found:
        print(f"nothing found for {args.query!r}")
    for entry in found:
        print(f"  {entry.ref}  ({human_bytes(entry.size)})")
    return EXIT_OK


COMMANDS = {"browse": cmd_browse, "search": cmd_search}
