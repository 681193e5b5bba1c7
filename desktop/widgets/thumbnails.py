"""Small cover thumbnails for item views: fetched on demand, decoded off the GUI thread, LRU-cached.

A view asks for a thumbnail only while painting a row, so only visible rows cause fetches.
Requests are served newest first and the waiting queue is short: when a person scrolls fast
through thousands of rows, covers of rows already scrolled past are dropped, not fetched.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter, QPainterPath, QPixmap, QPolygonF
from PySide6.QtWidgets import QApplication

from desktop.bridge import EngineBridge

MAX_QUEUED = 48  # requests beyond this are for rows scrolled out of sight long ago
PARALLEL_LOADS = 4
FAILED_MEMORY = 2000  # covers that failed are not asked for again in this run


def decode_thumbnail(data: bytes, size: QSize) -> QImage:
    """Decode an image scaled down while reading (cheap for JPEG) and crop it to fill `size`."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    original = reader.size()
    if original.isValid() and original.width() > 0 and original.height() > 0:
        reader.setScaledSize(original.scaled(size, Qt.AspectRatioMode.KeepAspectRatioByExpanding))
    image = reader.read()
    buffer.close()
    if image.isNull():
        return image
    if image.size() != size:
        image = image.scaled(
            size, Qt.AspectRatioMode.KeepAspectRatioByExpanding, Qt.TransformationMode.SmoothTransformation
        )
    left = max((image.width() - size.width()) // 2, 0)
    top = max((image.height() - size.height()) // 2, 0)
    return _rounded(image.copy(QRect(left, top, size.width(), size.height())))


def _rounded(image: QImage) -> QImage:
    result = QImage(image.size(), QImage.Format.Format_ARGB32_Premultiplied)
    result.fill(Qt.GlobalColor.transparent)
    painter = QPainter(result)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    radius = max(image.height() / 10, 2.0)
    path.addRoundedRect(0, 0, image.width(), image.height(), radius, radius)
    painter.setClipPath(path)
    painter.drawImage(0, 0, image)
    painter.end()
    return result


class ThumbnailCache(QObject):
    """`pixmap(url)` answers at once: the cached thumbnail, or None after queueing a fetch.
    `loaded(url)` tells the model which rows to repaint."""

    loaded = Signal(str)

    def __init__(self, bridge: EngineBridge, size: QSize, capacity: int = 500, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.size = size
        self.capacity = capacity
        self.device_pixel_ratio = 1.0
        self._cache: OrderedDict[str, QPixmap] = OrderedDict()
        self._queue: OrderedDict[str, None] = OrderedDict()  # newest request last
        self._loading: set[str] = set()
        self._failed: OrderedDict[str, None] = OrderedDict()
        self._placeholder: QPixmap | None = None

    def __len__(self) -> int:
        return len(self._cache)

    def set_device_pixel_ratio(self, ratio: float) -> None:
        if ratio != self.device_pixel_ratio:
            self.device_pixel_ratio = ratio
            self._cache.clear()
            self._placeholder = None

    def palette_changed(self) -> None:
        self._placeholder = None  # drawn again in the new colours

    def pixmap(self, url: str) -> QPixmap | None:
        cached = self._cache.get(url)
        if cached is not None:
            self._cache.move_to_end(url)
            return cached
        if url and url not in self._failed and url not in self._loading:
            self._queue[url] = None
            self._queue.move_to_end(url)
            while len(self._queue) > MAX_QUEUED:
                self._queue.popitem(last=False)
            self._pump()
        return None

    def placeholder(self) -> QPixmap:
        """A neutral frame with a play mark, shown until the cover arrives (or if it never does)."""
        if self._placeholder is None:
            ratio = self.device_pixel_ratio
            pixmap = QPixmap(self.size * ratio)
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            app = QApplication.instance()
            base = app.palette().mid().color() if isinstance(app, QApplication) else QColor("#a0a0a0")
            w, h = self.size.width(), self.size.height()
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            fill = QColor(base)
            fill.setAlpha(70)
            painter.setBrush(fill)
            painter.drawRoundedRect(0, 0, w, h, h / 10, h / 10)
            mark = QColor(base)
            mark.setAlpha(170)
            painter.setBrush(mark)
            side = h * 0.36
            cx, cy = w / 2, h / 2
            painter.drawPolygon(
                QPolygonF(
                    [
                        QPointF(cx - side / 2.6, cy - side / 2),
                        QPointF(cx - side / 2.6, cy + side / 2),
                        QPointF(cx + side / 1.8, cy),
                    ]
                )
            )
            painter.end()
            self._placeholder = pixmap
        return self._placeholder

    def _pump(self) -> None:
        while self._queue and len(self._loading) < PARALLEL_LOADS:
            url, _ = self._queue.popitem(last=True)  # newest first: what is on screen now
            self._loading.add(url)
            self.bridge.run(
                self._load(url),
                what="cover",
                done=lambda image, url=url: self._loaded(url, image),
                failed=lambda _message, url=url: self._load_failed(url),
            )

    async def _load(self, url: str) -> QImage:
        data = await self.bridge.engine.image(url)
        target = self.size * self.device_pixel_ratio
        return await asyncio.to_thread(decode_thumbnail, data, target)

    def _loaded(self, url: str, image: QImage) -> None:
        self._loading.discard(url)
        if image.isNull():
            self._load_failed(url)
            return
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(self.device_pixel_ratio)
        self._cache[url] = pixmap
        while len(self._cache) > self.capacity:
            self._cache.popitem(last=False)
        self.loaded.emit(url)
        self._pump()

    def _load_failed(self, url: str) -> None:
        self._loading.discard(url)
        self._failed[url] = None
        while len(self._failed) > FAILED_MEMORY:
            self._failed.popitem(last=False)
        self._pump()
