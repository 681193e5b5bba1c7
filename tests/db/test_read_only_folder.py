"""Issue 8, item 3: a read-only data folder is named, with what to do, instead of
`OperationalError: unable to open database file` at every command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.db.conftest import Deck

pytestmark = [pytest.mark.timeout(90), pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def read_only(deck: Deck) -> Iterator[list[str]]:
    """The command prefix that runs SyncDeck with the data folder read-only.

    A normal user gets a folder without write permission; root, who may write anyway, gets
    the folder bind-mounted read-only in a private mount namespace.
    """
    if os.geteuid() != 0:
        deck.data.chmod(0o555)
        yield []
        deck.data.chmod(0o755)
        return
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-m", "true"]).returncode != 0:
        pytest.skip("running as root without mount namespaces: cannot make a folder read-only")
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    yield ["unshare", "-m", "sh", "-c", script, str(deck.data)]


def syncdeck(prefix: list[str], deck: Deck, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    command = [sys.executable, "-m", "core.cli.main", "--data-dir", str(deck.data), "--config", str(deck.config)]
    return subprocess.run([*prefix, *command, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_a_read_only_data_folder_is_named_with_what_to_do(deck: Deck, read_only: list[str]) -> None:
    for command in (["status"], ["sync"], ["source", "list"]):
        run = syncdeck(read_only, deck, *command)
        assert run.returncode == 1, (command, run.stdout, run.stderr)
        assert run.stdout == "" and "Traceback" not in run.stderr
        assert f"The data folder {deck.data} is read-only" in run.stderr
        assert "--data-dir" in run.stderr
    shown = syncdeck(read_only, deck, "config", "show")
    assert shown.returncode == 0 and "library.root" in shown.stdout
