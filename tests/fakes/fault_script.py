"""Scripted faults shared by the LLM fakes.

A fault is `{"status": 429, "kind": "minute"|"day"|"error"|"invalid", "times": 1, "path": "",
"key": None, "retry_after": 1}`: it answers the next `times` requests whose path contains
`path` (and whose API key is `key`, when given) instead of the normal reply. `times: -1` never
wears out. `key_modes` set a lasting behaviour per key: `{"k1": "day"}` (daily quota used up),
`"invalid"` (a bad key), `"minute"` (always rate-limited per minute).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Fault:
    status: int = 429
    kind: str = "minute"
    times: int = 1
    path: str = ""
    key: str | None = None
    retry_after: float = 1.0
    message: str = ""


@dataclass
class FaultScript:
    faults: list[Fault] = field(default_factory=list)
    key_modes: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds added before each normal answer
    requests: list[dict[str, Any]] = field(default_factory=list)

    def apply(self, knobs: dict[str, Any]) -> None:
        for raw in knobs.pop("faults", []):
            self.faults.append(Fault(**raw))
        self.key_modes.update(knobs.pop("key_modes", {}))
        if "delay" in knobs:
            self.delay = float(knobs.pop("delay"))

    def describe(self) -> dict[str, Any]:
        return {
            "faults": [vars(f) for f in self.faults],
            "key_modes": dict(self.key_modes),
            "delay": self.delay,
        }

    def record(self, method: str, path: str, key: str, **extra: Any) -> None:
        self.requests.append({"method": method, "path": path, "key": key, "time": time.time(), **extra})

    def fault_for(self, path: str, key: str) -> Fault | None:
        mode = self.key_modes.get(key)
        if mode:
            status = {"invalid": 401, "error": 500}.get(mode, 429)
            return Fault(status=status, kind=mode, times=-1)
        for fault in self.faults:
            if fault.path in path and (fault.key is None or fault.key == key):
                if fault.times > 0:
                    fault.times -= 1
                    if fault.times == 0:
                        self.faults.remove(fault)
                return fault
        return None
