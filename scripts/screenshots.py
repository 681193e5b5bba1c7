"""Screenshots of every panel in English and Chinese, from a demo data set, for docs/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [docs/screenshots] [--only NAME…]

The demo data are real: a fake Bilibili (the one the tests use) runs on 127.0.0.1, SyncDeck
adds a few sources and syncs them, and a throttled download is caught mid-way so the Tasks
panel shows progress. The Playlists panel gets nested playlists of Bilibili videos (with
covers, durations and resume positions), local clips and a direct http link (made with ffmpeg
and served on 127.0.0.1), and a dynamic folder listing the clips' folder. `--only playlists`
writes just those screenshots. The Notes panel shows two note batches written through an
OpenAI-compatible account (the fake LLM server, with a model price so costs show): a finished
one with a failed video, and a paused one; `note-viewer.png` is the note shown beside them.
The Tasks panel gets two torrents (one fetched from a seeder subprocess, one SyncDeck seeds
to a leecher) beside the Bilibili videos (scripts/screenshot_demos.py).
Nothing here touches the network or the user's own data.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desktop.loop import make_loop  # noqa: E402
from tests.fakes.bilibili import FakeBilibili, world  # noqa: E402
from tests.fakes.openai_fake import FakeOpenAI  # noqa: E402
from tests.keyring_service import private_secret_service, selected_for_this_process  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshot_demos import TORRENT_SETTINGS, notes_demo, torrent_peers, torrents_demo  # noqa: E402

LANGUAGES = ("en", "zh_CN")


async def settle(app: QApplication, seconds: float = 0.4) -> None:
    """Let the window and the engine work for a while (the Qt loop runs while we sleep)."""
    await asyncio.sleep(seconds)


def save(widget: QWidget, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(folder / f"{name}.png"))
    print(f"wrote {folder / name}.png")


@contextlib.contextmanager
def clip_server(root: Path):  # type: ignore[no-untyped-def]
    """The clips served over http on 127.0.0.1 (what a direct link plays)."""
    process = subprocess.Popen([sys.executable, "-m", "tests.player.http_server", str(root)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)  # fmt: skip
    try:
        assert process.stdout is not None
        yield f"http://127.0.0.1:{int(process.stdout.readline())}"
    finally:
        process.kill()
        process.wait(5)


async def playlist_demo(engine: object, clips: Path, clips_url: str) -> int:
    """Playlists from several providers; the id of the one to show."""
    book = engine.playlists  # type: ignore[attr-defined]
    later = await book.create("稍后再看 Watch later")
    for link in (world.BVID_SPRING, world.BVID_MULTIPAGE, f"ep{world.EP_FIRST}", world.BVID_DOLBY,
                 f"{clips_url}/h264-other.mp4", str(clips / "hevc.mp4")):  # fmt: skip
        entry = await book.add_link(later, link)
        if link in (world.BVID_MULTIPAGE, world.BVID_DOLBY):
            await book.set_resume(entry.id, entry.duration * 0.4 or 95)
    films = await book.create("Films")
    classics = await book.create("Classics", parent=films)
    await book.add_link(classics, str(clips / "h264.mp4"))
    await book.add_link(classics, world.BVID_HOSTILE)
    await book.create("Documentaries", parent=films)
    await book.add_dynamic(films, str(clips), provider="local", name="Clips (folder)")
    await book.create("Music")
    return int(later)


async def make(app: QApplication, out: Path, tmp: Path, only: set[str]) -> None:
    with FakeOpenAI() as llm_fake, torrent_peers(tmp / "torrents") as peers:
        await make_with(app, out, tmp, only, llm_fake, peers)


async def make_with(app: QApplication, out: Path, tmp: Path, only: set[str], llm_fake: FakeOpenAI,
                    peers: dict[str, object]) -> None:  # fmt: skip
    from core.config import load_config
    from desktop.app import DesktopApp

    fake = FakeBilibili(tmp / "media")
    fake.start()
    try:
        environ = {f"SYNCDECK_BILIBILI_{n.upper()}_HOST": u for n, u in fake.hosts().items()}
        environ.update(SYNCDECK_LIBRARY_ROOT=str(Path.home() / "Videos" / "SyncDeck"))
        environ.update(SYNCDECK_LIMITS_CHUNK_MIN_MIB="0.02")
        config = load_config(tmp / "config.toml", data_dir=tmp / "data", environ=environ,
                             overrides=TORRENT_SETTINGS)  # fmt: skip
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
        from tests.player.media import make_media

        clips = make_media(tmp / "clips" / "media").root
        clips_server = clip_server(clips)
        clips_url = clips_server.__enter__()
        shown_playlist = await playlist_demo(engine, clips, clips_url)
        shown_batches = await notes_demo(engine, tmp / "notes", llm_fake)
        await torrents_demo(engine, peers, tmp / "downloads")
        fake.scenario(media_throttle=1_500)  # still downloading at the Chinese screenshots
        await engine.add_source(world.SERIES_KEY, account_id=account.id)
        round_task = asyncio.ensure_future(engine.sync())
        await settle(app, 2.5)  # downloads under way: progress bars in the Tasks panel
        tasks = window.panels["tasks"]
        for language in LANGUAGES:
            desktop.translations.apply(language)
            folder = out / language
            for key in window.panels:
                if only and key not in only:
                    continue
                window.show_panel(key)
                if key == "tasks":
                    await show_torrents(app, tasks)
                if key == "notes":
                    await show_note(app, window.panels[key], shown_batches[language], folder)
                if key == "playlists":
                    await show_playlist(app, window.panels[key], shown_playlist)
                await settle(app, 1.0)
                save(window, folder, key)
            if only and not only & {"add-source", "qr-login"}:
                continue
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
        clips_server.__exit__(None, None, None)
    finally:
        fake.stop()


async def show_torrents(app: QApplication, panel: QWidget) -> None:
    """The end of the list (the torrents, the downloads under way), arranged as a user would so
    the torrent columns fit in 1280 px: moved next to Speed, Attempts hidden, narrower Source
    and Progress; the title takes what is left up to the window's edge."""
    from desktop.models.tasks import Column

    tree = panel.tree  # type: ignore[attr-defined]
    header = tree.horizontalHeader()
    for place, column in enumerate((Column.UPLOAD, Column.PEERS, Column.RATIO), start=Column.SPEED + 1):
        header.moveSection(header.visualIndex(column), place)
    header.setSectionHidden(Column.ATTEMPTS, True)
    for column, width in {Column.SOURCE: 84, Column.PROGRESS: 130, Column.ETA: 76}.items():
        header.resizeSection(column, width)
    await settle(app, 0.8)
    tree.scrollToBottom()
    shown = [c for c in Column if c != Column.TITLE and not header.isSectionHidden(c)
             and header.visualIndex(c) < header.visualIndex(Column.SUBTASKS)]  # fmt: skip
    header.resizeSection(Column.TITLE, tree.viewport().width() - sum(header.sectionSize(c) for c in shown))


