"""`syncdeck` on the command line: the same engine as the window, for servers and scripts.

One module per command group (accounts, sources, tasks, sync, settings…) registers its
parsers and its handlers, each typed against the engine's facade.

Exit codes: 0 all done, 1 some items failed (or login expired, or the library cannot be
written), 2 usage or config error, 3 stopped by risk control, 4 busy (another round is
running), 130 stopped by Ctrl+C, 141 the output was closed early (`| head`), 143 stopped by
SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from core.cli import accounts, notify, settings, sources, sync, tasks
from core.cli.output import EXIT_BROKEN_PIPE, EXIT_FAILED, EXIT_OK, EXIT_USAGE
from core.config import Config, load_config
from core.errors import ConfigError, LinkError, SecretStoreError, SyncDeckError

if TYPE_CHECKING:
    from core.engine.engine import Engine

Handler = Callable[["Engine", argparse.Namespace], Coroutine[Any, Any, int]]
GROUPS = (accounts, sources, sync, tasks, notify)
COMMANDS: dict[str, Handler] = {name: handler for group in GROUPS for name, handler in group.COMMANDS.items()}


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.format_usage()}{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="syncdeck", description="Keep local copies of the videos you follow.",
        epilog="Exit codes: 0 all done, 1 some items failed, 2 usage or config error, 3 stopped by risk "
        "control, 4 busy: another round is running.",
    )  # fmt: skip
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

    for group in (*GROUPS, settings):
        group.register(sub, command)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command; a reader that goes away early (`syncdeck task list | head`) ends it
    quietly with 141, as SIGPIPE ends other command-line tools, instead of a traceback."""
    try:
        code = _main(argv)
        if sys.stdout is not None:  # a windowed build has no stdout
            sys.stdout.flush()  # here, not at exit, where a closed pipe can no longer be caught
        return code
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
    if args.command is None:
        build_parser().print_help()
        return EXIT_OK
    if args.command == "config":
        return settings.config_command(args, config)

    from core.cli.logsetup import setup_logging

    setup_logging(config.data_dir, args.verbose)
    handler = COMMANDS[args.command]
    try:
        return asyncio.run(_with_engine(config, lambda engine: handler(engine, args)))
    except (ConfigError, LinkError) as exc:
        print(f"syncdeck: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (SecretStoreError, SyncDeckError) as exc:
        print(f"syncdeck: {exc}", file=sys.stderr)
        return EXIT_FAILED
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
