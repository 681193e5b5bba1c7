"""`syncdeck llm …`: LLM provider accounts, their keys and models, health checks, gateway export.

syncdeck llm add openai|gemini --name NAME [--base-url URL] [--rpm N] [--tpm N]   keys on stdin, one a line
syncdeck llm list [--json]                 syncdeck llm remove NAME
syncdeck llm keys NAME [--json] [--replace] [--reset]      (--replace: new keys on stdin)
syncdeck llm models NAME [--refresh] [--json]
syncdeck llm model NAME MODEL [--enable|--disable] [--alias ALIAS] [--price-in X] [--price-out Y]
                                             (prices per million tokens: notes then show their cost)
syncdeck llm rules NAME [--rename REGEX=REPLACEMENT]… [--allow REGEX]… [--block REGEX]… [--clear]
syncdeck llm check NAME [--model M] [--json]            exit 1 when a model failed
syncdeck llm history NAME [--model M] [--json]
syncdeck llm export uni-api|litellm [-o FILE] [--include-keys] [--account NAME]…
syncdeck llm export gpt-load --url URL [--apply] [--account NAME]…   admin key: GPT_LOAD_AUTH_KEY or stdin
syncdeck llm hooks                          what the hooks folder and entry points loaded
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.cli.output import EXIT_FAILED, EXIT_OK, EXIT_USAGE, print_json, when
from core.errors import ConfigError

if TYPE_CHECKING:
    from core.engine.engine import Engine
    from core.engine.llm.views import HealthView, LlmAccountView, ModelView

ADMIN_KEY_VARIABLE = "GPT_LOAD_AUTH_KEY"


def register(sub: Any, command: Callable[..., argparse.ArgumentParser]) -> None:
    llm = command(sub, "llm", help="LLM provider accounts (OpenAI-compatible, Gemini) and gateway export")
    actions = llm.add_subparsers(dest="action", required=True)
    add = command(actions, "add", help="add an account; its API keys come on stdin, one a line")
    add.add_argument("kind", choices=("openai", "gemini"), help="openai = any OpenAI-compatible server")
    add.add_argument("--name", required=True)
    add.add_argument("--base-url", default="", help="e.g. https://api.deepseek.com/v1 (Gemini: optional)")
    add.add_argument("--rpm", type=int, default=0, help="requests per minute to stay under (0 = no limit)")
    add.add_argument("--tpm", type=int, default=0, help="tokens per minute to stay under (0 = no limit)")
    add.add_argument("--keys-text", default=None, help=argparse.SUPPRESS)
    listing = command(actions, "list", help="accounts, their keys and models")
    listing.add_argument("--json", action="store_true")
    remove = command(actions, "remove", help="remove an account and its keys from the keyring")
    remove.add_argument("name")
    keys = command(actions, "keys", help="the account's keys (masked) and whether each can be used")
    keys.add_argument("name")
    keys.add_argument("--json", action="store_true")
    keys.add_argument("--replace", action="store_true", help="replace the keys with those on stdin")
    keys.add_argument("--reset", action="store_true", help="forget which keys were spent or refused")
    keys.add_argument("--keys-text", default=None, help=argparse.SUPPRESS)
    models = command(actions, "models", help="the account's models (cached; --refresh asks the provider)")
    models.add_argument("name")
    models.add_argument("--refresh", action="store_true")
    models.add_argument("--json", action="store_true")
    model = command(actions, "model", help="tick or untick a model, give it an alias or its prices")
    model.add_argument("name")
    model.add_argument("model")
    switch = model.add_mutually_exclusive_group()
    switch.add_argument("--enable", action="store_true")
    switch.add_argument("--disable", action="store_true")
    model.add_argument("--alias", default=None, help='the name gateways and notes use ("" removes it)')
    model.add_argument("--price-in", type=float, default=None, metavar="PRICE",
                       help="price per million prompt tokens, in your currency (0 = none)")  # fmt: skip
    model.add_argument("--price-out", type=float, default=None, metavar="PRICE",
                       help="price per million completion tokens (0 = none)")  # fmt: skip
    rules = command(actions, "rules", help="rename models by regex, allow or block them")
    rules.add_argument("name")
    rules.add_argument("--rename", action="append", default=[], metavar="REGEX=REPLACEMENT")
    rules.add_argument("--allow", action="append", default=[], metavar="REGEX")
    rules.add_argument("--block", action="append", default=[], metavar="REGEX")
    rules.add_argument("--clear", action="store_true", help="start from no rules")
    check = command(actions, "check", help="a tiny request to each enabled model: ok, latency")
    check.add_argument("name")
    check.add_argument("--model")
    check.add_argument("--json", action="store_true")
    history = command(actions, "history", help="earlier health checks, newest first")
    history.add_argument("name")
    history.add_argument("--model")
    history.add_argument("--json", action="store_true")
    export = command(actions, "export", help="gateway configuration: uni-api, LiteLLM, gpt-load")
    export.add_argument("target", choices=("uni-api", "litellm", "gpt-load"))
    export.add_argument("-o", "--output", help="file to write (backed up, checked, restored on failure)")
    export.add_argument("--include-keys", action="store_true",
                        help="write the keys themselves (default: environment-variable references)")  # fmt: skip
    export.add_argument("--account", action="append", default=[], help="only this account (repeatable)")
    export.add_argument("--url", help="gpt-load's address, e.g. http://127.0.0.1:3001")
    export.add_argument("--apply", action="store_true", help="gpt-load: carry out the plan")
    export.add_argument("--admin-key-text", default=None, help=argparse.SUPPRESS)
    command(actions, "hooks", help="hooks loaded from entry points and the plugins folder")


def _read_stdin_keys() -> str:
    if sys.stdin is None:
        return ""
    if sys.stdin.isatty():
        lines = []
        while True:
            key = getpass.getpass("API key (not shown; an empty line ends): ")
            if not key.strip():
                return "\n".join(lines)
            lines.append(key.strip())
    return sys.stdin.read()


def self_contained(argv: list[str], args: argparse.Namespace) -> list[str]:
    """`argv` with the keys this process reads (stdin, environment) filled in, for a running engine."""
    if (args.action == "add" or (args.action == "keys" and args.replace)) and args.keys_text is None:
        return [*argv, f"--keys-text={_read_stdin_keys()}"]
    if args.action == "export" and args.target == "gpt-load" and args.admin_key_text is None:
        key = _admin_key(args)
        if key:
            return [*argv, f"--admin-key-text={key}"]
    return argv


def _admin_key(args: argparse.Namespace) -> str:
    if args.admin_key_text is not None:
        return str(args.admin_key_text).strip()
    if os.environ.get(ADMIN_KEY_VARIABLE):
        return os.environ[ADMIN_KEY_VARIABLE].strip()
    if args.apply and sys.stdin is not None and not sys.stdin.isatty():
        return sys.stdin.readline().strip()
    return ""


async def cmd_llm(engine: Engine, args: argparse.Namespace) -> int:
    handler = {
        "add": _add, "list": _list, "remove": _remove, "keys": _keys, "models": _models, "model": _model,
        "rules": _rules, "check": _check, "history": _history, "export": _export, "hooks": _hooks,
    }[args.action]  # fmt: skip
    return await handler(engine, args)


async def _add(engine: Engine, args: argparse.Namespace) -> int:
    text = args.keys_text if args.keys_text is not None else _read_stdin_keys()
    keys = text.splitlines()  # none: the engine looks for SYNCDECK_LLM_<NAME>_KEY in the environment
    view = await engine.llm.add_account(args.kind, args.name, keys, base_url=args.base_url, rpm=args.rpm, tpm=args.tpm)
    where = "in the keyring" if any(k.strip() for k in keys) else "from the environment, not saved"
    print(f"LLM account {view.name} added ({view.kind}, {view.keys} key(s) {where})")
    print(f"next: syncdeck llm models {view.name} --refresh")
    return EXIT_OK


def _account_json(a: LlmAccountView) -> dict[str, Any]:
    return {
        "id": a.id, "name": a.name, "kind": a.kind, "base_url": a.base_url, "keys": a.keys,
        "usable_keys": a.usable_keys, "rpm": a.rpm, "tpm": a.tpm, "models": a.models,
        "enabled_models": a.enabled_models, "models_fetched_at": a.models_fetched_at, "rules": a.rules,
        "last_error": a.last_error, "can_transcribe": a.can_transcribe, "can_watch_video": a.can_watch_video,
    }  # fmt: skip


async def _list(engine: Engine, args: argparse.Namespace) -> int:
    accounts = await engine.llm.accounts()
    if args.json:
        print_json([_account_json(a) for a in accounts])
        return EXIT_OK
    if not accounts:
        print("no LLM account yet: syncdeck llm add openai|gemini --name NAME [--base-url URL] < keys.txt")
        return EXIT_OK
    for a in accounts:
        limits = f" · {a.rpm} rpm" if a.rpm else ""
        limits += f" · {a.tpm} tpm" if a.tpm else ""
        print(f"{a.name:<16} {a.kind:<7} {a.usable_keys}/{a.keys} keys · {a.enabled_models}/{a.models} models"
              f"{limits} · {a.base_url or 'default URL'}")  # fmt: skip
        if a.last_error:
            print(f"{'':<16} last error: {a.last_error}")
    return EXIT_OK


async def _remove(engine: Engine, args: argparse.Namespace) -> int:
    await engine.llm.remove_account(args.name)
    print(f"LLM account {args.name} removed, with its keys")
    return EXIT_OK


async def _keys(engine: Engine, args: argparse.Namespace) -> int:
    if args.replace:
        text = args.keys_text if args.keys_text is not None else _read_stdin_keys()
        view = await engine.llm.set_keys(args.name, text.splitlines())
        print(f"{view.name}: {view.keys} key(s) in the keyring")
    if args.reset:
        await engine.llm.reset_keys(args.name)
        print(f"{args.name}: every key is usable again")
    keys = await engine.llm.keys(args.name)
    if args.json:
        print_json([{"index": k.index, "masked": k.masked, "fingerprint": k.fingerprint, "state": k.state,
                     "usable_at": k.usable_at, "last_error": k.last_error} for k in keys])  # fmt: skip
        return EXIT_OK
    for k in keys:
        extra = f" until {when(k.usable_at)}" if k.usable_at else ""
        print(f"{k.index:>2}. {k.masked:<12} {k.state}{extra}" + (f" — {k.last_error}" if k.last_error else ""))
    return EXIT_OK


def _model_json(m: ModelView) -> dict[str, Any]:
    return {
        "upstream": m.upstream, "name": m.name, "alias": m.alias, "kind": m.kind, "enabled": m.enabled,
        "auto_disabled": m.auto_disabled, "disabled_reason": m.disabled_reason, "listed": m.listed,
        "last_ok": m.last_ok, "last_latency_ms": m.last_latency_ms, "last_checked_at": m.last_checked_at,
        "price_in": m.price_in, "price_out": m.price_out,
    }  # fmt: skip


async def _models(engine: Engine, args: argparse.Namespace) -> int:
    models = await engine.llm.models(args.name, refresh=args.refresh)
    if args.json:
        print_json([_model_json(m) for m in models])
        return EXIT_OK
    if not models:
        print(f"no model known yet: syncdeck llm models {args.name} --refresh")
    for m in models:
        mark = "x" if m.usable else ("!" if m.auto_disabled else " ")
        shown = m.exported_name + (f"  ← {m.upstream}" if m.exported_name != m.upstream else "")
        health = "" if m.last_ok is None else (f"  ok {m.last_latency_ms} ms" if m.last_ok else "  FAILED")
        gone = "" if m.listed else "  (no longer listed)"
        print(f"[{mark}] {shown:<50} {m.kind}{health}{_prices(m)}{gone}")
    return EXIT_OK


def _prices(m: ModelView) -> str:
    if not m.price_in and not m.price_out:
        return ""
    return f"  {m.price_in:g} in / {m.price_out:g} out per 1M tokens"


async def _model(engine: Engine, args: argparse.Namespace) -> int:
    enabled = True if args.enable else (False if args.disable else None)
    if enabled is None and args.alias is None and args.price_in is None and args.price_out is None:
        print("syncdeck: say --enable, --disable, --alias, --price-in or --price-out", file=sys.stderr)
        return EXIT_USAGE
    m = await engine.llm.set_model(args.name, args.model, enabled=enabled, alias=args.alias, price_in=args.price_in,
                                   price_out=args.price_out)  # fmt: skip
    print(f"{m.upstream}: {'enabled' if m.enabled else 'disabled'}" + (f", alias {m.alias}" if m.alias else "")
          + (f",{_prices(m)}" if _prices(m) else ""))  # fmt: skip
    return EXIT_OK


async def _rules(engine: Engine, args: argparse.Namespace) -> int:
    current = {} if args.clear else (await engine.llm.account(args.name)).rules
    rename = [list(r) for r in current.get("rename", [])]
    for pair in args.rename:
        pattern, sep, replacement = pair.partition("=")
        if not sep or not pattern:
            raise ConfigError(f"--rename takes REGEX=REPLACEMENT, got {pair!r}")
        rename.append([pattern, replacement])
    rules = {"rename": rename, "allow": list(current.get("allow", [])) + args.allow,
             "block": list(current.get("block", [])) + args.block}  # fmt: skip
    view = await engine.llm.update_account(args.name, rules=rules)
    print_json(view.rules)
    return EXIT_OK


def _health_json(h: HealthView) -> dict[str, Any]:
    return {"model": h.model, "ok": h.ok, "latency_ms": h.latency_ms, "at": h.at, "error": h.error}


async def _check(engine: Engine, args: argparse.Namespace) -> int:
    results = await engine.llm.check(args.name, args.model)
    if args.json:
        print_json([_health_json(h) for h in results])
    else:
        for h in results:
            print(f"{h.model:<40} " + (f"ok {h.latency_ms} ms" if h.ok else f"FAILED — {h.error}"))
    return EXIT_OK if all(h.ok for h in results) else EXIT_FAILED


async def _history(engine: Engine, args: argparse.Namespace) -> int:
    results = await engine.llm.health_history(args.name, args.model)
    if args.json:
        print_json([_health_json(h) for h in results])
        return EXIT_OK
    for h in results:
        print(f"{when(h.at)}  {h.model:<40} " + (f"ok {h.latency_ms} ms" if h.ok else f"FAILED — {h.error}"))
    return EXIT_OK


async def _export(engine: Engine, args: argparse.Namespace) -> int:
    if args.target == "gpt-load":
        if not args.url:
            print("syncdeck: gpt-load needs --url (its address, e.g. http://127.0.0.1:3001)", file=sys.stderr)
            return EXIT_USAGE
        result = await engine.llm.export_gpt_load(args.url, _admin_key(args), apply=args.apply,
                                                  accounts=args.account or None)  # fmt: skip
        if result.applied:
            for step in result.steps:
                print(step)
            print(f"gpt-load at {args.url} now serves {len(args.account) or 'every'} account(s)")
        else:
            print(result.text)
        return EXIT_OK
    if args.url or args.apply:
        print("syncdeck: --url and --apply are for gpt-load", file=sys.stderr)
        return EXIT_USAGE
    path = Path(args.output) if args.output else None
    result = await engine.llm.export(args.target, path=path, include_keys=args.include_keys,
                                     accounts=args.account or None)  # fmt: skip
    if path is None:
        sys.stdout.write(result.text)
    else:
        print(f"{args.target} configuration written to {result.path}"
              + (f" (the previous file is in {result.backup})" if result.backup else ""))  # fmt: skip
        if not args.include_keys:
            print("keys are environment-variable references (SYNCDECK_LLM_<ACCOUNT>_KEY…); "
                  "--include-keys writes the keys themselves")  # fmt: skip
    return EXIT_OK


async def _hooks(engine: Engine, args: argparse.Namespace) -> int:
    hooks = engine.llm.hooks
    hooks.load()
    for origin in hooks.loaded_from:
        print(f"loaded: {origin}")
    for error in hooks.errors:
        print(f"FAILED: {error}")
    if not hooks.loaded_from and not hooks.errors:
        print(f"no hooks (put *.py files with register(hooks) in {engine.config.data_dir / 'plugins'})")
    return EXIT_FAILED if hooks.errors else EXIT_OK


COMMANDS = {"llm": cmd_llm}
