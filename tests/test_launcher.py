"""`syncdeck` with no command opens the window; anything else is the command line."""

from __future__ import annotations

import pytest

from desktop.launcher import wants_gui

pytestmark = pytest.mark.timeout(10)


@pytest.mark.parametrize(
    "argv",
    [[], ["--minimized"], ["--data-dir", "/tmp/d", "--config", "c.toml"], ["--set=ui.language=zh_CN", "-vv"],
     ["--set", "ui.theme=dark", "--selftest"]],
)  # fmt: skip
def test_no_command_opens_the_window(argv: list[str]) -> None:
    assert wants_gui(argv)


@pytest.mark.parametrize(
    "argv",
    [["status"], ["--data-dir", "/tmp/d", "sync"], ["--help"], ["-h"], ["--version"], ["--bogus"], ["--data-dir"],
     ["--config", "c.toml", "task", "list"]],
)  # fmt: skip
def test_a_command_help_or_anything_unknown_goes_to_the_command_line(argv: list[str]) -> None:
    assert not wants_gui(argv)
