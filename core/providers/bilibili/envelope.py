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
    -404: "was deleted (-404)",
    62002: "is invisible (62002)",
    62004: "is under review (62004)",
    62012: "is visible to its uploader only (62012)",
}
NOT_LOGGED_IN = -101

# What a person calls the thing each endpoint answers about: errors name it, not the path.
LISTS = {
    "/x/v3/fav/folder/info": "favorites folder",
    "/x/v3/fav/resource/list": "favorites folder",
    "/x/v3/fav/resource/ids": "favorites folder",
    "/x/polymer/web-space/seasons_archives_list": "collection",
    "/x/series/series": "series",
    "/x/series/archives": "series",
    "/x/web-interface/card": "UP",
    "/x/space/wbi/arc/search": "UP",
    "/pgc/view/web/season": "bangumi season",
    "/pgc/review/user": "bangumi season",
    "/x/v2/history/toview": "watch later list",
}
# A list that answers these is missing, or hidden from this account (-403: private, 11010:
# a favorites folder that does not exist): the user's link or id is wrong, or needs a login.
LIST_GONE_CODES = {-404, -403, 11010, 62002, 62004, 62012}
ITEMS = {
    "/x/web-interface/wbi/view": "video",
    "/x/web-interface/view/detail/tag": "video",
    "/x/player/pagelist": "video",
    "/x/player/wbi/playurl": "video",
    "/x/player/wbi/v2": "video",
    "/x/v2/dm/wbi/web/seg.so": "video",
    "/x/v1/dm/list.so": "video",
    "/pgc/player/web/playurl": "episode",
}


def thing(what: str) -> str:
    """'this favorites folder', 'this video'…: what a request at the API path `what` is about."""
    return "this " + (LISTS.get(what) or ITEMS.get(what) or "item")


def _about(what: str) -> str:
    known = LISTS.get(what) or ITEMS.get(what)
    return f" asking about this {known}" if known else ""


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
        raise RiskControlError(f"Bilibili applied risk control{_about(what)}: {reason}", reason=reason)
    if has_voucher(payload):
        reason = f"challenged with a v_voucher (code {code})"
        raise RiskControlError(f"Bilibili applied risk control{_about(what)}: {reason}", reason=reason)
    if code == NOT_LOGGED_IN:
        raise LoginExpiredError(f"Bilibili login missing or expired{_about(what)} ({message or code})")
    if what in LISTS and code in LIST_GONE_CODES:
        private = "" if LISTS[what] == "UP" else " or is private"
        raise UnavailableError(f"{thing(what)} does not exist{private} (Bilibili answered {code})", code=code)
    if code in UNAVAILABLE_CODES:
        raise UnavailableError(f"{thing(what)} {UNAVAILABLE_CODES[code]}", code=code)
    if code != 0:
        raise ApiError(code, f"{message or 'no message'} (Bilibili{_about(what)})")
    return payload.get(result_key)
