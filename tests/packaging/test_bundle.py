"""The PyInstaller bundle works as shipped: self-test, command line, window, single instance.

Skipped unless SYNCDECK_TEST_BUNDLE=1. Reuses dist/syncdeck when it exists (set
SYNCDECK_REBUILD_BUNDLE=1 to build afresh), otherwise builds it with
`packaging/build-linux.sh --bundle` (about a minute on two cores).
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from desktop.single_instance import server_name

REPO = Path(__file__).resolve().parents[2]
BUNDLE = REPO / "dist" / "syncdeck"
EXECUTABLE = BUNDLE / ("syncdeck-cli.exe" if sys.platform == "win32" else "syncdeck")
FIRST_PAINT_MARKER = "syncdeck: first window paint after"

pytestmark = [
    pytest.mark.skipif(os.environ.get("SYNCDECK_TEST_BUNDLE") != "1", reason="set SYNCDECK_TEST_BUNDLE=1"),
    pytest.mark.skipif(sys.platform != "linux", reason="the bundle check builds with packaging/build-linux.sh"),
]


@pytest.fixture(scope="module")
def bundle() -> Path:
    if os.environ.get("SYNCDECK_REBUILD_BUNDLE") == "1" or not EXECUTABLE.exists():
        subprocess.run([str(REPO / "packaging" / "build-linux.sh"), "--bundle"], cwd=REPO, check=True, timeout=900)
    assert EXECUTABLE.exists()
    return EXECUTABLE


def run(args: list[str], data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
    environment.pop("PYTHONPATH", None)  # nothing from the checkout may leak into the bundle
    return subprocess.run(
        args, capture_output=True, text=True, timeout=120, env=environment, cwd=data_dir.parent, check=False
    )


@pytest.mark.timeout(900)
def test_the_bundle_passes_its_self_test(bundle: Path, tmp_path: Path) -> None:
    result = run([str(bundle), "--selftest"], tmp_path / "data")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    checks = {line.split()[1]: line.split()[0] for line in lines[:-1]}
    assert set(checks) == {"runtime", "engine", "window", "keyring", "ffmpeg", "translations", "icons"}
    assert all(outcome in ("ok", "warning") for outcome in checks.values()), result.stdout
    assert checks["engine"] == checks["window"] == checks["ffmpeg"] == "ok"
    assert f"bundle {bundle.parent}" in lines[0]
    assert lines[-1].startswith("selftest: all 7 checks passed")


@pytest.mark.timeout(900)
def test_the_command_line_runs_from_the_bundle(bundle: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run([str(bundle), "--data-dir", str(data), "status", "--json"], data)
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert status["data_dir"] == str(data) and status["sources"] == 0
    result = run([str(bundle), "--data-dir", str(data), "sync", "--json"], data)
    assert result.returncode == 0 and json.loads(result.stdout)["outcome"] == "done", result.stderr
    assert any(data.glob("*.db")), "the engine created and migrated the database"
    result = run([str(bundle), "--version"], data)
    version = importlib.metadata.version("syncdeck")
    assert result.returncode == 0 and result.stdout.strip() == f"syncdeck {version}", result.stdout + result.stderr


@pytest.mark.timeout(900)
def test_the_window_opens_and_a_second_launch_hands_over(bundle: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shown = run([str(bundle), "--data-dir", str(data)], data, SYNCDECK_BENCH_QUIT_ON_SHOW="1")
    assert shown.returncode == 0 and FIRST_PAINT_MARKER in shown.stdout, shown.stdout + shown.stderr

    socket_file = Path(tempfile.gettempdir()) / server_name(f"SyncDeck:{data}")
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    environment.pop("PYTHONPATH", None)
    first = subprocess.Popen(
        [str(bundle), "--data-dir", str(data)], env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while not socket_file.exists():  # the first instance listens once its start-up checks are done
            assert first.poll() is None and time.monotonic() < deadline, "the first instance did not start"
            time.sleep(0.1)
        second = run([str(bundle), "--data-dir", str(data)], data, SYNCDECK_BENCH_QUIT_ON_SHOW="1")
        assert second.returncode == 0 and "already running" in second.stdout, second.stdout + second.stderr
        assert FIRST_PAINT_MARKER not in second.stdout, "the second launch opened no window of its own"
        assert first.poll() is None, "the first instance keeps running"
    finally:
        first.send_signal(signal.SIGKILL)  # as after a crash: it leaves its socket behind
        first.wait(timeout=30)
    after_crash = run([str(bundle), "--data-dir", str(data)], data, SYNCDECK_BENCH_QUIT_ON_SHOW="1")
    assert after_crash.returncode == 0 and FIRST_PAINT_MARKER in after_crash.stdout, after_crash.stderr