async def show_note(app: QApplication, panel: QWidget, batch: int, folder: Path) -> None:
    """The batch chosen, and its first video's note in the viewer."""
    panel.refresh()  # type: ignore[attr-defined]
    await settle(app, 0.5)
    panel.batches.selectRow(panel.batches_model.row_of(batch))  # type: ignore[attr-defined]
    await settle(app, 0.8)  # its tasks load
    panel.tasks.selectRow(0)  # type: ignore[attr-defined]
    panel.tasks.parentWidget().setSizes([600, 480])  # type: ignore[attr-defined]  # titles and the reason readable
    for column, width in {1: 64, 2: 72, 3: 76, 4: 56, 5: 76, 6: 150}.items():  # state … why it failed
        panel.tasks.horizontalHeader().resizeSection(column, width)  # type: ignore[attr-defined]
    await settle(app, 0.3)
    save(panel.viewer, folder, "note-viewer")  # type: ignore[attr-defined]


async def show_playlist(app: QApplication, panel: QWidget, playlist: int) -> None:
    """The playlist chosen in the tree (its parents open), its entries with their covers."""
    await settle(app, 0.5)
    index = panel.tree_model.index_of(("node", playlist))  # type: ignore[attr-defined]
    panel.tree.expandAll()  # type: ignore[attr-defined]
    panel.tree.setCurrentIndex(index)  # type: ignore[attr-defined]
    await settle(app, 1.5)  # entries and covers load


def main() -> int:
    args = sys.argv[1:]
    only = set(args[args.index("--only") + 1 :]) if "--only" in args else set()
    args = args[: args.index("--only")] if "--only" in args else args
    out = Path(args[0]) if args else ROOT / "docs" / "screenshots"
    app = QApplication.instance() or QApplication([])
    loop = make_loop(app)
    asyncio.set_event_loop(loop)
    with (
        tempfile.TemporaryDirectory() as tmp,
        private_secret_service() as keyring_service,
        selected_for_this_process(keyring_service),
        loop,
    ):
        loop.run_until_complete(make(app, out, Path(tmp), only))
    return 0


if __name__ == "__main__":
    sys.exit(main())
