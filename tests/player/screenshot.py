"""The player window with a real frame, a subtitle and danmaku, for the docs.

Run under a real X server (mpv draws into the window's native video widget there; the
offscreen platform has no window for it):

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python -m tests.player.screenshot build/player.png [opengl]

The optional last word draws through mpv's render API into an OpenGL widget (as on Wayland
and macOS) instead of into an embedded native window.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

from PySide6.QtWidgets import QApplication

from core.engine.playback.views import PlaybackInfo, SubtitleChoice
from desktop.loop import make_loop
from desktop.player.contract import ListQueue, PlayerHooks
from desktop.player.window import PlayerWindow
from desktop.theme import _dark_palette, apply_theme
from tests.player.media import DANMAKU_ASS, ffmpeg

# Comments spread over the screen at the moment of the picture (1.6 s in), as a busy video has.
COMMENTS = [
    (0.0, 5.0, 40, "{\\c&H00FFFF&}233333333"),
    (0.5, 6.0, 75, "front row!"),
    (1.0, 5.5, 110, "{\\c&HFFC0A0&}the colour bars are back"),
    (0.2, 4.2, 145, "this part again lol"),
    (1.2, 6.0, 180, "{\\c&H90FF90&}subtitle AND danmaku, nice"),
]


def danmaku_script() -> str:
    events = [
        f"Dialogue: 2,0:00:0{start:.2f},0:00:0{end:.2f},Danmaku,,0000,0000,0000,,{{\\move(580,{row},-220,{row})}}{text}"
        for start, end, row, text in COMMENTS
    ]
    head = DANMAKU_ASS[: DANMAKU_ASS.index("Dialogue:")]
    return head + "\n".join(events) + "\n"


SUBTITLE = "1\n00:00:00,000 --> 00:00:06,000\nThe subtitle sits under the danmaku\n\n"


def make_clip(folder: Path) -> Path:
    clip = folder / "clip.mp4"
    subprocess.run(
        [ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=640x360:r=25:d=6",
         "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", str(clip)],
        check=True,
    )  # fmt: skip
    return clip


async def capture(window: PlayerWindow, out: Path) -> None:
    started = asyncio.Event()
    window.itemStarted.connect(lambda *_: started.set())
    await asyncio.wait_for(started.wait(), 20)
    while window.position() < 1.6:
        await asyncio.sleep(0.05)
    window.toggle_pause()
    await asyncio.sleep(1.0)
    screen = QApplication.primaryScreen()
    image = screen.grabWindow(window.winId())
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(str(out))


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "build/player.png")
    render = sys.argv[2] if len(sys.argv) > 2 else "wid"
    app = QApplication.instance() or QApplication(sys.argv)
    apply_theme(app, "dark")
    app.setPalette(_dark_palette())  # Xvfb has no platform theme to ask for a dark scheme
    loop = make_loop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clip = make_clip(folder)
        (folder / "sub.srt").write_text(SUBTITLE, encoding="utf-8")
        (folder / "danmaku.ass").write_text(danmaku_script(), encoding="utf-8")
        info = PlaybackInfo(
            title="Big clip (1080p)", url=str(clip), mode="direct", quality="1080p",
            qualities=("1080p", "720p", "360p"), duration=6.0,
            subtitles=(SubtitleChoice("en", "English", str(folder / "sub.srt"), "srt"),),
            danmaku_url=str(folder / "danmaku.ass"),
        )  # fmt: skip
        hooks = PlayerHooks(resolve=lambda entry, quality: info, open_external=lambda entry, info: None)
        window = PlayerWindow(hooks, engine_options={"ao": "null", "vo": "x11", "hwdec": "no", "render": render})
        window.resize(800, 520)
        window.play(ListQueue(["clip", "next"]))
        with loop:
            loop.run_until_complete(capture(window, out))
        window.shutdown()
    print(out)


if __name__ == "__main__":
    main()
