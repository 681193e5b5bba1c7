"""What a person notices when things go wrong: risk control, kills, upstream changes, resets."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import Deck, ffprobe
from tests.fakes.bilibili import world

pytestmark = pytest.mark.timeout(240)

PLAYURL = "/x/player/wbi/playurl"


def page_subtasks(deck: Deck, bvid: str) -> list[dict[str, str]]:
    task = next(t for t in deck.tasks() if t["key"] == bvid)
    return [p["subtasks"] for p in task["pages"]]


@pytest.mark.parametrize("kind", ["-352", "empty_dash"])
def test_risk_control_stops_the_round_without_spending_attempts(deck: Deck, kind: str) -> None:
    deck.add(world.SEASON_KEY)
    deck.env["SYNCDECK_RISK_COOLDOWN_S"] = "8"
    deck.env["SYNCDECK_LIMITS_VIDEOS"] = "1"  # one video at a time: the stop is exact
    deck.fake.scenario(risk={"endpoint": PLAYURL, "kind": kind, "nth": 2, "count": 50})
    result = deck.sync(expect=3)
    assert result["outcome"] == "risk_control"
    status = deck.json("status")
    assert status["risk_cooldown"], "the source cools down"
    served = deck.fake.calls(PLAYURL)
    assert served == (3 if kind == "-352" else 2), "nothing more was asked once risk control hit"
    for task in deck.tasks():
        for page in task["pages"]:
            assert "failed" not in " ".join(page["subtasks"].values()), "no attempt was counted"
    deck.fake.reset()
    # asked for by the user: tried at once although the source cools down, and completed
    again = deck.sync()
    assert again["outcome"] == "done" and again["downloaded"] >= 1
    assert len(deck.tasks("--state", "done")) == 3
    assert not deck.json("status")["risk_cooldown"], "a clean turn ends the cool-down"


def test_resume_after_the_process_is_killed_mid_download(deck: Deck) -> None:
    deck.add(world.SEASON_KEY)
    deck.fake.scenario(media_throttle=60_000)
    proc = deck.popen("sync")
    root = deck.library / "合集" / "城市漫游"
    deadline = time.monotonic() + 60
    parts: list[Path] = []
    while time.monotonic() < deadline:
        parts = [p for p in root.rglob("*.part") if p.stat().st_size > 20_000] if root.exists() else []
        if parts:
            break
        time.sleep(0.1)
    assert parts, "a download was in progress"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert not list(root.rglob("*.mp4")) or all(ffprobe(p) for p in root.rglob("*.mp4"))

    deck.fake.scenario(media_throttle=0)
    result = deck.sync()
    assert result["outcome"] == "done"
    mp4s = sorted(root.rglob("*.mp4"))
    assert len(mp4s) == 3, "one file per video: nothing lost, nothing duplicated"
    for mp4 in mp4s:
        probe = ffprobe(mp4)
        assert abs(float(probe["format"]["duration"]) - world.MEDIA_DURATION) < 0.5
    assert not list(root.rglob("*.part")) and not list(root.rglob("*.m4s")), "no leftovers"
    assert len(deck.tasks("--state", "done")) == 3


def test_new_parts_and_removed_videos(deck: Deck) -> None:
    deck.add(world.FAV_KEY)
    deck.run("config", "set", "risk.removal_check_h=0")  # check every round
    deck.sync()
    root = deck.library / "收藏夹" / "同步测试收藏夹"

    deck.fake.add_page(world.BVID_MULTIPAGE, "第四集：加更")
    deck.fake.add_page(world.BVID_SPRING, "花絮")  # a movie becomes a show
    deck.fake.remove_item(world.FAV_KEY, world.BVID_HOSTILE)
    result = deck.sync()
    assert result["outcome"] == "done", result
    assert result["removed"] == 1

    multi = next(p for p in root.iterdir() if p.name.startswith("【三集连播】"))
    assert (multi / "Season 1" / f"{world.BVID_MULTIPAGE} - S01E04.mp4").exists()
    spring = next(p for p in root.iterdir() if p.name.startswith("春日散步"))
    assert (spring / "Season 1" / f"{world.BVID_SPRING} - S01E01.mp4").exists(), "the old file moved"
    assert (spring / "Season 1" / f"{world.BVID_SPRING} - S01E02.mp4").exists()
    assert (spring / "tvshow.nfo").exists()
    assert not (spring / f"{world.BVID_SPRING}.mp4").exists()

    removed = deck.tasks("--state", "removed")
    assert [t["key"] for t in removed] == [world.BVID_HOSTILE]
    assert any("超长标题" in p.name for p in root.iterdir()), "files of removed videos are kept"


def test_failed_subtasks_give_up_after_four_rounds_and_reset_brings_them_back(deck: Deck) -> None:
    deck.add(world.SERIES_KEY)
    deck.fake.scenario(fail={"endpoint": "subtitle", "status": 500, "count": 1000})
    deck.fake.scenario(fail={"endpoint": "/x/v2/dm/wbi/web/seg.so", "code": -500, "count": 1000})
    outcomes = [deck.run("sync", check=None).returncode for _ in range(5)]
    assert outcomes[:4] == [1, 1, 1, 1] or outcomes[3] == 1
    failed = deck.tasks("--state", "failed")
    assert len(failed) == 2
    assert "gave up" in failed[0]["pages"][0]["subtasks"]["danmaku"]
    assert failed[0]["pages"][0]["subtasks"]["media"] == "ok"
    assert deck.fake.calls("/x/v2/dm/wbi/web/seg.so") == 2 * 4, "one attempt per round, four rounds"

    deck.fake.reset()
    assert "2 tasks reset" in deck.run("task", "reset", "--failed").stdout
    result = deck.sync()
    assert result["outcome"] == "done"
    assert len(deck.tasks("--state", "done")) == 2
    assert deck.fake.calls("/x/player/wbi/playurl") == 0, "reset --failed does not download again"

    deck.run("task", "reset", "--force", "--video", world.BVIDS_SERIES[0])
    deck.sync()
    assert deck.fake.calls("/x/player/wbi/playurl") == 1, "a forced reset downloads that video again"


def test_bad_links_get_a_clear_message(deck: Deck) -> None:
    proc = deck.run("source", "add", "https://example.com/nothing", check=2)
    assert "fav:ID" in proc.stderr and "up:MID" in proc.stderr
    proc = deck.run("source", "add", "https://www.bilibili.com/video/BV1xx411c7mD", check=2)
    assert "single video" in proc.stderr.lower() or "not a source" in proc.stderr.lower()
    assert deck.run("source", "list").stdout.startswith("no sources")
    assert deck.run("sync", "--source", "99", check=2).stderr
    assert deck.run("frobnicate", check=2).stderr


def test_short_links_are_resolved(deck: Deck) -> None:
    code, location = next(iter(world.B23_LINKS.items()))
    info = deck.json("source", "preview", f"https://b23.tv/{code}")
    assert info["key"] and info["title"]


def test_daemon_stops_cleanly_on_sigterm(deck: Deck) -> None:
    deck.add(world.SEASON_KEY)
    deck.fake.scenario(media_throttle=50_000)
    deck.env["SYNCDECK_SCHEDULE_EVERY"] = "60"
    proc = deck.popen("daemon")
    root = deck.library / "合集" / "城市漫游"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (root.exists() and list(root.rglob("*.part"))):
        time.sleep(0.1)
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=15)
    assert time.monotonic() - started < 10
    assert proc.returncode == 0, err
    assert "stopped" in out
    history = json.loads(deck.run("status", "--json").stdout)["last_round"]
    assert history["outcome"] == "cancelled"
