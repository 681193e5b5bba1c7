"""Start SyncDeck at login, hidden in the tray, the way each desktop expects it.

- Linux (and other XDG desktops): `$XDG_CONFIG_HOME/autostart/syncdeck.desktop`.
- Windows: a value under `HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`.
- macOS: a launch agent `~/Library/LaunchAgents/<id>.plist` with RunAtLoad.

The command is the installed program itself: the bundle's executable when frozen, otherwise
the `syncdeck` script installed next to this interpreter.
"""

from __future__ import annotations

import contextlib
import os
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path

APP_NAME = "SyncDeck"
ENTRY_NAME = "syncdeck.desktop"
LAUNCH_AGENT_ID = "io.github.syncdeck.SyncDeck"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
MINIMIZED = "--minimized"
# Characters that make the Desktop Entry specification require a quoted argument.
RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")


def launch_command() -> list[str]:
    """How to start this installation of SyncDeck from outside (without arguments)."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    script_dir = Path(sys.executable).parent
    for name in ("syncdeck.exe", "syncdeck") if sys.platform == "win32" else ("syncdeck",):
        if (script_dir / name).is_file():
            return [str(script_dir / name)]
    on_path = shutil.which("syncdeck")
    if on_path:
        return [on_path]
    return [sys.executable, "-m", "desktop.launcher"]


def set_enabled(enabled: bool) -> None:
    """Register (or remove) SyncDeck as a program that starts minimized at login."""
    if sys.platform == "win32":
        _set_windows(enabled)
    elif sys.platform == "darwin":
        _set_macos(enabled)
    else:
        _set_xdg(enabled)


def is_enabled() -> bool:
    if sys.platform == "win32":
        return _windows_value() is not None
    if sys.platform == "darwin":
        return _launch_agent_path().is_file()
    return _xdg_enabled()


# ------------------------------------------------------------------ Linux / XDG


def xdg_entry_path() -> Path:
    config_home = os.environ.get("XDG_CONFIG_HOME", "")
    # The XDG spec says a relative value is invalid and must be ignored.
    base = Path(config_home) if config_home and Path(config_home).is_absolute() else Path.home() / ".config"
    return base / "autostart" / ENTRY_NAME


def desktop_exec_quote(argument: str) -> str:
    """One argument of an Exec line, written as the Desktop Entry specification requires."""
    # `%` starts a field code anywhere in the line, so it is always doubled.
    argument = argument.replace("%", "%%")
    if argument and not any(c in argument for c in RESERVED):
        return argument
    quoted = '"' + "".join("\\" + c if c in '"`$\\' else c for c in argument) + '"'
    # The file's own string escaping is undone before the quoting, so backslashes double again.
    return quoted.replace("\\", "\\\\")


def xdg_entry_text(command: list[str]) -> str:
    exec_line = " ".join(desktop_exec_quote(part) for part in [*command, MINIMIZED])
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Name={APP_NAME}\n"
        "Comment=Keep local copies of the videos you follow\n"
        "Comment[zh_CN]=把你关注的视频同步到本地\n"
        f"Exec={exec_line}\n"
        "Icon=syncdeck\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def _set_xdg(enabled: bool) -> None:
    path = xdg_entry_path()
    if not enabled:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(xdg_entry_text(launch_command()), encoding="utf-8")
    temporary.replace(path)


def _xdg_enabled() -> bool:
    path = xdg_entry_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return False
    # A desktop may switch an entry off in place rather than delete it.
    switched_off = {"Hidden=true", "X-GNOME-Autostart-enabled=false"}
    return not switched_off & {line.strip() for line in lines}


# ------------------------------------------------------------------ Windows


def windows_run_value(command: list[str]) -> str:
    return subprocess.list2cmdline([*command, MINIMIZED])


def _set_windows(enabled: bool) -> None:
    import winreg

    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
        if enabled:
            winreg.SetValueEx(key, APP_NAME, 0, winreg.REG_SZ, windows_run_value(launch_command()))
        else:
            with contextlib.suppress(FileNotFoundError):
                winreg.DeleteValue(key, APP_NAME)


def _windows_value() -> str | None:
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_QUERY_VALUE) as key:
            value, _kind = winreg.QueryValueEx(key, APP_NAME)
    except FileNotFoundError:
        return None
    return str(value)


# ------------------------------------------------------------------ macOS


def _launch_agent_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_ID}.plist"


def launch_agent(command: list[str]) -> bytes:
    return plistlib.dumps(
        {
            "Label": LAUNCH_AGENT_ID,
            "ProgramArguments": [*command, MINIMIZED],
            "RunAtLoad": True,
            "ProcessType": "Interactive",
        }
    )


def _set_macos(enabled: bool) -> None:
    path = _launch_agent_path()
    if not enabled:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(launch_agent(launch_command()))
