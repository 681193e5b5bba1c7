"""WBI request signing (the `w_rid` / `wts` query parameters) and its key cache.

Bilibili publishes two keys through `nav` (`wbi_img.img_url` / `sub_url`); the file names
without extension are the keys. They rotate about daily, so they are cached for a day and
dropped early when a signed call is rejected with -352.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

# A fixed permutation of 0..63; the mixin key is the first 32 characters it picks.
MIXIN_KEY_TABLE = (
    46, 47, 18, 2, 53, 8, 23, 32, 15, 50, 10, 31, 58, 3, 45, 35, 27, 43, 5, 49,
    33, 9, 42, 19, 29, 28, 14, 39, 12, 38, 41, 13, 37, 48, 7, 16, 24, 55, 40,
    61, 26, 17, 0, 1, 60, 51, 30, 4, 22, 25, 54, 21, 56, 59, 6, 63, 57, 62, 11,
    36, 20, 34, 44, 52,
)  # fmt: skip

# Characters the web player strips from every value before signing.
_STRIPPED_CHARS = str.maketrans("", "", "!'()*")

KEY_MAX_AGE = 24 * 3600.0


def key_from_url(url: str) -> str:
    """`https://i0.hdslb.com/bfs/wbi/7cd08494….png` → `7cd08494…`."""
    name = urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1]
    return name.split(".", 1)[0]


def mixin_key(img_key: str, sub_key: str) -> str:
    raw = img_key + sub_key
    if len(raw) != len(MIXIN_KEY_TABLE):
        raise ValueError(f"WBI keys must be 64 characters together, got {len(raw)}")
    return "".join(raw[i] for i in MIXIN_KEY_TABLE)[:32]


def sign(params: Mapping[str, Any], img_key: str, sub_key: str, wts: int | None = None) -> dict[str, str]:
    """Return the query to send: the filtered params plus `wts` and `w_rid`."""
    signed = {key: str(value) for key, value in params.items()}
    signed["wts"] = str(int(time.time()) if wts is None else wts)
    filtered = {key: signed[key].translate(_STRIPPED_CHARS) for key in sorted(signed)}
    # quote_via=quote gives encodeURIComponent's output: %20 for spaces, uppercase hex.
    query = urllib.parse.urlencode(filtered, quote_via=urllib.parse.quote)
    filtered["w_rid"] = hashlib.md5((query + mixin_key(img_key, sub_key)).encode()).hexdigest()
    return filtered


@dataclass(frozen=True)
class WbiKeys:
    img_key: str
    sub_key: str


class WbiKeyCache:
    """Holds the current keys; one refresh at a time even when many calls need them."""

    def __init__(self, loader: Callable[[], Awaitable[WbiKeys]], max_age: float = KEY_MAX_AGE) -> None:
        self._loader = loader
        self._max_age = max_age
        self._keys: WbiKeys | None = None
        self._loaded_at = 0.0
        self._lock = asyncio.Lock()

    async def get(self) -> WbiKeys:
        async with self._lock:
            if self._keys is None or time.monotonic() - self._loaded_at >= self._max_age:
                self._keys = await self._loader()
                self._loaded_at = time.monotonic()
            return self._keys

    def invalidate(self, stale: WbiKeys | None = None) -> None:
        """Forget the keys, unless another call already replaced the `stale` ones."""
        if stale is None or self._keys == stale:
            self._keys = None
