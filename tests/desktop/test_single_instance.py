"""One SyncDeck per data folder: a second launch shows the first one's window and exits."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalServer

from desktop.single_instance import SingleInstance, server_name
from tests.desktop.conftest import until

pytestmark = pytest.mark.timeout(60)

REPO = Path(__file__).resolve().parents[2]

# A second process, started the way a second launch starts: it claims (handing over the
# `syncdeck://` links it was opened with), says what happened, and with "crash" dies without
# cleaning up (as after a power cut or `kill -9`).
LAUNCH = r"""
import os, signal, sys
from PySide6.QtCore import QCoreApplication
from desktop.launcher import take_links
from desktop.single_instance import SingleInstance
app = QCoreApplication([])
instance = SingleInstance(sys.argv[1])
claimed = instance.claim(take_links(sys.argv[2:])[1])
print("claimed" if claimed else "handed over", flush=True)
if len(sys.argv) > 2 and sys.argv[2] == "crash":
    os.kill(os.getpid(), signal.SIGKILL)
"""


async def launch(key: str, *extra: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        LAUNCH,
        key,
        *extra,
        stdout=asyncio.subprocess.PIPE,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    stdout, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode is not None
    return process.returncode, stdout.decode().strip()


@pytest.fixture
def key(tmp_path: Path) -> Iterator[str]:
    data_key = f"SyncDeck:{tmp_path / 'data'}"
    yield data_key
    QLocalServer.removeServer(server_name(data_key))  # whatever a failed test left behind


async def test_a_second_launch_hands_over_and_the_first_shows_its_window(key: str) -> None:
    first = SingleInstance(key)
    activations: list[bool] = []
    first.activated.connect(lambda: activations.append(True))
    assert first.claim() and first.listening
    try:
        assert await launch(key) == (0, "handed over")
        await until(lambda: activations == [True], what="the first instance to be asked")

        second = SingleInstance(key)  # in the same process the same rule holds
        assert not second.claim() and not second.listening
        await until(lambda: len(activations) == 2, what="the second request")
    finally:
        first.release()
    assert await launch(key) == (0, "claimed"), "after a clean exit the next launch starts"


async def test_a_crashed_instance_does_not_block_the_next_start(key: str) -> None:
    socket_file = Path(QDir.tempPath()) / server_name(key)
    returncode, said = await launch(key, "crash")
    assert (returncode, said) == (-signal.SIGKILL, "claimed")
    assert socket_file.exists(), "the crash left the socket file behind"

    survivor = SingleInstance(key)
    activations: list[bool] = []
    survivor.activated.connect(lambda: activations.append(True))
    assert survivor.claim() and survivor.listening
    try:
        assert await launch(key) == (0, "handed over")
        await until(lambda: activations, what="the new instance to be asked")
    finally:
        survivor.release()
    assert not socket_file.exists()


class StandInPlaying:
    """The main window's player launcher, as `desktop.app.play_link` uses it."""

    def __init__(self) -> None:
        self.played: list[tuple[str, float]] = []

    def play_at(self, path: str, seconds: float) -> None:
        self.played.append((path, seconds))


async def test_a_timestamp_clicked_while_syncdeck_runs_plays_in_the_running_window(key: str, tmp_path: Path) -> None:
    from types import SimpleNamespace
    from urllib.parse import quote

    from desktop.app import play_link

    window = SimpleNamespace(playing=StandInPlaying())
    first = SingleInstance(key)
    activations: list[bool] = []
    first.activated.connect(lambda: activations.append(True))
    first.linkOpened.connect(lambda link: play_link(window, link))
    assert first.claim()
    try:
        video = tmp_path / "课程 01 (final).mp4"  # spaces, brackets and CJK, as Obsidian passes them: quoted
        link = f"syncdeck://play?path={quote(str(video))}&t=75"
        assert await launch(key, link, "syncdeck://play?t=3") == (0, "handed over")
        await until(lambda: window.playing.played, what="the handed-over link to play")
        assert window.playing.played == [(str(video), 75.0)], "the link without a path is not played"
        assert activations == [True], "the window came forward too"
    finally:
        first.release()


def test_names_are_short_and_differ_by_data_folder(tmp_path: Path) -> None:
    long_folder = tmp_path / ("很长的文件夹名" * 20)
    names = {server_name(f"SyncDeck:{folder}") for folder in (tmp_path / "a", tmp_path / "b", long_folder)}
    assert len(names) == 3
    # macOS caps a socket path at 104 bytes and its temp folder alone is about 50.
    assert all(len(name) <= 32 and name.isascii() for name in names)
    assert server_name("SyncDeck:/x") == server_name("SyncDeck:/x")
