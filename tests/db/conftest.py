"""A real SyncDeck data folder with a database holding a source, run through `core.cli.main.main`.

Damage is done to the real file afterwards, as a crash, a full disk or a bad copy would.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.cli.main import main
from core.store import repo
from core.store.db import Database
from core.store.models import Source


@pytest.fixture(autouse=True)
def restore_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """main() sets up SyncDeck's log handlers on the root logger; put pytest's back afterwards."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)


@dataclass
class Run:
    code: int
    out: str
    err: str


class Deck:
    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.capsys = capsys
        self.data = root / "data"
        self.library = root / "library"
        self.config = root / "config.toml"
        self.config.write_text(f'[library]\nroot = "{self.library.as_posix()}"\n', encoding="utf-8")
        self.db = self.data / "syncdeck.db"

    def run(self, *args: str) -> Run:
        self.capsys.readouterr()
        code = main(["--data-dir", str(self.data), "--config", str(self.config), *args])
        out, err = self.capsys.readouterr()
        return Run(code, out, err)

    def make(self) -> None:
        """A database with one source and a video in its library folder, opened twice so the
        daily backup exists (the first open makes it new, the second copies it)."""
        folder = self.library / "Favourites"
        folder.mkdir(parents=True)
        (folder / "video.mp4").write_bytes(b"\x00" * 1000)
        db = Database(self.db)
        db.call(repo.add_source, Source(kind="favorite", locator="fav:1", name="Favourites", path=str(folder)))
        db.close()
        Database(self.db).close()

    def library_state(self) -> list[tuple[str, int, int]]:
        return sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in self.library.rglob("*"))


@pytest.fixture
def deck(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Deck:
    made = Deck(tmp_path, capsys)
    made.make()
    return made


def assert_plain_failure(run: Run, *words: str) -> None:
    """Exit 1, nothing on stdout, one paragraph on stderr naming the thing; no traceback."""
    assert run.code == 1, (run.code, run.out, run.err)
    assert run.out == ""
    assert "Traceback" not in run.err
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("syncdeck: "), run.err
    for word in words:
        assert word in run.err, (word, run.err)
