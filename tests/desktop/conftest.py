"""Desktop tests: real widgets offscreen, on one qasync loop for the whole session.

Rules (see the desktop stack notes): async tests run on the session's qasync loop; inside an
async test never use qtbot.wait/waitUntil/waitSignal — poll with `await until(...)`; fake
servers run in subprocesses; never stop the loop mid-session.
"""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from keyring.backends.null import Keyring as NullKeyring
from PySide6.QtWidgets import QApplication, QWidget

from core.config import Config, load_config
from core.engine.engine import Engine
from core.secrets import SecretStore
from desktop.bridge import EngineBridge
from desktop.loop import make_loop
from tests.fakes.bilibili import FakeBilibili, world
from tests.keyring_service import secret_service  # noqa: F401  (registers the fixture)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "test-screenshots"


@pytest.fixture(autouse=True)
def collect_garbage_on_the_gui_thread() -> Iterator[None]:
    """Cyclic garbage is freed here, on the GUI thread, never by chance on a worker thread.

    Left to itself, Python's collector runs on whichever thread allocates (often a database
    or keyring worker); a QObject (a bridge, qasync's timers) destroyed there corrupts Qt's
    timer lists and crashes a later test. The app does the same with a timer (desktop/app.py).
    """
    gc.disable()
    gc.collect()
    yield
    gc.collect()
    gc.enable()


def _application() -> QApplication:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    # As in the app (desktop/app.py): closing the last window must not quit. Here a posted quit
    # would stop the session's loop inside whichever coroutine runs next ("Event loop stopped
    # before Future completed").
    app.setQuitOnLastWindowClosed(False)
    return app


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> dict[str, Callable[[], asyncio.AbstractEventLoop]]:
    return {"qasync": lambda: make_loop(_application())}


async def until(condition: Callable[[], object], timeout: float = 20.0, what: str = "") -> None:
    """Poll the condition while the Qt loop keeps running (the async-safe waitUntil)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await asyncio.sleep(0.02)


def screenshot(widget: QWidget, name: str) -> Path:
    """Save what the widget shows, for a reviewer to look at (build/test-screenshots/)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    widget.grab().save(str(path))
    return path


def desktop_config(fake: FakeBilibili, root: Path, **settings: str) -> Config:
    environ = {f"SYNCDECK_BILIBILI_{name.upper()}_HOST": url for name, url in fake.hosts().items()}
    environ.update(SYNCDECK_LIBRARY_ROOT=str(root / "library"), SYNCDECK_LIMITS_CHUNK_MIN_MIB="0.02")
    environ.update({"SYNCDECK_" + k.upper().replace(".", "_"): v for k, v in settings.items()})
    return load_config(root / "config.toml", data_dir=root / "data", environ=environ)


@pytest.fixture
async def bridge(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[EngineBridge]:
    """An engine logged in through the environment, against the fake Bilibili, and its bridge."""
    monkeypatch.setenv("SYNCDECK_BILIBILI_COOKIE", world.COOKIE)
    engine = Engine(desktop_config(fake_bili, tmp_path), secrets=SecretStore(NullKeyring()))
    bridge = EngineBridge(engine)
    yield bridge
    await bridge.shutdown()
    await engine.close()
    bridge.deleteLater()
