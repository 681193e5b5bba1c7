"""`python -m tests.fakes.alist --port 0 --media-dir DIR`: run the fake Alist.

Prints `READY http://127.0.0.1:PORT` on stdout once it listens.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sys
import threading
from pathlib import Path

import uvicorn

from tests.fakes.alist.app import create_app
from tests.fakes.alist.media import ensure_media


def _exit_when_stdin_closes() -> None:
    sys.stdin.buffer.read()
    os._exit(0)


async def _serve(server: uvicorn.Server, listener: socket.socket, base_url: str) -> None:
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    while not server.started and not serving.done():
        await asyncio.sleep(0.01)
    if server.started:
        print(f"READY {base_url}", flush=True)
    await serving


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fakes.alist")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--media-dir", type=Path, required=True)
    args = parser.parse_args()
    media = ensure_media(args.media_dir)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    base_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    config = uvicorn.Config(create_app(base_url, media), log_level="warning", access_log=False, lifespan="off",
                            timeout_graceful_shutdown=1)  # fmt: skip
    threading.Thread(target=_exit_when_stdin_closes, daemon=True).start()
    asyncio.run(_serve(uvicorn.Server(config), listener, base_url))


if __name__ == "__main__":
    main()
