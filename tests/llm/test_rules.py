"""Offline rules: model names, 429 verdicts, quota resets, token buckets."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from core.errors import ConfigError
from core.llm import quota
from core.llm.names import ModelRules, guess_kind, normalise, safe_group_name
from core.llm.ratelimit import TokenBucket


@pytest.mark.parametrize(("upstream", "name"), [
    ("models/gemini-2.5-flash", "gemini-2.5-flash"),
    ("gpt-4o-2024-08-06", "gpt-4o"),
    ("claude-3-5-sonnet-20241022", "claude-3-5-sonnet"),
    ("openai/GPT-4.1-nano", "gpt-4.1-nano"),
    ("openai-gpt-4o-mini", "gpt-4o-mini"),
    ("gemini-2.5-flash-preview-05-20", "gemini-2.5-flash"),
    ("deepseek-ai/DeepSeek-V3", "deepseek-v3"),
    ("gpt-4-0613", "gpt-4"),
    ("qwen3-32b-latest", "qwen3-32b"),
    ("chatgpt-4o-latest", "chatgpt-4o"),
])  # fmt: skip
def test_normalise(upstream: str, name: str) -> None:
    assert normalise(upstream) == name


def test_rules_rename_allow_block_and_refuse_bad_regex() -> None:
    rules = ModelRules(rename=(("^gpt-", "official/gpt-"),), allow=("gpt", "gemini"), block=("nano",))
    assert rules.name_for("openai/gpt-4o-2024-08-06") == "official/gpt-4o"
    assert rules.admits("gpt-4o", "official/gpt-4o") and not rules.admits("gpt-4.1-nano", "x")
    assert not rules.admits("deepseek-chat", "deepseek-chat")
    with pytest.raises(ConfigError, match="not a regular expression"):
        ModelRules(block=("[",))
    assert safe_group_name("My Relay/One") == "my-relay-one"
    assert guess_kind("text-embedding-3-small") == "embedding" and guess_kind("x", ["embedContent"]) == "embedding"


def test_gemini_daily_quota_resets_at_pacific_midnight() -> None:
    body = {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "details": [
        {"@type": "type.googleapis.com/google.rpc.QuotaFailure",
         "violations": [{"quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]},
        {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "13s"}]}}  # fmt: skip
    now = datetime(2026, 7, 1, 6, 30, tzinfo=UTC)  # 23:30 the day before in California (PDT)
    verdict = quota.gemini_verdict(429, body, 0, now)
    assert verdict.action == quota.SPENT and verdict.until == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    winter = quota.gemini_verdict(429, body, 0, datetime(2026, 1, 10, 12, 0, tzinfo=UTC))
    assert winter.until == datetime(2026, 1, 11, 8, 0, tzinfo=UTC)  # PST is UTC-8
    body["error"]["details"][0]["violations"][0]["quotaId"] = "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"
    minute = quota.gemini_verdict(429, body, 0)
    assert (minute.action, minute.wait) == (quota.RETRY, 13.0)
    invalid = {"error": {"code": 400, "details": [{"reason": "API_KEY_INVALID"}], "message": "API key not valid."}}
    assert quota.gemini_verdict(400, invalid, 0).action == quota.INVALID
    assert quota.gemini_verdict(404, {"error": {"message": "no"}}, 0).action == quota.FAIL


def test_openai_verdicts() -> None:
    limited = quota.openai_verdict(429, {"error": {"code": "rate_limit_exceeded", "message": "RPM"}},
                                   {"retry-after": "7"}, 0)  # fmt: skip
    assert (limited.action, limited.wait) == (quota.RETRY, 7.0)
    spent = quota.openai_verdict(429, {"error": {"code": "insufficient_quota", "message": "quota"}}, {}, 0)
    assert spent.action == quota.SPENT and spent.until is not None and spent.until.hour == 0
    rpd = quota.openai_verdict(429, {"error": {"message": "Rate limit reached on requests per day (RPD)"}}, {}, 0)
    assert rpd.action == quota.SPENT
    assert quota.openai_verdict(401, {"error": {"message": "bad"}}, {}, 0).action == quota.INVALID
    assert quota.openai_verdict(503, "not json", {}, 2).action == quota.RETRY


def test_token_bucket_refills_at_its_rate() -> None:
    bucket = TokenBucket(60)  # one a second
    assert bucket.wait_time(60) == 0
    bucket.take(60)
    assert 0.9 < bucket.wait_time(1) <= 1.0
    bucket.stamp = time.monotonic() - 2
    assert bucket.wait_time(1) == 0
    assert TokenBucket(0).wait_time(10**9) == 0  # no limit
