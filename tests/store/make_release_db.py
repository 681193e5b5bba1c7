"""Make `tests/store/data/release-0.1.sqlite` and `release-0.1.json`: a database written by
release 0.1 (schema 0003) the way a person using it would have filled it, for the tests of
later schema migrations.

The script drives this checkout's `syncdeck` command line (`core.cli.main.main`) and, for what
the Tasks panel does (pausing and cancelling a video while it downloads), its Engine, against
the fake Bilibili of tests/fakes/bilibili. Logins go into a private, throw-away Secret Service
(tests/keyring_service.py), so the database keeps only the account's keyring reference.

It records whatever schema its checkout's code writes, so it refuses to run on code whose
schema is not 0003: after the schema changes, run it from a checkout of the release (see
tests/store/data/README.md). Needs ffmpeg, dbus-daemon and gnome-keyring-daemon, like the e2e
tests, and the port 47801 free (or --port):

    .venv/bin/python tests/store/make_release_db.py [--workdir DIR] [--out DIR]

The work folder (default /tmp/syncdeck-release-0.1) is wiped first (only if empty or made by
this script); the library and data
folders inside it are the paths the database records, so reruns with the same work folder
give the same paths. Ids, bvids, cids, states and status ints come out the same on every
run; times (created_at, fav_time, pubtime, cooldown_until…) follow the clock.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))  # this checkout's `core`, not an installed one

from core.cli.main import main as syncdeck_main  # noqa: E402
from core.config import load_config  # noqa: E402
from core.engine import status as st  # noqa: E402
from core.engine.engine import Engine  # noqa: E402
from core.events import Event, Progress  # noqa: E402
from core.store.db import HEAD_REVISION  # noqa: E402
from tests.fakes.bilibili import FakeBilibili, world  # noqa: E402
from tests.keyring_service import private_secret_service, selected_for_this_process  # noqa: E402

RELEASE = "0.1"
RELEASE_SCHEMA = "0003"
WORKDIR_MARK = ".made-by-make_release_db"
FIXTURE_NAME = f"release-{RELEASE}"
DEFAULT_WORKDIR = Path("/tmp/syncdeck-release-0.1")
DEFAULT_OUT = Path(__file__).resolve().parent / "data"
# A fixed port: cover and avatar URLs in the database carry the fake's address.
DEFAULT_PORT = 47801
TABLES = ("alembic_version", "account", "source", "video", "page", "roundrecord")

PLAYURL = "/x/player/wbi/playurl"
DANMAKU = "/x/v2/dm/wbi/web/seg.so"
SUBTITLE_TRACKS = "/x/player/wbi/v2"

# The UP-uploads source stops on risk control; its cool-down is made long enough that it is
# still "in the future" whenever a test reads the fixture (ten years from the day it was made).
COOLDOWN_S = 10 * 365 * 24 * 3600


class Deck:
    """One SyncDeck installation in `workdir`: config file, data folder, library."""

    def __init__(self, workdir: Path, fake: FakeBilibili) -> None:
        self.workdir = workdir
        self.data = workdir / "data"
        self.library = workdir / "library"
        self.config = workdir / "config.toml"
        self.fake_url = fake.base_url
        self.config.write_text(
            "[library]\n"
            f"root = {json.dumps(str(self.library))}\n"
            "[limits]\n"
            "chunk_min_mib = 0.02\n"  # the small fake media still get split into ranges
            "[bilibili]\n" + "".join(f'{name}_host = "{url}"\n' for name, url in fake.hosts().items()),
            encoding="utf-8",
        )

    def run(self, *args: str, sets: tuple[str, ...] = (), expect: int | None = 0) -> str:
        """`syncdeck --config … --data-dir … [--set …] ARGS`; returns what it printed."""
        argv = ["--config", str(self.config), "--data-dir", str(self.data)]
        for pair in sets:
            argv += ["--set", pair]
        argv += list(args)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = syncdeck_main(argv)
        if expect is not None and code != expect:
            raise SystemExit(f"syncdeck {' '.join(args)} exited {code}, expected {expect}:\n{out.getvalue()}")
        return out.getvalue()

    def add(self, link: str, *extra: str) -> int:
        out = self.run("source", "add", link, *extra)
        return int(out.split("#", 1)[1].split(":", 1)[0])

    def sync(self, source_id: int, *, sets: tuple[str, ...] = (), expect: int | None = 0) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(
            self.run("sync", "--json", "--source", str(source_id), sets=sets, expect=expect)
        )
        print(
            f"  round {result['round_id']} (source {source_id}): {result['outcome']}, {result['new_items']} new, "
            f"{result['downloaded']} downloaded, {result['failed']} failed, {result['removed']} removed"
        )
        return result

    def video_id(self, bvid: str) -> int:
        rows = json.loads(self.run("task", "list", "--search", bvid, "--json"))
        (row,) = [r for r in rows if r["bvid"] == bvid]
        return int(row["id"])


async def pause_and_cancel_mid_download(
    deck: Deck, source_id: int, pause_bvid: str, cancel_bvid: str, timeout: float = 90
) -> None:
    """What the Tasks panel does: while a round downloads both videos, pause one and cancel the other."""
    config = load_config(deck.config, data_dir=deck.data)
    engine = Engine(config)
    downloading: set[int] = set()

    def on_event(event: Event) -> None:
        if isinstance(event, Progress) and event.done_bytes > 0:
            downloading.add(event.video_id)

    engine.bus.subscribe(on_event)
    try:
        round_task = asyncio.create_task(engine.sync([source_id]))
        deadline = time.monotonic() + timeout
        ids: dict[str, int] = {}
        while True:
            if round_task.done() or time.monotonic() > deadline:
                raise SystemExit("the round ended before both videos were downloading; lower the media throttle")
            if len(ids) < 2:
                for row in await engine.tasks(source_id=source_id, limit=1000):
                    if row.bvid in (pause_bvid, cancel_bvid):
                        ids[row.bvid] = row.id
            if len(ids) == 2 and {ids[pause_bvid], ids[cancel_bvid]} <= downloading:
                break
            await asyncio.sleep(0.02)
        await engine.pause_videos([ids[pause_bvid]])
        await engine.cancel_videos([ids[cancel_bvid]])
        result = await round_task
        print(f"  round {result.round_id} (source {source_id}, Engine): {result.outcome}, paused and cancelled")
    finally:
        await engine.close()


class Favourites:
    """A favourite folder of the fake account that the script fills one video at a time."""

    def __init__(self, fake: FakeBilibili, title: str) -> None:
        self.fake = fake
        self.key = f"fav:{fake.add_favorite_folder(title)}"
        self.last_added = 0

    def add(self, title: str, tag: str) -> str:
        """Favourite a new video in a second of its own: a favourites scan takes only what is
        newer than the newest it saw, so two videos must never share that second."""
        while int(time.time()) <= self.last_added:
            time.sleep(0.05)
        self.last_added = int(time.time())
        return str(self.fake.add_video(self.key, {"title": title, "tags": [tag], "added": self.last_added})["bvid"])


def build(deck: Deck, fake: FakeBilibili) -> dict[str, Any]:
    """Fill the installation; returns which row is which case."""
    cases: dict[str, Any] = {}

    print("login")
    deck.run("login", "bilibili", "--cookie", world.COOKIE, "--name", "主账号")

    print("favourites fav:101, fully synced")
    fav = deck.add(world.FAV_KEY)
    deck.sync(fav)

    print("second favourite folder: the troubled videos")
    folder = Favourites(fake, "故障收藏夹")
    removed = folder.add("后来被移出收藏夹的视频", "移出")
    trouble = deck.add(folder.key, "--schedule", "3600")
    deck.sync(trouble)
    fake.remove_item(folder.key, removed)
    deck.sync(trouble, sets=("risk.removal_check_h=0",))  # the removal check runs this round

    # Danmaku answers an API error four rounds running: the sub-task gives up.
    gave_up = folder.add("弹幕四次失败的视频", "失败")
    fake.scenario(fail={"endpoint": DANMAKU, "code": -500, "count": 4})
    for _ in range(4):
        deck.sync(trouble, expect=None)

    # Paused and cancelled in the middle of their downloads.
    paused = folder.add("下载中暂停的视频", "暂停")
    cancelled = folder.add("下载中取消的视频", "取消")
    fake.scenario(media_throttle=20_000)
    asyncio.run(pause_and_cancel_mid_download(deck, trouble, paused, cancelled))
    fake.scenario(media_throttle=0)

    # The subtitle list answers an API error once: one attempt spent, three left.
    retrying = folder.add("字幕失败一次的视频", "重试")
    fake.scenario(fail={"endpoint": SUBTITLE_TRACKS, "code": -500, "count": 1})
    deck.sync(trouble, expect=None)

    print("bangumi ss:401 with its own (cron) schedule")
    bangumi = deck.add(f"ss:{world.BANGUMI_SEASON_1}", "--schedule", "0 3 * * *")
    deck.sync(bangumi)

    print("UP uploads up:2002, no account, filtered, stopped by risk control")
    up = deck.add(world.UP_B_KEY, "--account", "0", "--filter", "title contains 第3")
    fake.scenario(risk={"endpoint": PLAYURL, "kind": "-412", "nth": 1, "count": 1})
    deck.sync(
        up,
        sets=(
            "limits.videos=1",
            "limits.pages=1",
            f"risk.cooldown_s={COOLDOWN_S}",
            f"risk.cooldown_max_s={COOLDOWN_S}",
        ),
        expect=3,
    )

    print("series, added and disabled before its first round")
    series = deck.add(world.SERIES_KEY)
    deck.run("source", "disable", str(series))

    sources = {"favorite_synced": fav, "favorite_trouble": trouble, "bangumi": bangumi, "up_risk": up}
    cases["sources"] = {**sources, "disabled_never_scanned": series}
    cases["videos"] = {
        name: {"bvid": bvid, "video_id": deck.video_id(bvid)}
        for name, bvid in {
            "multipage_done": world.BVID_MULTIPAGE,
            "single_done": world.BVID_SPRING,
            "hostile_title_done": world.BVID_HOSTILE,
            "unavailable_deleted": world.BVID_DELETED,
            "unavailable_charge_only": world.BVID_CHARGE_ONLY,
            "unavailable_private": world.BVID_PRIVATE,
            "removed_upstream": removed,
            "danmaku_gave_up": gave_up,
            "paused_mid_download": paused,
            "cancelled_mid_download": cancelled,
            "subtitles_failed_once": retrying,
            "risk_interrupted": world.BVIDS_UP_B[-1],
        }.items()
    }
    return cases


# ---------------------------------------------------------------- checks and output


def rows(conn: sqlite3.Connection, table: str) -> list[dict[str, Any]]:
    cursor = conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def check(conn: sqlite3.Connection, cases: dict[str, Any], made_at: datetime) -> None:
    """Every kind of row the migration tests need is there, as the release wrote it."""
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD_REVISION,)]
    video = {r["bvid"]: r for r in rows(conn, "video")}
    pages = rows(conn, "page")

    def page_slots(video_id: int) -> list[list[int]]:
        return [st.values(p["status"]) for p in pages if p["video_id"] == video_id]

    (account,) = rows(conn, "account")
    dump = "\n".join(conn.iterdump())
    assert not any(secret in dump for secret in (world.SESSDATA, world.BILI_JCT, world.REFRESH_TOKEN)), "no login"
    assert account["secret_ref"] == "bilibili/account/1" and account["state"] == "ok"
    c = {name: video[v["bvid"]] for name, v in cases["videos"].items()}
    assert c["multipage_done"]["state"] == "done" and len(page_slots(c["multipage_done"]["id"])) == 3
    for name in ("single_done", "hostile_title_done"):
        assert c[name]["state"] == "done", name
    for name in ("unavailable_deleted", "unavailable_charge_only", "unavailable_private"):
        assert not c[name]["valid"] and c[name]["unavailable"], name
    assert c["removed_upstream"]["removed_at"] and c["removed_upstream"]["state"] == "done"
    assert c["danmaku_gave_up"]["state"] == "failed"
    assert page_slots(c["danmaku_gave_up"]["id"]) == [[st.OK, st.OK, st.OK, st.GAVE_UP, st.OK]]
    assert c["subtitles_failed_once"]["state"] == "retrying"
    assert page_slots(c["subtitles_failed_once"]["id"]) == [[st.OK, st.OK, st.OK, st.OK, 1]]
    assert c["paused_mid_download"]["paused"] and c["paused_mid_download"]["state"] != "done"
    cancelled = c["cancelled_mid_download"]
    assert not cancelled["should_download"] and cancelled["last_error"] == "cancelled" and not cancelled["paused"]
    assert c["risk_interrupted"]["status"] != 0 and c["risk_interrupted"]["state"] == "pending"
    episodes = [v for v in video.values() if v["ep_id"] is not None]
    assert len(episodes) >= 2 and all(v["source_id"] == cases["sources"]["bangumi"] for v in episodes)
    source = {s["id"]: s for s in rows(conn, "source")}
    up = source[cases["sources"]["up_risk"]]
    until = datetime.fromisoformat(up["cooldown_until"]).replace(tzinfo=UTC)
    assert up["cooldown_level"] == 1 and until > made_at + timedelta(days=9 * 365), up
    assert up["account_id"] is None and up["rules"]
    assert source[cases["sources"]["bangumi"]]["schedule"] == "0 3 * * *"
    assert source[cases["sources"]["favorite_trouble"]]["schedule"] == "3600"
    assert not source[cases["sources"]["disabled_never_scanned"]]["enabled"]


def describe_cases(conn: sqlite3.Connection, cases: dict[str, Any]) -> None:
    """Add each case's stored state and status (and its decoded sub-task values) to `cases`."""
    video = {r["id"]: r for r in rows(conn, "video")}
    pages = rows(conn, "page")
    for entry in cases["videos"].values():
        v = video[entry["video_id"]]
        entry.update(
            title=v["title"],
            source_id=v["source_id"],
            state=v["state"],
            status=v["status"],
            subtasks=st.describe(v["status"], st.VIDEO_SUBTASKS),
            pages=[
                {"page_id": p["id"], "cid": p["cid"], "pid": p["pid"], "state": p["state"], "status": p["status"],
                 "subtasks": st.describe(p["status"], st.PAGE_SUBTASKS)}
                for p in pages if p["video_id"] == v["id"]
            ],
        )  # fmt: skip


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout.strip()


