"""Time from "play" to the first decoded frame, for a local MP4 served over loopback HTTP.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/player_first_frame.py [--rounds 5]

A 10 s 1280x720 H.264 + AAC MP4 (made with ffmpeg) is served by a static file server with
Range support (tests/player/http_server.py) in its own process, as the app's stream proxy
serves a stream. Measured, each `--rounds` times on a fresh engine:

- the real PlayerWindow: `play(queue)` to its itemStarted signal (resolve, loadfile, open
  over HTTP, probe, decode, first frame shown; mpv with vo=null, ao=null, hwdec=no);
- the same through the window after a seek target (resume at 5 s: start_at);
- Qt Multimedia's QMediaPlayer (ffmpeg backend) with a QVideoSink, `play()` to the first
  valid frame, when PySide6-Addons is installed (it is not a dependency: the comparison that
  chose the engine).

Target: under 1 s. Always exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from core.engine.playback.views import PlaybackInfo  # noqa: E402
from desktop.loop import make_loop  # noqa: E402
from tests.player.media import ffmpeg  # noqa: E402

TARGET = 1.0


def make_clip(folder: Path) -> Path:
    clip = folder / "clip.mp4"
    subprocess.run(
        [ffmpeg(), "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=30:d=10", "-f", "lavfi", "-i", "sine=f=440:d=10",
         "-c:v", "libx264", "-preset", "veryfast", "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac",
         "-shortest", "-movflags", "+faststart", str(clip)],
        check=True,
    )  # fmt: skip
    return clip


async def window_first_frame(url: str, start_at: float) -> float:
    from desktop.player.contract import ListQueue, PlayerHooks
    from desktop.player.window import PlayerWindow

    info = PlaybackInfo(title="clip", url=url, mode="proxied", start_at=start_at)
    window = PlayerWindow(PlayerHooks(resolve=lambda entry, quality: info),
                          engine_options={"vo": "null", "ao": "null", "hwdec": "no"})  # fmt: skip
    shown = asyncio.get_running_loop().create_future()
    window.itemStarted.connect(lambda *_: shown.done() or shown.set_result(time.perf_counter()))
    began = time.perf_counter()
    window.play(ListQueue(["clip"]))
    try:
        return await asyncio.wait_for(shown, 10) - began
    finally:
        window.shutdown()
        window.deleteLater()


async def qt_multimedia_first_frame(url: str) -> float | None:
    try:
        from PySide6.QtCore import QUrl
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoSink
    except ImportError:
        return None
    player, sink, audio = QMediaPlayer(), QVideoSink(), QAudioOutput()
    player.setVideoSink(sink)
    player.setAudioOutput(audio)
    shown = asyncio.get_running_loop().create_future()
    sink.videoFrameChanged.connect(
        lambda frame: frame.isValid() and not shown.done() and shown.set_result(time.perf_counter())
    )
    began = time.perf_counter()
    player.setSource(QUrl(url))
    player.play()
    try:
        return await asyncio.wait_for(shown, 10) - began
    finally:
        player.stop()
        player.deleteLater()


def row(name: str, times: list[float]) -> str:
    verdict = "OK" if statistics.median(times) < TARGET else "SLOW"
    return (f"| {name} | {statistics.median(times) * 1000:.0f} ms | {min(times) * 1000:.0f} ms | "
            f"{max(times) * 1000:.0f} ms | {verdict} |")  # fmt: skip


async def run(rounds: int, url: str, engine: str) -> None:
    results: dict[str, list[float]] = {}
    for _ in range(rounds):
        if engine == "mpv":
            for name, start in (("from the start", 0.0), ("resume at 5 s", 5.0)):
                key = f"PlayerWindow (libmpv), {name}"
                results.setdefault(key, []).append(await window_first_frame(url, start))
        elif (seconds := await qt_multimedia_first_frame(url)) is not None:
            results.setdefault("Qt Multimedia QMediaPlayer (ffmpeg backend)", []).append(seconds)
    for name, times in results.items():
        print(row(name, times), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--engine", choices=("all", "mpv", "qt"), default="all")
    parser.add_argument("--url", help=argparse.SUPPRESS)  # the served clip, for the Qt child process
    args = parser.parse_args()
    if args.url:
        measure(args.rounds, args.url, args.engine)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "media"
        folder.mkdir()
        make_clip(folder)
        server = subprocess.Popen(
            [sys.executable, "-m", "tests.player.http_server", str(folder)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        log = (Path(tmp) / "engines.log").open("w")  # FFmpeg's chatter
        try:
            assert server.stdout is not None
            url = f"http://127.0.0.1:{int(server.stdout.readline())}/clip.mp4"
            print(f"\nFirst frame of a 1280x720 H.264 MP4 over loopback HTTP, {args.rounds} rounds (target < 1 s)\n")
            print("| engine | median | fastest | slowest | target |")
            print("|---|---|---|---|---|", flush=True)
            # Each engine in its own process: libmpv and Qt Multimedia bring different FFmpeg
            # builds, and the two in one process crash.
            for engine in ("mpv", "qt") if args.engine == "all" else (args.engine,):
                if engine == "qt" and importlib.util.find_spec("PySide6.QtMultimedia") is None:
                    print("| Qt Multimedia | not installed (PySide6-Addons) | | | |")
                    continue
                subprocess.run(
                    [sys.executable, __file__, "--rounds", str(args.rounds), "--engine", engine, "--url", url],
                    stderr=log, stdin=subprocess.DEVNULL, timeout=300, check=False,
                )  # fmt: skip
        finally:
            server.kill()
            server.wait(5)


def measure(rounds: int, url: str, engine: str) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)  # each round's window closes; the loop must go on
    loop = make_loop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(run(rounds, url, engine))


if __name__ == "__main__":
    main()
