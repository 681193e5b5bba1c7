"""Run a small Starlette fake in a subprocess on 127.0.0.1 and drive it through `/_fake/...`.

A fake module provides `create_app(base_url) -> Starlette` and ends with
`if __name__ == "__main__": serve_main(create_app)`. Tests use a `FakeProcess` subclass:
`with FakeOpenAI() as fake: fake.script(...); ...; fake.requests()`.

A subprocess rather than a thread: a Python thread next to Qt objects made the desktop tests
crash at random (cyclic GC on a non-GUI thread), and the real `syncdeck` command can reach it too.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette

REPO_ROOT = Path(__file__).resolve().parents[2]


class FakeServerError(RuntimeError):
    """The fake did not start, or refused a control request."""


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


def serve_main(create_app: Callable[[str], Starlette], argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--exit-on-stdin-eof", action="store_true", help="stop when stdin is closed")
    args = parser.parse_args(argv)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    base_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    config = uvicorn.Config(
        create_app(base_url), log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=1
    )
    if args.exit_on_stdin_eof:
        threading.Thread(target=_exit_when_stdin_closes, daemon=True).start()
    asyncio.run(_serve(uvicorn.Server(config), listener, base_url))


class FakeProcess:
    """Starts `python -m <module>` and talks to its control API."""

    module = ""

    def __init__(self, *, port: int = 0, startup_timeout: float = 30.0) -> None:
        self.port = port
        self.startup_timeout = startup_timeout
        self.base_url = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._client: httpx.Client | None = None

    def __enter__(self) -> FakeProcess:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", self.module, "--port", str(self.port), "--exit-on-stdin-eof"],
            cwd=REPO_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        started = threading.Event()
        threading.Thread(target=self._drain, args=(started,), daemon=True).start()
        started.wait(self.startup_timeout)
        if not self.base_url:
            self.stop()
            raise FakeServerError(f"{self.module} did not start within {self.startup_timeout} s")
        self._client = httpx.Client(base_url=self.base_url, timeout=10, trust_env=False)

    def _drain(self, started: threading.Event) -> None:
        process = self._process
        assert process is not None and process.stdout is not None and process.stderr is not None
        threading.Thread(target=process.stderr.read, daemon=True).start()
        for raw in process.stdout:
            line = raw.decode(errors="replace").strip()
            if line.startswith("READY ") and not started.is_set():
                self.base_url = line.removeprefix("READY ")
                started.set()
        started.set()

    def stop(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def control(self, method: str, path: str, body: Any = None) -> Any:
        if self._client is None:
            raise FakeServerError(f"{self.module} is not running")
        response = self._client.request(method, f"/_fake/{path}", json=body)
        if response.status_code != 200:
            raise FakeServerError(f"{method} {path}: {response.text}")
        return response.json()

    def reset(self) -> None:
        """Defaults back, scripted faults and recorded requests cleared."""
        self.control("POST", "reset")

    def script(self, **knobs: Any) -> dict[str, Any]:
        """Set behaviour knobs (see the fake module's docstring); returns the knobs in force."""
        result: dict[str, Any] = self.control("POST", "script", knobs)
        return result

    def requests(self, path_contains: str = "") -> list[dict[str, Any]]:
        """What the fake received since the last reset: `{method, path, key, body, ...}` each."""
        seen: list[dict[str, Any]] = self.control("GET", "requests")
        return [r for r in seen if path_contains in r["path"]]
