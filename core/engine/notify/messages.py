"""Messages in the user's language (Simplified Chinese or English), built from a batch.

Every channel sends the same `Message`: Telegram and email its title and body as plain text,
the webhook all its fields as JSON.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from core.engine.notes.events import NoteBatchFinished
from core.engine.notes.views import cost_text
from core.engine.notify.batching import Batch

TITLES_SHOWN = 5  # titles listed per section; the rest are counted ("and 195 more")
# A title is one line of at most this many characters: a 300-character title would fill a
# fifth of the screen in a desktop notification or a phone's chat.
TITLE_CHARS = 60
DETAIL_CHARS = 120
LANGUAGES = ("zh_CN", "en")

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "app": "SyncDeck",
        "sep": ": ",
        "title_risk": "stopped by Bilibili risk control",
        "title_login": "a login expired",
        "title_new_one": "1 new video",
        "title_new": "{n} new videos",
        "title_failed_one": "1 download failed",
        "title_failed": "{n} downloads failed",
        "title_round": "round {round} {outcome}",
        "title_join": ", ",
        "title_test": "test notification",
        "round_line": "Round {round} {outcome}: {new} new, {downloaded} downloaded, {failed} failed.",
        "outcome_done": "finished",
        "outcome_failed": "finished with failures",
        "outcome_risk_control": "stopped by risk control",
        "outcome_login_expired": "stopped: a login expired",
        "outcome_cancelled": "was cancelled",
        "new": "New videos:",
        "failed": "Gave up:",
        "more": "…and {n} more",
        "task": "task #{id}",
        "risk": "Risk control on source #{source} ({reason}); syncing resumes after {until}.",
        "login_expired": "{account}: the login expired ({message}). Log in again in SyncDeck.",
        "login_error": "{account}: the login could not be checked ({message}).",
        "account": "Account #{id}",
        "env_account": "The login from SYNCDECK_BILIBILI_COOKIE",
        "test": "If you can read this, SyncDeck can notify you via {channel}.",
        "title_notes_done": "notes written ({name})",
        "title_notes_failed": "notes: {failed} of {total} failed ({name})",
        "title_notes_cancelled": "note batch cancelled ({name})",
        "notes_line": "Note batch #{id}: {done} of {total} written, {failed} failed, {tokens} tokens.",
        "notes_failed": "Failed:",
        "notes_cost": " Cost: {cost}.",
    },
    "zh_CN": {
        "app": "SyncDeck",
        "sep": "：",
        "title_risk": "触发 B 站风控，同步已暂停",
        "title_login": "登录已失效",
        "title_new_one": "新增 1 个视频",
        "title_new": "新增 {n} 个视频",
        "title_failed_one": "1 个下载失败",
        "title_failed": "{n} 个下载失败",
        "title_round": "第 {round} 轮同步{outcome}",
        "title_join": "，",
        "title_test": "测试通知",
        "round_line": "第 {round} 轮同步{outcome}：新增 {new}，已下载 {downloaded}，失败 {failed}。",
        "outcome_done": "完成",
        "outcome_failed": "完成（有失败）",
        "outcome_risk_control": "因风控停止",
        "outcome_login_expired": "因登录失效停止",
        "outcome_cancelled": "已取消",
        "new": "新视频：",
        "failed": "已放弃：",
        "more": "……还有 {n} 个",
        "task": "任务 #{id}",
        "risk": "来源 #{source} 触发风控（{reason}），{until} 后恢复同步。",
        "login_expired": "{account}登录已失效（{message}），请在 SyncDeck 中重新登录。",
        "login_error": "{account}登录检查出错（{message}）。",
        "account": "账号 #{id} ",
        "env_account": "环境变量 SYNCDECK_BILIBILI_COOKIE 中的",
        "test": "看到这条消息，说明 SyncDeck 可以通过 {channel} 通知你。",
        "title_notes_done": "笔记已生成（{name}）",
        "title_notes_failed": "笔记：{total} 个中 {failed} 个失败（{name}）",
        "title_notes_cancelled": "笔记批次已取消（{name}）",
        "notes_line": "笔记批次 #{id}：共 {total} 个，已完成 {done} 个，失败 {failed} 个，用量 {tokens} tokens。",
        "notes_failed": "失败：",
        "notes_cost": "费用：{cost}。",
    },
}


@dataclass(frozen=True)
class Item:
    category: str  # "new" | "failed"
    title: str
    task_id: int | None = None
    detail: str = ""  # why it failed


@dataclass(frozen=True)
class Message:
    kind: str  # "round" (a round finished) | "activity" (events outside a round) | "notes" (a note batch) | "test"
    title: str
    body: str
    language: str
    categories: tuple[str, ...] = ()  # of notify.events: round, new, failed, risk, login, notes
    counts: Mapping[str, int] | None = None  # new, downloaded, failed (a round); new, failed otherwise
    items: tuple[Item, ...] = ()  # every new and failed task, also those the text leaves out
    round_id: int | None = None
    outcome: str | None = None

    def as_json(self) -> dict[str, object]:
        """The webhook's payload."""
        return {
            "event": self.kind,
            "title": self.title,
            "body": self.body,
            "language": self.language,
            "categories": list(self.categories),
            "counts": dict(self.counts or {}),
            "items": [
                {"category": i.category, "title": i.title, "task_id": i.task_id, "detail": i.detail} for i in self.items
            ],  # fmt: skip
            "round_id": self.round_id,
            "outcome": self.outcome,
        }


