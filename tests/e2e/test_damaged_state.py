"""Bad input and damaged state: every command ends with a result or one clear message, the
documented exit code, and never a Python traceback."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import SYNCDECK, Deck
from tests.fakes.bilibili import world

pytestmark = pytest.mark.timeout(240)

SEASON_FOLDER = ("合集", "城市漫游")


def no_traceback(proc: subprocess.CompletedProcess[str] | tuple[str, str]) -> None:
    out, err = (proc.stdout, proc.stderr) if isinstance(proc, subprocess.CompletedProcess) else proc
    assert "Traceback" not in out + err, out + err


def wait_for_part_file(root: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if root.exists() and any(p.stat().st_size > 0 for p in root.rglob("*.part")):
            return
        time.sleep(0.1)
    raise AssertionError("no download started")


def readonly_run(deck: Deck, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run syncdeck with `folder` read-only. As root, permissions do not stop writes, so the
    folder becomes a read-only mount in a private mount namespace of that one process."""
    if os.geteuid() != 0:
        for path in (folder, *folder.rglob("*")):
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            return deck.run(*args, check=None, timeout=120)
        finally:
            for path in (folder, *folder.rglob("*")):
                path.chmod(0o755 if path.is_dir() else 0o644)
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare to make a read-only folder as root")
    script = 'mount --bind -o ro "$0" "$0" && exec "$@"'
    cmd = ["unshare", "-m", "--propagation", "private", "sh", "-c", script, str(folder), str(SYNCDECK), *args]
    return subprocess.run(cmd, env=deck.env, capture_output=True, text=True, timeout=120)


def test_a_library_that_cannot_be_written_stops_the_round_with_one_message(deck: Deck) -> None:
    deck.add(world.SEASON_KEY)
    deck.library.mkdir(parents=True)
    for _ in range(2):
        proc = readonly_run(deck, deck.library, "sync")
        if proc.returncode == 0 and "Read-only" not in proc.stderr and "unshare" in proc.stderr:
            pytest.skip(proc.stderr)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        no_traceback(proc)
        assert "cannot be written" in proc.stdout + proc.stderr
        assert str(deck.library) in proc.stdout + proc.stderr, "the message names the folder"
        assert (proc.stdout + proc.stderr).count("cannot be written") == 1, "one message, not a flood"
    for task in deck.tasks():
        assert task["state"] == "queued", task
        assert task["attempts"] == 0, "no attempt was spent on a library that cannot be written"
    result = deck.sync()  # writable again: everything downloads
    assert result["outcome"] == "done" and result["downloaded"] == 3


def test_colliding_name_templates_never_share_a_file(deck: Deck) -> None:
    # every video of the collection renders to the same folder and file name
    deck.env["SYNCDECK_LIBRARY_VIDEO_NAME"] = "{{truncate title 3}}/.."
    deck.env["SYNCDECK_LIBRARY_PAGE_NAME"] = "{{truncate bvid 2}}/../.."
    deck.add(world.SEASON_KEY)
    result = deck.sync()
    assert result["outcome"] == "done" and result["downloaded"] == 3
    root = deck.library.joinpath(*SEASON_FOLDER)
    mp4s = sorted(root.rglob("*.mp4"))
    assert len(mp4s) == 3, mp4s
    paths = [page["path"] for task in deck.tasks() for page in task["pages"]]
    assert len(set(paths)) == 3 and all(Path(p).is_file() for p in paths)
    assert all(Path(p).resolve().is_relative_to(root.resolve()) for p in paths), "nothing escapes the source"
    # a second round finds every file where it was put: nothing is downloaded again
    again = deck.sync()
    assert again["outcome"] == "done" and deck.fake.calls("/x/player/wbi/playurl") == 3

    # what earlier releases left: three videos in one folder, three parts "done" with one file
    with sqlite3.connect(deck.data / "syncdeck.db") as db:
        db.execute("UPDATE task SET path = ? WHERE kind = 'video'", (str(Path(paths[0]).parents[2]),))
        db.execute("UPDATE task SET path = ? WHERE kind = 'part'", (paths[0],))
    for path in paths[1:]:
        Path(path).unlink()
    repaired = deck.sync()
    assert repaired["outcome"] == "done"
    paths = [page["path"] for task in deck.tasks() for page in task["pages"]]
    assert len(set(paths)) == 3 and all(Path(p).is_file() for p in paths), "each part has its own file again"
    assert deck.fake.calls("/x/player/wbi/playurl") == 3 + 2


