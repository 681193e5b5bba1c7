"""`syncdeck` on the command line: the same engine as the window, for servers and scripts.

One module per command group (accounts, sources, tasks, sync, settings…) registers its
parsers and its handlers, each typed against the engine's facade.

Exit codes: 0 all done, 1 some items failed (or login expired, or the library cannot be
written), 2 usage or config error, 3 stopped by risk control, 4 busy (another round, or
another engine, already runs for this data folder), 130 stopped by Ctrl+C, 141 the output
was closed early (`| head`), 143 stopped by SIGTERM.

While the window or `syncdeck daemon` runs, commands that change something are handed to it
(core/cli/remote.py); listings read the database directly (core/cli/quick.py).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.cli import (
    accounts,
    db,
    llm,
    notes,
    notify,
    playback,
    playlists,
    quick,
    remote,
    servers,
    settings,
    sources,
    sync,
    tasks,
    torrents,
)
from core.cli.output import EXIT_BROKEN_PIPE, EXIT_BUSY, EXIT_FAILED, EXIT_OK, EXIT_USAGE
from core.config import Config, load_config
from core.errors import ConfigError, LinkError, SyncDeckError

if TYPE_CHECKING:
    from core.engine.engine import Engine

Handler = Callable[["Engine", argparse.Namespace], Coroutine[Any, Any, int]]
GROUPS = (accounts, sources, sync, tasks, notify, servers, playback, playlists, torrents, llm, notes)
COMMANDS: dict[str, Handler] = {name: handler for group in GROUPS for name, handler in group.COMMANDS.items()}
# Listings answered straight from the database, without the engine (core/cli/quick.py).
QUICK: dict[tuple[str, str | None], quick.QuickHandler] = {
    key: handler for group in GROUPS for key, handler in getattr(group, "QUICK", {}).items()
}


_data_dir: Path | None = None  # where an unexpected error's traceback is logged


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.format_usage()}{self.prog}: {message}")


class VersionAction(argparse.Action):
    """`--version`: the installed package's version, looked up only when asked for."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("syncdeck")
        except PackageNotFoundError:
            number = "(unknown: not installed as a package)"
        print(f"syncdeck {number}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="syncdeck",
        description="Keep local copies of the videos you follow.",
        epilog="With no command, syncdeck opens its window (add --minimized to start in the tray). "
        "Exit codes: 0 all done, 1 some items failed, 2 usage or config error, 3 stopped by risk control, "
        "4 busy: another round or engine runs for this data folder.",
    )
    p.add_argument("--version", action=VersionAction, help="print the version and exit")
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

    for group in (*GROUPS, settings, db):
        group.register(sub, command)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command; a reader that goes away early (`syncdeck task list | head`) ends it
    quietly with 141, as SIGPIPE ends other command-line tools, instead of a traceback."""
    try:
        try:
            code = _main(argv)
        except (BrokenPipeError, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug: one paragraph for the user, the traceback for the log file
            return _unexpected(exc)
        if sys.stdout is not None:  # a windowed build has no stdout
            sys.stdout.flush()  # here, not at exit, where a closed pipe can no longer be caught
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Python flushes stdout once more at exit: point it at nowhere so that is silent too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_BROKEN_PIPE


def _main(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    try:
        config = load_config(args.config, data_dir=args.data_dir, overrides=settings.pairs(args.set))
    except ConfigError as exc:
        print(f"syncdeck: {exc}", file=sys.stderr)
        return EXIT_USAGE
    global _data_dir
    _data_dir = config.data_dir
    if args.command is None:
        build_parser().print_help()
        return EXIT_OK
    if args.command == "config":
        return settings.config_command(args, config)
    owner = remote.find_owner(config.data_dir)
    if args.command == "db":  # works when the engine refuses to start on a damaged database
        if owner and args.action == "restore":
            print(f"syncdeck: {remote.DataDirBusy(owner)}", file=sys.stderr)
            return EXIT_BUSY
        from core.cli.logsetup import setup_logging

        setup_logging(config.data_dir, args.verbose)
        return db.db_command(args, config)
    quick_handler = QUICK.get((args.command, getattr(args, "action", None)))
    if quick_handler is not None:
        return _run_quick(config, args, quick_handler)  # reading is safe beside a running engine
    if owner and args.command not in remote.LOCAL_ONLY:
        if args.set:
            print("syncdeck: --set is not applied to the running SyncDeck; it keeps its own settings", file=sys.stderr)
        code = remote.forward(owner, _self_contained(argv, args))
        if code is not None:
            return code

    import asyncio

    from core.cli.logsetup import setup_logging

    setup_logging(config.data_dir, args.verbose)
    try:
        return asyncio.run(_with_engine(config, lambda engine: dispatch(engine, args)))
    except SyncDeckError as exc:  # the engine could not start (a damaged database…)
        return _report(exc)
    except KeyboardInterrupt:
        return 130


def _unexpected(exc: Exception) -> int:
    import logging
    import logging.handlers

    from core.cli.logsetup import FILE_ONLY, setup_logging

    files = [h for h in logging.getLogger().handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
    to_file = any(_data_dir and Path(h.baseFilename).is_relative_to(_data_dir) for h in files)
    if not to_file and _data_dir is not None:  # the quick listings set up no logging of their own
        setup_logging(_data_dir, console=False)
    logging.getLogger(__name__).error("unexpected error", exc_info=exc, extra={FILE_ONLY: True})
    print(f"syncdeck: something went wrong that SyncDeck did not expect ({type(exc).__name__}: {exc}). "
          "Nothing was lost; the details are in the log file (logs/syncdeck.log in the data folder). "
          "Please report it with that file.", file=sys.stderr)  # fmt: skip
    return EXIT_FAILED


async def dispatch(engine: Engine, args: argparse.Namespace) -> int:
    """Run one parsed command against `engine`; errors become a message and an exit code."""
    try:
        return await COMMANDS[args.command](engine, args)
    except SyncDeckError as exc:
        return _report(exc)


def _report(exc: SyncDeckError) -> int:
    print(f"syncdeck: {exc}", file=sys.stderr)
    return EXIT_USAGE if isinstance(exc, (ConfigError, LinkError)) else EXIT_FAILED


async def run_for_client(engine: Engine, argv: list[str]) -> int:
    """A command line handed over by another `syncdeck` process, run in this process's engine."""
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:
        return int(exc.code or 0)
    local = args.command in remote.LOCAL_ONLY or (args.command, getattr(args, "action", None)) in QUICK
    if local or args.command not in COMMANDS:
        print(f"syncdeck: {args.command} cannot be handed to a running SyncDeck", file=sys.stderr)
        return EXIT_USAGE
    return await dispatch(engine, args)


