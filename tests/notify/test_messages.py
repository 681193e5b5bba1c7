"""What a message says: one per round, 10 titles and a count, in Chinese or English."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.engine.notify.batching import EventCollector
from core.engine.notify.messages import Message, compose, message_language
from core.events import (
    AccountStateChanged,
    Event,
    RiskControl,
    RoundFinished,
    RoundStarted,
    StepFailed,
    TaskAdded,
    TaskFinished,
)

DEFAULT_EVENTS = {"new", "failed", "risk", "login"}


def round_of(*events: Event, round_id: int = 7, **finished: int | str) -> list[Event]:
    counts: dict[str, int | str] = {"outcome": "done", "downloaded": 0, "failed": 0, "new_items": 0} | finished
    return [
        RoundStarted(round_id, (1,)),
        *events,
        RoundFinished(round_id, str(counts["outcome"]), int(counts["downloaded"]), int(counts["failed"]),
                      int(counts["new_items"])),
    ]  # fmt: skip


def messages_for(events: list[Event], wanted: set[str] = DEFAULT_EVENTS, language: str = "en") -> list[Message]:
    collector = EventCollector()
    out = []
    for event in events:
        batch, _ = collector.take(event)
        if batch is not None and (message := compose(batch, wanted, language)) is not None:
            out.append(message)
    outside = collector.take_outside()
    if outside is not None and (message := compose(outside, wanted, language)) is not None:
        out.append(message)
    return out


def two_hundred_new() -> list[Event]:
    added = [TaskAdded(1000 + i, 1, "video", f"Video number {i:03d}") for i in range(200)]
    return round_of(*added, new_items=200, downloaded=200)


def test_a_round_of_200_new_videos_is_one_message_with_5_titles_and_195_more() -> None:
    (message,) = messages_for(two_hundred_new())
    assert message.kind == "round" and message.round_id == 7
    assert message.title == "SyncDeck: 200 new videos"
    assert "Round 7 finished: 200 new, 200 downloaded, 0 failed." in message.body
    listed = [line for line in message.body.splitlines() if line.startswith("• ")]
    assert listed == [f"• Video number {i:03d}" for i in range(5)]
    assert message.body.endswith("…and 195 more")
    assert message.counts == {"new": 200, "downloaded": 200, "failed": 0}
    assert len(message.items) == 200  # the webhook gets every title


def test_the_same_round_in_chinese() -> None:
    (message,) = messages_for(two_hundred_new(), language="zh_CN")
    assert message.title == "SyncDeck：新增 200 个视频"
    assert "第 7 轮同步完成：新增 200，已下载 200，失败 0。" in message.body
    assert "新视频：" in message.body and message.body.endswith("……还有 195 个")


def test_long_titles_are_one_short_line_each() -> None:
    long_title = "【4K】雨夜的城市\n延时摄影 " + "很长的标题" * 60  # 300+ characters, with a line break
    events = round_of(
        TaskAdded(1, 1, "video", long_title),
        StepFailed(1, "video", "HTTP 404 " * 40, counted=True),
        TaskFinished(1, ok=False),
        new_items=1,
        failed=1,
        outcome="failed",
    )
    (message,) = messages_for(events)
    listed = [line for line in message.body.splitlines() if line.startswith("• ")]
    assert listed[0] == "• " + long_title.replace("\n", " ")[:59] + "…"
    assert all(len(line) <= 62 for line in listed[:1]) and len(listed[1]) < 200
    assert message.items[0].title == long_title  # the webhook keeps the whole title


def test_a_round_that_found_nothing_is_quiet_unless_every_round_is_wanted() -> None:
    quiet = round_of(downloaded=0)
    assert messages_for(quiet) == []
    (message,) = messages_for(quiet, wanted={"round"})
    assert message.title == "SyncDeck: round 7 finished"
    (chinese,) = messages_for(quiet, wanted={"round"}, language="zh_CN")
    assert chinese.title == "SyncDeck：第 7 轮同步完成"


def test_a_failed_task_is_listed_with_its_title_and_last_error() -> None:
    events = round_of(
        TaskAdded(5, 1, "video", "雨夜的城市"),
        StepFailed(5, "video", "HTTP 404 from the CDN", counted=True),
        StepFailed(5, "danmaku", "timeout", counted=False),  # transient: not the reason shown
        TaskFinished(5, ok=False),
        TaskFinished(6, ok=False),  # found in an earlier run: no title known
        new_items=1,
        failed=2,
        outcome="failed",
    )
    (message,) = messages_for(events)
    assert message.title == "SyncDeck: 1 new video, 2 downloads failed"
    assert "• 雨夜的城市 — video: HTTP 404 from the CDN" in message.body
    assert "• task #6" in message.body
    assert [(i.category, i.task_id) for i in message.items] == [("new", 5), ("failed", 5), ("failed", 6)]


def test_old_failures_counted_by_a_round_do_not_repeat_every_round() -> None:
    assert messages_for(round_of(failed=3, outcome="failed")) == []


def test_risk_control_says_when_syncing_resumes() -> None:
    until = datetime.now(UTC) + timedelta(minutes=10)
    events = round_of(RiskControl(3, "-352", until), outcome="risk_control")
    (message,) = messages_for(events)
    clock = until.astimezone().strftime("%H:%M")
    assert message.title == "SyncDeck: stopped by Bilibili risk control"
    assert f"Risk control on source #3 (-352); syncing resumes after {clock}." in message.body
    (chinese,) = messages_for(events, language="zh_CN")
    assert f"来源 #3 触发风控（-352），{clock} 后恢复同步。" in chinese.body


def test_an_expired_login_is_told_once_until_it_works_again() -> None:
    expired = AccountStateChanged(2, "expired", "-101 账号未登录")
    events = [expired, expired, AccountStateChanged(2, "ok", ""), expired]
    collector = EventCollector()
    told = 0
    for event in events:
        collector.take(event)
        batch = collector.take_outside()
        told += batch is not None and len(batch.logins)
    assert told == 2
    (message,) = messages_for([expired])
    assert message.kind == "activity" and message.title == "SyncDeck: a login expired"
    assert "Account #2: the login expired (-101 账号未登录). Log in again in SyncDeck." in message.body


def test_events_outside_a_round_gather_into_one_batch() -> None:
    collector = EventCollector()
    firsts = [collector.take(TaskAdded(i, 1, "video", f"v{i}"))[1] for i in range(3)]
    assert firsts == [True, False, False]  # only the first one starts the window
    batch = collector.take_outside()
    assert batch is not None and [e.task_id for e in batch.new] == [0, 1, 2]
    assert collector.take_outside() is None


def test_the_language_follows_the_window_setting() -> None:
    assert message_language("zh_CN", {}) == "zh_CN"
    assert message_language("en", {"LANG": "zh_CN.UTF-8"}) == "en"
    assert message_language("system", {"LANG": "zh_CN.UTF-8"}) == "zh_CN"
    assert message_language("system", {"LC_ALL": "de_DE.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert message_language("system", {"LANG": "en_GB.UTF-8"}) == "en"
