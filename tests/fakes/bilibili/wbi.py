"""WBI request signing, exactly as the web client does it (reference algorithm, §3.3).

The fake verifies `w_rid`/`wts` on the WBI endpoints with the keys it publishes in nav's
`wbi_img`; tests use `sign()` to call those endpoints directly.
"""

from __future__ import annotations

import hashlib
import time
import urllib.parse
from collections.abc import Iterable, Mapping

MIXIN_TABLE = (
    46, 47, 18, 2, 53, 8, 23, 32, 15, 50, 10, 31, 58, 3, 45, 35, 27, 43, 5, 49,
    33, 9, 42, 19, 29, 28, 14, 39, 12, 38, 41, 13, 37, 48, 7, 16, 24, 55, 40,
    61, 26, 17, 0, 1, 60, 51, 30, 4, 22, 25, 54, 21, 56, 59, 6, 63, 57, 62, 11,
    36, 20, 34, 44, 52,
)  # fmt: skip

# The keys of the reference's example (mixin key ea1db124af3c7062474693fa704f4ff8).
IMG_KEY = "7cd084941338484aae1ad9425b84077c"
SUB_KEY = "4932caff0ff746eab6f01bf08b70ac45"
# What nav publishes after the `rotate_wbi_keys` knob: signatures made with the old keys fail.
ROTATED_IMG_KEY = "653657f524a547ac981ded72ea172057"
ROTATED_SUB_KEY = "6e4909c702f846728e64f6007736a338"

_STRIPPED = str.maketrans("", "", "!'()*")


def key_url(key: str) -> str:
    return f"https://i0.hdslb.com/bfs/wbi/{key}.png"


def mixin_key(img_key: str, sub_key: str) -> str:
    raw = img_key + sub_key
    return "".join(raw[index] for index in MIXIN_TABLE)[:32]


def _signature(params: Iterable[tuple[str, str]], mixin: str) -> str:
    cleaned = sorted((key, value.translate(_STRIPPED)) for key, value in params)
    query = urllib.parse.urlencode(cleaned, quote_via=urllib.parse.quote)
    return hashlib.md5((query + mixin).encode()).hexdigest()


def sign(
    params: Mapping[str, object], img_key: str = IMG_KEY, sub_key: str = SUB_KEY, wts: int | None = None
) -> dict[str, str]:
    """The params to send: the filtered originals plus `wts` and `w_rid`."""
    signed = {key: str(value).translate(_STRIPPED) for key, value in params.items()}
    signed["wts"] = str(int(time.time()) if wts is None else wts)
    signed["w_rid"] = _signature(signed.items(), mixin_key(img_key, sub_key))
    return signed


def verify(query: Iterable[tuple[str, str]], img_key: str, sub_key: str) -> bool:
    """True when the query carries a `w_rid` that matches its other params and a `wts`."""
    params = list(query)
    w_rid = next((value for key, value in params if key == "w_rid"), "")
    rest = [(key, value) for key, value in params if key != "w_rid"]
    if not w_rid or not any(key == "wts" for key, _ in rest):
        return False
    return _signature(rest, mixin_key(img_key, sub_key)) == w_rid.lower()
