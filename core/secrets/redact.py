"""Keep secrets out of logs.

Two layers, because neither is enough alone:
- every value the program reads from or writes to the keyring (or takes from the environment)
  is registered with `register_secret` and replaced wherever it shows up, whatever the context;
- well-known credential shapes (`SESSDATA=…`, `Authorization: …`, `api_key=…`) are redacted
  even when the value was never registered, e.g. a cookie echoed back by a server.

Attach `SecretRedactor` to every logging *handler* (a filter on a logger does not see records
that propagate from child loggers).
"""

from __future__ import annotations

import json
import logging
import re
import threading
from urllib.parse import quote, unquote

REDACTED = "***"

# Shorter values are not registered: replacing every "42" in the logs would garble them and,
# through the pattern of gaps, still show where the value occurs.
MIN_SECRET_LENGTH = 4

_KEYED_VALUE = re.compile(
    # Anchored at a word start so a long blob costs linear time, not quadratic.
    r"(?<![\w-])(?P<key>[\w-]*?(?:sessdata|bili_jct|ac_time_value|token|secret|password|passwd"
    r"|api[_-]?key|access[_-]?key))"
    r"(?P<sep>[\"']?\s*[=:]\s*[\"']?)"
    r"(?P<value>[^\s;&,\"'}\]\)]+)",
    re.IGNORECASE,
)
# The scheme word is part of the secret's context, not worth keeping: redact to the line end or
# the closing quote so `Bearer abc` and `MediaBrowser Token="…"` both disappear.
_AUTHORIZATION = re.compile(
    r"(?P<key>authorization)(?P<sep>[\"']?\s*[=:]\s*[\"']?)(?P<value>[^\"'\r\n]+)",
    re.IGNORECASE,
)


def _keep_key(match: re.Match[str]) -> str:
    return f"{match['key']}{match['sep']}{REDACTED}"


class _SecretRegistry:
    """The set of registered values and one compiled pattern matching any of them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def add(self, value: str) -> None:
        # The same secret is often logged in another spelling: URL-encoded in a query,
        # decoded from a cookie, escaped inside JSON or a repr().
        spellings = {
            value,
            unquote(value),
            quote(value, safe=""),
            json.dumps(value)[1:-1],
            json.dumps(value, ensure_ascii=False)[1:-1],
            repr(value)[1:-1],
        }
        with self._lock:
            fresh = {s for s in spellings if len(s) >= MIN_SECRET_LENGTH} - self._values
            if not fresh:
                return
            self._values |= fresh
            # Longest first, so a secret containing another one is replaced as a whole.
            ordered = sorted(self._values, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(v) for v in ordered))

    def pattern(self) -> re.Pattern[str] | None:
        return self._pattern


_registry = _SecretRegistry()


def register_secret(value: str | None) -> None:
    """Redact `value` from every log record from now on (for the life of the process)."""
    if value:
        _registry.add(value)


def redact(text: str) -> str:
    """`text` with registered secrets and credential-looking values replaced by `***`."""
    pattern = _registry.pattern()
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    text = _AUTHORIZATION.sub(_keep_key, text)
    return _KEYED_VALUE.sub(_keep_key, text)


class SecretRedactor(logging.Filter):
    """Rewrites each record so that its message, traceback and stack carry no secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # A format string that does not fit its args must still not leak them.
            message = f"{record.msg} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
            # Formatters print exc_text when present; dropping exc_info stops any formatter
            # from rendering the unredacted traceback again.
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
