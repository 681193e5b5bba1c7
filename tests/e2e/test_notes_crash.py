"""`syncdeck notes run` killed with SIGKILL mid-batch, or stopped with Ctrl+C, then resumed:
nothing finished is made again, nothing is lost, every video ends with one note."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import SYNCDECK
from tests.e2e.test_notes_cli import Cli
from tests.fakes.openai_fake import FakeOpenAI
from tests.keyring_service import PrivateSecretService, secret_service  # noqa: F401  (the fixture)
from tests.notes.media import copies, make_video

pytestmark = [pytest.mark.timeout(120), pytest.mark.keyring]
REPLY = "## Key Points\n- [00:01] the point\n"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture(scope="module")
def tiny_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(tmp_path_factory.mktemp("media") / "tiny.mp4")


class NotesCli(Cli):
    """The real `syncdeck` command with an OpenAI-compatible account on the fake."""

    def __init__(self, fake: FakeOpenAI, root: Path, keyring: PrivateSecretService) -> None:
        super().__init__(root, keyring)
        self.data = root / "data"
        self.run("llm", "add", "openai", "--name", "lab", "--base-url", fake.api_base, input="sk-crash-test\n")
        self.run("llm", "models", "lab", "--refresh")

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([str(SYNCDECK), *args], env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)  # fmt: skip

    def tasks(self) -> list[dict[str, object]]:
        path = self.data / "syncdeck.db"
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute("SELECT * FROM notetask ORDER BY position")]

    def wait_done(self, count: int, proc: subprocess.Popen[str]) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError(f"exited early: {proc.communicate()}")
            try:
                if sum(t["state"] == "done" for t in self.tasks()) >= count:
                    return
            except sqlite3.OperationalError:  # the batch's tables are still being written
                pass
            time.sleep(0.05)
        raise AssertionError("the batch did not get going")


def chats_by_title(fake: FakeOpenAI) -> dict[str, int]:
    counts: dict[str, int] = {}
    for request in fake.requests("/chat/completions"):
        prompt = request["body"]["messages"][-1]["content"]
        title = prompt.split('"')[1]
        counts[title] = counts.get(title, 0) + 1
    return counts


def test_kill_9_mid_batch_then_resume_redoes_nothing_and_loses_nothing(
    fake: FakeOpenAI,
    tiny_video: Path,
    tmp_path: Path,
    secret_service: PrivateSecretService,  # noqa: F811
) -> None:
    fake.reset()
    fake.script(reply=REPLY, delay=0.3)
    videos = copies(tiny_video, tmp_path / "course", 20, subtitles=True)
    cli = NotesCli(fake, tmp_path, secret_service)
    proc = cli.popen("notes", "run", str(tmp_path / "course"), "--workers", "4", "--format", "md,json")
    cli.wait_done(6, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    before = {t["title"]: t for t in cli.tasks()}
    done_before = {title for title, t in before.items() if t["state"] == "done"}
    written = {v.stem: v.with_name(f"{v.stem}.summary_report.md").stat().st_mtime_ns for v in videos
               if v.stem in done_before}  # fmt: skip
    assert len(done_before) >= 6 and any(t["state"] == "running" for t in before.values()), "killed mid-batch"
    fake.reset()
    fake.script(reply=REPLY)

    result = cli.run("notes", "resume", "1", "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["state"] == "done" and data["done"] == 20 and data["failed"] == 0
    again = chats_by_title(fake)
    assert not set(again) & done_before, "a note finished before the kill was asked for again"
    assert all(n == 1 for n in again.values()), again
    assert set(again) | done_before >= {v.stem for v in videos} - {
        t["title"] for t in data["tasks"] if t["state"] == "skipped"}, "nothing lost"  # fmt: skip
    for video in videos:
        assert video.with_name(f"{video.stem}.summary_report.md").stat().st_size > 0
        assert video.with_name(f"{video.stem}.summary_report.json").stat().st_size > 0
    for stem, mtime in written.items():
        assert (tmp_path / "course" / f"{stem}.summary_report.md").stat().st_mtime_ns == mtime, "not rewritten"
    leftovers = [p.name for p in (tmp_path / "course").iterdir() if ".part" in p.name or p.name.startswith(".")]
    assert leftovers == []


def test_ctrl_c_pauses_and_resume_continues(
    fake: FakeOpenAI,
    tiny_video: Path,
    tmp_path: Path,
    secret_service: PrivateSecretService,  # noqa: F811
) -> None:
    fake.reset()
    fake.script(reply=REPLY, delay=0.3)
    copies(tiny_video, tmp_path / "course", 10, subtitles=True)
    cli = NotesCli(fake, tmp_path, secret_service)
    proc = cli.popen("notes", "run", str(tmp_path / "course"), "--workers", "2")
    cli.wait_done(2, proc)
    asked = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, (out, err)
    assert time.monotonic() - asked < 5
    assert "note batch #1 paused; `syncdeck notes resume 1` continues it" in err
    states = [t["state"] for t in cli.tasks()]
    assert "running" not in states and "pending" in states, states
    listing = json.loads(cli.run("notes", "list", "--json").stdout)
    assert listing[0]["state"] == "paused"

    result = cli.run("notes", "resume", "1")
    assert "note batch #1 done: 10/10 written" in result.stdout


def test_notes_pause_from_another_terminal_stops_a_running_batch(
    fake: FakeOpenAI,
    tiny_video: Path,
    tmp_path: Path,
    secret_service: PrivateSecretService,  # noqa: F811
) -> None:
    fake.reset()
    fake.script(reply=REPLY, delay=0.6)
    copies(tiny_video, tmp_path / "course", 20, subtitles=True)
    cli = NotesCli(fake, tmp_path, secret_service)
    proc = cli.popen("notes", "run", str(tmp_path / "course"), "--workers", "2")
    cli.wait_done(1, proc)
    asked = time.monotonic()
    paused = cli.run("notes", "pause", "1")
    assert "note batch #1 paused" in paused.stdout
    out, err = proc.communicate(timeout=20)
    assert time.monotonic() - asked < 5, "the running batch noticed"
    assert proc.returncode == 1 and "paused elsewhere; `syncdeck notes resume 1` continues it" in err
    assert "note batch #1 paused:" in out
    assert "running" not in [t["state"] for t in cli.tasks()]
    assert "note batch #1 done: 20/20 written" in cli.run("notes", "resume", "1").stdout
