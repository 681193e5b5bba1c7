"""`python -m tests.fakes.bilibili --port 0 --media-dir DIR`: run the fake Bilibili.

Prints `READY http://127.0.0.1:PORT` on stdout once it listens, and nothing else there.
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

from tests.fakes.bilibili.app import create_app
from tests.fakes.bilibili.media import ensure_media


def _exit_when_stdin_closes() -> None:
    """Die with the parent: it holds our stdin open and closes it only by exiting."""
    sys.stdin.buffer.read()
    os._exit(0)


async def _serve(server: uvicorn.Server, listener: socket.socket, base_url: str) -> None:
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    while not server.started and not serving.done():
        await asyncio.sleep(0.01)
    if server.started:
        print(f"READY {base_url}", flush=True)
    await serving


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fakes.bilibili", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--media-dir", type=Path, required=True, help="where generated media is cached")
    parser.add_argument("--exit-on-stdin-eof", action="store_true", help="stop when stdin is closed")
    args = parser.parse_args(argv)

    media = ensure_media(args.media_dir)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    base_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    config = uvicorn.Config(
        create_app(base_url, media),
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=1,
    )
    if args.exit_on_stdin_eof:
        threading.Thread(target=_exit_when_stdin_closes, daemon=True).start()
    asyncio.run(_serve(uvicorn.Server(config), listener, base_url))


if __name__ == "__main__":
    main()
