"""Run every benchmark in this folder, one after the other, and print what each one prints.

    .venv/bin/python bench/run_all.py

Each script runs as its own process with this interpreter and its default arguments, so one
benchmark's memory, threads and event loop never colour the next one's numbers. Always exits
0: benchmarks report, they do not gate (a script that crashes is listed at the end).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent


def bench_scripts() -> list[Path]:
    return sorted(path for path in BENCH_DIR.glob("*.py") if path.name != Path(__file__).name)


def main() -> None:
    outcomes: list[tuple[str, int, float]] = []
    for script in bench_scripts():
        print(f"=== {script.name} ===", flush=True)
        started = time.perf_counter()
        # stdout and stderr pass straight through, so long benchmarks show progress as they go
        returncode = subprocess.run([sys.executable, str(script)], cwd=REPO_ROOT, check=False).returncode
        seconds = time.perf_counter() - started
        outcomes.append((script.name, returncode, seconds))
        print(f"=== {script.name}: exit {returncode} after {seconds:.1f} s ===\n", flush=True)

    print("summary")
    for name, returncode, seconds in outcomes:
        print(f"  {name:<28}{'ok' if returncode == 0 else f'exit {returncode}':<10}{seconds:>7.1f} s")


if __name__ == "__main__":
    main()
