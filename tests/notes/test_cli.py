"""`syncdeck notes …` run in-process against an engine whose LLM is a scripted client."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.cli.main import build_parser, dispatch
from core.engine.engine import Engine
from tests.notes.fake_client import ScriptedClient
from tests.notes.media import copies


async def notes(engine: Engine, *argv: str) -> int:
    return await dispatch(engine, build_parser().parse_args(["notes", *argv]))


async def test_run_writes_every_format_and_exits_0(
    engine: Engine, tiny_video: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copies(tiny_video, tmp_path / "in", 2, subtitles=True)
    code = await notes(engine, "run", str(tmp_path / "in"), "--format", "md,json,html", "--out", str(tmp_path / "out"),
                       "--workers", "2", "--json")  # fmt: skip
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["state"] == "done" and data["done"] == 2 and len(data["tasks"]) == 2
    written = sorted(p.name for p in (tmp_path / "out" / "summary_report").iterdir())
    assert written == [f"lecture 0{i}.{ext}" for i in (1, 2) for ext in ("html", "json", "md")]


async def test_run_exits_1_and_names_the_reason_when_a_video_failed(
    engine: Engine, client: ScriptedClient, tiny_video: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copies(tiny_video, tmp_path / "in", 2, subtitles=True)
    client.fail = {"lecture 02": "quota used up for today"}
    assert await notes(engine, "run", str(tmp_path / "in")) == 1
    out, err = capsys.readouterr()
    assert "failed: lecture 02 — quota used up for today" in out
    assert "failed   lecture 02: quota used up for today" in err


async def test_bad_input_is_a_usage_error(engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert await notes(engine, "run", str(tmp_path / "missing.mp4")) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert await notes(engine, "run", str(tmp_path), "--template", "nope") == 2
    assert "no note template named 'nope'" in capsys.readouterr().err


async def test_list_show_templates(
    engine: Engine, tiny_video: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copies(tiny_video, tmp_path / "in", 1, subtitles=True)
    assert await notes(engine, "run", str(tmp_path / "in")) == 0
    capsys.readouterr()
    assert await notes(engine, "list", "--json") == 0
    [batch] = json.loads(capsys.readouterr().out)
    assert batch["state"] == "done" and batch["total"] == 1
    assert await notes(engine, "templates") == 0
    out = capsys.readouterr().out
    assert all(name in out for name in ("comprehensive_lesson", "summary_report", "chinese_transcript"))


def test_paths_handed_to_a_running_syncdeck_are_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from core.cli.notes import self_contained

    monkeypatch.chdir(tmp_path)
    (tmp_path / "course").mkdir()
    (tmp_path / "mine.toml").write_text("", encoding="utf-8")
    argv = ["-v", "notes", "run", "course", "source:3", "https://x/BV1", "--out", "notes", "--template", "mine.toml",
            "--workers", "2"]  # fmt: skip
    args = build_parser().parse_args(argv)
    assert self_contained(argv, args) == [
        "-v", "notes", "run", str(tmp_path / "course"), "source:3", "https://x/BV1", "--out", str(tmp_path / "notes"),
        "--template", str(tmp_path / "mine.toml"), "--workers", "2"]  # fmt: skip
    named = ["notes", "run", "course", "--template=summary_report", "--out=n"]
    assert self_contained(named, build_parser().parse_args(named))[-2:] == [
        "--template=summary_report",
        f"--out={tmp_path / 'n'}",
    ]


async def test_a_terminal_sees_a_progress_bar_with_eta(
    engine: Engine, client: ScriptedClient, tiny_video: Path, tmp_path: Path
) -> None:
    import io

    from core.cli.notes import BatchProgress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    client.latency = 0.4
    copies(tiny_video, tmp_path / "in", 4, subtitles=True)
    batch = await engine.notes.create_batch([str(tmp_path / "in")], workers=1)
    screen = Terminal()
    progress = BatchProgress(engine, batch.id, screen)
    await progress.start()
    try:
        await engine.notes.run_batch(batch.id)
    finally:
        await progress.close()
    frames = screen.getvalue().split("\r\x1b[K")
    assert any("[" in f and "written" in f and "ETA 0:0" in f for f in frames), frames
    assert frames[-1] == "", "the line is cleared at the end"
