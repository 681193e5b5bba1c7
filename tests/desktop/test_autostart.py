"""Start at login on Linux: an XDG autostart entry that starts SyncDeck minimized.

The Windows (registry) and macOS (launch agent) variants cannot run here; their pure parts
(the command line and the plist) are checked below.
"""

from __future__ import annotations

import plistlib
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import autostart

pytestmark = pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the XDG variant is Linux only")


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "xdg-config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


def assert_valid(entry: Path) -> None:
    """desktop-file-utils checks the syntax, the Exec quoting included, where installed."""
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
        assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def entry_fields(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line)


def test_enabling_writes_an_entry_that_starts_the_installed_program_minimized(config_home: Path) -> None:
    entry = config_home / "autostart" / "syncdeck.desktop"
    assert not autostart.is_enabled()
    autostart.set_enabled(True)
    assert autostart.is_enabled() and entry.is_file()
    fields = entry_fields(entry)
    assert fields["Type"] == "Application" and fields["Name"] == "SyncDeck"
    # From a checkout the command is the `syncdeck` script installed next to this interpreter.
    assert fields["Exec"] == f"{Path(sys.executable).parent / 'syncdeck'} --minimized"
    assert fields["Comment[zh_CN]"]
    assert_valid(entry)

    autostart.set_enabled(True)  # again: still one entry, no error
    assert [p.name for p in entry.parent.iterdir()] == ["syncdeck.desktop"]
    autostart.set_enabled(False)
    assert not entry.exists() and not autostart.is_enabled()
    autostart.set_enabled(False)  # disabling twice is fine


def test_the_exec_line_runs_the_program(config_home: Path, tmp_path: Path) -> None:
    autostart.set_enabled(True)
    exec_line = entry_fields(config_home / "autostart" / "syncdeck.desktop")["Exec"]
    argv = shlex.split(exec_line)
    assert argv[-1] == "--minimized"
    # Run the same program with --help instead of starting the window: it must be there and work.
    result = subprocess.run([*argv[:-1], "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "syncdeck" in result.stdout


def test_a_bundle_in_a_folder_with_spaces_is_quoted(config_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/My Apps/Sync$Deck 100%/syncdeck")
    autostart.set_enabled(True)
    exec_line = entry_fields(config_home / "autostart" / "syncdeck.desktop")["Exec"]
    assert exec_line == '"/opt/My Apps/Sync\\\\$Deck 100%%/syncdeck" --minimized'
    assert_valid(config_home / "autostart" / "syncdeck.desktop")


def test_an_entry_switched_off_by_the_desktop_counts_as_disabled(config_home: Path) -> None:
    autostart.set_enabled(True)
    entry = config_home / "autostart" / "syncdeck.desktop"
    entry.write_text(entry.read_text() + "Hidden=true\n")
    assert not autostart.is_enabled()
    autostart.set_enabled(True)
    assert autostart.is_enabled()


def test_without_xdg_config_home_the_entry_goes_to_dot_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    autostart.set_enabled(True)
    assert (tmp_path / ".config" / "autostart" / "syncdeck.desktop").is_file()
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/path")  # invalid per the spec: ignored
    assert autostart.xdg_entry_path() == tmp_path / ".config" / "autostart" / "syncdeck.desktop"


def test_windows_and_macos_entries_carry_the_same_command() -> None:
    command = ["C:\\Program Files\\SyncDeck\\syncdeck.exe"]
    assert autostart.windows_run_value(command) == '"C:\\Program Files\\SyncDeck\\syncdeck.exe" --minimized'
    agent = plistlib.loads(autostart.launch_agent(["/Applications/SyncDeck.app/Contents/MacOS/syncdeck"]))
    assert agent["ProgramArguments"] == ["/Applications/SyncDeck.app/Contents/MacOS/syncdeck", "--minimized"]
    assert agent["RunAtLoad"] is True and agent["Label"] == autostart.LAUNCH_AGENT_ID
