"""Links and files the system opens with the running app (macOS).

On macOS a clicked `magnet:` or `syncdeck:` link, or a .torrent file opened in the Finder,
reaches the app as a QFileOpenEvent — also when the app is already running — and never on its
command line (packaging/macos/info_plist.py declares them). On Linux and Windows they come as
arguments (desktop/launcher.py) and this filter sees nothing.

A magnet link or a .torrent file opens the add-torrent dialog on the Tasks panel; a
`syncdeck://play?path=…&t=…` link plays as one the app was started with.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QUrl
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from desktop.app import DesktopApp


def torrent_of(url: QUrl) -> str | None:
    """The magnet link or .torrent file path an opened URL names, or None."""
    if url.scheme().lower() == "magnet":
        return url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
    if url.isLocalFile() and url.toLocalFile().lower().endswith(".torrent"):
        return url.toLocalFile()
    return None


class OpenRequests(QObject):
    """An event filter on the QApplication that hands opened links and files to the window."""

    def __init__(self, desktop: DesktopApp) -> None:
        super().__init__()
        # the app owns this filter, not the other way round: no cycle keeps a closed app alive
        self._desktop = weakref.ref(desktop)

    @classmethod
    def install(cls, desktop: DesktopApp) -> OpenRequests:
        requests = cls(desktop)
        desktop.app.installEventFilter(requests)
        return requests

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.FileOpen or not isinstance(watched, QApplication):
            return False
        assert isinstance(event, QFileOpenEvent)
        url = event.url() if not event.url().isEmpty() else QUrl.fromLocalFile(event.file())
        return self.open(url)

    def open(self, url: QUrl) -> bool:
        """Act on one opened URL; False for what SyncDeck does not open (left to Qt)."""
        desktop = self._desktop()
        if desktop is None:
            return False
        if (torrent := torrent_of(url)) is not None:
            if "tasks" not in desktop.window.panels:
                return False
            desktop.show_window()
            desktop.window.show_panel("tasks").add_torrent(torrent)  # type: ignore[attr-defined]
            return True
        if url.scheme().lower() == "syncdeck":
            from desktop.launcher import opened_links

            opened_links.append(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))
            desktop.show_window()
            desktop._play_opened_links()  # noqa: SLF001  (the same path as a link given at start)
            return True
        return False
