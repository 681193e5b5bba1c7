"""The embedded player window (libmpv) and what it needs from the rest of the app."""

from desktop.player.contract import ListQueue, PlayerHooks, PlayQueue, PositionReport
from desktop.player.window import PlayerWindow

__all__ = ["ListQueue", "PlayQueue", "PlayerHooks", "PlayerWindow", "PositionReport"]
