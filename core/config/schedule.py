"""When the next sync round runs: a fixed interval, or a cron expression in local time.

Intervals count from the start of the previous round (as bili-sync's `interval` does); a round
that is overdue, or the very first one, runs at once. Cron expressions have five fields, or six
with the seconds first (bili-sync's form, e.g. "0 0 1 * * *" = every day at 01:00:00).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Protocol

from core.errors import ConfigError

if TYPE_CHECKING:
    from croniter import croniter

DEFAULT_INTERVAL = 1200  # seconds
MIN_INTERVAL = 60  # seconds; faster polling only earns risk control
MAX_INTERVAL = 30 * 86400  # seconds; longer waits overflow the clock arithmetic and are surely a typo
_CRON_CHECK_START = datetime(2000, 1, 1)


def _cron_error(expression: str, problem: str) -> ConfigError:
    return ConfigError(f"invalid cron expression {expression!r}: {problem}")


@dataclass(frozen=True)
class Schedule:
    """Either `interval` (seconds) or `cron`; `Schedule()` is the default interval."""

    interval: int | None = None
    cron: str | None = None

    def __post_init__(self) -> None:
        if self.cron is not None:
            if self.interval is not None:
                raise ConfigError("a schedule is an interval or a cron expression, not both")
            object.__setattr__(self, "cron", self._checked_cron(self.cron))
            return
        interval = DEFAULT_INTERVAL if self.interval is None else self.interval
        if isinstance(interval, bool) or not isinstance(interval, int):
            raise ConfigError(f"the interval must be a whole number of seconds, got {interval!r}")
        if interval < MIN_INTERVAL:
            raise ConfigError(f"the interval must be at least {MIN_INTERVAL} seconds, got {interval}")
        if interval > MAX_INTERVAL:
            raise ConfigError(f"the interval must be at most {MAX_INTERVAL} seconds (30 days), got {interval}")
        object.__setattr__(self, "interval", interval)

    @staticmethod
    def _checked_cron(expression: str) -> str:
        normalised = " ".join(expression.split())
        fields = normalised.split(" ")
        if not normalised.startswith("@") and len(fields) not in (5, 6):
            raise _cron_error(
                expression,
                f"it has {len(fields)} field{'' if len(fields) == 1 else 's'}; "
                "use 5 (minute hour day month weekday) "
                "or 6 with the seconds first",
            )
        from croniter import CroniterBadDateError, CroniterError  # cron support loads on first use

        try:
            # Computing one fire time also catches dates that never come, such as 30 February.
            _iterator(normalised, _CRON_CHECK_START).get_next(datetime)
        except CroniterBadDateError:
            raise _cron_error(expression, "it never fires") from None
        except (CroniterError, ValueError, KeyError) as exc:  # croniter signals bad fields all three ways
            raise _cron_error(expression, str(exc) or type(exc).__name__) from None
        return normalised

    @classmethod
    def parse(cls, text: str | int) -> Schedule:
        """A whole number (or a string of digits) is an interval in seconds; anything else, cron."""
        if isinstance(text, bool):
            raise ConfigError(f"a schedule is a number of seconds or a cron expression, got {text!r}")
        if isinstance(text, int):
            return cls(interval=text)
        stripped = text.strip()
        # ASCII digits only ("²" is a digit to Python, not to int()); the length check keeps
        # int() away from thousands of digits, which it refuses.
        if re.fullmatch(r"[+-]?[0-9]+", stripped):
            if len(stripped) > 20:
                too_long = f"{stripped[:20]}…"
                raise ConfigError(f"the interval must be at most {MAX_INTERVAL} seconds (30 days), got {too_long}")
            return cls(interval=int(stripped))
        if not stripped:
            raise ConfigError("the schedule is empty: give a number of seconds or a cron expression")
        return cls(cron=stripped)

    def next_after(self, last_start: datetime | None, now: datetime, tz: tzinfo | None = None) -> datetime:
        """When the next round should start, in UTC.

        `last_start` and `now` must be timezone-aware. Cron fields are read on the clock of
        `tz`, by default the system's time zone (daylight saving included).
        """
        for moment in (last_start, now):
            if moment is not None and moment.utcoffset() is None:
                raise ValueError(f"{moment!r} has no time zone")
        now = now.astimezone(UTC)
        if self.cron is not None:
            return self._next_cron(now, tz)
        assert self.interval is not None
        if last_start is None:
            return now
        step = timedelta(seconds=self.interval)
        # A last start in the future means the clock was set back: wait one interval from now
        # rather than for however long the clock jumped.
        due = min(last_start.astimezone(UTC) + step, now + step)
        return max(due, now)

    def _next_cron(self, now: datetime, tz: tzinfo | None) -> datetime:
        assert self.cron is not None
        # croniter steps through the zone's wall clock and handles DST itself: a time skipped
        # in spring fires when the clock jumps, the repeated hour in autumn is not skipped.
        from tzlocal import get_localzone

        zone = tz if tz is not None else get_localzone()
        fire = _iterator(self.cron, now.astimezone(zone)).get_next(datetime)
        return fire.astimezone(UTC)

    def describe(self) -> str:
        if self.cron is not None:
            return f"cron {self.cron}"
        assert self.interval is not None
        if self.interval % 3600 == 0:
            return f"every {self.interval // 3600} h"
        if self.interval % 60 == 0:
            return f"every {self.interval // 60} min"
        return f"every {self.interval} s"


def _iterator(expression: str, start: datetime) -> croniter:
    from croniter import croniter

    seconds_first = not expression.startswith("@") and len(expression.split(" ")) == 6
    return croniter(expression, start, second_at_beginning=seconds_first)


class Scheduled(Protocol):
    """What a source's schedule is read from (a stored source or a quick-read row)."""

    enabled: bool
    schedule: str
    last_scan_at: datetime | None
    cooldown_until: datetime | None


def source_schedule(default: str, source: Scheduled) -> Schedule:
    """The source's own schedule, else the global `schedule.every` given as `default`."""
    return Schedule.parse(source.schedule or default)


def source_next_scan(default: str, source: Scheduled, now: datetime | None = None) -> datetime | None:
    """When the scheduler takes the source next: its schedule, but not before a risk-control
    cool-down ends; None for a disabled source."""
    if not source.enabled:
        return None
    at = source_schedule(default, source).next_after(source.last_scan_at, now or datetime.now(UTC))
    if at is not None and source.cooldown_until is not None and source.cooldown_until > at:
        return source.cooldown_until
    return at
