"""`syncdeck --selftest` from a checkout: every part starts, or it says which one does not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(120)


def selftest(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-m", "desktop.launcher", "--data-dir", str(tmp_path / "data"), "--selftest"],
        capture_output=True,
        text=True,
        timeout=100,
        env=environment,
        cwd=REPO,
    )


def test_a_complete_installation_passes(tmp_path: Path) -> None:
    result = selftest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    outcomes = {line.split()[1]: line.split()[0] for line in result.stdout.splitlines()[:-1]}
    assert outcomes.keys() == {"runtime", "engine", "window", "keyring", "ffmpeg", "translations", "icons"}
    assert outcomes["keyring"] in ("ok", "warning"), "no secure keyring is a warning only"
    assert all(outcome == "ok" for name, outcome in outcomes.items() if name != "keyring")
    assert "panels sources, tasks, playlists, notes, accounts, settings, log" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("selftest: all 7 checks passed")
    assert not (tmp_path / "data" / "syncdeck.db").exists(), "the checks use a throw-away data folder"


def test_a_missing_ffmpeg_fails_and_is_named(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-ffmpeg")
    result = selftest(tmp_path, SYNCDECK_FFMPEG_PATH=missing, IMAGEIO_FFMPEG_EXE=missing)
    assert result.returncode == 1
    ffmpeg_line = next(line for line in result.stdout.splitlines() if line.split()[1:2] == ["ffmpeg"])
    assert ffmpeg_line.startswith("FAILED") and "ffmpeg is needed" in ffmpeg_line
    assert result.stdout.splitlines()[-1] == "selftest: 1 of 7 checks FAILED: ffmpeg"
