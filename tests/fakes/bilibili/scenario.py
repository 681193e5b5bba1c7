"""Scenario knobs: faults and behaviour switches set through `POST /_fake/scenario`.

The body is a JSON object; every call adds to what is already set (rules accumulate,
switches are overwritten) until `POST /_fake/reset`. Unknown keys are refused with 400 so a
typo in a test fails loudly.

Per-request rules. Each takes a dict or a list of dicts with an `endpoint` and optional
`nth` (the first affected request, counted from when the rule is set, default 1) and
`count` (how many consecutive matching requests it affects, default 1):

- `risk`: `{"endpoint", "kind", "nth", "count"}`, kind one of
  `-352` (code -352 with data.v_voucher and the x-bili-gaia-vvoucher header),
  `-412` (HTTP 200, code -412), `-799` (code -799), `v_voucher` (code 0 with data.v_voucher),
  `http412` (HTTP 412, body code -412), `http403` (HTTP 403; what the CDN does under risk
  control), `empty_dash` (playurl answers normally but with dash.video = []; ignored on
  other endpoints).
- `fail`: `{"endpoint", "count", "status": 503}` answers an HTTP 5xx, or with `"code": -503`
  (or -500/-504) an HTTP 200 API error.
- `delay`: `{"endpoint", "seconds", "count"}` waits before answering (use it for timeouts).
- `truncate`: `{"endpoint": "media", "count", "fraction": 0.5}` declares the full
  Content-Length, sends `fraction` of it and closes the connection.

`endpoint` is an API path as counted in `/_fake/state` (e.g. `/x/player/wbi/playurl`,
`/x/passport-login/web/qrcode/poll`, `/correspond/1`, `b23`, `comment.xml`), or a category:
`*` (any API call), `media` (every DASH/durl download, primary or backup), `cdn` (primary
URLs only), `backup` (backup URLs only), `image` (covers, avatars) or `subtitle`
(subtitle bodies).

Switches:

- `expire_media_urls: true`: every media URL issued so far answers 403 from now on; new
  playurl answers carry fresh URLs.
- `media_url_ttl: SECONDS`: lifetime of media URLs issued from now on (default 7200); after
  it the CDN answers 403.
- `media_throttle: BYTES_PER_SECOND`: pace every media response at this rate (0 = off).
- `cookie_refresh_needed: true`: cookie/info answers refresh: true for the sessions that
  exist now (a session made by the refresh itself does not need one).
- `rotate_wbi_keys: true`: nav publishes other WBI keys (`wbi.ROTATED_*`); signatures made
  with the old ones get -352, as when the real keys rotate.
- `qr_auto_confirm: N`: each QR key walks by itself: poll 1 → 86101, polls 2..N-1 → 86090,
  poll N → logged in (N = 1 logs in on the first poll).

World changes (deleted video, charge-only, new page, removed from a list…) are separate
control calls, see `control.py`.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from typing import Any

RISK_KINDS = ("-352", "-412", "-799", "v_voucher", "http412", "http403", "empty_dash")
MEDIA_CATEGORIES = ("cdn", "backup")
DEFAULT_MEDIA_URL_TTL = 7200


class ScenarioError(ValueError):
    """A knob the fake does not understand."""


@dataclass
class FaultRule:
    kind: str  # a RISK_KINDS entry, "http5xx", "code", "delay" or "truncate"
    endpoint: str
    nth: int = 1
    count: int = 1
    status: int = 503
    code: int = -503
    seconds: float = 0.0
    fraction: float = 0.5
    seen: int = 0

    def applies_to(self, endpoint: str, category: str) -> bool:
        if self.endpoint in (endpoint, category):
            return True
        if self.endpoint == "*":
            return category == "api"
        return self.endpoint == "media" and category in MEDIA_CATEGORIES

    def fires(self) -> bool:
        """Count one matching request; true when it falls inside [nth, nth + count)."""
        self.seen += 1
        return self.nth <= self.seen < self.nth + self.count


@dataclass
class Knobs:
    rules: list[FaultRule] = field(default_factory=list)
    media_throttle: int = 0
    media_url_ttl: int = DEFAULT_MEDIA_URL_TTL
    media_expired_through: int = 0  # media URLs with issue serial <= this answer 403
    cookie_refresh_needed: bool = False
    rotate_wbi_keys: bool = False
    qr_auto_confirm: int = 0

    def describe(self) -> dict[str, Any]:
        return asdict(self)


def _as_list(value: Any, knob: str) -> list[dict[str, Any]]:
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, dict) for item in items):
        raise ScenarioError(f"{knob}: expected an object or a list of objects")
    return items


def _rule(knob: str, spec: dict[str, Any]) -> FaultRule:
    allowed = {"endpoint", "nth", "count"} | {
        "risk": {"kind"},
        "fail": {"status", "code"},
        "delay": {"seconds"},
        "truncate": {"fraction"},
    }[knob]
    unknown = set(spec) - allowed
    if unknown:
        raise ScenarioError(f"{knob}: unknown keys {sorted(unknown)}")
    common = {
        "endpoint": str(spec.get("endpoint", "media" if knob == "truncate" else "*")),
        "nth": int(spec.get("nth", 1)),
        "count": int(spec.get("count", 1)),
    }
    if knob == "risk":
        kind = str(spec.get("kind", ""))
        if kind not in RISK_KINDS:
            raise ScenarioError(f"risk: kind must be one of {RISK_KINDS}, not {kind!r}")
        return FaultRule(kind=kind, **common)
    if knob == "fail":
        if "code" in spec:
            return FaultRule(kind="code", code=int(spec["code"]), **common)
        return FaultRule(kind="http5xx", status=int(spec.get("status", 503)), **common)
    if knob == "delay":
        return FaultRule(kind="delay", seconds=float(spec.get("seconds", 5.0)), **common)
    return FaultRule(kind="truncate", fraction=float(spec.get("fraction", 0.5)), **common)


def apply_scenario(knobs: Knobs, body: dict[str, Any], issued_media_serial: int) -> None:
    """Merge a scenario body into `knobs`, all or nothing. Session-level effects are left to the caller."""
    staged = copy.deepcopy(knobs)
    _apply(staged, body, issued_media_serial)
    vars(knobs).update(vars(staged))


def _apply(knobs: Knobs, body: dict[str, Any], issued_media_serial: int) -> None:
    for key, value in body.items():
        if key in ("risk", "fail", "delay", "truncate"):
            knobs.rules.extend([_rule(key, spec) for spec in _as_list(value, key)])
        elif key == "expire_media_urls":
            if value:
                knobs.media_expired_through = issued_media_serial
        elif key == "media_url_ttl":
            knobs.media_url_ttl = int(value)
        elif key == "media_throttle":
            knobs.media_throttle = int(value or 0)
        elif key == "cookie_refresh_needed":
            knobs.cookie_refresh_needed = bool(value)
        elif key == "rotate_wbi_keys":
            knobs.rotate_wbi_keys = bool(value)
        elif key == "qr_auto_confirm":
            knobs.qr_auto_confirm = int(value or 0)
        else:
            raise ScenarioError(f"unknown scenario knob {key!r}")
