"""The player on a real X server: mpv draws a frame, the subtitle and danmaku into the window.

Runs tests/player/screenshot.py under Xvfb in its own process (the offscreen platform has no
window for mpv to draw into) and reads the picture it took of the window.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.timeout(90),
    pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs Xvfb (scripts/system-deps)"),
]


@pytest.mark.parametrize("render", ["wid", "opengl"])  # an embedded native window; mpv's render API (Wayland, macOS)
def test_a_real_frame_with_subtitle_and_danmaku_is_shown_in_the_window(tmp_path: Path, render: str) -> None:
    out = tmp_path / "player.png"
    command = [sys.executable, "-m", "tests.player.screenshot", str(out), render]
    subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", *command],
        cwd=ROOT, check=True, timeout=80, capture_output=True, env={**os.environ, "QT_QPA_PLATFORM": "xcb"},
    )  # fmt: skip
    image = QImage(str(out))
    assert image.width() >= 800 and image.height() >= 500
    video_height = image.height() - 60  # the controls are below

    def pixels(top: float, bottom: float) -> list[QColor]:
        return [
            image.pixelColor(x, y)
            for y in range(int(video_height * top), int(video_height * bottom), 2)
            for x in range(0, image.width(), 2)
        ]

    frame = pixels(0.3, 0.7)
    assert len({c.rgb() for c in frame}) > 50  # the colour bars, not a black box
    white = [c for c in pixels(0.8, 1.0) if min(c.red(), c.green(), c.blue()) > 235]
    assert len(white) > 300  # the subtitle's letters at the bottom
    yellow = [c for c in pixels(0.05, 0.25) if c.red() > 200 and c.green() > 200 and c.blue() < 80]
    assert len(yellow) > 100  # the yellow danmaku comment near the top
