"""One running engine owns a data folder; other `syncdeck` commands hand their work to it.

The owner (the window or `syncdeck daemon`) holds an exclusive lock on `engine.lock` in the
data folder for as long as it runs, and listens on a loopback TCP port written, with a random
token, to `engine.json` (readable by this user only). A later `syncdeck source add`, `task
pause`, `sync`… finds that file, sends its command line and prints what the owner's engine
answers, line by line, then exits with the owner's exit code. So a change made on the command
line shows in the open window at once, and two engines never race over one database.

TCP rather than a Unix socket or named pipe, because asyncio serves it the same way on every
platform and under qasync; the token keeps other local users out. The lock, not the file,
says whether an owner lives: the system drops it when the owner dies, even by kill -9.

This module is imported by every command, so the client half imports nothing heavy.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.filelock import is_locked, try_lock, unlock

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger(__name__)

LOCK_NAME = "engine.lock"
OWNER_NAME = "engine.json"
CONNECT_TIMEOUT_S = 2.0
# Commands an owner never runs for another process: a second long-lived engine is refused.
LOCAL_ONLY = frozenset({"daemon"})


@dataclass(frozen=True)
class Owner:
    pid: int
    port: int
    token: str
    kind: str  # "window" or "daemon"


# ---- the owner's side ------------------------------------------------------------------


class DataDirBusy(Exception):
    def __init__(self, owner: Owner | None) -> None:
        what = f"{'the SyncDeck window' if owner and owner.kind == 'window' else 'syncdeck daemon'}"
        pid = f" (process {owner.pid})" if owner else ""
        super().__init__(f"{what}{pid} already runs for this data folder; "
                         "close it first, or let it do the work: other syncdeck commands go to it")  # fmt: skip
        self.owner = owner


class OwnerLock:
    """The data folder's owner lock: taken by the window or the daemon for their whole run."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._fd: int | None = None

    def acquire(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.data_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try_lock(fd)
        except OSError:
            os.close(fd)
            raise DataDirBusy(find_owner(self.data_dir)) from None
        self._fd = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            (self.data_dir / OWNER_NAME).unlink(missing_ok=True)
            unlock(self._fd)
            os.close(self._fd)
            self._fd = None


Runner = Callable[[list[str]], Awaitable[int]]


class CommandChannel:
    """The owner's listening end: runs each incoming command line with `run` and streams back
    what it prints. Start with `await open()`, end with `await close()`."""

    def __init__(self, data_dir: Path, run: Runner, kind: str) -> None:
        self.data_dir = data_dir
        self.run = run
        self.kind = kind
        import secrets  # here, not at the top: every command and the window's start import this module

        self.lock = OwnerLock(data_dir)
        self.token = secrets.token_urlsafe(24)
        self._server: asyncio.AbstractServer | None = None
        self._handlers: set[asyncio.Task[Any]] = set()

    def claim(self) -> None:
        """Take the data folder (raises DataDirBusy); cheap, so a window can ask before it draws."""
        self.lock.acquire()

    async def open(self) -> None:
        import asyncio

        if not self.lock.held:
            self.lock.acquire()
        try:
            self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
            port = self._server.sockets[0].getsockname()[1]
            _write_private(self.data_dir / OWNER_NAME, json.dumps(
                {"pid": os.getpid(), "port": port, "token": self.token, "kind": self.kind}))  # fmt: skip
        except BaseException:
            self.lock.release()
            raise

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            for task in list(self._handlers):
                task.cancel()
            self._server = None
        self.lock.release()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        import asyncio
        import hmac

        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            request = json.loads(await asyncio.wait_for(reader.readline(), CONNECT_TIMEOUT_S * 5))
            if not hmac.compare_digest(str(request.get("token", "")), self.token):
                return
            # The client going away (Ctrl+C) cancels its command here, as Ctrl+C would locally.
            work = asyncio.ensure_future(self._run(request, writer))
            gone = asyncio.ensure_future(reader.read())
            done, _ = await asyncio.wait({work, gone}, return_when=asyncio.FIRST_COMPLETED)
            if work not in done:
                work.cancel()
            gone.cancel()
        except (OSError, ValueError, TimeoutError):
            pass
        finally:
            self._handlers.discard(task)
            writer.close()

    async def _run(self, request: dict[str, Any], writer: asyncio.StreamWriter) -> None:
        tty = request.get("tty") or {}
        streams = {name: _RemoteStream(writer, name, bool(tty.get(name))) for name in ("stdout", "stderr")}
        _install_routed_streams()  # here, not once: test runners and IDEs swap sys.stdout too
        token = _route.set(streams)
        try:
            code = await self.run([str(a) for a in request.get("argv", [])])
        except Exception:  # a bug in one command must not take the owner down, nor leave the client waiting
            log.exception("a command handed over by another syncdeck process failed")
            streams["stderr"].write("syncdeck: the running SyncDeck failed to run this command; see its log\n")
            code = 1
        finally:
            _route.reset(token)
        writer.write(json.dumps({"exit": code}).encode() + b"\n")
        await writer.drain()


class _RemoteStream:
    """A text stream whose writes travel to the client as JSON lines."""

    def __init__(self, writer: asyncio.StreamWriter, name: str, tty: bool) -> None:
        self.writer, self.name, self.tty = writer, name, tty

    def write(self, text: str) -> int:
        if text and not self.writer.is_closing():
            self.writer.write(json.dumps({self.name: text}, ensure_ascii=False).encode() + b"\n")
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return self.tty


# Which stream print() reaches is decided per asyncio task: a command run for a client writes
# to that client, while the rest of the owner process keeps its own terminal.
_route: contextvars.ContextVar[dict[str, _RemoteStream] | None] = contextvars.ContextVar("route", default=None)


class _RoutedStream:
    def __init__(self, name: str, fallback: Any) -> None:
        self._name, self._fallback = name, fallback

    def _target(self) -> Any:
        route = _route.get()
        return route[self._name] if route else self._fallback

    def write(self, text: str) -> int:
        return self._target().write(text)  # type: ignore[no-any-return]

    def flush(self) -> None:
        self._target().flush()

    def isatty(self) -> bool:
        return bool(self._target().isatty())

    def __getattr__(self, name: str) -> Any:  # encoding, fileno, buffer… of the real stream
        return getattr(self._fallback, name)


def handed_over() -> bool:
    """True while a command runs for another process (its output travels to that client)."""
    return _route.get() is not None


def _install_routed_streams() -> None:
    if not isinstance(sys.stdout, _RoutedStream):
        sys.stdout = _RoutedStream("stdout", sys.stdout)  # type: ignore[assignment]
    if not isinstance(sys.stderr, _RoutedStream):
        sys.stderr = _RoutedStream("stderr", sys.stderr)  # type: ignore[assignment]


# ---- the client's side -----------------------------------------------------------------


def find_owner(data_dir: Path) -> Owner | None:
    """The engine that owns `data_dir`, if one runs (its lock is held)."""
    lock = data_dir / LOCK_NAME
    if not is_locked(lock):
        return None
    try:
        data = json.loads((data_dir / OWNER_NAME).read_text(encoding="utf-8"))
        return Owner(int(data["pid"]), int(data["port"]), str(data["token"]), str(data.get("kind", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # starting up: it has the lock but not yet its port


def forward(owner: Owner, argv: list[str]) -> int | None:
    """Run `argv` in the owner's engine, printing what it prints. None if it could not be reached."""
    import socket

    try:
        conn = socket.create_connection(("127.0.0.1", owner.port), timeout=CONNECT_TIMEOUT_S)
    except OSError:
        return None
    conn.settimeout(None)  # a forwarded sync may run for hours
    tty = {"stdout": sys.stdout.isatty(), "stderr": sys.stderr.isatty()}
    try:
        conn.sendall(json.dumps({"token": owner.token, "argv": argv, "tty": tty}).encode() + b"\n")
        for line in conn.makefile("r", encoding="utf-8"):
            message = json.loads(line)
            if "exit" in message:
                return int(message["exit"])
            for name, stream in (("stdout", sys.stdout), ("stderr", sys.stderr)):
                if name in message:
                    stream.write(message[name])
                    stream.flush()
    finally:
        conn.close()
    print(f"syncdeck: the running SyncDeck (process {owner.pid}) stopped before answering", file=sys.stderr)
    return 1


def _write_private(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
