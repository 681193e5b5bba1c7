"""Session fixtures: the media made once, and a loopback server for it in its own process."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.player.media import Media, make_media

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class MediaServer:
    base: str
    log: Path

    def url(self, path: Path | str) -> str:
        return f"{self.base}/{Path(path).relative_to(self.log.parent / 'media') if isinstance(path, Path) else path}"

    def requests(self) -> list[dict]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> Media:
    return make_media(tmp_path_factory.mktemp("player") / "media")


@pytest.fixture(scope="session")
def media_server(media: Media) -> Iterator[MediaServer]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.player.http_server", str(media.root)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        yield MediaServer(f"http://127.0.0.1:{port}", media.root.parent / "requests.log")
    finally:
        process.kill()
        process.wait(5)
