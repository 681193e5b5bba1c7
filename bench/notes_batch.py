"""Note batches: throughput by workers, pause latency, and restoring a big batch after a kill.

    .venv/bin/python bench/notes_batch.py [--videos 16] [--latency 0.4] [--pauses 20] [--tasks 10000]

1. Throughput: the same batch of `--videos` tiny real videos (with subtitles, so each task is
   an ffmpeg probe, one chat completion and the note files) made with 1, 2, 4 and 8 workers
   through the real OpenAI-compatible client against the fake server
   (tests/fakes/openai_fake.py, a subprocess on 127.0.0.1) answering every request after a
   fixed `--latency`, so the fake is not the bottleneck. Target: 4 workers at least 3.5x as fast as 1.
2. Pause latency: a running batch (4 workers) paused `--pauses` times at random moments;
   the time from `pause_batch` until the run has stopped (tasks in flight cancelled and put
   back). Target: p99 under 1 s.
3. State restore: a batch of `--tasks` tasks left as a kill -9 leaves it (half done, four
   running, a stale heartbeat), opened by a fresh engine: the batch's view with its counts
   and ETA, and claiming it to run (running → pending, the pending list read). Target: under 1 s.

A benchmark, not a test: always exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.config import load_config  # noqa: E402
from core.engine.engine import Engine  # noqa: E402
from core.secrets import SecretStore  # noqa: E402


def engine_at(root: Path, client: object) -> Engine:
    from keyring.backends.null import Keyring as NullKeyring

    config = load_config(root / "none.toml", data_dir=root / "data", environ={"SYNCDECK_UI_LANGUAGE": "en"})
    engine = Engine(config, secrets=SecretStore(NullKeyring()))
    engine.notes.client_factory = lambda name, model: client
    return engine


async def throughput(root: Path, client: object, videos: int) -> dict[int, float]:
    from tests.notes.media import copies, make_video

    original = make_video(root / "tiny.mp4")
    rates: dict[int, float] = {}
    for workers in (1, 2, 4, 8):
        folder = root / f"w{workers}"
        copies(original, folder, videos, subtitles=True)
        engine = engine_at(root / f"e{workers}", client)
        try:
            batch = await engine.notes.create_batch([str(folder)], workers=workers)
            started = time.perf_counter()
            view = await engine.notes.run_batch(batch.id)
            elapsed = time.perf_counter() - started
        finally:
            await engine.close()
        assert view.done == videos, view
        rates[workers] = videos / elapsed
        print(f"  {workers} worker(s): {videos} notes in {elapsed:5.2f} s = {rates[workers]:5.2f} notes/s")
    return rates


async def pause_latency(root: Path, client: object, pauses: int) -> list[float]:
    from tests.notes.media import copies, make_video

    folder = root / "pause"
    copies(make_video(root / "tiny-p.mp4"), folder, 400, subtitles=True)
    engine = engine_at(root / "ep", client)
    latencies = []
    try:
        batch = await engine.notes.create_batch([str(folder)], workers=4)
        for _ in range(pauses):
            run = asyncio.ensure_future(engine.notes.resume_batch(batch.id, background=False))
            await asyncio.sleep(random.uniform(0.3, 0.9))
            asked = time.perf_counter()
            await engine.notes.pause_batch(batch.id)
            await run
            latencies.append(time.perf_counter() - asked)
    finally:
        await engine.close()
    return latencies


def restore(root: Path, tasks: int) -> tuple[float, float, float]:
    """Seconds to open the engine, to show the batch, and to claim it for a run."""
    from core.engine.notes import records
    from core.store.db import Database
    from core.store.models import utcnow
    from core.store.notes_tables import NoteBatch

    data = root / "big" / "data"
    data.mkdir(parents=True)
    db = Database(data / "syncdeck.db")
    now = utcnow()
    rows = [{"input": f"/v/{i}.mp4", "title": f"video {i}", "video_path": f"/v/{i}.mp4", "state": "pending",
             "error": "", "library_task_id": None} for i in range(tasks)]  # fmt: skip
    for i in range(tasks // 2):
        rows[i].update(state="done", seconds=3.0, prompt_tokens=100, completion_tokens=50, finished_at=now)
    for i in range(tasks // 2, tasks // 2 + 4):
        rows[i].update(state="running")
    batch = NoteBatch(name="big", state="running", workers=4, runner_pid=999999, heartbeat_at=now)
    batch_id = db.call(records.add_batch, batch, rows)
    db.close()

    started = time.perf_counter()
    engine = engine_at(root / "big", None)
    opened = time.perf_counter()

    async def work() -> float:
        view = await engine.notes.batch(batch_id)
        assert view.total == tasks and view.running == 4, view
        shown = time.perf_counter()
        pending = await engine.db.run(records.claim, batch_id, 1)
        assert len(pending) == tasks - tasks // 2, len(pending)
        await engine.close()
        return shown

    shown = asyncio.run(work())
    claimed = time.perf_counter()
    return opened - started, shown - opened, claimed - shown


async def measured(args: argparse.Namespace, base_url: str, root: Path) -> None:
    from tests.llm.clients import openai

    client = openai(base_url + "/v1", ["sk-bench"])  # the real OpenAI-compatible client
    print(f"Throughput ({args.videos} videos, fake latency {args.latency:g} s per request):")
    rates = await throughput(root, client, args.videos)
    speedup = rates[4] / rates[1]
    print(f"  4 workers / 1 worker = {speedup:.2f}x (target >= 3.5x): {'OK' if speedup >= 3.5 else 'BELOW TARGET'}")
    print(f"Pause latency ({args.pauses} pauses of a 4-worker batch):")
    latencies = sorted(await pause_latency(root, client, args.pauses))
    p99 = latencies[min(len(latencies) - 1, int(round(0.99 * (len(latencies) - 1))))]
    median = statistics.median(latencies) * 1000
    verdict = "OK" if p99 < 1 else "ABOVE TARGET"
    print(f"  median {median:.0f} ms, p99 {p99 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms "
          f"(target p99 < 1000 ms): {verdict}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--videos", type=int, default=16)
    parser.add_argument("--latency", type=float, default=0.4)
    parser.add_argument("--pauses", type=int, default=20)
    parser.add_argument("--tasks", type=int, default=10_000)
    args = parser.parse_args()
    from tests.fakes.openai_fake import FakeOpenAI

    with tempfile.TemporaryDirectory() as tmp, FakeOpenAI() as fake:
        fake.script(delay=args.latency, reply="## Key Points\n- [00:01] a point\n")
        root = Path(tmp)
        asyncio.run(measured(args, fake.base_url, root))
        print(f"State restore of a {args.tasks:,}-task batch after a kill:")
        opened, shown, claimed = restore(root, args.tasks)
        total = shown + claimed
        print(f"  engine opened {opened * 1000:.0f} ms; batch shown {shown * 1000:.0f} ms; claimed "
              f"{claimed * 1000:.0f} ms; shown + claimed {total * 1000:.0f} ms (target < 1000 ms): "
              f"{'OK' if total < 1 else 'ABOVE TARGET'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
