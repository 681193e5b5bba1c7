"""Cell painters for task lists: the title column of a flat list that shows a tree (an arrow
before rows with children, child rows indented), a real progress bar, and the five sub-task
states as chips.

All read plain values from the model under roles given at construction, so any model that
puts a depth and an open/closed flag, (done bytes, total bytes) or [(short label, status slot
value)] there can use them.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOption,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QWidget,
)

from core.tasks import steps as st
from desktop.format import human_size
from desktop.theme import is_dark

_ModelIndex = QModelIndex | QPersistentModelIndex

BAR_HEIGHT = 18
BAR_RESOLUTION = 1000  # QStyleOptionProgressBar takes ints; per mille keeps big files smooth
CHIP = 16
CHIP_GAP = 3
MAX_CACHED_STRIPS = 256  # sub-task chip strips drawn once and reused (five slots take few values)
_CLOSED_BRANCH = QStyle.StateFlag.State_Item | QStyle.StateFlag.State_Children
_OPEN_BRANCH = _CLOSED_BRANCH | QStyle.StateFlag.State_Open


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


class TreeColumnDelegate(QStyledItemDelegate):
    """The first column of a flat list that shows one level of children below their parent:
    an open or closed arrow before rows that have children, children indented by one step,
    as QTreeView draws them. The depth (0 or 1) and the branch (None: no children, False:
    closed, True: open) come from the model."""

    def __init__(self, depth_role: int, branch_role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.depth_role = depth_role
        self.branch_role = branch_role

    @staticmethod
    def indentation(widget: QWidget | None) -> int:
        style = widget.style() if widget is not None else QApplication.style()
        return style.pixelMetric(QStyle.PixelMetric.PM_TreeViewIndentation, None, widget)

    def arrow_rect(self, cell: QRect, index: _ModelIndex, widget: QWidget | None) -> QRect | None:
        """Where the arrow of a row with children is drawn (None for other rows): a click there
        opens or closes the row."""
        if index.data(self.branch_role) is None:
            return None
        step = self.indentation(widget)
        depth = index.data(self.depth_role) or 0
        return QRect(cell.left() + depth * step, cell.top(), step, cell.height())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _ModelIndex) -> None:
        widget = option.widget  # type: ignore[attr-defined]
        cell: QRect = option.rect  # type: ignore[attr-defined]
        step = self.indentation(widget)
        depth = index.data(self.depth_role) or 0
        branch = index.data(self.branch_role)
        _draw_cell_background(painter, option, index)
        if branch is not None:
            arrow = QStyleOption()
            arrow.initFrom(widget)
            arrow.rect = QRect(cell.left() + depth * step, cell.top(), step, cell.height())
            arrow.state = option.state | (_OPEN_BRANCH if branch else _CLOSED_BRANCH)  # type: ignore[attr-defined]
            _style(option).drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorBranch, arrow, painter, widget)
        content = QStyleOptionViewItem(option)
        content.rect = cell.adjusted((depth + 1) * step, 0, 0, 0)  # type: ignore[attr-defined]
        super().paint(painter, content, index)


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
        else:  # size not known yet: a busy bar with the bytes so far
            bar.maximum = 0
            bar.progress = 0
        # the style keeps a few pixels of frame on each side of the text
        bar.text = progress_text(done, total, bar.fontMetrics, bar.rect.width() - 8)
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        _style(option).drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)  # type: ignore[attr-defined]


def progress_text(done: int, total: int, metrics: QFontMetrics, width: int) -> str:
    """What fits inside a bar `width` pixels wide: percent and bytes, else the percent alone,
    else as much of the percent as fits; the style would clip the text mid-character."""
    if total > 0:
        percent = f"{done * 100 // total}%"
        full = f"{percent}  ·  {human_size(done)} / {human_size(total)}"
    else:  # size not known yet: the bytes so far
        percent = full = human_size(done)
    for text in (full, percent):
        if metrics.horizontalAdvance(text) <= width:
            return text
    return metrics.elidedText(percent, Qt.TextElideMode.ElideRight, width)


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


def chip_font(font: QFont) -> QFont:
    """The badges' letters: bold, a little smaller than the cell text, never below 10 px."""
    small = QFont(font)
    small.setPixelSize(max(10, round(QFontMetrics(font).height() * 0.7)))
    small.setBold(True)
    return small


def chip_size(font: QFont) -> int:
    """A badge's side: the height of a line of cell text, so that larger fonts get larger
    badges (a Chinese character at 10 px is hard to read), at least CHIP."""
    return max(CHIP, QFontMetrics(font).height())


def chips_width(count: int, font: QFont) -> int:
    """The width a cell needs to show `count` badges in full, with its margins."""
    return 8 + count * (chip_size(font) + CHIP_GAP)


class SubtaskChipsDelegate(QStyledItemDelegate):
    """Five small labelled chips: green done, amber failed and retrying, red gave up, outlined
    not started. The model's tooltip names each one in words."""

    def __init__(self, role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        # painting five antialiased chips with text took longer than the rest of the row
        self._strips: dict[tuple[object, ...], QPixmap] = {}
        self._font_of: QFont | None = None  # the cell font the strips were drawn for
        self._font = QFont()
        self._size = CHIP

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _ModelIndex) -> None:
        chips = index.data(self.role)
        if not chips:
            super().paint(painter, option, index)
            return
        _draw_cell_background(painter, option, index)
        app = QApplication.instance()
        dark = isinstance(app, QApplication) and is_dark(app)
        cell: QRect = option.rect  # type: ignore[attr-defined]
        if option.font != self._font_of:  # type: ignore[attr-defined]
            self._font_of = QFont(option.font)  # type: ignore[attr-defined]
            self._font = chip_font(self._font_of)
            self._size = min(chip_size(self._font_of), cell.height())
            self._strips.clear()
        ratio = painter.device().devicePixelRatioF()
        key = (tuple(chips), dark, ratio)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = self._draw_strip(chips, dark, self._font, self._size, ratio)
            if len(self._strips) > MAX_CACHED_STRIPS:
                del self._strips[next(iter(self._strips))]
        painter.drawPixmap(cell.left() + 4, cell.top() + (cell.height() - self._size) // 2, strip)

    @staticmethod
    def _draw_strip(chips: list[tuple[str, int]], dark: bool, font: QFont, side: int, ratio: float) -> QPixmap:
        width = len(chips) * (side + CHIP_GAP)
        strip = QPixmap(round(width * ratio), round(side * ratio))
        strip.setDevicePixelRatio(ratio)
        strip.fill(Qt.GlobalColor.transparent)
        painter = QPainter(strip)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(font)
        x = 0
        for label, value in chips:
            fill, text, filled = chip_colors(value, dark)
            rect = QRectF(x + 0.5, 0.5, side - 1, side - 1)
            painter.setPen(QPen(fill, 1.2))
            painter.setBrush(fill if filled else Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect, 4, 4)
            painter.setPen(text)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
            x += side + CHIP_GAP
        painter.end()
        return strip

    def sizeHint(self, option: QStyleOptionViewItem, index: _ModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        chips = index.data(self.role) or ()
        font: QFont = option.font  # type: ignore[attr-defined]
        return QSize(max(hint.width(), chips_width(len(chips), font)), max(hint.height(), chip_size(font) + 4))
