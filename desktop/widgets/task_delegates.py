"""Cell painters for task lists: a real progress bar, and the five sub-task states as chips.

Both read plain values from the model under a role given at construction, so any model that
puts (done bytes, total bytes) or [(short label, status slot value)] there can use them.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QWidget,
)

from core.engine import status as st
from desktop.format import human_size
from desktop.theme import is_dark

_ModelIndex = QModelIndex | QPersistentModelIndex

BAR_HEIGHT = 18
BAR_RESOLUTION = 1000  # QStyleOptionProgressBar takes ints; per mille keeps big files smooth
CHIP = 16
CHIP_GAP = 3


def _style(option: QStyleOptionViewItem) -> QStyle:
    widget = option.widget  # type: ignore[attr-defined]
    return widget.style() if isinstance(widget, QWidget) else QApplication.style()


def _draw_cell_background(painter: QPainter, option: QStyleOptionViewItem, index: _ModelIndex) -> None:
    """The row's own background and selection, without text."""
    delegate_option = QStyleOptionViewItem(option)
    delegate_option.index = index  # type: ignore[attr-defined]
    delegate_option.text = ""  # type: ignore[attr-defined]
    delegate_option.features &= ~QStyleOptionViewItem.ViewItemFeature.HasDisplay  # type: ignore[attr-defined]
    _style(option).drawPrimitive(
        QStyle.PrimitiveElement.PE_PanelItemViewItem,
        delegate_option,
        painter,
        option.widget,  # type: ignore[attr-defined]
    )


class ProgressBarDelegate(QStyledItemDelegate):
    """Paints the style's own progress bar (QStyleOptionProgressBar) with percent and bytes."""

    def __init__(self, role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _ModelIndex) -> None:
        value = index.data(self.role)
        if value is None:
            super().paint(painter, option, index)
            return
        done, total = value
        _draw_cell_background(painter, option, index)
        cell: QRect = option.rect  # type: ignore[attr-defined]
        height = min(BAR_HEIGHT, cell.height() - 4)
        bar = QStyleOptionProgressBar()
        bar.initFrom(option.widget)  # type: ignore[attr-defined]
        bar.rect = QRect(cell.left() + 4, cell.top() + (cell.height() - height) // 2, cell.width() - 8, height)
        bar.state = option.state | QStyle.StateFlag.State_Horizontal  # type: ignore[attr-defined]
        bar.minimum = 0
        if total > 0:
            bar.maximum = BAR_RESOLUTION
            bar.progress = min(int(done * BAR_RESOLUTION / total), BAR_RESOLUTION)
            bar.text = f"{done * 100 // total}%  ·  {human_size(done)} / {human_size(total)}"
        else:  # size not known yet: a busy bar with the bytes so far
            bar.maximum = 0
            bar.progress = 0
            bar.text = human_size(done)
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        _style(option).drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)  # type: ignore[attr-defined]


def chip_colors(value: int, dark: bool) -> tuple[QColor, QColor, bool]:
    """Fill, text colour and whether the chip is filled, for one sub-task slot value."""
    if value == st.OK:
        return QColor("#16a34a" if not dark else "#22c55e"), QColor("#ffffff"), True
    if value == st.GAVE_UP:
        return QColor("#dc2626" if not dark else "#ef4444"), QColor("#ffffff"), True
    if 1 <= value <= 3:
        return QColor("#d97706" if not dark else "#f59e0b"), QColor("#ffffff"), True
    grey = QColor("#9ca3af" if not dark else "#6b7280")
    return grey, grey, False


class SubtaskChipsDelegate(QStyledItemDelegate):
    """Five small labelled chips: green done, amber failed and retrying, red gave up, outlined
    not started. The model's tooltip names each one in words."""

    def __init__(self, role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _ModelIndex) -> None:
        chips = index.data(self.role)
        if not chips:
            super().paint(painter, option, index)
            return
        _draw_cell_background(painter, option, index)
        app = QApplication.instance()
        dark = isinstance(app, QApplication) and is_dark(app)
        cell: QRect = option.rect  # type: ignore[attr-defined]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(option.font)  # type: ignore[attr-defined]
        font.setPixelSize(10)
        font.setBold(True)
        painter.setFont(font)
        x = cell.left() + 4
        y = cell.top() + (cell.height() - CHIP) / 2
        for label, value in chips:
            fill, text, filled = chip_colors(value, dark)
            rect = QRectF(x + 0.5, y + 0.5, CHIP - 1, CHIP - 1)
            painter.setPen(QPen(fill, 1.2))
            painter.setBrush(fill if filled else Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect, 4, 4)
            painter.setPen(text)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
            x += CHIP + CHIP_GAP
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _ModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        chips = index.data(self.role) or ()
        return QSize(max(hint.width(), 8 + len(chips) * (CHIP + CHIP_GAP)), max(hint.height(), CHIP + 4))
