"""A Bilibili login from SYNCDECK_BILIBILI_COOKIE, for servers without a keyring."""

from __future__ import annotations

import io
import logging

import pytest

from core.errors import ConfigError
from core.providers.bilibili.credential import credential_from_env, parse_cookie_header
from core.providers.bilibili.models import Credential
from core.secrets import SecretRedactor

FULL_COOKIE = (
    "SESSDATA=9a1b2c3d%2C1767225600%2Cabcde%2A11; bili_jct=0123456789abcdef; "
    "DedeUserID=3493116; buvid3=B2A5F2D1-1111-infoc"
)


def test_parse_cookie_header_keeps_values_as_given() -> None:
    assert parse_cookie_header(FULL_COOKIE) == {
        "SESSDATA": "9a1b2c3d%2C1767225600%2Cabcde%2A11",
        "bili_jct": "0123456789abcdef",
        "DedeUserID": "3493116",
        "buvid3": "B2A5F2D1-1111-infoc",
    }


def test_parse_cookie_header_tolerates_browser_copy_paste() -> None:
    text = '  Cookie: a=1;;  b = two ; c="quoted value"; d=base64==; a=second ;'
    assert parse_cookie_header(text) == {"a": "1", "b": "two", "c": "quoted value", "d": "base64=="}
    assert parse_cookie_header("") == {}


@pytest.mark.parametrize(("text", "position"), [("a=1; secretvalue; c=3", 2), ("=orphan", 1)])
def test_parse_cookie_header_points_at_the_bad_part_without_echoing_it(text: str, position: int) -> None:
    with pytest.raises(ConfigError, match=f"part {position} of the cookie is not name=value") as error:
        parse_cookie_header(text)
    assert "secretvalue" not in str(error.value)
    assert "orphan" not in str(error.value)


@pytest.mark.parametrize("environ", [{}, {"SYNCDECK_BILIBILI_COOKIE": "   "}])
def test_no_cookie_in_the_environment_means_no_credential(environ: dict[str, str]) -> None:
    assert credential_from_env(environ) is None


def test_full_cookie_becomes_a_credential() -> None:
    cred = credential_from_env({"SYNCDECK_BILIBILI_COOKIE": FULL_COOKIE + "; ac_time_value=abcdef0123"})
    assert cred == Credential(
        sessdata="9a1b2c3d%2C1767225600%2Cabcde%2A11",
        bili_jct="0123456789abcdef",
        dedeuserid="3493116",
        buvid3="B2A5F2D1-1111-infoc",
        ac_time_value="abcdef0123",
    )


def test_refresh_token_is_taken_as_ac_time_value_and_names_ignore_case() -> None:
    cred = credential_from_env(
        {"SYNCDECK_BILIBILI_COOKIE": "sessdata=s3ssdata; BILI_JCT=jct0jct0; dedeuserid=7; refresh_token=r3fr"}
    )
    assert cred == Credential(sessdata="s3ssdata", bili_jct="jct0jct0", dedeuserid="7", ac_time_value="r3fr")


def test_process_environment_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNCDECK_BILIBILI_COOKIE", FULL_COOKIE)
    cred = credential_from_env()
    assert cred is not None
    assert cred.dedeuserid == "3493116"


@pytest.mark.parametrize(
    ("cookie", "missing"),
    [
        ("buvid3=abc", "SESSDATA, bili_jct, DedeUserID"),
        ("SESSDATA=s3ssdata-value; DedeUserID=7", "bili_jct"),
        ("SESSDATA=s3ssdata-value; bili_jct=; DedeUserID=7", "bili_jct"),
    ],
)
def test_missing_cookies_are_named(cookie: str, missing: str) -> None:
    with pytest.raises(ConfigError, match=f"SYNCDECK_BILIBILI_COOKIE lacks {missing};") as error:
        credential_from_env({"SYNCDECK_BILIBILI_COOKIE": cookie})
    assert "s3ssdata-value" not in str(error.value)


def test_malformed_cookie_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="SYNCDECK_BILIBILI_COOKIE: part 1 of the cookie"):
        credential_from_env({"SYNCDECK_BILIBILI_COOKIE": "just-a-token"})


def test_cookie_values_from_the_environment_never_reach_the_log() -> None:
    cred = credential_from_env(
        {"SYNCDECK_BILIBILI_COOKIE": "SESSDATA=envsess123; bili_jct=envjct456; DedeUserID=7; buvid3=envbuv"}
    )
    assert cred is not None
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.addFilter(SecretRedactor())
    logger = logging.getLogger("syncdeck.test.cookie_env")
    logger.addHandler(handler)
    try:
        logger.warning("values %s %s %s", cred.sessdata, cred.bili_jct, cred.buvid3)
    finally:
        logger.removeHandler(handler)
    assert output.getvalue().strip() == "values *** *** ***"
