"""`scripts/install` (run by `./scripts/start`): one line on the first run, pip's output only
when something went wrong.

A real pip install needs the network and minutes, so these runs use a stand-in `.venv/bin/python`
that prints what pip prints (setuptools' editable-install notes on stderr) and exits as told."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import REPO

pytestmark = pytest.mark.timeout(60)

SETUPTOOLS_NOTE = "SetuptoolsDeprecationWarning: editable installation via setup.py develop is deprecated"


def project(tmp_path: Path, pip_exit: int) -> Path:
    root = tmp_path / "syncdeck"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "install", root / "scripts" / "install")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    python = root / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(
        f'#!/bin/sh\necho "pip $*" >> "$(dirname "$0")/../calls"\necho "{SETUPTOOLS_NOTE}" >&2\nexit {pip_exit}\n'
    )
    python.chmod(0o755)
    return root


def install(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(root / "scripts" / "install"), "desktop"], capture_output=True, text=True, timeout=30,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )  # fmt: skip


def test_the_first_run_prints_one_line_and_keeps_pips_output_in_a_log(tmp_path: Path) -> None:
    root = project(tmp_path, pip_exit=0)
    first = install(root)
    assert first.returncode == 0
    assert first.stdout == "Installing SyncDeck into .venv (first run)…\n" and first.stderr == ""
    assert SETUPTOOLS_NOTE in (root / ".venv" / "install.log").read_text()
    again = install(root)
    assert again.returncode == 0 and again.stdout == again.stderr == "", "installed: nothing to say"
    assert len((root / ".venv" / "calls").read_text().splitlines()) == 2, "pip ran on the first run only"


def test_a_failed_install_shows_the_log(tmp_path: Path) -> None:
    root = project(tmp_path, pip_exit=1)
    failed = install(root)
    assert failed.returncode == 1
    assert SETUPTOOLS_NOTE in failed.stderr and "The installation failed" in failed.stderr
    assert not list((root / ".venv").glob(".installed-*")), "tried again next time"
