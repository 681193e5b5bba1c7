"""When the next round runs: intervals from the last start, cron on the local clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import tzlocal

from core.config.schedule import Schedule
from core.errors import ConfigError

NOW = datetime(2024, 5, 1, 10, 0, 0, tzinfo=UTC)
SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


def test_default_is_every_twenty_minutes() -> None:
    schedule = Schedule()
    assert schedule.interval == 1200
    assert schedule.cron is None
    assert schedule.describe() == "every 20 min"


@pytest.mark.parametrize(
    ("text", "interval"),
    [(1200, 1200), ("1200", 1200), (" 60 ", 60), ("+3600", 3600), (86400, 86400)],
)
def test_numbers_are_intervals_in_seconds(text: str | int, interval: int) -> None:
    assert Schedule.parse(text) == Schedule(interval=interval)


@pytest.mark.parametrize(
    ("interval", "description"),
    [
        (60, "every 1 min"),
        (90, "every 90 s"),
        (1200, "every 20 min"),
        (3600, "every 1 h"),
        (5400, "every 90 min"),
    ],
)
def test_interval_descriptions(interval: int, description: str) -> None:
    assert Schedule(interval=interval).describe() == description


def test_first_round_runs_now() -> None:
    assert Schedule().next_after(None, NOW) == NOW


def test_next_round_is_one_interval_after_the_last_start() -> None:
    last = NOW - timedelta(minutes=5)
    assert Schedule().next_after(last, NOW) == last + timedelta(minutes=20)


def test_overdue_round_runs_now() -> None:
    assert Schedule().next_after(NOW - timedelta(hours=3), NOW) == NOW
    assert Schedule().next_after(NOW - timedelta(minutes=20), NOW) == NOW


def test_a_clock_set_back_waits_one_interval_not_the_jump() -> None:
    last_start_in_the_future = NOW + timedelta(days=2)
    assert Schedule().next_after(last_start_in_the_future, NOW) == NOW + timedelta(minutes=20)


def test_times_come_back_in_utc_whatever_zone_goes_in() -> None:
    now_in_shanghai = NOW.astimezone(SHANGHAI)
    last = (NOW - timedelta(minutes=5)).astimezone(timezone(timedelta(hours=-5)))
    result = Schedule().next_after(last, now_in_shanghai)
    assert result == NOW + timedelta(minutes=15)
    assert result.tzinfo is UTC
    assert Schedule.parse("0 * * * *").next_after(None, now_in_shanghai, tz=UTC).tzinfo is UTC


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="has no time zone"):
        Schedule().next_after(None, datetime(2024, 5, 1, 10, 0))
    with pytest.raises(ValueError, match="has no time zone"):
        Schedule().next_after(datetime(2024, 5, 1, 9, 0), NOW)


@pytest.mark.parametrize(
    ("expression", "now", "expected"),
    [
        ("0 */2 * * *", NOW, datetime(2024, 5, 1, 12, 0, tzinfo=UTC)),
        (
            "0 */2 * * *",
            datetime(2024, 5, 1, 11, 59, 59, tzinfo=UTC),
            datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
        ),
        ("*/15 * * * *", datetime(2024, 5, 1, 10, 15, tzinfo=UTC), datetime(2024, 5, 1, 10, 30, tzinfo=UTC)),
        ("30 3 * * *", NOW, datetime(2024, 5, 2, 3, 30, tzinfo=UTC)),
        ("0 0 1 * *", NOW, datetime(2024, 6, 1, 0, 0, tzinfo=UTC)),
        ("0 9 * * MON-FRI", datetime(2024, 5, 3, 12, 0, tzinfo=UTC), datetime(2024, 5, 6, 9, 0, tzinfo=UTC)),
        ("0 0 29 2 *", NOW, datetime(2028, 2, 29, 0, 0, tzinfo=UTC)),
        ("@daily", NOW, datetime(2024, 5, 2, 0, 0, tzinfo=UTC)),
        # six fields: seconds first, bili-sync's daily cookie refresh at 01:00:00
        ("0 0 1 * * *", NOW, datetime(2024, 5, 2, 1, 0, 0, tzinfo=UTC)),
        ("30 * * * * *", NOW, datetime(2024, 5, 1, 10, 0, 30, tzinfo=UTC)),
        (
            "0 0 1 * * *",
            datetime(2024, 5, 2, 0, 59, 59, tzinfo=UTC),
            datetime(2024, 5, 2, 1, 0, 0, tzinfo=UTC),
        ),
    ],
)
def test_cron_fires_strictly_after_now_in_utc(expression: str, now: datetime, expected: datetime) -> None:
    schedule = Schedule.parse(expression)
    assert schedule.next_after(None, now, tz=UTC) == expected
    # The last start plays no part for cron schedules.
    assert schedule.next_after(now - timedelta(seconds=1), now, tz=UTC) == expected


def test_cron_reads_the_clock_of_the_given_zone() -> None:
    # 03:00 in Shanghai (UTC+8, no DST) is 19:00 UTC the day before.
    assert Schedule.parse("0 3 * * *").next_after(None, NOW, tz=SHANGHAI) == datetime(2024, 5, 1, 19, 0, tzinfo=UTC)


def test_cron_defaults_to_the_system_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        with monkeypatch.context() as patch:
            patch.setenv("TZ", "Asia/Shanghai")
            tzlocal.reload_localzone()
            fire = Schedule.parse("0 3 * * *").next_after(None, NOW)
    finally:
        tzlocal.reload_localzone()
    assert fire == datetime(2024, 5, 1, 19, 0, tzinfo=UTC)


def test_cron_follows_the_local_clock_across_daylight_saving() -> None:
    schedule = Schedule.parse("0 3 * * *")
    fires = []
    now = datetime(2024, 3, 29, 12, 0, tzinfo=UTC)
    for _ in range(4):
        now = schedule.next_after(None, now, tz=BERLIN)
        fires.append(now)
    # Every fire is 03:00 on the Berlin clock, so the UTC hour moves when summer time starts.
    assert [fire.astimezone(BERLIN).hour for fire in fires] == [3, 3, 3, 3]
    assert [fire.hour for fire in fires] == [2, 1, 1, 1]


def test_cron_time_skipped_by_daylight_saving_still_fires_that_night() -> None:
    # 02:30 does not exist in Berlin on 2024-03-31: the clock jumps from 02:00 to 03:00.
    fire = Schedule.parse("30 2 * * *").next_after(None, datetime(2024, 3, 30, 12, 0, tzinfo=UTC), tz=BERLIN)
    assert datetime(2024, 3, 31, 0, 0, tzinfo=UTC) < fire <= datetime(2024, 3, 31, 2, 0, tzinfo=UTC)


def test_cron_keeps_firing_through_the_repeated_autumn_hour() -> None:
    schedule = Schedule.parse("*/20 * * * *")
    now = datetime(2024, 10, 27, 0, 30, tzinfo=UTC)  # 02:30 summer time, before the clock goes back
    fires = []
    for _ in range(6):
        now = schedule.next_after(None, now, tz=BERLIN)
        fires.append(now)
    gaps = {later - earlier for earlier, later in zip(fires, fires[1:], strict=False)}
    assert gaps == {timedelta(minutes=20)}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (30, "at least 60 seconds, got 30"),
        ("59", "at least 60 seconds, got 59"),
        ("-1200", "at least 60 seconds"),
        ("", "the schedule is empty"),
        ("* * * *", "invalid cron expression '* * * *': it has 4 fields"),
        ("0 0 1 * * * 2024", "invalid cron expression '0 0 1 * * * 2024': it has 7 fields"),
        ("61 * * * *", "invalid cron expression '61 * * * *'"),
        ("*/0 * * * *", "invalid cron expression '*/0 * * * *'"),
        ("0 0 * * 8", "invalid cron expression '0 0 * * 8'"),
        ("every 20 min", "invalid cron expression 'every 20 min'"),
        ("0 0 30 2 *", "invalid cron expression '0 0 30 2 *': it never fires"),
        ("0 0 31 4,6,9,11 *", "it never fires"),
        ("@reboot", "invalid cron expression '@reboot'"),
    ],
)
def test_invalid_schedules_are_explained(text: str | int, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        Schedule.parse(text)
    assert message in str(error.value)


def test_invalid_constructions_are_refused() -> None:
    with pytest.raises(ConfigError, match="not both"):
        Schedule(interval=600, cron="0 * * * *")
    with pytest.raises(ConfigError, match="whole number of seconds"):
        Schedule(interval=90.5)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="number of seconds or a cron expression"):
        Schedule.parse(True)


def test_cron_description_is_normalised() -> None:
    schedule = Schedule.parse("  0  */2 *\t* * ")
    assert schedule.describe() == "cron 0 */2 * * *"
    assert Schedule.parse(schedule.cron or "") == schedule
