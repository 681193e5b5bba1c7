"""Cold start: from launching SyncDeck to its main window's first paint, against an empty window.

    .venv/bin/python bench/cold_start.py [--runs 5]

Each program is started as a new process, offscreen, the way a person starts it, and timed
from the launch until it reports the first paint of its window on standard output (the app
does this, and quits, when SYNCDECK_BENCH_QUIT_ON_SHOW=1). Rows:

- empty window (reference): a PySide6 QMainWindow and nothing else, same interpreter;
- empty window + engine import: the same after `import core.engine.engine` (SQLAlchemy,
  Alembic, SQLModel, httpx…), the floor for a window that needs the engine to exist;
- SyncDeck from source: `python -m desktop.launcher --data-dir <tmp>`;
- SyncDeck bundle: `dist/syncdeck/syncdeck --data-dir <tmp>`, when it has been built.

Every row gets one unmeasured warm-up start first (it also creates the data folder and its
database), then `--runs` measured starts; the table shows the median and the fastest. The
very first start on an empty data folder (database created and migrated) is shown apart.
Target: SyncDeck's median at most 2x the empty window's. Always exits 0.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUNDLE = REPO / "dist" / "syncdeck" / "syncdeck"
MARKER = "syncdeck: first window paint after"
TARGET_RATIO = 2.0

# The reference: the least a PySide6 program does to show a main window, reporting the same way.
# With "engine" as its argument it first imports SyncDeck's engine: the floor for any window
# that needs the engine (and its database and HTTP libraries) before it can show.
EMPTY_WINDOW = f"""
import sys
if sys.argv[1:] == ["engine"]:
    import core.engine.engine
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("empty")
window.resize(1180, 720)

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            window.removeEventFilter(self)
            QTimer.singleShot(0, lambda: (print("{MARKER} 0 s", flush=True), app.quit()))
        return False

first_paint = FirstPaint()
window.installEventFilter(first_paint)
window.show()
sys.exit(app.exec())
"""


@dataclass
class Row:
    name: str
    command: list[str]
    first_start: float | None = None
    times: list[float] = field(default_factory=list)
    failure: str = ""


def start_once(command: list[str], env: dict[str, str]) -> float:
    """Seconds from launching `command` until it reports its first paint."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
    assert process.stdout is not None
    elapsed = None
    for line in process.stdout:
        if line.startswith(MARKER):
            elapsed = time.perf_counter() - started
            break
    try:
        _, errors = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        _, errors = process.communicate()
    if elapsed is None:
        raise RuntimeError(f"no first paint (exit {process.returncode}): {errors.strip()[-500:]}")
    return elapsed


def measure(row: Row, runs: int, data_dir: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "SYNCDECK_BENCH_QUIT_ON_SHOW": "1",
        "SYNCDECK_CONFIG": str(data_dir / "config.toml"),  # never the user's own settings
    }
    env.pop("PYTHONPATH", None)
    # An installed program has its bytecode compiled; let the warm-up start write it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        row.first_start = start_once(row.command, env)  # the warm-up: a fresh data folder
        row.times = [start_once(row.command, env) for _ in range(runs)]
    except RuntimeError as exc:
        row.failure = str(exc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="syncdeck-cold-start-") as scratch:
        folders = [Path(scratch) / name for name in ("empty", "floor", "source", "bundle")]
        rows = [
            Row("empty window (reference)", [sys.executable, "-c", EMPTY_WINDOW]),
            Row("empty window + engine import", [sys.executable, "-c", EMPTY_WINDOW, "engine"]),
            Row("SyncDeck from source", [sys.executable, "-m", "desktop.launcher", "--data-dir", str(folders[2])]),
        ]
        if BUNDLE.exists():
            rows.append(Row("SyncDeck bundle", [str(BUNDLE), "--data-dir", str(folders[3])]))
        for row, folder in zip(rows, folders, strict=False):
            print(f"measuring {row.name} ({args.runs} starts after a warm-up)…", flush=True)
            measure(row, args.runs, folder)

    reference = statistics.median(rows[0].times) if rows[0].times else None
    print()
    print(f"{'program':<28}{'median':>9}{'fastest':>9}{'first start':>13}  ratio to the empty window")
    for row in rows:
        if row.failure:
            print(f"{row.name:<28}  failed: {row.failure}")
            continue
        median = statistics.median(row.times)
        ratio = f"{median / reference:.2f}x" if reference else "—"
        verdict = ""
        if row.name.startswith("SyncDeck") and reference:
            verdict = f"  target <= {TARGET_RATIO:.1f}x: {'met' if median <= TARGET_RATIO * reference else 'MISSED'}"
        print(f"{row.name:<28}{median:>8.2f}s{min(row.times):>8.2f}s{row.first_start:>12.2f}s  {ratio}{verdict}")
    if not BUNDLE.exists():
        print("(no bundle row: build it with packaging/build-linux.sh --bundle)")


if __name__ == "__main__":
    main()
