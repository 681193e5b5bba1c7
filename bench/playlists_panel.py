"""The Playlists page at scale: event-loop lag while scrolling a playlist of 100,000 entries
and a dynamic folder of 10,000 children.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/playlists_panel.py [--entries 100000]
        [--children 10000] [--scroll-seconds 10]

The real PlaylistsPanel, in a shown 1280x800 window, over the real engine: a temporary
database with one playlist of `--entries` entries (bulk-inserted before the window opens) and
a dynamic folder backed by the toybox media server (tests/playlists/toybox.py, a subprocess on
127.0.0.1) listing `--children` files. A 5 ms asyncio ticker on the qasync loop measures how
late the loop runs while:

- idle: the reference;
- "dragging to the bottom": the scroll bar's handle held at the bottom every 16 ms frame, so
  the list moves as fast as pages arrive (keyset pages by position from SQLite; pages of 500
  from the server for the dynamic folder);
- "scrolling": the scroll bar moved down every frame at a speed that would reach the end in
  `--scroll-seconds` if every row were there, waiting at the end of what is loaded.

Garbage is collected as in the app (desktop.app.GuiThreadCollector). Prints p50/p99/max lag
per phase against the 50 ms target; always exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync  # noqa: E402
from keyring.backends.null import Keyring as NullKeyring  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402

from core.config import load_config  # noqa: E402
from core.engine.engine import Engine  # noqa: E402
from core.engine.playlists import rows  # noqa: E402
from core.providers.registry import PROVIDERS, ProviderRegistry  # noqa: E402
from core.secrets import SecretStore  # noqa: E402
from desktop.app import GuiThreadCollector  # noqa: E402
from desktop.bridge import EngineBridge  # noqa: E402
from desktop.panels.playlists import PlaylistsPanel  # noqa: E402
from tests.playlists.toybox import ToyboxServer, bound_toybox  # noqa: E402

TICK = 0.005
FRAME = 0.016
LAG_TARGET_MS = 50.0
TITLES = ("【4K】城市夜景延时摄影", "料理笔记：红烧肉的十种做法", "Minecraft 生存 EP{}", "纪录片：长江 第{}集")


async def measure(seconds: float = 0.0, stop: asyncio.Event | None = None) -> list[float]:
    loop = asyncio.get_running_loop()
    ticks: list[float] = []
    end = loop.time() + seconds
    while (stop is not None and not stop.is_set()) or (stop is None and loop.time() < end):
        started = time.perf_counter()
        await asyncio.sleep(TICK)
        ticks.append(max(time.perf_counter() - started - TICK, 0.0) * 1000)
    return ticks


def summary(ticks: list[float]) -> tuple[float, float, float]:
    ordered = sorted(ticks) or [0.0]
    return statistics.median(ordered), ordered[min(int(len(ordered) * 0.99), len(ordered) - 1)], ordered[-1]


async def wait_for(condition: Callable[[], object], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the panel did not get there in time")
        await asyncio.sleep(0.005)


async def scroll(panel: PlaylistsPanel, total: int, *, drag: bool, seconds: float) -> tuple[list[float], float]:
    """Scroll the list to its last row; the lag ticks and how long it took."""
    bar = panel.list.verticalScrollBar()
    row_height = panel.list.verticalHeader().defaultSectionSize()
    speed = total * row_height / seconds  # pixels a second, for "scrolling"
    stop = asyncio.Event()
    lag = asyncio.ensure_future(measure(stop=stop))
    started = time.perf_counter()
    position = 0.0
    while True:
        if drag:
            bar.setValue(bar.maximum())
        else:
            position = min(position + speed * FRAME, bar.maximum())
            bar.setValue(int(position))
        if panel.items.rowCount() >= total and bar.value() >= bar.maximum():
            break
        if time.perf_counter() - started > 180:
            break
        await asyncio.sleep(FRAME)
    took = time.perf_counter() - started
    stop.set()
    return await lag, took


async def run(args: argparse.Namespace) -> list[tuple[str, tuple[float, float, float], str]]:
    results: list[tuple[str, tuple[float, float, float], str]] = []
    with tempfile.TemporaryDirectory() as tmp, ToyboxServer(big=args.children) as toybox:
        config = load_config(Path(tmp) / "c.toml", data_dir=Path(tmp) / "data", environ={})
        registry = ProviderRegistry(config, [*PROVIDERS, bound_toybox(toybox.base_url)])
        engine = Engine(config, secrets=SecretStore(NullKeyring()), registry=registry)
        book = engine.playlists
        playlist = await book.create("Bench")
        filled = time.perf_counter()
        batch = [
            {"title": TITLES[n % len(TITLES)].format(n), "provider": "toybox", "duration": 60 + n % 3000,
             "item_json": "{}", "resume": float(n % 7 * 30)}
            for n in range(args.entries)
        ]  # fmt: skip
        await engine.db.run(rows.insert_entries_bulk, playlist, batch)
        fill_s = time.perf_counter() - filled
        folder = await book.add_dynamic(None, "/Big", provider="toybox", name="Big folder")
        bridge = EngineBridge(engine)
        window = QMainWindow()
        panel = PlaylistsPanel(bridge)
        window.setCentralWidget(panel)
        window.resize(1280, 800)
        window.show()
        await wait_for(lambda: panel.items.rowCount() > 0)
        results.append(("idle", summary(await measure(2.0)), ""))
        for drag in (True, False):
            panel.tree.setCurrentIndex(panel.tree_model.index_of(("node", playlist)))
            await wait_for(lambda: 0 < panel.items.rowCount() < args.entries)
            ticks, took = await scroll(panel, args.entries, drag=drag, seconds=args.scroll_seconds)
            name = "dragging to the bottom" if drag else "scrolling"
            results.append((f"{args.entries:,} entries, {name}", summary(ticks), f"{took:.1f} s"))
            panel.tree.setCurrentIndex(panel.tree_model.index_of(("node", folder)))
            await wait_for(lambda: 0 < panel.items.rowCount() < args.children)
            ticks, took = await scroll(panel, args.children, drag=drag, seconds=args.scroll_seconds)
            results.append((f"{args.children:,} dynamic children, {name}", summary(ticks), f"{took:.1f} s"))
        print(f"(filled {args.entries:,} entries in {fill_s:.1f} s)")
        window.hide()
        await bridge.shutdown()
        await engine.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--scroll-seconds", type=float, default=10.0)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    collector = GuiThreadCollector(app)  # type: ignore[arg-type]
    with loop:
        results = loop.run_until_complete(run(args))
    collector.stop()
    print(f"{'phase':<44} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7}  {'took':>7}  target p99 < {LAG_TARGET_MS:.0f} ms")
    for name, (p50, p99, worst), took in results:
        verdict = "" if name == "idle" else ("ok" if p99 < LAG_TARGET_MS else "OVER")
        print(f"{name:<44} {p50:7.1f} {p99:7.1f} {worst:7.1f}  {took:>7}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
