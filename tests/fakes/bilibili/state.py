"""Everything the running fake remembers: the world, logins, QR keys, knobs and counters."""

from __future__ import annotations

import hashlib
import secrets
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.bilibili import world as default_world
from tests.fakes.bilibili.media import MediaSet
from tests.fakes.bilibili.scenario import FaultRule, Knobs
from tests.fakes.bilibili.wbi import IMG_KEY, ROTATED_IMG_KEY, ROTATED_SUB_KEY, SUB_KEY
from tests.fakes.bilibili.world import World, build_default_world

QR_LIFETIME = 180


@dataclass
class Session:
    """One login of the account. `sessdata` is stored decoded (with its "," and "*")."""

    sessdata: str
    bili_jct: str
    mid: int
    refresh_token: str
    alive: bool = True
    needs_refresh: bool = False
    refresh_csrf: str = ""  # last one handed out by www /correspond
    replaces: Session | None = None  # set by cookie/refresh: ended by confirm/refresh
    previous_refresh_token: str = ""  # what confirm/refresh must present

    def cookie_values(self) -> dict[str, str]:
        return {
            "SESSDATA": urllib.parse.quote(self.sessdata, safe=""),
            "bili_jct": self.bili_jct,
            "DedeUserID": str(self.mid),
            "DedeUserID__ckMd5": hashlib.md5(str(self.mid).encode()).hexdigest()[:16],
            "sid": secrets.token_hex(4),
        }


@dataclass
class QrKey:
    key: str
    created: float
    state: str = "new"  # new | scanned | confirmed | expired | used
    polls: int = 0


@dataclass
class Counters:
    calls: Counter[str] = field(default_factory=Counter)
    media_requests: int = 0
    media_bytes: int = 0
    media_statuses: Counter[str] = field(default_factory=Counter)
    media_paths: Counter[str] = field(default_factory=Counter)
    image_requests: int = 0
    subtitle_requests: int = 0


def _default_session() -> Session:
    return Session(
        sessdata=urllib.parse.unquote(default_world.SESSDATA),
        bili_jct=default_world.BILI_JCT,
        mid=default_world.ACCOUNT_MID,
        refresh_token=default_world.REFRESH_TOKEN,
    )


def new_sessdata(mid: int) -> str:
    expires = int(time.time()) + 180 * 86400
    return f"{secrets.token_hex(4)},{expires},{secrets.token_hex(3)[:5]}*{mid % 100}{secrets.token_urlsafe(24)}"


class FakeState:
    def __init__(self, base_url: str, media: MediaSet) -> None:
        self.base_url = base_url
        self.media = media
        self.media_secret = secrets.token_hex(16)
        self.world: World
        self.sessions: list[Session]
        self.qr_keys: dict[str, QrKey]
        self.latest_qr_key: str | None
        self.knobs: Knobs
        self.counters: Counters
        self.media_serial = 0  # one per playurl answer, embedded in its URLs
        self.reset()

    def reset(self) -> None:
        self.world = build_default_world(int(time.time()))
        self.sessions = [_default_session()]
        self.qr_keys = {}
        self.latest_qr_key = None
        self.knobs = Knobs()
        self.counters = Counters()

    # --- logins --------------------------------------------------------------------------

    def session_for(self, sessdata_cookie: str | None) -> Session | None:
        if not sessdata_cookie:
            return None
        wanted = urllib.parse.unquote(sessdata_cookie)
        return next((s for s in self.sessions if s.alive and s.sessdata == wanted), None)

    def new_session(self) -> Session:
        mid = self.world.account_mid
        session = Session(
            sessdata=new_sessdata(mid),
            bili_jct=secrets.token_hex(16),
            mid=mid,
            refresh_token=secrets.token_hex(16),
        )
        self.sessions.append(session)
        return session

    def login_level(self, session: Session | None) -> int:
        """0 logged out, 1 logged in, 2 logged in with 大会员."""
        if session is None:
            return 0
        return 2 if self.world.account_vip else 1

    def mark_sessions_for_refresh(self) -> None:
        for session in self.sessions:
            session.needs_refresh = True

    # --- WBI -----------------------------------------------------------------------------

    def wbi_keys(self) -> tuple[str, str]:
        return (ROTATED_IMG_KEY, ROTATED_SUB_KEY) if self.knobs.rotate_wbi_keys else (IMG_KEY, SUB_KEY)

    # --- media URLs ----------------------------------------------------------------------

    def next_media_serial(self) -> int:
        self.media_serial += 1
        return self.media_serial

    def media_signature(self, path: str, deadline: str, trid: str) -> str:
        return hashlib.md5(f"{path}|{deadline}|{trid}|{self.media_secret}".encode()).hexdigest()

    # --- rules ---------------------------------------------------------------------------

    def firing_rules(self, endpoint: str, category: str) -> list[FaultRule]:
        return [rule for rule in self.knobs.rules if rule.applies_to(endpoint, category) and rule.fires()]

    def describe(self) -> dict[str, Any]:
        counters = self.counters
        return {
            "calls": dict(counters.calls),
            "media": {
                "requests": counters.media_requests,
                "bytes": counters.media_bytes,
                "statuses": dict(counters.media_statuses),
                "paths": dict(counters.media_paths),
            },
            "images": {"requests": counters.image_requests},
            "subtitles": {"requests": counters.subtitle_requests},
            "knobs": self.knobs.describe(),
            "latest_qr_key": self.latest_qr_key,
            "qr": {key: qr.state for key, qr in self.qr_keys.items()},
            "sessions": [
                {
                    "SESSDATA": urllib.parse.quote(session.sessdata, safe=""),
                    "bili_jct": session.bili_jct,
                    "refresh_token": session.refresh_token,
                    "alive": session.alive,
                }
                for session in self.sessions
            ],
            "media_serial": self.media_serial,
        }