def _self_contained(argv: list[str], args: argparse.Namespace) -> list[str]:
    """`argv` with what only this process can read (a cookie on stdin, a password, a relative path) filled in."""
    argv = servers.self_contained(argv, args)
    if args.command in ("parse", "play"):
        given = getattr(args, "link", None) or getattr(args, "target", None)
        if given and not given.isdigit() and "://" not in given and os.path.exists(given):
            return [os.path.abspath(given) if a == given else a for a in argv]
    if args.command == "llm":
        return llm.self_contained(argv, args)
    if args.command == "notes":
        return notes.self_contained(argv, args)
    if getattr(args, "cookie", None) != "-":
        return argv
    out = [a for a in argv if a not in ("--cookie", "-", "--cookie=-")]
    return [*out, f"--cookie={sys.stdin.read()}"]


def _run_quick(config: Config, args: argparse.Namespace, handler: quick.QuickHandler) -> int:
    try:
        return quick.run(config, args, handler)
    except SyncDeckError as exc:
        return _report(exc)
    except KeyboardInterrupt:
        return 130


async def _with_engine(config: Config, body: Callable[[Engine], Coroutine[Any, Any, int]]) -> int:
    from core.engine.engine import Engine

    engine = Engine(config)
    try:
        return await body(engine)
    finally:
        await engine.close()


if __name__ == "__main__":
    sys.exit(main())
