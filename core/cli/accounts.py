"""`syncdeck login` and `syncdeck account`: logins of any provider that has one."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, Any

from core.cli import quick
from core.cli.output import EXIT_FAILED, EXIT_OK, print_json, when
from core.errors import ConfigError

QR_WORDS = {"waiting": "waiting for scan…", "scanned": "scanned — confirm on your phone…",
            "expired": "the code expired", "confirmed": "confirmed"}  # fmt: skip

if TYPE_CHECKING:
    from core.config import Config
    from core.engine.engine import Engine
    from core.store.readonly import Reader


def register(sub: Any, command: Any) -> None:
    lg = command(sub, "login", help="log in to a service")
    lg.add_argument("service", help="the provider, e.g. bilibili, alist, emby (see `syncdeck account providers`)")
    lg.add_argument("url", nargs="?", help="a media server's address (Alist, OpenList, Emby, Jellyfin)")
    lg.add_argument("--user", help="the user name on the server (Alist: none = the guest user)")
    lg.add_argument("--password", help=argparse.SUPPRESS)  # filled in when handed to a running SyncDeck
    how = lg.add_mutually_exclusive_group()
    how.add_argument("--qr", action="store_true", help="scan a QR code with the service's phone app")
    how.add_argument("--cookie", metavar="TEXT", help="cookie header or cookies.txt; '-' reads stdin")
    lg.add_argument("--name", default="", help="a name for the account")

    acc = command(sub, "account", help="logged-in accounts").add_subparsers(dest="action", required=True)
    command(acc, "list").add_argument("--json", action="store_true")
    command(acc, "remove").add_argument("id", type=int)
    command(acc, "providers", help="the services SyncDeck knows and what each can do").add_argument(
        "--json", action="store_true"
    )


def _provider(engine: Engine, name: str) -> str:
    known = [p for p in engine.providers() if "login" in p.capabilities]
    for provider in known:
        if name.lower() in (provider.name, provider.display_name.lower()):
            return provider.name
    names = ", ".join(p.name for p in known) or "none"
    raise ConfigError(f"no login for {name!r}; services with a login: {names}")


async def cmd_login(engine: Engine, args: argparse.Namespace) -> int:
    provider = _provider(engine, args.service)
    if not args.qr and args.cookie is None:
        from core.cli.servers import password_login

        return await password_login(engine, args, provider)
    if args.cookie is not None:
        text = sys.stdin.read() if args.cookie == "-" else args.cookie
        account = await engine.import_cookie(text, args.name, provider=provider)
        print(f"logged in as {account.user_name} (account {account.id})")
        return EXIT_OK
    import segno

    for _ in range(3):
        login = await engine.qr_login_start(provider)
        print("Scan this QR code with the phone app (哔哩哔哩 → 扫一扫 for Bilibili):\n")
        segno.make(login.url, error="m").terminal(compact=True)
        print(f"\nor open: {login.url}\n")
        shown = ""
        while True:
            state, account = await engine.qr_login_poll(login, args.name)
            if state != shown:
                print(QR_WORDS[state], flush=True)
                shown = state
            if state == "confirmed" and account is not None:
                print(f"logged in as {account.user_name} (account {account.id})")
                return EXIT_OK
            if state == "expired":
                break
            await asyncio.sleep(2)
        print("generating a new code…")
    print("syncdeck: login not completed", file=sys.stderr)
    return EXIT_FAILED


def _account_json(a: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "provider", "name", "user_id", "user_name", "server_url", "vip", "state", "last_check_at")
    return {k: a[k] for k in keys}


def quick_account_list(reader: Reader, config: Config, args: argparse.Namespace) -> int:
    accounts = reader.accounts()
    if args.json:
        print_json([_account_json(a) for a in accounts])
        return EXIT_OK
    if not accounts:
        print("no accounts — log in with `syncdeck login bilibili --qr` (see `syncdeck account providers`)")
    for a in accounts:
        vip = " VIP" if a["vip"] else ""
        server = f"  {a['server_url']}" if a["server_url"] else ""
        print(f"#{a['id']}  {quick.display_name(a['provider'])}  {a['name']}  (id {a['user_id']}{vip}){server}"
              f"  {a['state']}  checked {when(a['last_check_at'])}")  # fmt: skip
    from core.secrets import SecretStore  # the keyring library loads only for this line

    keyring = SecretStore().check()
    if not keyring.secure:
        print(f"keyring: {keyring.message}")
    return EXIT_OK


async def cmd_account(engine: Engine, args: argparse.Namespace) -> int:
    if args.action == "remove":
        await engine.logout(args.id)
        print(f"account {args.id} removed (its login was deleted from the keyring)")
        return EXIT_OK
    providers = engine.providers()  # (`account list` is answered without the engine: quick_account_list)
    if args.json:
        print_json([{"name": p.name, "display_name": p.display_name, "capabilities": list(p.capabilities),
                     "login_methods": list(p.login_methods)} for p in providers])  # fmt: skip
        return EXIT_OK
    for p in providers:
        logins = f"; login: {', '.join(p.login_methods)}" if p.login_methods else ""
        print(f"{p.name:<12} {p.display_name}: {', '.join(p.capabilities)}{logins}")
    return EXIT_OK


COMMANDS = {"login": cmd_login, "account": cmd_account}
QUICK = {("account", "list"): quick_account_list}
