"""A real, private Secret Service for tests: its own D-Bus session bus and gnome-keyring-daemon.

The daemon gets a throw-away HOME, so the developer's own keyring is never touched and the test
can inspect exactly what landed on disk. Reuse from any test folder's conftest.py:

    from tests.keyring_service import secret_service  # noqa: F401  (registers the fixture)

The fixture is module-scoped (starting the pair costs about 0.3 s). While it is active, the
test process's DBUS_SESSION_BUS_ADDRESS points at the private bus and keyring's selected backend
is `keyring.backends.SecretService.Keyring`; both are restored afterwards.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from keyring.backends.SecretService import Keyring as SecretServiceKeyring

KEYRING_PASSWORD = b"syncdeck-test-login"
SECRETS_BUS_NAME = "org.freedesktop.secrets"
MISSING_REASON = (
    "a real Secret Service needs dbus-daemon and gnome-keyring-daemon (Debian packages: dbus, gnome-keyring)"
)
START_TIMEOUT = 10.0


class SecretServiceUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class PrivateSecretService:
    home: Path  # the daemon's HOME; its keyring files are under home/.local/share/keyrings
    bus_address: str
    backend: SecretServiceKeyring


def _read_line(stream: int, deadline: float) -> str:
    """One line from a pipe, without hanging past `deadline` if the writer never sends it."""
    data = b""
    while not data.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([stream], [], [], remaining)[0]:
            raise SecretServiceUnavailable("dbus-daemon did not print its address in time")
        chunk = os.read(stream, 4096)
        if not chunk:
            raise SecretServiceUnavailable("dbus-daemon exited before printing its address")
        data += chunk
    return data.decode().strip()


def _wait_for_bus_name(address: str, name: str, deadline: float) -> None:
    from jeepney import message_bus
    from jeepney.io.blocking import open_dbus_connection

    with contextlib.closing(open_dbus_connection(bus=address)) as connection:
        while time.monotonic() < deadline:
            reply = connection.send_and_get_reply(message_bus.NameHasOwner(name), timeout=1)
            if reply.body[0]:
                return
            time.sleep(0.02)
    raise SecretServiceUnavailable(f"{name} did not appear on the private bus in time")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the process group we created for `process` (catches anything it spawned)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def _binaries() -> tuple[str, str] | None:
    dbus_daemon = shutil.which("dbus-daemon")
    keyring_daemon = shutil.which("gnome-keyring-daemon")
    if dbus_daemon is None or keyring_daemon is None:
        return None
    return dbus_daemon, keyring_daemon


@contextlib.contextmanager
def private_secret_service() -> Iterator[PrivateSecretService]:
    """Start the bus and an unlocked keyring daemon; stop both and delete their files on exit."""
    binaries = _binaries()
    if binaries is None:
        raise SecretServiceUnavailable(MISSING_REASON)
    dbus_daemon, keyring_daemon = binaries

    # Short path under /tmp: unix socket paths are limited to about 100 bytes.
    root = Path(tempfile.mkdtemp(prefix="sdkr-"))
    home = root / "home"
    runtime = root / "run"
    home.mkdir()
    runtime.mkdir(mode=0o700)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        bus = subprocess.Popen(
            [dbus_daemon, "--session", "--nofork", "--print-address=1", f"--address=unix:dir={runtime}"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # only the harmless "Failed to set fd limit"
            start_new_session=True,
        )
        processes.append(bus)
        deadline = time.monotonic() + START_TIMEOUT
        assert bus.stdout is not None
        address = _read_line(bus.stdout.fileno(), deadline)

        daemon_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_RUNTIME_DIR": str(runtime),
            "DBUS_SESSION_BUS_ADDRESS": address,
        }
        keyring_process = subprocess.Popen(
            [keyring_daemon, "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=daemon_env,
            start_new_session=True,
        )
        processes.append(keyring_process)
        assert keyring_process.stdin is not None
        # --unlock reads the login password until end of input.
        keyring_process.stdin.write(KEYRING_PASSWORD)
        keyring_process.stdin.close()
        _wait_for_bus_name(address, SECRETS_BUS_NAME, deadline)

        yield PrivateSecretService(home=home, bus_address=address, backend=SecretServiceKeyring())
    finally:
        # The keyring daemon first, so it does not see its bus vanish mid-write.
        for process in reversed(processes):
            _stop(process)
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def selected_for_this_process(service: PrivateSecretService) -> Iterator[None]:
    """Point this process's D-Bus clients and keyring's default backend at `service`."""
    previous_address = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    previous_backend = keyring.get_keyring()
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = service.bus_address
    keyring.set_keyring(service.backend)
    try:
        yield
    finally:
        keyring.set_keyring(previous_backend)
        if previous_address is None:
            os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
        else:
            os.environ["DBUS_SESSION_BUS_ADDRESS"] = previous_address


@pytest.fixture(scope="module")
def secret_service() -> Iterator[PrivateSecretService]:
    # Missing binaries skip (CI installs them); any other start failure is a real error.
    if _binaries() is None:
        pytest.skip(MISSING_REASON)
    with private_secret_service() as service, selected_for_this_process(service):
        yield service
