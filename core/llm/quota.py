"""What a refused request means for the key that sent it.

- per-minute limits recover: wait `retryDelay` (Gemini) or `Retry-After` (OpenAI-compatible),
  then try again;
- per-day quotas do not: the key is spent until the quota resets — Gemini's daily quotas reset
  at midnight Pacific time; other providers say nothing, so the next midnight UTC is assumed —
  and the next key is used;
- an invalid key is set aside until the user changes the keys;
- 5xx and dropped connections are retried with backoff; other 4xx fail at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

PACIFIC = ZoneInfo("America/Los_Angeles")

RETRY = "retry"  # the same request again after `wait`
SPENT = "spent"  # the key's daily quota: rotate
INVALID = "invalid"  # the key is refused: rotate, and remember
FAIL = "fail"  # the request itself is wrong: give up


@dataclass(frozen=True)
class Verdict:
    action: str
    wait: float = 0.0  # seconds, for RETRY
    until: datetime | None = None  # for SPENT
    message: str = ""


def next_midnight(zone: ZoneInfo | None, now: datetime | None = None) -> datetime:
    """The next midnight in `zone` (UTC when None), as an aware UTC datetime."""
    now = now or datetime.now(UTC)
    local = now.astimezone(zone or UTC)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=zone or UTC)
    return midnight.astimezone(UTC)


def _duration(text: str) -> float:
    """Google's duration strings: "47s", "1.5s", "0.3s"."""
    match = re.fullmatch(r"\s*([\d.]+)s\s*", text or "")
    return float(match.group(1)) if match else 0.0


def _retry_after(headers: Any) -> float:
    value = headers.get("retry-after") or headers.get("retry-after-ms")
    if not value:
        return 0.0
    try:
        seconds = float(value)
    except ValueError:
        return 0.0
    return seconds / 1000 if headers.get("retry-after-ms") and not headers.get("retry-after") else seconds


def backoff(attempt: int) -> float:
    return min(30.0, 0.5 * 2**attempt)


def gemini_verdict(status: int, body: dict[str, Any], attempt: int, now: datetime | None = None) -> Verdict:
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    message = str(error.get("message") or f"HTTP {status}")
    details = error.get("details") or []
    reasons = {d.get("reason") for d in details if isinstance(d, dict)}
    if "API_KEY_INVALID" in reasons or status in (401, 403) and "API key" in message:
        return Verdict(INVALID, message=message)
    if status == 429:
        quota_ids = [
            str(v.get("quotaId", ""))
            for d in details if isinstance(d, dict)
            for v in d.get("violations") or [] if isinstance(v, dict)
        ]  # fmt: skip
        delay = next((_duration(d.get("retryDelay", "")) for d in details
                      if isinstance(d, dict) and "retryDelay" in d), 0.0)  # fmt: skip
        if any("PerDay" in q for q in quota_ids):
            return Verdict(SPENT, until=next_midnight(PACIFIC, now), message=message)
        return Verdict(RETRY, wait=delay or backoff(attempt), message=message)
    if status in (500, 502, 503, 504):
        return Verdict(RETRY, wait=backoff(attempt), message=message)
    return Verdict(FAIL, message=message)


_DAILY_WORDS = re.compile(r"per day|\bRPD\b|daily|insufficient_quota|exceeded your current quota", re.IGNORECASE)


def openai_verdict(status: int, body: Any, headers: Any, attempt: int, now: datetime | None = None) -> Verdict:
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        message = str(error.get("message") or f"HTTP {status}")
        code = f"{error.get('code') or ''} {error.get('type') or ''}"
    else:
        message, code = (str(error) if error else f"HTTP {status}"), ""
    if status == 401 or "invalid_api_key" in code:
        return Verdict(INVALID, message=message)
    if status == 429:
        if "insufficient_quota" in code or _DAILY_WORDS.search(message):
            return Verdict(SPENT, until=next_midnight(None, now), message=message)
        return Verdict(RETRY, wait=_retry_after(headers) or backoff(attempt), message=message)
    if status in (500, 502, 503, 504, 520, 524, 529):
        return Verdict(RETRY, wait=_retry_after(headers) or backoff(attempt), message=message)
    return Verdict(FAIL, message=message)
