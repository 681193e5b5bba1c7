"""Numbers a person reads: sizes, speeds, durations, times."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication


def human_size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


def human_speed(bytes_per_second: float) -> str:
    return f"{human_size(bytes_per_second)}/s"


def human_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(round(seconds))
    # spelled out (not aliased) so that lupdate finds the strings
    if seconds < 60:
        return QCoreApplication.translate("format", "%1 s").replace("%1", str(seconds))
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        text = QCoreApplication.translate("format", "%1 min %2 s")
        return text.replace("%1", str(minutes)).replace("%2", str(seconds))
    hours, minutes = divmod(minutes, 60)
    return QCoreApplication.translate("format", "%1 h %2 min").replace("%1", str(hours)).replace("%2", str(minutes))


def one_line(text: str, limit: int = 60) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis: a notification lists
    titles one per line, and a 300-character title would fill a fifth of the screen."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def local_time(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "—"
