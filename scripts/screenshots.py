"""Screenshots of every panel in English and Chinese, from a demo data set, for docs/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [docs/screenshots]

The demo data are real: a fake Bilibili (the one the tests use) runs on 127.0.0.1, SyncDeck
adds a few sources and syncs them, and a throttled download is caught mid-way so the Tasks
panel shows progress. Nothing here touches the network or the user's own data.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desktop.loop import make_loop  # noqa: E402
from tests.fakes.bilibili import FakeBilibili, world  # noqa: E402
from tests.keyring_service import private_secret_service, selected_for_this_process  # noqa: E402

LANGUAGES = ("en", "zh_CN")


async def settle(app: QApplication, seconds: float = 0.4) -> None:
    """Let the window and the engine work for a while (the Qt loop runs while we sleep)."""
    await asyncio.sleep(seconds)


def save(widget: QWidget, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(folder / f"{name}.png"))
    print(f"wrote {folder / name}.png")


async def make(app: QApplication, out: Path, tmp: Path) -> None:
    from core.config import load_config
    from desktop.app import DesktopApp

    fake = FakeBilibili(tmp / "media")
    fake.start()
    try:
        environ = {f"SYNCDECK_BILIBILI_{n.upper()}_HOST": u for n, u in fake.hosts().items()}
        environ.update(SYNCDECK_LIBRARY_ROOT=str(Path.home() / "Videos" / "SyncDeck"))
        environ.update(SYNCDECK_LIMITS_CHUNK_MIN_MIB="0.02")
        config = load_config(tmp / "config.toml", data_dir=tmp / "data", environ=environ)
        desktop = DesktopApp(app, config)
        engine, window = desktop.engine, desktop.window
        window.resize(1280, 760)
        window.show()
        account = await engine.import_cookie(world.COOKIE, "主账号")  # into the private keyring
        await engine.add_source(world.FAV_KEY, account_id=account.id)
        await engine.add_source(world.SEASON_KEY, account_id=account.id)
        await engine.add_source(world.UP_B_KEY, account_id=account.id, rules="title contains 第3")
        await engine.add_source("ss:401+all", name="测试番剧", account_id=account.id)
        await engine.sync()
        fake.scenario(media_throttle=6_000)
        await engine.add_source(world.SERIES_KEY, account_id=account.id)
        round_task = asyncio.ensure_future(engine.sync())
        await settle(app, 2.5)  # downloads under way: progress bars in the Tasks panel
        tasks = window.panels["tasks"]
        for language in LANGUAGES:
            desktop.translations.apply(language)
            folder = out / language
            for key in window.panels:
                window.show_panel(key)
                if key == "tasks":
                    tasks.search_edit.setText("料理")  # the two videos downloading right now
                await settle(app, 1.0)
                save(window, folder, key)
            window.show_panel("sources")
            dialog = window.panels["sources"].add_source()
            dialog.link_edit.setText(
                f"https://space.bilibili.com/{world.UP_A_MID}/channel/collectiondetail?sid={world.SEASON_ID}"
            )
            await settle(app, 2.0)
            save(dialog, folder, "add-source")
            dialog.reject()
            window.show_panel("accounts")
            qr = window.panels["accounts"].open_qr_login()
            await settle(app, 1.5)
            save(qr, folder, "qr-login")
            qr.reject()
        round_task.cancel()
        await asyncio.gather(round_task, return_exceptions=True)
        await desktop.shutdown()
    finally:
        fake.stop()


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    app = QApplication.instance() or QApplication([])
    loop = make_loop(app)
    asyncio.set_event_loop(loop)
    with (
        tempfile.TemporaryDirectory() as tmp,
        private_secret_service() as keyring_service,
        selected_for_this_process(keyring_service),
        loop,
    ):
        loop.run_until_complete(make(app, out, Path(tmp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
