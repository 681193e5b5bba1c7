"""The keys of one account, which of them may be used now, and in what order.

Every client of the account shares one pool, so a key spent by one batch worker is skipped by
the others. Keys are used in turn (round robin) among those neither spent nor invalid. The pool
knows keys only in memory; what lasts (spent until when, invalid) is saved by fingerprint
through `on_change`, never the key.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from core.errors import LlmError


def env_variable(account: str) -> str:
    """SYNCDECK_LLM_<ACCOUNT>_KEY: where a server gives an account's key (…_KEY_1, _2… for several)."""
    return "SYNCDECK_LLM_" + re.sub(r"[^A-Z0-9]+", "_", account.upper()).strip("_") + "_KEY"


def keys_from_environment(account: str, environ: Mapping[str, str]) -> list[str]:
    name = env_variable(account)
    keys = [environ[name]] if environ.get(name) else []
    number = 1
    while environ.get(f"{name}_{number}"):
        keys.append(environ[f"{name}_{number}"])
        number += 1
    return [k.strip() for k in keys if k.strip()]


def fingerprint(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:12]


@dataclass
class KeyState:
    fingerprint: str
    exhausted_until: datetime | None = None
    invalid: bool = False
    last_error: str = ""
    requests: int = 0


@dataclass
class KeyPool:
    account: str
    keys: list[str]
    states: dict[str, KeyState] = field(default_factory=dict)
    on_change: Callable[[KeyState], None] | None = None
    _turn: int = 0

    def __post_init__(self) -> None:
        for key in self.keys:
            self.states.setdefault(fingerprint(key), KeyState(fingerprint(key)))

    def replace(self, keys: Sequence[str]) -> None:
        self.keys = list(keys)
        self.__post_init__()

    def usable(self, now: datetime | None = None) -> list[str]:
        now = now or datetime.now(UTC)
        out = []
        for key in self.keys:
            state = self.states[fingerprint(key)]
            if state.invalid:
                continue
            if state.exhausted_until is not None and state.exhausted_until > now:
                continue
            out.append(key)
        return out

    def pick(self) -> str:
        usable = self.usable()
        if not usable:
            raise LlmError(self.why_none())
        key = usable[self._turn % len(usable)]
        self._turn += 1
        self.states[fingerprint(key)].requests += 1
        return key

    def why_none(self) -> str:
        if not self.keys:
            return f"the LLM account {self.account!r} has no API key; add one"
        spent = [s.exhausted_until for s in self.states.values() if s.exhausted_until and not s.invalid]
        if spent:
            soonest = min(spent).astimezone().strftime("%Y-%m-%d %H:%M")
            return (f"every key of the LLM account {self.account!r} has used up its daily quota; "
                    f"the first one is usable again at {soonest}")  # fmt: skip
        return f"every key of the LLM account {self.account!r} was refused as invalid; check the keys"

    def spend(self, key: str, until: datetime, message: str) -> None:
        state = self.states[fingerprint(key)]
        state.exhausted_until, state.last_error = until, message
        if self.on_change:
            self.on_change(state)

    def refuse(self, key: str, message: str) -> None:
        state = self.states[fingerprint(key)]
        state.invalid, state.last_error = True, message
        if self.on_change:
            self.on_change(state)
