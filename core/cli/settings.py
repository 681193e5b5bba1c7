"""`syncdeck config`: settings, read and written without starting the engine."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from core.cli.output import EXIT_OK, EXIT_USAGE, print_json
from core.config import SETTINGS, Config, save_config
from core.errors import ConfigError


def register(sub: Any, command: Any) -> None:
    cfg = command(sub, "config", help="settings").add_subparsers(dest="action", required=True)
    command(cfg, "show").add_argument("--json", action="store_true")
    command(cfg, "set").add_argument("pairs", nargs="+", metavar="KEY=VALUE")
    command(cfg, "path")


def pairs(items: list[str]) -> dict[str, str]:
    found = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"expected KEY=VALUE, got {item!r}")
        found[key.strip()] = value
    return found


def config_command(args: argparse.Namespace, config: Config) -> int:
    if args.action == "path":
        print(config.path)
        return EXIT_OK
    if args.action == "set":
        try:
            save_config(config.path, pairs(args.pairs))
        except ConfigError as exc:
            print(f"syncdeck: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"saved to {config.path}")
        return EXIT_OK
    # Folders as they will be used: empty means a default, a relative people folder lies in the library.
    folders = {"library.root": str(config.library_root), "library.people_dir": str(config.people_dir)}
    if args.json:
        shown: dict[str, dict[str, Any]] = {}
        for s in SETTINGS:
            shown[s.key] = {"value": config.values[s.key], "from": config.origins[s.key]}
            if s.key in folders:
                shown[s.key]["resolved"] = folders[s.key]
        print_json(shown)
        return EXIT_OK
    for s in SETTINGS:
        resolved = f" → {folders[s.key]}" if s.key in folders else ""
        print(f"{s.key} = {config.values[s.key]!r}{resolved}  [{config.origins[s.key]}]  {s.doc}")
    return EXIT_OK