def message_language(setting: str, environ: Mapping[str, str] | None = None) -> str:
    """`ui.language` as the window applies it: "system" means Chinese on a Chinese system,
    English everywhere else (the same rule as desktop/i18n.py, without Qt)."""
    if setting in LANGUAGES:
        return setting
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):  # POSIX order: the first one set wins
        if env.get(name):
            return "zh_CN" if env[name].lower().startswith("zh") else "en"
    if environ is not None:
        return "en"
    name = locale.getlocale()[0] or ""  # Windows and macOS set no variables
    return "zh_CN" if name.lower().startswith(("zh", "chinese")) else "en"


def compose(batch: Batch, wanted: set[str], language: str) -> Message | None:
    """The message for `batch`, or None when nothing in it is among the `wanted` events."""
    shown = batch.categories() & wanted
    if not shown:
        return None
    t = TEXT[language]
    finished = batch.finished
    headline: list[str] = []
    lines: list[str] = []
    if "risk" in shown:
        headline.append(t["title_risk"])
    if "login" in shown:
        headline.append(t["title_login"])
    if "new" in shown:
        n = batch.new_count
        headline.append(t["title_new_one"] if n == 1 else t["title_new"].format(n=n))
    if "failed" in shown:
        n = len(batch.failed)
        headline.append(t["title_failed_one"] if n == 1 else t["title_failed"].format(n=n))
    if finished is not None:
        outcome = t.get(f"outcome_{finished.outcome}", finished.outcome)
        if not headline:
            headline.append(t["title_round"].format(round=finished.round_id, outcome=outcome))
        lines.append(
            t["round_line"].format(
                round=finished.round_id,
                outcome=outcome,
                new=batch.new_count,
                downloaded=finished.downloaded,
                failed=finished.failed,
            )  # fmt: skip
        )
    for risk in batch.risks if "risk" in shown else ():
        lines.append(t["risk"].format(source=risk.source_id, reason=risk.reason, until=_clock(risk.cooldown_until)))
    for login in batch.logins if "login" in shown else ():
        account = t["env_account"] if login.account_id == 0 else t["account"].format(id=login.account_id)
        key = "login_expired" if login.state == "expired" else "login_error"
        lines.append(t[key].format(account=account, message=login.message))

    items: list[Item] = []
    if "new" in shown and batch.new:
        new = [Item("new", e.title, e.task_id) for e in batch.new]
        items += new
        lines += ["", t["new"], *_listed([one_line(i.title) for i in new], batch.new_count, t)]
    if "failed" in shown:
        failed = [Item("failed", f.title or t["task"].format(id=f.task_id), f.task_id, f.reason) for f in batch.failed]
        items += failed
        shown_lines = [
            f"{one_line(i.title)} — {one_line(i.detail, DETAIL_CHARS)}" if i.detail else one_line(i.title)
            for i in failed
        ]
        lines += ["", t["failed"], *_listed(shown_lines, len(failed), t)]

    counts = {"new": batch.new_count, "failed": len(batch.failed)}
    if finished is not None:
        counts = {"new": batch.new_count, "downloaded": finished.downloaded, "failed": finished.failed}
    return Message(
        kind="round" if finished is not None else "activity",
        title=t["app"] + t["sep"] + t["title_join"].join(headline),
        body="\n".join(lines).strip("\n"),
        language=language,
        categories=tuple(c for c in ("round", "new", "failed", "risk", "login") if c in shown),
        counts=counts,
        items=tuple(items),
        round_id=finished.round_id if finished else None,
        outcome=finished.outcome if finished else None,
    )


def notes_message(event: NoteBatchFinished, wanted: set[str], language: str) -> Message | None:
    """The message for a note batch that ended, or None when "notes" is not among `wanted`."""
    if "notes" not in wanted:
        return None
    t = TEXT[language]
    name = one_line(event.name, 40)
    title = t[f"title_notes_{'failed' if event.state == 'failed' else event.state}"].format(
        name=name, failed=event.failed, total=event.total)  # fmt: skip
    lines = [t["notes_line"].format(id=event.batch_id, done=event.done, total=event.total, failed=event.failed,
                                    tokens=event.tokens)]  # fmt: skip
    if event.cost:  # only when the models used have prices set
        lines[0] += t["notes_cost"].format(cost=cost_text(event.cost))
    items = tuple(Item("failed", title_, None, why) for title_, why in event.failures)
    if items:
        shown = [f"{one_line(i.title)} — {one_line(i.detail, DETAIL_CHARS)}" for i in items]
        lines += ["", t["notes_failed"], *_listed(shown, event.failed, t)]
    return Message(
        kind="notes", title=t["app"] + t["sep"] + title, body="\n".join(lines), language=language,
        categories=("notes",), counts={"total": event.total, "done": event.done, "failed": event.failed},
        items=items, outcome=event.state,
    )  # fmt: skip


def probe_message(channel_name: str, language: str) -> Message:
    t = TEXT[language]
    return Message(
        kind="test",
        title=t["app"] + t["sep"] + t["title_test"],
        body=t["test"].format(channel=channel_name),
        language=language,
    )


def _listed(lines: list[str], total: int, t: dict[str, str]) -> list[str]:
    """Up to TITLES_SHOWN bullet lines and "…and N more" for the rest of `total`."""
    out = [f"• {line}" for line in lines[:TITLES_SHOWN]]
    rest = total - len(out)
    if rest > 0:
        out.append(t["more"].format(n=rest))
    return out


def one_line(text: str, limit: int = TITLE_CHARS) -> str:
    """`text` on one line (line breaks and runs of spaces become one space), cut to `limit`
    characters with an ellipsis. The webhook's items keep the whole text."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _clock(when: datetime) -> str:
    local = when.astimezone()
    same_day = local.date() == datetime.now(local.tzinfo).date()
    return local.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M")
