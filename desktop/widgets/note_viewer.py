"""A note rendered from its Markdown, with timestamps that open the player at that moment."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QTextBrowser, QWidget

from core.notes.outputs import parse_play_link


def without_front_matter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5 :]
    return text


class NoteViewer(QTextBrowser):
    """Shows a Markdown note. A click on a `syncdeck://play?…&t=SECONDS` link emits
    `timestampClicked(video path, seconds)`; other links open in the browser."""

    timestampClicked = Signal(str, float)  # the video's path, the moment in seconds

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("note-viewer")
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._clicked)
        self.path: Path | None = None

    def show_note(self, path: Path | None) -> None:
        """Show the Markdown note at `path` (None: nothing). Images are found beside the note."""
        self.path = path
        if path is None:
            self.clear()
            return
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            self.setPlainText(self.tr("The note cannot be read: %1").replace("%1", exc.strerror or str(exc)))
            return
        self.document().setBaseUrl(QUrl.fromLocalFile(str(path.parent) + "/"))
        self.setMarkdown(without_front_matter(text))

    def show_text(self, text: str) -> None:
        self.path = None
        self.setPlainText(text)

    def _clicked(self, url: QUrl) -> None:
        link = parse_play_link(url.toString())
        if link:
            try:
                seconds = float(link.get("t", "0"))
            except ValueError:
                seconds = 0.0
            self.timestampClicked.emit(link.get("path", ""), seconds)
        elif url.scheme() in ("http", "https", "file"):
            QDesktopServices.openUrl(url)
