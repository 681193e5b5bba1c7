"""The real `syncdeck` command end to end: an LLM account added with `syncdeck llm add` (keys in
a real Secret Service keyring), then `syncdeck notes run` over 20 real videos with 4 workers
through each path — subtitles, speech to text, Gemini upload — against the fake servers."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.conftest import ROOT, SYNCDECK
from tests.fakes.gemini_fake import FakeGemini
from tests.fakes.openai_fake import FakeOpenAI
from tests.keyring_service import PrivateSecretService, secret_service  # noqa: F401  (the fixture)
from tests.notes.media import copies, make_video

pytestmark = [pytest.mark.timeout(120), pytest.mark.keyring]
OPENAI_KEY = "sk-notes-e2e-0123456789abcdef"
GEMINI_KEY = "AIzaNotesE2E-0123456789abcdef"
REPLY = "## Main Topic\nA lecture\n\n## Key Points\n- [00:01] the first point\n"


@pytest.fixture(scope="module")
def fakes() -> Iterator[tuple[FakeOpenAI, FakeGemini]]:
    with FakeOpenAI() as openai, FakeGemini() as gemini:
        yield openai, gemini


@pytest.fixture(scope="module")
def tiny_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(tmp_path_factory.mktemp("media") / "tiny.mp4")


class Cli:
    def __init__(self, root: Path, keyring: PrivateSecretService) -> None:
        self.root = root
        (root / "config.toml").write_text('[ui]\nlanguage = "en"\n[llm]\ngemini_poll_s = 0.05\n', encoding="utf-8")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SYNCDECK_")
                    and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}  # fmt: skip
        self.env.update(
            SYNCDECK_CONFIG=str(root / "config.toml"), SYNCDECK_DATA_DIR=str(root / "data"), NO_PROXY="*",
            PYTHONPATH=str(ROOT), DBUS_SESSION_BUS_ADDRESS=keyring.bus_address,
            PYTHON_KEYRING_BACKEND="keyring.backends.SecretService.Keyring",
        )  # fmt: skip

    def run(self, *args: str, input: str | None = None, expect: int = 0) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([str(SYNCDECK), *args], env=self.env, input=input, capture_output=True, text=True,
                              timeout=110)  # fmt: skip
        assert proc.returncode == expect, f"{args} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        return proc

    def json(self, *args: str, expect: int = 0) -> Any:
        return json.loads(self.run(*args, "--json", expect=expect).stdout)


@pytest.fixture
def cli(
    fakes: tuple[FakeOpenAI, FakeGemini],
    tmp_path: Path,
    secret_service: PrivateSecretService,  # noqa: F811
) -> Cli:
    openai, gemini = fakes
    openai.reset()
    gemini.reset()
    openai.script(reply=REPLY)
    gemini.script(reply=REPLY, processing_polls=1)
    cli = Cli(tmp_path, secret_service)
    cli.run("llm", "add", "openai", "--name", "lab", "--base-url", openai.api_base, input=OPENAI_KEY + "\n")
    cli.run("llm", "models", "lab", "--refresh")
    cli.run("llm", "add", "gemini", "--name", "gem", "--base-url", gemini.base_url, input=GEMINI_KEY + "\n")
    cli.run("llm", "models", "gem", "--refresh")
    return cli


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text[4:].partition("\n---\n")[0])  # type: ignore[no-any-return]


def no_key_anywhere(root: Path) -> None:
    """The keys live in the keyring only: in no file SyncDeck wrote (database, logs, notes)."""
    for path in root.rglob("*"):
        if path.is_file() and path.suffix not in (".mp4", ".jpg"):
            data = path.read_bytes()
            assert OPENAI_KEY.encode() not in data and GEMINI_KEY.encode() not in data, path


def test_twenty_videos_with_subtitles_and_then_without(
    cli: Cli, fakes: tuple[FakeOpenAI, FakeGemini], tiny_video: Path, tmp_path: Path
) -> None:
    openai, _ = fakes
    with_subs = copies(tiny_video, tmp_path / "course", 20, subtitles=True)
    data = cli.json("notes", "run", str(tmp_path / "course"), "--workers", "4", "--format", "md,json,html",
                    "--llm", "lab")  # fmt: skip
    assert (data["state"], data["done"], data["failed"], data["total"]) == ("done", 20, 0, 20)
    assert {t["transcript_source"] for t in data["tasks"]} == {"subtitles"}
    assert len(openai.requests("/chat/completions")) == 20 and not openai.requests("/audio/transcriptions")
    meta = front_matter(with_subs[0].with_name("lecture 01.summary_report.md"))
    assert meta["title"] == "lecture 01" and meta["transcript"] == "subtitles" and meta["tags"][0] == "syncdeck"
    assert "syncdeck://play?" in with_subs[0].with_name("lecture 01.summary_report.html").read_text(encoding="utf-8")

    openai.reset()
    openai.script(reply=REPLY)
    copies(tiny_video, tmp_path / "talks", 20, subtitles=False, prefix="talk")
    out = tmp_path / "notes-out"
    data = cli.json("notes", "run", str(tmp_path / "talks"), "--workers", "4", "--out", str(out),
                    "--template", "comprehensive_lesson", "--llm", "lab")  # fmt: skip
    assert (data["state"], data["done"]) == ("done", 20)
    assert {t["transcript_source"] for t in data["tasks"]} == {"transcription"}
    assert len(openai.requests("/audio/transcriptions")) == 20
    assert len(list((out / "comprehensive_lesson").glob("talk *.md"))) == 20
    listing = cli.json("notes", "list")
    assert [b["state"] for b in listing] == ["done", "done"]
    no_key_anywhere(tmp_path)


def test_twenty_videos_through_gemini_upload(
    cli: Cli, fakes: tuple[FakeOpenAI, FakeGemini], tiny_video: Path, tmp_path: Path
) -> None:
    _, gemini = fakes
    copies(tiny_video, tmp_path / "course", 20, subtitles=False)
    data = cli.json("notes", "run", str(tmp_path / "course"), "--workers", "4", "--llm", "gem", "--format", "json")
    assert (data["state"], data["done"]) == ("done", 20)
    assert {t["transcript_source"] for t in data["tasks"]} == {"video"}
    files = gemini.files()
    assert files["files"] == [] and len(files["deleted"]) == 20
    note = json.loads((tmp_path / "course" / "lecture 05.summary_report.json").read_text(encoding="utf-8"))
    assert note["transcript_source"] == "video" and note["timestamps"][0]["seconds"] == 1
    no_key_anywhere(tmp_path)


def test_a_failed_video_gives_exit_1_and_its_reason(
    cli: Cli, fakes: tuple[FakeOpenAI, FakeGemini], tiny_video: Path, tmp_path: Path
) -> None:
    copies(tiny_video, tmp_path / "course", 2, subtitles=True)
    (tmp_path / "list.txt").write_text(f"{tmp_path / 'course'}\n{tmp_path / 'gone.mp4'}\n", encoding="utf-8")
    proc = cli.run("notes", "run", str(tmp_path / "list.txt"), "--llm", "lab", expect=1)
    assert f"failed: gone — no such file: {tmp_path / 'gone.mp4'}" in proc.stdout
    assert "2/3 written" in proc.stdout
    shown = cli.json("notes", "show", "1")
    assert [t["state"] for t in shown["tasks"]] == ["done", "done", "failed"]
    proc = cli.run("notes", "run", str(tmp_path / "nothing-here"), expect=2)
    assert "no such file or folder" in proc.stderr


def test_notes_run_is_done_by_a_running_daemon(cli: Cli, tiny_video: Path, tmp_path: Path) -> None:
    from core.cli import remote

    copies(tiny_video, tmp_path / "course", 4, subtitles=True)
    daemon = subprocess.Popen([str(SYNCDECK), "daemon"], env=cli.env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert daemon.stdout is not None and "syncdeck daemon" in daemon.stdout.readline()
        owner = remote.find_owner(tmp_path / "data")
        assert owner is not None and owner.kind == "daemon"
        proc = cli.run("notes", "run", str(tmp_path / "course"), "--llm", "lab")
        assert "note batch #1 done: 4/4 written" in proc.stdout
        assert cli.json("notes", "list")[0]["state"] == "done"
    finally:
        daemon.terminate()
        daemon.communicate(timeout=30)