def write_fixture(deck: Deck, cases: dict[str, Any], made_at: datetime, out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    db_out, json_out = out / f"{FIXTURE_NAME}.sqlite", out / f"{FIXTURE_NAME}.json"
    # Fold the WAL into the database file, then copy it as one small self-contained file.
    with contextlib.closing(sqlite3.connect(deck.data / "syncdeck.db")) as live:
        live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db_out.unlink(missing_ok=True)
    shutil.copyfile(deck.data / "syncdeck.db", db_out)
    with contextlib.closing(sqlite3.connect(db_out)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")  # the app switches back to WAL when it opens it
        conn.execute("VACUUM")
        check(conn, cases, made_at)
        describe_cases(conn, cases)
        tables = {table: rows(conn, table) for table in TABLES}
        assert sorted(tables) == sorted(
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ), "every table is dumped"
    dump = {
        "meta": {
            "release": RELEASE,
            "version": "0.1.0",
            "schema_revision": RELEASE_SCHEMA,
            "code_commit": git("log", "-1", "--format=%H", "--", "core"),
            "code_modified": bool(git("status", "--porcelain", "--", "core")),
            "made_at": made_at.isoformat(),
            "library_root": str(deck.library),
            "fake_bilibili": deck.fake_url,
            "data_dir": str(deck.data),
            "paths": "source.path and page.path are absolute (under library_root); video.path is relative "
            "to its source's path ('.' for bangumi episodes)",
            "times": "stored as naive UTC text; cooldown_until of the UP source is made_at + 10 years",
            "made_by": "tests/store/make_release_db.py",
        },
        "cases": cases,
        "tables": tables,
    }
    json_out.write_text(json.dumps(dump, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return db_out, json_out


def clean_environment() -> None:
    for name in list(os.environ):
        if name.startswith("SYNCDECK_") or name.lower() in ("http_proxy", "https_proxy", "all_proxy"):
            del os.environ[name]
    os.environ["NO_PROXY"] = "*"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR, help="wiped first (default %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the fixture goes (default %(default)s)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="the fake Bilibili's port (default %(default)s)")
    args = parser.parse_args()
    if HEAD_REVISION != RELEASE_SCHEMA:
        raise SystemExit(
            f"this code writes schema {HEAD_REVISION}, not the release's {RELEASE_SCHEMA}: "
            "run the script from a checkout of release 0.1 (tests/store/data/README.md)"
        )
    workdir: Path = args.workdir.resolve()
    if workdir.exists() and any(workdir.iterdir()) and not (workdir / WORKDIR_MARK).exists():
        raise SystemExit(f"{workdir} is not empty and was not made by this script; pick another --workdir")
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    (workdir / WORKDIR_MARK).touch()
    clean_environment()
    made_at = datetime.now(UTC)
    with (
        private_secret_service() as keyring_service,
        selected_for_this_process(keyring_service),
        FakeBilibili(workdir / "fake", port=args.port) as fake,
    ):
        deck = Deck(workdir, fake)
        cases = build(deck, fake)
    db_out, json_out = write_fixture(deck, cases, made_at, args.out)
    for path in (db_out, json_out):
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
