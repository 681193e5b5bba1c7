from __future__ import annotations

import json

import pytest

from core.errors import ConfigError
from core.providers.bilibili.login import correspond_path, parse_cookie_text
from core.providers.bilibili.models import Credential

EXPECTED = Credential(sessdata="abc%2C123%2Cx", bili_jct="jct0", dedeuserid="42", buvid3="buv-3")


def test_cookie_header_string() -> None:
    text = "Cookie: buvid3=buv-3; SESSDATA=abc%2C123%2Cx; bili_jct=jct0; DedeUserID=42; other=1"
    assert parse_cookie_text(text) == EXPECTED


def test_cookie_header_without_prefix_and_with_refresh_token() -> None:
    credential = parse_cookie_text("SESSDATA=abc%2C123%2Cx;bili_jct=jct0;DedeUserID=42;ac_time_value=tok")
    assert credential.ac_time_value == "tok" and credential.buvid3 == ""


def test_netscape_cookies_txt_including_httponly_lines() -> None:
    text = "\n".join(
        [
            "# Netscape HTTP Cookie File",
            "# This is a generated file! Do not edit.",
            "",
            ".bilibili.com\tTRUE\t/\tFALSE\t1900000000\tbuvid3\tbuv-3",
            "#HttpOnly_.bilibili.com\tTRUE\t/\tTRUE\t1900000000\tSESSDATA\tabc%2C123%2Cx",
            ".bilibili.com\tTRUE\t/\tFALSE\t1900000000\tbili_jct\tjct0",
            ".bilibili.com\tTRUE\t/\tFALSE\t1900000000\tDedeUserID\t42",
            ".example.com\tTRUE\t/\tFALSE\t1900000000\tSESSDATA\tforeign",
        ]
    )
    assert parse_cookie_text(text) == EXPECTED


def test_json_array_export() -> None:
    entries = [
        {"domain": ".bilibili.com", "name": "SESSDATA", "value": "abc%2C123%2Cx", "httpOnly": True},
        {"domain": ".bilibili.com", "name": "bili_jct", "value": "jct0"},
        {"domain": ".bilibili.com", "name": "DedeUserID", "value": "42"},
        {"domain": ".bilibili.com", "name": "buvid3", "value": "buv-3"},
        {"domain": ".other.org", "name": "bili_jct", "value": "foreign"},
    ]
    assert parse_cookie_text(json.dumps(entries, indent=2)) == EXPECTED


def test_missing_cookies_are_named() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_cookie_text("SESSDATA=abc; buvid3=x")
    assert "lack bili_jct, DedeUserID;" in str(caught.value)


def test_empty_and_broken_input() -> None:
    with pytest.raises(ConfigError, match="no cookies"):
        parse_cookie_text("   ")
    with pytest.raises(ConfigError, match="JSON"):
        parse_cookie_text("[{broken")


def test_correspond_path_is_rsa_oaep_hex() -> None:
    first, second = correspond_path(1700000000000), correspond_path(1700000000000)
    assert len(first) == 256 and int(first, 16) >= 0  # 1024-bit key → 128 bytes → 256 hex digits
    assert first != second  # OAEP is randomised
