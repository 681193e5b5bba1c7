"""Bilibili accounts as a list model, with round avatars fetched once and kept."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPainterPath, QPixmap

from core.engine.views import AccountView

ModelIndex = QModelIndex | QPersistentModelIndex

AccountRole = Qt.ItemDataRole.UserRole + 1
AvatarRole = Qt.ItemDataRole.UserRole + 2


def round_avatar(data: bytes, size: int, device_pixel_ratio: float = 1.0) -> QPixmap | None:
    """A circular, smoothly scaled avatar of `size` logical pixels; None if `data` is no image."""
    image = QImage.fromData(data)
    if image.isNull():
        return None
    physical = max(1, round(size * device_pixel_ratio))
    # Crop to the centred square first so non-square pictures are not squashed.
    side = min(image.width(), image.height())
    square = image.copy((image.width() - side) // 2, (image.height() - side) // 2, side, side)
    scaled = square.scaled(
        physical, physical, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    result = QPixmap(physical, physical)
    result.fill(Qt.GlobalColor.transparent)
    painter = QPainter(result)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    clip = QPainterPath()
    clip.addEllipse(QRectF(0, 0, physical, physical))
    painter.setClipPath(clip)
    painter.drawImage(0, 0, scaled)
    painter.end()
    result.setDevicePixelRatio(device_pixel_ratio)
    return result


class AccountsModel(QAbstractListModel):
    """One row per saved login; `AccountRole` gives the `AccountView`, `AvatarRole` its picture."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._accounts: list[AccountView] = []
        self._avatars: dict[str, QPixmap] = {}

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._accounts)

    def set_accounts(self, accounts: list[AccountView]) -> None:
        self.beginResetModel()
        self._accounts = list(accounts)
        self.endResetModel()

    def accounts(self) -> list[AccountView]:
        return list(self._accounts)

    def account(self, row: int) -> AccountView:
        return self._accounts[row]

    def row_of(self, account_id: int) -> int:
        return next((row for row, a in enumerate(self._accounts) if a.id == account_id), -1)

    def missing_avatars(self) -> set[str]:
        """Avatar URLs of the listed accounts that have no picture yet."""
        return {a.avatar for a in self._accounts if a.avatar and a.avatar not in self._avatars}

    def set_avatar(self, url: str, pixmap: QPixmap) -> None:
        self._avatars[url] = pixmap
        for row, account in enumerate(self._accounts):
            if account.avatar == url:
                index = self.index(row)
                self.dataChanged.emit(index, index, [AvatarRole])

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        account = self._accounts[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return account.name or account.user_name
        if role == AccountRole:
            return account
        if role == AvatarRole:
            return self._avatars.get(account.avatar)
        return None
