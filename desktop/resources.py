"""Files shipped in resources/ (icons, translations), from a checkout or a PyInstaller bundle."""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication


def resource_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[1] / "resources"


def resource(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)


@lru_cache(maxsize=256)
def _tinted_svg(name: str, color: str) -> bytes:
    return resource("icons", f"{name}.svg").read_bytes().replace(b"currentColor", color.encode())


def icon(name: str) -> QIcon:
    """A line icon drawn in the palette's text colour, so it reads in light and dark themes."""
    app = QApplication.instance()
    color = app.palette().windowText().color().name() if isinstance(app, QApplication) else "#444444"
    renderer = QSvgRenderer(QByteArray(_tinted_svg(name, color)))
    result = QIcon()
    for size in (16, 24, 32, 48, 64):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        result.addPixmap(pixmap)
    return result


def app_icon(name: str = "syncdeck") -> QIcon:
    return QIcon(str(resource("icons", f"{name}.svg")))
