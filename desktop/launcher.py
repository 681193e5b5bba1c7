"""The `syncdeck` command: with no command it opens the window, otherwise it is the CLI."""

from __future__ import annotations

import sys
from collections.abc import Sequence

GUI_FLAGS = {"--minimized", "--selftest"}
VALUE_OPTIONS = {"--config", "--data-dir", "--set"}  # the global options that take a value
VERBOSE = {"-v", "-vv", "-vvv", "--verbose"}
LINK_SCHEME = "syncdeck://"  # registered for the app (packaging/linux: x-scheme-handler/syncdeck)
# `syncdeck://play?path=…&t=SECONDS` links this launch was opened with (a timestamp clicked in
# a note); the window reads them once it runs.
opened_links: list[str] = []


def take_links(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """`argv` without its `syncdeck://` links, and those links (what a desktop passes on a click)."""
    rest = [a for a in argv if not a.lower().startswith(LINK_SCHEME)]
    return rest, [a for a in argv if a.lower().startswith(LINK_SCHEME)]


def wants_gui(argv: Sequence[str]) -> bool:
    """No command (only global options and window flags) means the window.

    Read by hand, not with the command line's parser: importing every command group costs
    the window's first paint tens of milliseconds. Anything unexpected goes to the CLI,
    which explains it.
    """
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg in VALUE_OPTIONS:
            if not args:
                return False  # a value is missing: the command line says so
            args.pop(0)
        elif arg.partition("=")[0] not in VALUE_OPTIONS and arg not in GUI_FLAGS | VERBOSE:
            return False
    return True


def opened_torrent(argv: Sequence[str]) -> str | None:
    """A magnet link or .torrent file the system handed over (`syncdeck %U` from a browser or
    a file manager), or None."""
    if not argv:
        return None
    last = argv[-1]
    if not wants_gui(argv[:-1]):
        return None
    if last.lower().startswith("file://") and last.lower().endswith(".torrent"):
        from urllib.parse import unquote, urlsplit

        return unquote(urlsplit(last).path)
    if last.lower().startswith("magnet:?") or (last.lower().endswith(".torrent") and not last.startswith("-")):
        return last
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args, links = take_links(sys.argv[1:] if argv is None else argv)
    opened_links[:] = links
    if (torrent := opened_torrent(args)) is not None:
        # Recorded (or handed to the running window, which downloads it), then the window opens
        # (or the running one comes to the front); a bad file or link is said and nothing opens.
        from core.cli.main import main as cli_main

        code = cli_main([*args[:-1], "torrent", "add", torrent, "--no-wait"])
        if code != 0:
            return code
        args = args[:-1]
    if wants_gui(args):
        try:
            from desktop.app import main as gui_main
        except ImportError as exc:  # installed without the desktop extra
            print(f"syncdeck: the desktop window is not installed ({exc}); see `syncdeck --help`", file=sys.stderr)
            return 2
        return gui_main(args)
    from core.cli.main import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
