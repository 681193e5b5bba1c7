"""`syncdeck://play?…` links: what notes write is what the launcher and the viewer read back."""

from __future__ import annotations

from pathlib import Path

from core.notes.outputs import parse_play_link, play_link
from desktop.launcher import take_links, wants_gui

DESKTOP_FILE = Path(__file__).resolve().parents[2] / "packaging" / "linux" / "syncdeck.desktop"


def test_a_clicked_link_opens_the_window_and_is_kept_for_it() -> None:
    link = play_link("/lib/课程 1.mp4", 95, 3)
    rest, links = take_links(["--minimized", link])
    assert rest == ["--minimized"] and links == [link] and wants_gui(rest)
    assert parse_play_link(links[0]) == {"path": "/lib/课程 1.mp4", "task": "3", "t": "95"}
    rest, links = take_links(["notes", "list"])
    assert links == [] and not wants_gui(rest)


def test_the_desktop_file_registers_the_scheme() -> None:
    text = DESKTOP_FILE.read_text(encoding="utf-8")
    mime = next(line for line in text.splitlines() if line.startswith("MimeType="))
    assert "x-scheme-handler/syncdeck" in mime.removeprefix("MimeType=").split(";")
    assert "Exec=syncdeck %U" in text
