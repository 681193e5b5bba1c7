"""A bug in a command is one paragraph for the user and a traceback in the log file, never a
traceback on the terminal."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from core.cli import main as cli

pytestmark = pytest.mark.timeout(30)


def broken_listing(*_: object) -> int:
    raise KeyError("a bug in a listing")


@pytest.mark.parametrize("command", [("status", None), ("task", "list")])
def test_a_bug_in_a_command_is_a_message_and_a_logged_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, str | None],
) -> None:  # fmt: skip
    monkeypatch.setitem(cli.QUICK, command, broken_listing)
    argv = ["--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "c.toml"), *filter(None, command)]
    code = cli.main(argv)
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert "did not expect (KeyError: 'a bug in a listing')" in err and "logs/syncdeck.log" in err
    assert "Traceback" not in err
    log = (tmp_path / "data" / "logs" / "syncdeck.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "broken_listing" in log, "the details are kept for a report"


def test_a_bug_in_an_engine_command_is_a_message_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(engine: object, args: argparse.Namespace) -> int:
        raise ZeroDivisionError("division by zero in a handler")

    monkeypatch.setitem(cli.COMMANDS, "sync", broken)
    code = cli.main(["--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "c.toml"), "sync"])
    err = capsys.readouterr().err
    assert code == 1 and "ZeroDivisionError" in err and "Traceback" not in err
    assert "Traceback" in (tmp_path / "data" / "logs" / "syncdeck.log").read_text(encoding="utf-8")
