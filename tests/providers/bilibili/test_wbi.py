from __future__ import annotations

import hashlib
import time
import urllib.parse

import pytest

from core.providers.bilibili.wbi import WbiKeyCache, WbiKeys, key_from_url, mixin_key, sign

IMG_URL = "https://i0.hdslb.com/bfs/wbi/7cd084941338484aae1ad9425b84077c.png"
SUB_URL = "https://i0.hdslb.com/bfs/wbi/4932caff0ff746eab6f01bf08b70ac45.png"
IMG_KEY = "7cd084941338484aae1ad9425b84077c"
SUB_KEY = "4932caff0ff746eab6f01bf08b70ac45"


def test_keys_are_the_image_file_names_without_extension() -> None:
    assert key_from_url(IMG_URL) == IMG_KEY
    assert key_from_url(SUB_URL) == SUB_KEY


def test_mixin_key_matches_reference_vector() -> None:
    assert mixin_key(IMG_KEY, SUB_KEY) == "ea1db124af3c7062474693fa704f4ff8"


def test_sign_matches_reference_vector_for_simple_params() -> None:
    signed = sign({"foo": 114, "bar": 514, "zab": 1919810}, IMG_KEY, SUB_KEY, wts=1702204169)
    assert signed["w_rid"] == "8f6f2b5b3d485fe1886cec6a0be8c5d4"
    assert signed["wts"] == "1702204169"
    assert {k: signed[k] for k in ("foo", "bar", "zab")} == {"foo": "114", "bar": "514", "zab": "1919810"}


def test_sign_matches_reference_vector_with_empty_value() -> None:
    params = {"mid": 11997177, "token": "", "platform": "web", "web_location": 1550101}
    assert sign(params, IMG_KEY, SUB_KEY, wts=1703513649)["w_rid"] == "7d4428b3f2f9ee2811e116ec6fd41a4f"


def test_sign_strips_reserved_characters_and_encodes_spaces_as_percent_20() -> None:
    signed = sign({"keyword": "a b!'()*c"}, IMG_KEY, SUB_KEY, wts=1)
    assert signed["keyword"] == "a bc"
    expected = hashlib.md5(("keyword=a%20bc&wts=1" + mixin_key(IMG_KEY, SUB_KEY)).encode()).hexdigest()
    assert signed["w_rid"] == expected
    # What goes on the wire still decodes to the filtered value.
    assert urllib.parse.parse_qs(urllib.parse.urlencode(signed))["keyword"] == ["a bc"]


def test_sign_uses_current_time_when_wts_missing() -> None:
    before = int(time.time())
    signed = sign({"a": 1}, IMG_KEY, SUB_KEY)
    assert before <= int(signed["wts"]) <= int(time.time())


def test_mixin_key_rejects_wrong_length() -> None:
    with pytest.raises(ValueError):
        mixin_key("short", SUB_KEY)


async def test_key_cache_loads_once_and_reloads_after_invalidate() -> None:
    loads: list[int] = []

    async def loader() -> WbiKeys:
        loads.append(1)
        return WbiKeys(IMG_KEY, f"{len(loads):032d}")

    cache = WbiKeyCache(loader)
    first = await cache.get()
    assert await cache.get() == first
    assert len(loads) == 1
    cache.invalidate(first)
    second = await cache.get()
    assert second != first and len(loads) == 2
    # Invalidating keys that were already replaced keeps the fresh ones.
    cache.invalidate(first)
    assert await cache.get() == second and len(loads) == 2


async def test_key_cache_expires_after_max_age() -> None:
    loads: list[int] = []

    async def loader() -> WbiKeys:
        loads.append(1)
        return WbiKeys(IMG_KEY, SUB_KEY)

    cache = WbiKeyCache(loader, max_age=0.0)
    await cache.get()
    await cache.get()
    assert len(loads) == 2
