"""Log in by scanning a QR code with the Bilibili app.

The dialog asks the engine for a code, shows it, and polls its state every two seconds while
it is open: waiting for a scan, scanned (confirm on the phone), expired (get a new code) and
confirmed, which closes the dialog with the saved account. Closing or cancelling stops the
polling at once; no request is left running behind the dialog.
"""

from __future__ import annotations

import asyncio
import io
from typing import Any

import segno
from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.engine.views import AccountView, QrLogin
from desktop.bridge import EngineBridge
from desktop.resources import icon

POLL_INTERVAL_MS = 2000
QR_SIZE = 240  # logical pixels; comfortably scannable from a phone held at arm's length
QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks

STATE_COLORS = {
    "loading": "#8a8f98",
    "waiting": "#8a8f98",
    "scanned": "#1f8fe5",
    "expired": "#d97706",
    "error": "#e5484d",
    "confirmed": "#16a34a",
}


def qr_pixmap(text: str, size: int = QR_SIZE, device_pixel_ratio: float = 1.0) -> QPixmap:
    """`text` as a crisp QR code about `size` logical pixels wide, quiet zone included.

    Every module is a whole number of device pixels, so no edge is smeared by scaling.
    """
    code = segno.make(text, error="m", micro=False)
    modules = code.symbol_size(scale=1, border=QUIET_ZONE)[0]
    scale = max(1, int(size * device_pixel_ratio) // modules)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=QUIET_ZONE, dark="#000000", light="#ffffff")
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    return pixmap


class QrLoginDialog(QDialog):
    loggedIn = Signal(object)  # AccountView

    def __init__(
        self,
        bridge: EngineBridge,
        parent: QWidget | None = None,
        *,
        account_name: str = "",
        poll_interval_ms: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("qr-login-dialog")
        self.bridge = bridge
        self.account_name = account_name  # set when logging in again to a known account
        self.state = "loading"
        self.ticket: QrLogin | None = None
        self.account: AccountView | None = None
        self.error_message = ""
        self._code: QPixmap | None = None
        self._start_task: asyncio.Task[Any] | None = None
        self._poll_task: asyncio.Task[Any] | None = None
        self._closed = False

        self.code_label = QLabel()
        self.code_label.setObjectName("qr-code")
        self.code_label.setFixedSize(QSize(QR_SIZE + 16, QR_SIZE + 16))
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state_dot = QLabel()
        self.state_dot.setFixedSize(10, 10)
        self.state_label = QLabel()
        self.state_label.setObjectName("qr-state")
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.2)
        title_font.setBold(True)
        self.state_label.setFont(title_font)
        self.hint_label = QLabel()
        self.hint_label.setObjectName("qr-hint")
        self.hint_label.setWordWrap(True)
        self.hint_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.hint_label.setMinimumHeight(self.fontMetrics().height() * 3)
        self.refresh_button = QPushButton(icon("retry"), "")
        self.refresh_button.setObjectName("qr-refresh")
        self.refresh_button.clicked.connect(self.new_code)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)

        state_row = QHBoxLayout()
        state_row.addStretch(1)
        state_row.addWidget(self.state_dot, 0, Qt.AlignmentFlag.AlignVCenter)
        state_row.addSpacing(6)
        state_row.addWidget(self.state_label)
        state_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 16)
        layout.setSpacing(12)
        layout.addWidget(self.code_label, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(state_row)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.buttons)
        self.setFixedWidth(QR_SIZE + 16 + 56 + 60)

        self._timer = QTimer(self)
        self._timer.setInterval(poll_interval_ms or POLL_INTERVAL_MS)
        self._timer.timeout.connect(self._poll)

        self.retranslate()
        self.new_code()

    # ------------------------------------------------------------------ text

    def retranslate(self) -> None:
        if self.account_name:
            self.setWindowTitle(self.tr("Log in again as %1").replace("%1", self.account_name))
        else:
            self.setWindowTitle(self.tr("Log in with QR code"))
        self.refresh_button.setText(self.tr("Try again") if self.state == "error" else self.tr("Get a new code"))
        titles = {
            "loading": self.tr("Getting a QR code…"),
            "waiting": self.tr("Scan with the Bilibili app"),
            "scanned": self.tr("Scanned — confirm on your phone"),
            "expired": self.tr("This code has expired"),
            "error": self.tr("Could not get a QR code") if self.ticket is None else self.tr("Login failed"),
            "confirmed": self.tr("Logged in as %1").replace("%1", self.account.name if self.account else ""),
        }
        hints = {
            "loading": "",
            "waiting": self.tr("Open the Bilibili app on your phone, tap the scan icon and point it at this code."),
            "scanned": self.tr("Tap “Confirm login” in the Bilibili app to finish."),
            "expired": self.tr("A code is valid for about three minutes. Get a new one to try again."),
            "error": self.error_message,
            "confirmed": "",
        }
        self.state_label.setText(titles[self.state])
        self.hint_label.setText(hints[self.state])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------ states

    def _set_state(self, state: str) -> None:
        self.state = state
        color = STATE_COLORS[state]
        self.state_dot.setStyleSheet(f"background: {color}; border-radius: 5px;")
        self.state_label.setStyleSheet(f"color: {color};" if state in ("expired", "error", "confirmed") else "")
        self.refresh_button.setVisible(state in ("expired", "error"))
        self._paint_code()
        self.retranslate()

    def _paint_code(self) -> None:
        """The code, dimmed with a sign over it once it can no longer be scanned."""
        # A code is always dark on white, whatever the theme; the warning sign follows the theme.
        background = "palette(base)" if self.state == "error" else "#ffffff"
        self.code_label.setStyleSheet(f"background: {background}; border: 1px solid #d0d4da; border-radius: 10px;")
        if self.state == "error":
            self.code_label.setPixmap(icon("warning").pixmap(64, 64))
            return
        if self._code is None:
            self.code_label.setPixmap(QPixmap())
            return
        if self.state not in ("scanned", "expired", "confirmed"):
            self.code_label.setPixmap(self._code)
            return
        pixmap = QPixmap(self._code)
        ratio = pixmap.devicePixelRatio()
        width, height = pixmap.width() / ratio, pixmap.height() / ratio
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(QRectF(0, 0, width, height), QColor(255, 255, 255, 215))
        color = QColor(STATE_COLORS[self.state])
        radius = width * 0.16
        center_x, center_y = width / 2, height / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawEllipse(QRectF(center_x - radius, center_y - radius, 2 * radius, 2 * radius))
        pen = QPen(QColor("#ffffff"), radius * 0.22, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        r = radius * 0.5
        if self.state == "expired":  # a clock: the code ran out of time
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawLine(int(center_x), int(center_y), int(center_x), int(center_y - r))
            painter.drawLine(int(center_x), int(center_y), int(center_x + r * 0.8), int(center_y + r * 0.3))
        else:  # a tick: scanned (or done)
            painter.drawLine(int(center_x - r), int(center_y), int(center_x - r * 0.25), int(center_y + r * 0.7))
            painter.drawLine(
                int(center_x - r * 0.25), int(center_y + r * 0.7), int(center_x + r), int(center_y - r * 0.6)
            )
        painter.end()
        self.code_label.setPixmap(pixmap)

    # ------------------------------------------------------------------ engine

    def new_code(self) -> None:
        """Ask for a fresh code (at start, and after one expired)."""
        self._timer.stop()
        self._cancel_tasks()
        self.ticket = None
        self._code = None
        self._set_state("loading")
        self._start_task = self.bridge.run(
            self.bridge.engine.qr_login_start(), what="QR login", done=self._got_ticket, failed=self._start_failed
        )

    def _got_ticket(self, ticket: QrLogin) -> None:
        if self._closed:
            return
        self.ticket = ticket
        self._code = qr_pixmap(ticket.url, QR_SIZE, self.devicePixelRatioF())
        self._set_state("waiting")
        self._timer.start()

    def _start_failed(self, message: str) -> None:
        if self._closed:
            return
        self.error_message = message
        self._set_state("error")

    def _poll(self) -> None:
        if self.ticket is None or (self._poll_task is not None and not self._poll_task.done()):
            return  # the previous answer is still on its way: never two polls at once
        key = self.ticket.key
        self._poll_task = self.bridge.run(
            self.bridge.engine.qr_login_poll(self.ticket),
            what="QR login",
            done=lambda result: self._polled(key, result),
            failed=self._poll_failed,
        )

    def _polled(self, key: str, result: tuple[str, AccountView | None]) -> None:
        if self._closed or self.ticket is None or key != self.ticket.key:
            return  # an answer about a code that is no longer shown
        state, account = result
        if state == "confirmed" and account is not None:
            self._timer.stop()
            self.account = account
            self._set_state("confirmed")
            self.loggedIn.emit(account)
            self.accept()
        elif state == "expired":
            self._timer.stop()
            self._set_state("expired")
        elif state in ("waiting", "scanned") and state != self.state:
            self._set_state(state)

    def _poll_failed(self, message: str) -> None:
        # The code may already be used up (a login that could not be saved): say what went
        # wrong and offer a fresh code rather than poll a dead one.
        if self._closed:
            return
        self._timer.stop()
        self.error_message = message
        self._set_state("error")

    def _cancel_tasks(self) -> None:
        for task in (self._start_task, self._poll_task):
            if task is not None and not task.done():
                task.cancel()
        self._start_task = self._poll_task = None

    @property
    def polling(self) -> bool:
        return self._timer.isActive() or (self._poll_task is not None and not self._poll_task.done())

    def done(self, result: int) -> None:
        self._closed = True
        self._timer.stop()
        self._cancel_tasks()
        super().done(result)
