"""The installers offer SyncDeck as the handler of magnet: and syncdeck: links and .torrent files:
the macOS Info.plist declares them, the Windows installer registers them (and its uninstaller
removes them). Linux's syncdeck.desktop is checked in tests/test_launcher.py."""

from __future__ import annotations

import plistlib
import re
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
NSI = PACKAGING / "windows" / "syncdeck.nsi"


def test_the_mac_app_declares_the_links_and_torrent_files_it_opens() -> None:
    plist = runpy.run_path(str(PACKAGING / "macos" / "info_plist.py"))["info_plist"]("1.2.3")
    plist = plistlib.loads(plistlib.dumps(plist))  # what ends up in Info.plist
    schemes = {s for t in plist["CFBundleURLTypes"] for s in t["CFBundleURLSchemes"]}
    assert schemes == {"magnet", "syncdeck"}
    (document,) = plist["CFBundleDocumentTypes"]
    assert document["LSItemContentTypes"] == ["org.bittorrent.torrent"]
    assert document["CFBundleTypeExtensions"] == ["torrent"]
    (imported,) = plist["UTImportedTypeDeclarations"]
    assert imported["UTTypeIdentifier"] == "org.bittorrent.torrent"
    assert imported["UTTypeTagSpecification"]["public.filename-extension"] == ["torrent"]
    assert plist["CFBundleShortVersionString"] == "1.2.3"
    spec = (PACKAGING / "syncdeck.spec").read_text(encoding="utf-8")
    assert re.search(r'info_plist=runpy\.run_path\(.*"info_plist\.py"\)\)\["info_plist"\]\(VERSION\)', spec)


def _uninstall_lines(script: str) -> list[str]:
    body = script.split('Section "Uninstall"', 1)[1]
    return re.findall(r"(?:WriteRegStr|DeleteRegKey|DeleteRegValue|RegisterProtocol|UnregisterProtocol)[^\n]*", body)


def test_the_windows_installer_registers_and_the_uninstaller_removes_the_handlers() -> None:
    script = NSI.read_text(encoding="utf-8")
    assert '!define OPEN_COMMAND \'"$INSTDIR\\${APP_EXE}" "%1"\'' in script
    assert "HKLM" not in script, "a per-user install writes only HKCU"
    install = script.split('Section "Uninstall"', 1)[0]
    for scheme in ("magnet", "syncdeck"):
        assert f'!insertmacro RegisterProtocol "{scheme}"' in install
    assert 'WriteRegStr HKCU "${CLASSES}\\.torrent" "" "${TORRENT_PROGID}"' in install
    assert 'WriteRegStr HKCU "${CLASSES}\\${TORRENT_PROGID}\\shell\\open\\command" "" \'${OPEN_COMMAND}\'' in install
    uninstall = _uninstall_lines(script)
    for scheme in ("magnet", "syncdeck"):
        assert f'UnregisterProtocol "{scheme}"' in uninstall
    assert 'DeleteRegKey HKCU "${CLASSES}\\${TORRENT_PROGID}"' in uninstall


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (Debian package nsis) is not installed")
def test_the_windows_installer_compiles(tmp_path: Path) -> None:
    bundle = tmp_path / "syncdeck"
    (bundle / "_internal").mkdir(parents=True)
    for name in ("syncdeck.exe", "syncdeck-cli.exe", "_internal/base_library.zip"):
        (bundle / name).write_bytes(b"stand-in")
    out = tmp_path / "SyncDeck-0.0.1-setup.exe"
    done = subprocess.run(
        ["makensis", "-V2", "-WX", "-DVERSION=0.0.1", f"-DSOURCE_DIR={bundle}", f"-DOUTFILE={out}", str(NSI)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.read_bytes()[:2] == b"MZ"
