"""The Tasks page at scale: event-loop lag while scrolling through 100,000 videos, with and
without a progress flood, and memory.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gui_tasks_model.py [--videos 100000]
        [--scroll-seconds 20] [--rate 1000]

The real TasksPanel, in a shown 1280x800 window, over the real engine and a temporary database
filled (by a child process) with `--videos` videos and their 1-3 parts each. A 5 ms asyncio
ticker on the qasync loop measures how late the loop runs (the lag a person feels as stutter):

- idle, nothing happening: the reference;
- scrolling from the top to the bottom, twice: the list starts again from an empty model each
  time and the rows come from the engine page by page as the view asks for them.
  "Dragging to the bottom" holds the scroll bar's handle at the bottom (every 16 ms frame),
  so the list moves as fast as rows arrive; "scrolling" moves the scroll bar down every frame,
  fast enough to reach the end in `--scroll-seconds` if the rows were all there, waiting at
  the end of what is loaded like a person's scroll would;
- both while `--rate` TaskProgress events a second go through the engine's event bus (half for
  the rows on screen at that moment, half for videos anywhere in the list);
- the same events on the still list with every row loaded, then a refresh of every loaded row
  after a state change, and expanding a video near the end of the list.

Garbage is collected as in the app (desktop.app.GuiThreadCollector: young objects every 2 s,
everything every 60 s); the longest full collection during a row is shown next to it.
Memory is the process's resident set (VmRSS) with an empty window (measured first) against
the same process with every row loaded. Prints a table with the targets; always exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync  # noqa: E402
from keyring.backends.null import Keyring as NullKeyring  # noqa: E402
from PySide6.QtCore import QModelIndex, QPoint  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402

from core.config import load_config  # noqa: E402
from core.engine.engine import Engine  # noqa: E402
from core.events import TaskProgress  # noqa: E402
from core.secrets import SecretStore  # noqa: E402
from core.store import repo  # noqa: E402
from core.store.db import Database  # noqa: E402
from core.store.models import Source  # noqa: E402
from desktop.app import GuiThreadCollector  # noqa: E402
from desktop.bridge import EngineBridge  # noqa: E402
from desktop.panels.tasks import TasksPanel  # noqa: E402

TICK = 0.005
FRAME = 0.016  # one scroll step per frame at 60 Hz
LAG_TARGET_MS = 50.0
RSS_TARGET_MB = 300.0
TITLES = ("【4K】城市夜景延时摄影", "料理笔记：红烧肉的十种做法", "乙的投稿 第{}期 — 周末vlog", "Minecraft 生存 EP{}",
          "春日散步 Vlog", "【三集连播】多P测试视频", "纪录片：长江 第{}集", "钢琴练习曲 Op.{}")  # fmt: skip


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ---------------------------------------------------------------- the data (engine side)


ITEM_STEPS = ("poster", "show_nfo", "owner_avatar", "owner_nfo", "parts")
PART_STEPS = ("poster", "media", "nfo", "danmaku", "subtitles")
STEP_VALUES = {"done": 7, "queued": 0, "failed": 4, "retrying": 2}


def _steps(names: tuple[str, ...], state: str) -> str:
    value = STEP_VALUES[state]
    return json.dumps({name: (7 if i == 0 else value) for i, name in enumerate(names)})


def video_rows(source_id: int, count: int) -> list[dict[str, object]]:
    base = datetime(2025, 1, 1, tzinfo=UTC)
    states = ("done", "done", "done", "queued", "failed", "retrying")
    rows = []
    for i in range(count):
        state = states[i % len(states)]
        rows.append({
            "id": i + 1, "kind": "video", "provider": "bilibili", "source_id": source_id,
            "key": f"BV1bench{i:06d}", "details": json.dumps({"bvid": f"BV1bench{i:06d}"}),
            "title": TITLES[i % len(TITLES)].format(i), "cover": "", "steps": _steps(ITEM_STEPS, state),
            "state": "queued" if state == "retrying" else state, "attempts": 2 if state == "retrying" else 0,
            "finished": state in ("done", "failed"), "part_count": 1 + i % 3, "complete": True,
            "path": f"/library/video {i}", "order_at": base + timedelta(minutes=i), "created_at": base,
            "updated_at": base,
        })  # fmt: skip
    return rows


def page_rows(source_id: int, count: int) -> list[dict[str, object]]:
    base = datetime(2025, 1, 1, tzinfo=UTC)
    rows: list[dict[str, object]] = []
    for i in range(count):
        done = i % 6 < 3
        for number in range(1, 2 + i % 3):
            rows.append({
                "kind": "part", "provider": "bilibili", "source_id": source_id, "parent_id": i + 1,
                "key": str((i + 1) * 10 + number), "number": number, "title": f"第{number}集",
                "details": json.dumps({"cid": (i + 1) * 10 + number}), "complete": True,
                "state": "done" if done else "queued", "steps": _steps(PART_STEPS, "done" if done else "queued"),
                "finished": done, "bytes_done": 48 * 2**20 if done else 0, "bytes_total": 48 * 2**20 if done else 0,
                "path": f"/library/video {i}/P{number}.mp4" if done else "", "created_at": base, "updated_at": base,
            })  # fmt: skip
    return rows


def fill(database: Path, videos: int) -> None:
    db = Database(database)
    source = db.call(
        repo.add_source, Source(kind="favorite", locator="fav:1", name="基准收藏夹", path=str(database.parent))
    )
    db.call(repo.insert_tasks_bulk, video_rows(source.id or 0, videos))
    db.call(repo.insert_tasks_bulk, page_rows(source.id or 0, videos))
    db.close()


def progress_event(video_id: int, done_bytes: int) -> TaskProgress:
    """One download's progress as the engine publishes it (the part's id is made up)."""
    return TaskProgress(10**7 + video_id, video_id, done_bytes, 400 * 2**20, 2.5e6, 120.0)


# ---------------------------------------------------------------- measuring


@dataclass
class Lags:
    ticks: list[float]  # how late each tick fired, ms
    started: float
    ended: float


async def measure_lag(seconds: float = 0.0, stop: asyncio.Event | None = None) -> Lags:
    """How late each 5 ms tick fires, in milliseconds (for `seconds`, or until `stop` is set)."""
    loop = asyncio.get_running_loop()
    lags = Lags([], time.perf_counter(), 0.0)
    end = loop.time() + seconds
    while (stop is not None and not stop.is_set()) or (stop is None and loop.time() < end):
        started = time.perf_counter()
        await asyncio.sleep(TICK)
        lags.ticks.append(max(time.perf_counter() - started - TICK, 0.0) * 1000)
    lags.ended = time.perf_counter()
    return lags


def percentiles(lags: Lags) -> tuple[float, float, float]:
    ordered = sorted(lags.ticks) or [0.0]
    p99 = ordered[min(int(len(ordered) * 0.99), len(ordered) - 1)]
    return statistics.median(ordered), p99, ordered[-1]


FULL_COLLECTIONS: list[tuple[float, float]] = []  # (when, ms) of every full garbage collection


def _time_full_collections(phase: str, info: dict[str, int]) -> None:
    if info["generation"] == 2:
        if phase == "start":
            FULL_COLLECTIONS.append((time.perf_counter(), 0.0))
        else:
            when, _ = FULL_COLLECTIONS[-1]
            FULL_COLLECTIONS[-1] = (when, (time.perf_counter() - when) * 1000)


def longest_full_collection(lags: Lags) -> float:
    return max((ms for when, ms in FULL_COLLECTIONS if lags.started <= when <= lags.ended), default=0.0)


async def wait_for(condition: Callable[[], object], timeout: float = 120.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError("the panel did not get there in time")
        await asyncio.sleep(0.005)


def visible_video_ids(panel: TasksPanel, count: int = 20) -> list[int]:
    """The videos on screen right now (the rows a person is looking at)."""
    model = panel.model
    top = panel.tree.indexAt(QPoint(1, 1))
    if not top.isValid():
        return []
    ids = []
    for row in range(top.row(), min(top.row() + count, model.rowCount())):
        video = model.video(model.index(row, 0))
        if video is not None and video.id not in ids:
            ids.append(video.id)
    return ids


async def flood(engine: Engine, targets: Callable[[int], list[int]], rate: int, stop: asyncio.Event) -> int:
    """Publish `rate` TaskProgress events a second on the engine's bus until `stop` is set, every
    10 ms for the videos `targets(count)` names."""
    loop = asyncio.get_running_loop()
    sent = 0
    done_bytes: dict[int, int] = {}
    started = loop.time()
    while not stop.is_set():
        due = int((loop.time() - started) * rate)
        for video_id in targets(due - sent):
            done_bytes[video_id] = done_bytes.get(video_id, 0) + 64 * 1024
            engine.bus.publish(progress_event(video_id, done_bytes[video_id]))
            sent += 1
        await asyncio.sleep(0.01)
    return sent


@dataclass
class Scroll:
    lags: Lags
    seconds: float = 0.0
    waiting: float = 0.0  # time spent at the end of the loaded rows, waiting for the next page
    loads: int = 0
    sent: int = 0
    batches: list[int] = field(default_factory=list)


async def scroll_through(
    panel: TasksPanel, engine: Engine, seconds: float | None, videos: int, rate: int = 0
) -> Scroll:
    """From an empty list to its last row, one scroll step per frame (with `seconds` None: to the
    bottom at every frame); with `rate` > 0 TaskProgress events arrive meanwhile."""
    model, view = panel.model, panel.tree
    bar = view.verticalScrollBar()
    model.reload()
    await wait_for(lambda: model.loaded > 0 and not model.busy)
    await asyncio.sleep(0.2)
    row_height = view.visualRect(model.index(0, 0)).height()
    step = videos * row_height if seconds is None else max(1, round(videos * row_height / (seconds / FRAME)))
    loads = 0

    def count_load(parent: QModelIndex, _first: int, _last: int) -> None:
        nonlocal loads
        loads += not parent.isValid()

    model.rowsInserted.connect(count_load)
    batches: list[int] = []
    panel.bridge.progressBatch.connect(lambda batch: batches.append(len(batch)))
    pick = random.Random(11)

    def targets(count: int) -> list[int]:
        on_screen = visible_video_ids(panel) if count else []
        return [
            pick.choice(on_screen) if on_screen and pick.random() < 0.5 else pick.randint(1, videos)
            for _ in range(count)
        ]

    stop = asyncio.Event()
    ticker = asyncio.ensure_future(measure_lag(stop=stop))
    flooding = asyncio.ensure_future(flood(engine, targets, rate, stop)) if rate else None
    loop = asyncio.get_running_loop()
    started = loop.time()
    waiting = 0.0
    while not (model.exhausted and not model.busy and bar.value() >= bar.maximum()):
        if loop.time() - started > 300:
            raise TimeoutError("scrolling to the end took more than 5 minutes")
        at_end = bar.value() >= bar.maximum()
        bar.setValue(min(bar.value() + step, bar.maximum()))
        frame_started = loop.time()
        await asyncio.sleep(FRAME)
        if at_end:
            waiting += loop.time() - frame_started
    elapsed = loop.time() - started
    stop.set()
    lags = await ticker
    sent = await flooding if flooding is not None else 0
    model.rowsInserted.disconnect(count_load)
    await wait_for(lambda: model.idle)
    return Scroll(lags, elapsed, waiting, loads, sent, batches)


async def run(args: argparse.Namespace) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    empty = QMainWindow()
    empty.resize(1280, 800)
    empty.show()
    await asyncio.sleep(0.3)
    rss_empty = rss_mb()
    empty.close()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = load_config(root / "config.toml", data_dir=root / "data", environ={})
        # filled by another process: the rows built for the insert would stay in this one's RSS
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--fill", str(config.database_path), "--videos", str(args.videos)], check=True
        )
        insert_s = time.perf_counter() - started
        engine = Engine(config, secrets=SecretStore(NullKeyring()))

        bridge = EngineBridge(engine)
        window = QMainWindow()
        panel = TasksPanel(bridge, window)
        window.setCentralWidget(panel)
        window.resize(1280, 800)
        model = panel.model
        started = time.perf_counter()
        window.show()
        await wait_for(lambda: model.loaded > 0 and not model.busy and model.total is not None)
        first_page_ms = (time.perf_counter() - started) * 1000
        rss_first_page = rss_mb()
        await asyncio.sleep(0.3)

        idle = await measure_lag(args.idle_seconds)
        dragged = await scroll_through(panel, engine, None, args.videos)
        dragged_flooded = await scroll_through(panel, engine, None, args.videos, args.rate)
        plain = await scroll_through(panel, engine, args.scroll_seconds, args.videos)
        flooded = await scroll_through(panel, engine, args.scroll_seconds, args.videos, args.rate)
        await asyncio.sleep(0.3)
        rss_all = rss_mb()
        rows_all = model.loaded

        # the same flood on the still list with every row loaded, spread over all of it
        handled: list[float] = []
        original = model._on_progress

        def timed_handler(batch: dict) -> None:  # type: ignore[type-arg]
            began = time.perf_counter()
            original(batch)
            handled.append((time.perf_counter() - began) * 1000)

        bridge.progressBatch.disconnect(model._on_progress)
        bridge.progressBatch.connect(timed_handler)
        pick = random.Random(7)
        stop = asyncio.Event()
        spread = lambda count: [pick.randint(1, args.videos) for _ in range(count)]  # noqa: E731
        flood_task = asyncio.ensure_future(flood(engine, spread, args.rate, stop))
        still_lags = await measure_lag(args.flood_seconds)
        stop.set()
        await flood_task
        bridge.progressBatch.disconnect(timed_handler)
        bridge.progressBatch.connect(model._on_progress)
        await asyncio.sleep(0.2)

        # a state change with every row loaded: the whole id range is read again and merged
        stop = asyncio.Event()
        refresh_lag_task = asyncio.ensure_future(measure_lag(stop=stop))
        step = max(rows_all // 20, 1)
        paused_ids = [model.video(model.index(r, 0)).id for r in range(0, rows_all, step)]  # type: ignore[union-attr]
        started = time.perf_counter()
        await engine.pause_tasks(paused_ids)
        await wait_for(lambda: not model.idle, timeout=5)
        await wait_for(lambda: model.idle, timeout=120)
        refresh_s = time.perf_counter() - started
        stop.set()
        refresh_lags = await refresh_lag_task
        paused_shown = sum(model.video(model.index(model.row_of(i) or 0, 0)).state == "paused" for i in paused_ids)  # type: ignore[union-attr]

        # expanding a video near the end of the list shows its parts
        deep_id = args.videos - 7  # 1 + (videos - 8) % 3 parts
        row = model.row_of(deep_id)
        assert row is not None
        index = model.index(row, 0)
        panel.tree.scrollTo(index)
        await asyncio.sleep(0.2)
        stop = asyncio.Event()
        expand_lag_task = asyncio.ensure_future(measure_lag(stop=stop))
        started = time.perf_counter()
        panel.tree.expand(index)
        await wait_for(lambda: model.video(index) is not None and model.video(index).pages is not None)  # type: ignore[union-attr]
        await wait_for(lambda: model.idle)
        expand_ms = (time.perf_counter() - started) * 1000
        await asyncio.sleep(0.1)
        stop.set()
        expand_lags = await expand_lag_task
        parts_shown = len(model.video(index).pages or [])  # type: ignore[union-attr]

        window.close()
        await bridge.shutdown()
        await engine.close()

    print(
        f"Tasks page with {args.videos:,} videos (database filled in {insert_s:.1f} s by a child process), "
        "window 1280x800, offscreen"
    )
    print(f"first page shown after {first_page_ms:.0f} ms")
    print()
    print(
        f"{'event-loop lag (5 ms ticker)':<48}{'ticks':>7}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'>50 ms':>8}"
        f"{'full gc ms':>12}"
    )
    rows = [
        ("idle, nothing happening (reference)", idle),
        ("dragging to the bottom", dragged.lags),
        (f"dragging to the bottom, {args.rate:,} updates/s", dragged_flooded.lags),
        ("scrolling top to bottom", plain.lags),
        (f"scrolling top to bottom, {args.rate:,} updates/s", flooded.lags),
        (f"{args.rate:,} updates/s, all {rows_all:,} rows loaded", still_lags),
        (f"refresh of all {rows_all:,} rows after a pause", refresh_lags),
        ("expanding a video near the end", expand_lags),
    ]
    for name, lags in rows:
        p50, p99, worst = percentiles(lags)
        stalls = sum(lag > LAG_TARGET_MS for lag in lags.ticks)
        collection = longest_full_collection(lags)
        gc_text = f"{collection:.0f}" if collection else "-"
        print(f"{name:<48}{len(lags.ticks):>7}{p50:>9.2f}{p99:>9.2f}{worst:>9.2f}{stalls:>8}{gc_text:>12}")
    for name, scroll in (
        ("dragging", dragged),
        ("dragging with updates", dragged_flooded),
        ("scrolling", plain),
        ("scrolling with updates", flooded),
    ):
        p99 = percentiles(scroll.lags)[1]
        verdict = "met" if p99 < LAG_TARGET_MS else "NOT met"
        print(
            f"{name}: p99 {p99:.1f} ms, target < {LAG_TARGET_MS:.0f} ms -> {verdict}; top to bottom in "
            f"{scroll.seconds:.1f} s, {scroll.waiting:.1f} s of it at the end of the loaded rows, {scroll.loads} loads"
        )
    print(
        f"updates while scrolling: {flooded.sent:,} events in {len(flooded.batches)} batches "
        f"(median {statistics.median(flooded.batches or [0]):.0f} each); on the still list the model handled a "
        f"batch in median {statistics.median(handled or [0]):.2f} ms, max {max(handled or [0]):.2f} ms"
    )
    print(f"refresh after pausing {len(paused_ids)} videos took {refresh_s:.1f} s; {paused_shown} shown paused")
    print(f"expanding video {deep_id} (row {row:,}) showed its {parts_shown} parts after {expand_ms:.0f} ms")
    print()
    print(f"{'memory (VmRSS)':<48}{'MB':>9}")
    print(f"{'empty window (reference)':<48}{rss_empty:>9.1f}")
    print(f"{'first page of the list':<48}{rss_first_page:>9.1f}")
    print(f"{f'all {rows_all:,} rows loaded by scrolling':<48}{rss_all:>9.1f}")
    print(f"{'difference to the empty window':<48}{rss_all - rss_empty:>9.1f}")
    print(f"target: < {RSS_TARGET_MB:.0f} MB in total -> {'met' if rss_all < RSS_TARGET_MB else 'NOT met'}")
    print(
        "(garbage is collected as in the app: young objects every 2 s, everything every 60 s; 'full gc ms' is the "
        "longest full collection during that row, a stall the list only adds to)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--videos", type=int, default=100_000)
    parser.add_argument("--fill", type=Path, help=argparse.SUPPRESS)  # the child that fills the database
    parser.add_argument("--scroll-seconds", type=float, default=20.0)
    parser.add_argument("--flood-seconds", type=float, default=5.0)
    parser.add_argument("--idle-seconds", type=float, default=3.0)
    parser.add_argument("--rate", type=int, default=1000)
    args = parser.parse_args()
    if args.fill:
        fill(args.fill, args.videos)
        return
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)  # the empty reference window closes first
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    collector = GuiThreadCollector(app)  # garbage collected as in the app: young objects every 2 s, all every 60 s
    gc.callbacks.append(_time_full_collections)
    with loop:
        loop.run_until_complete(run(args))
    collector.stop()


if __name__ == "__main__":
    main()
