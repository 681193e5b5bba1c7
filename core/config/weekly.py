"""Weekly time windows ("mon-fri 08:00-18:00; sat,sun 00:00-24:00"): when the alternative
BitTorrent speed limits apply by themselves."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from core.errors import ConfigError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WINDOW = re.compile(r"^\s*([a-z,\-]+)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class WeekSchedule:
    windows: tuple[tuple[frozenset[int], int, int], ...] = ()  # (weekdays 0=Mon, start minute, end minute)

    @classmethod
    def parse(cls, text: str) -> WeekSchedule:
        windows = []
        for chunk in filter(str.strip, text.lower().split(";")):
            m = _WINDOW.match(chunk)
            if not m:
                raise ConfigError(f"{chunk.strip()!r} is not a weekly window like 'mon-fri 08:00-18:00'")
            days = _days(m.group(1))
            start = int(m.group(2)) * 60 + int(m.group(3))
            end = int(m.group(4)) * 60 + int(m.group(5))
            if not (0 <= start < end <= 24 * 60) or int(m.group(3)) > 59 or int(m.group(5)) > 59:
                raise ConfigError(f"{chunk.strip()!r}: the time span must run forward within one day")
            windows.append((days, start, end))
        return cls(tuple(windows))

    def active(self, when: datetime) -> bool:
        minute = when.hour * 60 + when.minute
        return any(when.weekday() in days and start <= minute < end for days, start, end in self.windows)


def _days(text: str) -> frozenset[int]:
    if text in ("daily", "every"):
        return frozenset(range(7))
    out: set[int] = set()
    for part in text.split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ConfigError(f"{part!r} is not a day (use mon, tue, wed, thu, fri, sat, sun or ranges like mon-fri)")
        a, b = DAYS.index(first), DAYS.index(last or first)
        out.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return frozenset(out)
