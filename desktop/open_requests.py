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
    """An event filter on the QApplication that hands opened links and files to the window.

    Installed as soon as the QApplication exists: a link that launches the app arrives before
    the window does and is held until `attach` gives it one."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._desktop: weakref.ref[DesktopApp] | None = None
        self._pending: list[QUrl] = []

    @classmethod
    def on(cls, app: QApplication) -> OpenRequests:
        """The application's filter, installed on first use."""
        requests = app.findChild(OpenRequests)
        if requests is None:
            requests = cls(app)
            app.installEventFilter(requests)
        return requests

    def attach(self, desktop: DesktopApp) -> None:
        # the app owns this filter, not the other way round: no cycle keeps a closed app alive
        self._desktop = weakref.ref(desktop)
        pending, self._pending = self._pending, []
        for url in pending:
            self.open(url)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.FileOpen or not isinstance(watched, QApplication):
            return False
        assert isinstance(event, QFileOpenEvent)
        url = event.url() if not event.url().isEmpty() else QUrl.fromLocalFile(event.file())
        return self.open(url)

    def open(self, url: QUrl) -> bool:
        """Act on one opened URL; False for what SyncDeck does not open (left to Qt)."""
        wanted = torrent_of(url) is not None or url.scheme().lower() == "syncdeck"
        desktop = self._desktop() if self._desktop is not None else None
        if desktop is None:
            if wanted:
                self._pending.append(url)  # the window is not there yet
            return wanted
        if (torrent := torrent_of(url)) is not None:
            if "tasks" not in desktop.window.panels:
                return False
            desktop.show_window()
            desktop.window.show_panel("tasks").add_torrent(torrent)  # type: ignore[attr-defined]
            return True
        if wanted:
            desktop.open_link(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))
            return True
        return False
