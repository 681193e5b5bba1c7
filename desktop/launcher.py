"""The `syncdeck` command: with no command it opens the window, otherwise it is the CLI."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from core.cli.main import UsageError
from core.cli.main import build_parser as cli_parser
from core.cli.main import main as cli_main

GUI_FLAGS = {"--minimized", "--selftest"}


def wants_gui(argv: Sequence[str]) -> bool:
    """No command (only global options and window flags) means the window."""
    if {"-h", "--help", "--version"} & set(argv):
        return False
    try:
        namespace, unknown = cli_parser().parse_known_args(list(argv))
    except (UsageError, SystemExit):
        return False
    return namespace.command is None and set(unknown) <= GUI_FLAGS


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if wants_gui(args):
        try:
            from desktop.app import main as gui_main
        except ImportError as exc:  # installed without the desktop extra
            print(f"syncdeck: the desktop window is not installed ({exc}); see `syncdeck --help`", file=sys.stderr)
            return 2
        return gui_main(args)
    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
