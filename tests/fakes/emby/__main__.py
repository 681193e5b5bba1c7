"""`python -m tests.fakes.emby --flavour jellyfin-12 --media-dir DIR [--port N] [--base-path /jellyfin]`.

Prints `READY http://127.0.0.1:PORT` once it listens, then serves until stdin closes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tests.fakes.emby import FLAVOURS, FakeMediaServer, ensure_media


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fakes.emby", description=__doc__)
    parser.add_argument("--flavour", choices=sorted(FLAVOURS), default="jellyfin-10.11")
    parser.add_argument("--media-dir", type=Path, required=True)
    parser.add_argument("--base-path", default="")
    args = parser.parse_args()
    with FakeMediaServer(ensure_media(args.media_dir), args.flavour, args.base_path) as server:
        print(f"READY {server.url}", flush=True)
        sys.stdin.buffer.read()


if __name__ == "__main__":
    main()
