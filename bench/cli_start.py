"""Command-line start-up: how long `syncdeck status`, `task list` and `source list` take, as a
multiple of a bare interpreter start measured in the same run.

    .venv/bin/python bench/cli_start.py [--runs 15] [--tasks 2000]

Every command is started as a new process from this tree (`python -m desktop.launcher …`, the
way the installed `syncdeck` runs) and timed until it exits; runs of all rows are interleaved
so a busy machine slows them alike. Rows:

- bare interpreter (reference): `python -c "import sqlite3"`;
- each listing on an empty data folder (no database yet) and on one with a database of
  `--tasks` videos (two parts each) in 20 sources;
- an engine command for comparison (`task pause` of an id that does not exist: the engine
  starts, opens the database, answers "no such task"), which is what every listing cost
  before the listings read SQLite directly.

Target: each listing's median at most 8x the bare interpreter. Always exits 0.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
TARGET_RATIO = 8.0
LISTINGS = (["status"], ["task", "list"], ["source", "list"])


def fill(data_dir: Path, tasks: int) -> None:
    from core.store import repo
    from core.store.db import Database
    from core.store.models import Source, utcnow

    db = Database(data_dir / "syncdeck.db")
    sources = 20

    def add_sources(session: object) -> None:
        for n in range(sources):
            repo.add_source(session, Source(kind="favorite", locator=f"fav:{n}", name=f"收藏 {n}", path=f"/lib/{n}"))  # type: ignore[arg-type]

    db.call(add_sources)
    now = utcnow()
    states = ("done", "done", "done", "queued", "failed")
    videos = [
        {"id": i + 1, "kind": "video", "provider": "bilibili", "source_id": 1 + i % sources, "key": f"BV{i:08d}",
         "title": f"视频 {i}", "state": states[i % len(states)], "steps": '{"poster": 7, "parts": 7}',
         "unavailable": "deleted" if i % 97 == 0 else "", "created_at": now, "updated_at": now}
        for i in range(tasks)
    ]  # fmt: skip
    parts = [
        {"kind": "part", "provider": "bilibili", "source_id": v["source_id"], "parent_id": v["id"], "key": f"{p}",
         "number": p, "state": v["state"], "steps": '{"media": 7}', "bytes_total": 50_000_000,
         "created_at": now, "updated_at": now}
        for v in videos for p in (1, 2)
    ]  # fmt: skip
    db.call(repo.insert_tasks_bulk, videos)
    db.call(repo.insert_tasks_bulk, parts)
    db.close()


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 2):
        raise RuntimeError(f"{' '.join(command)} exited {proc.returncode}: {proc.stderr.strip()[-300:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--tasks", type=int, default=2000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="syncdeck-cli-start-") as scratch:
        empty, full = Path(scratch) / "empty", Path(scratch) / "full"
        fill(full, args.tasks)
        base = {k: v for k, v in os.environ.items() if not k.startswith("SYNCDECK_")}
        base.pop("PYTHONPATH", None)
        base.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed program has its bytecode compiled

        def env(data: Path) -> dict[str, str]:
            return {**base, "SYNCDECK_CONFIG": str(data / "config.toml"), "SYNCDECK_DATA_DIR": str(data)}

        launcher = [sys.executable, "-m", "desktop.launcher"]
        rows: list[tuple[str, list[str], dict[str, str]]] = [
            ("bare interpreter (reference)", [sys.executable, "-c", "import sqlite3"], env(empty))
        ]
        for words in LISTINGS:
            rows.append((f"{' '.join(words)}, empty data folder", [*launcher, *words], env(empty)))
            rows.append((f"{' '.join(words)}, {args.tasks} videos", [*launcher, *words], env(full)))
        rows.append((f"engine: task pause, {args.tasks} videos", [*launcher, "task", "pause", "999999"], env(full)))

        times: dict[str, list[float]] = {name: [] for name, _, _ in rows}
        for _name, command, environment in rows:  # warm-up: bytecode written, files cached
            timed(command, environment)
        print(f"measuring {len(rows)} rows, {args.runs} interleaved runs each…", flush=True)
        for _ in range(args.runs):
            for name, command, environment in rows:
                times[name].append(timed(command, environment))

    reference = statistics.median(times[rows[0][0]])
    print()
    print(f"{'command':<36}{'median':>9}{'fastest':>9}  ratio to the bare interpreter")
    for name, _, _ in rows:
        median = statistics.median(times[name])
        verdict = ""
        if not name.startswith(("bare", "engine")):
            verdict = f"  target <= {TARGET_RATIO:.0f}x: {'met' if median <= TARGET_RATIO * reference else 'MISSED'}"
        print(f"{name:<36}{median:>8.3f}s{min(times[name]):>8.3f}s  {median / reference:5.1f}x{verdict}")


if __name__ == "__main__":
    main()
