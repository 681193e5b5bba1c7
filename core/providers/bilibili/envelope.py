"""Turn Bilibili's `{code, message, data|result}` replies into data or a domain error.

The HTTP status is 200 for almost every API error; the `code` says what happened. Which
codes mean risk control, lost login or a gone item decides how the engine reacts, so the
mapping lives here, in one place.
"""

from __future__ import annotations

import json
from typing import Any

from core.errors import (
    ApiError,
    InvalidResponseError,
    LoginExpiredError,
    RiskControlError,
    UnavailableError,
)

RISK_CONTROL_CODES = {
    -352: "risk-control check failed (-352)",
    -412: "request blocked, the IP is flagged (-412)",
    -799: "requests too frequent (-799)",
}
RISK_CONTROL_STATUSES = {
    403: "HTTP 403 (forbidden)",
    412: "HTTP 412 (request blocked)",
}
UNAVAILABLE_CODES = {
    -404: "nothing there, the video was deleted (-404)",
    62002: "the video is invisible (62002)",
    62004: "the video is under review (62004)",
    62012: "the video is visible to its uploader only (62012)",
}
NOT_LOGGED_IN = -101


def check_http_status(status: int, what: str) -> None:
    """Raise RiskControlError for the statuses Bilibili uses to block a client."""
    if status in RISK_CONTROL_STATUSES:
        reason = RISK_CONTROL_STATUSES[status]
        raise RiskControlError(f"Bilibili applied risk control to {what}: {reason}", reason=reason)


def parse_json(body: bytes, what: str) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise InvalidResponseError(f"{what} did not answer with JSON: {body[:120]!r}") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("code"), int):
        raise InvalidResponseError(f"{what} answered without a numeric `code`: {str(payload)[:120]}")
    return payload


def has_voucher(payload: dict[str, Any]) -> bool:
    """A `data.v_voucher` means the request was challenged, whatever the code says."""
    data = payload.get("data")
    return isinstance(data, dict) and bool(data.get("v_voucher"))


def unwrap(payload: dict[str, Any], what: str, result_key: str = "data") -> Any:
    """Return `payload[result_key]` for code 0, else raise the error the code stands for."""
    code = payload["code"]
    message = str(payload.get("message") or payload.get("msg") or "")
    if code in RISK_CONTROL_CODES:
        reason = RISK_CONTROL_CODES[code]
        raise RiskControlError(f"Bilibili applied risk control to {what}: {reason}", reason=reason)
    if has_voucher(payload):
        reason = f"challenged with a v_voucher (code {code})"
        raise RiskControlError(f"Bilibili applied risk control to {what}: {reason}", reason=reason)
    if code == NOT_LOGGED_IN:
        raise LoginExpiredError(f"Bilibili login missing or expired ({what}: {message or code})")
    if code in UNAVAILABLE_CODES:
        raise UnavailableError(f"{what}: {UNAVAILABLE_CODES[code]}", code=code)
    if code != 0:
        raise ApiError(code, f"{message or 'no message'} ({what})")
    return payload.get(result_key)
