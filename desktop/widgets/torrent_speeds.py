"""The status bar's BitTorrent speeds ("BT ↓ 2.1 MB/s ↑ 300 KB/s"), hidden while no torrent runs."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from desktop.bridge import EngineBridge
from desktop.format import human_speed

REFRESH_MS = 1000


class TorrentSpeeds(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("torrent-speeds")
        self.bridge: EngineBridge | None = None
        self.hide()
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)

    def attach(self, bridge: EngineBridge) -> None:
        self.bridge = bridge
        self.timer.start()

    def refresh(self) -> None:
        service = self.bridge.engine.torrents if self.bridge is not None else None
        if service is None or not service.started:
            self.hide()
            return
        rates = service.rates()  # cached by the service from libtorrent's updates: no call into it
        text = self.tr("BT ↓ {down} ↑ {up}").format(down=human_speed(rates.down_rate), up=human_speed(rates.up_rate))
        if rates.alternative:
            text += " " + self.tr("(alternative limits)")
        self.setText(text)
        self.show()