def test_a_round_where_parts_failed_counts_them_and_exits_1(deck: Deck) -> None:
    deck.add(world.SEASON_KEY)
    deck.fake.scenario(fail={"endpoint": "media", "status": 404, "count": 10_000})
    proc = deck.run("sync", "--json", check=1)
    result = json.loads(proc.stdout)
    assert result["outcome"] == "failed" and result["failed"] == 3 and result["exit_code"] == 1
    no_traceback(proc)
    text = deck.run("sync", check=1).stdout
    assert "3 failed" in text


def test_sigterm_stops_a_foreground_sync_like_ctrl_c(deck: Deck) -> None:
    deck.add(world.SEASON_KEY)
    deck.fake.scenario(media_throttle=50_000)
    proc = deck.popen("sync")
    root = deck.library.joinpath(*SEASON_FOLDER)
    wait_for_part_file(root)
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=20)
    assert time.monotonic() - started < 10
    assert proc.returncode == 143, (out, err)
    no_traceback((out, err))
    assert json.loads(deck.run("status", "--json").stdout)["last_round"]["outcome"] == "cancelled"
    assert list(root.rglob("*.part.json")), "the download's progress was saved"


def test_a_daemon_restarted_after_sigterm_does_not_wait_for_the_interrupted_round(deck: Deck) -> None:
    deck.add(world.SEASON_KEY)
    deck.env["SYNCDECK_SCHEDULE_EVERY"] = "3600"
    deck.fake.scenario(media_throttle=50_000)
    proc = deck.popen("daemon")
    root = deck.library.joinpath(*SEASON_FOLDER)
    wait_for_part_file(root)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    no_traceback((out, err))

    deck.fake.scenario(media_throttle=0)
    proc = deck.popen("daemon")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(deck.tasks("--state", "done")) < 3:
            time.sleep(0.5)
        assert len(deck.tasks("--state", "done")) == 3, "the restarted daemon ran a round at once"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)


def test_a_second_sync_while_one_runs_exits_busy(deck: Deck) -> None:
    deck.add(world.SEASON_KEY)
    deck.fake.scenario(media_throttle=10_000)
    first = deck.popen("sync")
    try:
        wait_for_part_file(deck.library.joinpath(*SEASON_FOLDER))
        second = deck.run("sync", check=4)
        assert "already running" in second.stdout + second.stderr
        no_traceback(second)
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=20)
    assert "4 busy" in deck.run("--help").stdout


def test_a_closed_pipe_ends_any_command_quietly(deck: Deck) -> None:
    for key in (world.SEASON_KEY, world.SERIES_KEY, world.FAV_KEY):
        deck.add(key)
    for args in (["source", "list"], ["config", "show"], ["--help"]):
        proc = subprocess.Popen(
            [str(SYNCDECK), *args], env=deck.env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # the reader went away (`| head -0`)
        err = proc.stderr.read().decode()
        proc.wait(timeout=60)
        # argparse itself drops write errors of its help text, so --help ends with 0: also quiet
        assert proc.returncode == (0 if args == ["--help"] else 141), (args, proc.returncode, err)
        assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_reset_failed_counts_the_tasks_it_reset(deck: Deck) -> None:
    deck.add(world.SEASON_KEY)
    deck.sync()
    target = world.BVIDS_SEASON[0]
    deck.run("task", "reset", "--force", "--video", target)
    deck.env["SYNCDECK_LIMITS_ATTEMPTS"] = "1"
    deck.fake.scenario(fail={"endpoint": "media", "status": 404, "count": 10_000})
    deck.sync(expect=1)
    assert len(deck.tasks("--state", "failed")) == 1
    # as a kill between a part's outcome and its video's summary of its parts leaves it
    with sqlite3.connect(deck.data / "syncdeck.db") as db:
        db.execute("UPDATE task SET steps = json_set(steps, '$.parts', 0) WHERE kind = 'video'")
    proc = deck.run("task", "reset", "--failed")
    assert proc.stdout.startswith("1 tasks reset"), proc.stdout
    assert deck.run("task", "reset", "--failed").stdout.startswith("0 tasks reset")


def test_a_huge_cooldown_setting_ends_a_risk_round_with_exit_3(deck: Deck) -> None:
    deck.add(world.SEASON_KEY)
    deck.env["SYNCDECK_RISK_COOLDOWN_S"] = "9223372036854775807"
    deck.env["SYNCDECK_RISK_COOLDOWN_MAX_S"] = "9223372036854775807"
    deck.fake.scenario(risk={"endpoint": "/x/player/wbi/playurl", "kind": "-352", "count": 50})
    proc = deck.run("sync", check=None)
    no_traceback(proc)
    if proc.returncode == 2:  # refused up front as a setting out of range: also a clear answer
        assert "cooldown" in proc.stderr
        return
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert json.loads(deck.run("status", "--json").stdout)["risk_cooldown"]
