"""While an engine owns a data folder, other `syncdeck` commands hand their work to it.

The owner here is an engine in this test process that knows a toy provider; the command line
runs in a child process that does not know it. So a toy source can only be added if the
child really handed the command over, and the owner's engine is the one that changed.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from keyring.backends.null import Keyring as NullKeyring

from core.cli import remote
from core.cli.main import run_for_client
from core.config import load_config
from core.engine.engine import Engine
from core.events import StateChanged
from core.providers.registry import PROVIDERS, ProviderRegistry
from core.secrets import SecretStore
from tests.providers.toy_provider import ToyServer, bound_toy_provider

pytestmark = pytest.mark.timeout(60)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def toys() -> Iterator[ToyServer]:
    with ToyServer() as server:
        yield server


@pytest.fixture
async def owner(tmp_path: Path, toys: ToyServer) -> AsyncIterator[tuple[Engine, remote.CommandChannel]]:
    config = load_config(tmp_path / "c.toml", data_dir=tmp_path / "data", environ={},
                         overrides={"library.root": str(tmp_path / "lib")})  # fmt: skip
    registry = ProviderRegistry(config, [*PROVIDERS, bound_toy_provider(toys.base_url)])
    engine = Engine(config, secrets=SecretStore(NullKeyring()), registry=registry)
    channel = remote.CommandChannel(config.data_dir, lambda argv: run_for_client(engine, argv), "window")
    await channel.open()
    try:
        yield engine, channel
    finally:
        await channel.close()
        await engine.close()


async def syncdeck(tmp_path: Path, *args: str, stdin: bytes = b"") -> tuple[int, str, str]:
    """The command line in its own process, as a user would type it."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "core.cli.main", "--data-dir", str(tmp_path / "data"),
        "--config", str(tmp_path / "c.toml"), *args, cwd=ROOT, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    out, err = await proc.communicate(stdin)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_a_source_added_on_the_command_line_is_added_by_the_running_engine(
    owner: tuple[Engine, remote.CommandChannel], tmp_path: Path
) -> None:
    engine, _ = owner
    changes: list[str] = []
    engine.bus.subscribe(lambda e: changes.append(e.what) if isinstance(e, StateChanged) else None)

    code, out, err = await syncdeck(tmp_path, "source", "add", "toy:shelf")

    assert (code, err) == (0, "")
    assert "toy:shelf" in out, "the owner's answer is printed by the command"
    assert [(s.provider, s.locator) for s in await engine.sources()] == [("toy", "toy:shelf")]
    assert "sources" in changes, "the window hears of the change at once"
    code, out, _ = await syncdeck(tmp_path, "source", "list", "--json")
    assert code == 0 and [s["key"] for s in json.loads(out)] == ["toy:shelf"]


async def test_errors_and_exit_codes_come_back_from_the_running_engine(
    owner: tuple[Engine, remote.CommandChannel], tmp_path: Path
) -> None:
    code, out, err = await syncdeck(tmp_path, "source", "add", "gopher://nowhere")
    assert code == 2 and out == ""
    assert "toy:NAME" in err, "the owner's link help, which names its toy provider"
    assert "Traceback" not in err


async def test_a_second_engine_is_refused_while_one_owns_the_folder(
    owner: tuple[Engine, remote.CommandChannel], tmp_path: Path
) -> None:
    code, _, err = await syncdeck(tmp_path, "daemon")
    assert code == 4
    assert f"the SyncDeck window (process {os.getpid()}) already runs for this data folder" in err


async def test_commands_run_by_themselves_once_the_owner_has_gone(
    owner: tuple[Engine, remote.CommandChannel], tmp_path: Path
) -> None:
    _, channel = owner
    await channel.close()
    assert not (tmp_path / "data" / remote.OWNER_NAME).exists()
    code, _, err = await syncdeck(tmp_path, "source", "add", "toy:shelf")
    assert code == 2 and "toy:NAME" not in err, "this process knows no toy provider: it ran locally"


async def test_a_killed_daemon_leaves_no_owner_behind(tmp_path: Path) -> None:
    daemon = subprocess.Popen(
        [sys.executable, "-m", "core.cli.main", "--data-dir", str(tmp_path / "data"), "--config",
         str(tmp_path / "c.toml"), "daemon"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert daemon.stdout is not None and "syncdeck daemon" in daemon.stdout.readline().decode()
        assert remote.find_owner(tmp_path / "data") is not None
        code, out, _ = await syncdeck(tmp_path, "status", "--json")
        assert code == 0 and json.loads(out)["data_dir"] == str(tmp_path / "data")
    finally:
        daemon.send_signal(signal.SIGKILL)
        daemon.wait(10)
    assert remote.find_owner(tmp_path / "data") is None, "the system dropped the dead owner's lock"
    code, out, _ = await syncdeck(tmp_path, "status", "--json")
    assert code == 0 and json.loads(out)["sources"] == 0


async def test_a_cookie_read_from_standard_input_travels_with_the_command(
    owner: tuple[Engine, remote.CommandChannel], tmp_path: Path
) -> None:
    code, _, err = await syncdeck(tmp_path, "login", "bilibili", "--cookie", "-", stdin=b"not a cookie")
    assert code == 2 and "cookie" in err.lower() and "stdin" not in err
