"""Bilibili logins through the provider: secrets, QR code, cookies and the login check."""

from __future__ import annotations

import io
import json
import logging
from dataclasses import asdict, replace

import pytest

from core.config import Config
from core.errors import ConfigError, LoginExpiredError
from core.providers.bilibili import api
from core.providers.bilibili.client import BiliClient
from core.providers.bilibili.credential import credential_from_secret
from core.providers.bilibili.provider import BilibiliProvider
from core.providers.protocols import LoginMethod, Profile, QrStatus
from core.secrets import SecretRedactor
from tests.fakes.bilibili import FakeBilibili
from tests.providers.bilibili.conftest import account_credential, account_secret

ACCOUNT = Profile(user_id=str(FakeBilibili.MID), name="同步测试员", avatar="", vip=True)
NAV = "/x/web-interface/nav"


def same_account(profile: Profile) -> bool:
    return (profile.user_id, profile.name, profile.vip) == (ACCOUNT.user_id, ACCOUNT.name, ACCOUNT.vip)


async def logged_in(provider: BilibiliProvider, secret: str) -> bool:
    session = await provider.open_session(secret)
    try:
        return (await api.nav(session)).is_login
    finally:
        await session.aclose()


# ---- secrets --------------------------------------------------------------------------------


async def test_a_keyring_entry_of_earlier_versions_opens_a_session(provider: BilibiliProvider) -> None:
    stored = json.dumps(asdict(account_credential()), ensure_ascii=False)  # what core.secrets wrote
    assert stored == account_secret()
    assert await logged_in(provider, stored)
    assert not await logged_in(provider, json.dumps({**asdict(account_credential()), "sessdata": "gone%2C1"}))


@pytest.mark.parametrize("secret", ["not json", "[1, 2]", '{"sessdata": "s3ssion-only-value"}'])
async def test_a_damaged_secret_asks_for_a_new_login_without_showing_it(
    provider: BilibiliProvider, secret: str
) -> None:
    with pytest.raises(LoginExpiredError, match="damaged") as caught:
        await provider.open_session(secret)
    assert "s3ssion-only-value" not in str(caught.value) and caught.value.__cause__ is None


def test_secret_from_the_environment(
    fake_bili: FakeBilibili, bili_config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SYNCDECK_BILIBILI_COOKIE", raising=False)
    assert BilibiliProvider(bili_config).secret_from_environment() is None
    monkeypatch.setenv("SYNCDECK_BILIBILI_COOKIE", FakeBilibili.COOKIE)
    secret = BilibiliProvider(bili_config).secret_from_environment()
    assert secret is not None and credential_from_secret(secret).sessdata == FakeBilibili.SESSDATA


# ---- QR code and cookies --------------------------------------------------------------------


async def test_qr_login_from_code_to_secret(provider: BilibiliProvider, fake_bili: FakeBilibili) -> None:
    challenge = await provider.qr_start()
    assert challenge.key == fake_bili.latest_qr_key() and challenge.key in challenge.url
    assert await provider.qr_poll(challenge) == QrStatus("waiting")
    fake_bili.qr_scan(challenge.key)
    assert await provider.qr_poll(challenge) == QrStatus("scanned")
    fake_bili.qr_confirm(challenge.key)
    status = await provider.qr_poll(challenge)
    assert status.state == "confirmed" and status.login is not None
    assert same_account(status.login.profile) and status.login.profile.avatar
    assert credential_from_secret(status.login.secret).sessdata != FakeBilibili.SESSDATA  # a new login
    assert await logged_in(provider, status.login.secret)


async def test_an_expired_qr_code(provider: BilibiliProvider, fake_bili: FakeBilibili) -> None:
    challenge = await provider.qr_start()
    fake_bili.qr_expire(challenge.key)
    assert await provider.qr_poll(challenge) == QrStatus("expired")


async def test_cookie_login(provider: BilibiliProvider) -> None:
    result = await provider.login_with(LoginMethod.COOKIE, {"cookie": f"Cookie: {FakeBilibili.COOKIE}"})
    assert same_account(result.profile)
    assert credential_from_secret(result.secret) == replace(account_credential(), ac_time_value="")


async def test_cookies_that_are_no_login(provider: BilibiliProvider) -> None:
    logged_out = "SESSDATA=stale-value%2C1; bili_jct=jct-value; DedeUserID=1001"
    with pytest.raises(LoginExpiredError, match="did not accept this cookie") as caught:
        await provider.login_with(LoginMethod.COOKIE, {"cookie": logged_out})
    assert "stale-value" not in str(caught.value)
    with pytest.raises(ConfigError, match="lack bili_jct"):
        await provider.login_with(LoginMethod.COOKIE, {"cookie": "SESSDATA=abc; DedeUserID=1"})
    with pytest.raises(ConfigError, match="no cookies given"):
        await provider.login_with(LoginMethod.COOKIE, {})
    with pytest.raises(ConfigError, match="not with password"):
        await provider.login_with(LoginMethod.PASSWORD, {"username": "a", "password": "b"})


async def test_login_values_never_reach_the_log(provider: BilibiliProvider) -> None:
    result = await provider.login_with(LoginMethod.COOKIE, {"cookie": FakeBilibili.COOKIE})
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.addFilter(SecretRedactor())
    logger = logging.getLogger("syncdeck.test.provider_login")
    logger.addHandler(handler)
    try:
        logger.warning("secret %s, cookie %s", result.secret, FakeBilibili.BILI_JCT)
    finally:
        logger.removeHandler(handler)
    assert FakeBilibili.SESSDATA not in output.getvalue() and FakeBilibili.BILI_JCT not in output.getvalue()


# ---- the check before a round ---------------------------------------------------------------


async def test_check_without_refresh_is_one_nav(
    provider: BilibiliProvider, session: BiliClient, fake_bili: FakeBilibili
) -> None:
    check = await provider.check_login(session, refresh=False)
    assert same_account(check.profile) and check.secret is None
    assert fake_bili.calls() == fake_bili.calls(NAV) == 1


async def test_check_with_refresh_hands_back_the_renewed_secret(
    provider: BilibiliProvider, session: BiliClient, fake_bili: FakeBilibili
) -> None:
    assert (await provider.check_login(session, refresh=True)).secret is None  # nothing to renew
    fake_bili.scenario(cookie_refresh_needed=True)
    check = await provider.check_login(session, refresh=True)
    assert check.secret is not None and same_account(check.profile)
    renewed = credential_from_secret(check.secret)
    assert renewed.sessdata != FakeBilibili.SESSDATA and renewed.ac_time_value != FakeBilibili.REFRESH_TOKEN
    assert await logged_in(provider, check.secret)
    assert not await logged_in(provider, account_secret())  # the old login was retired
    assert (await provider.check_login(session, refresh=False)).secret is None  # the session moved on


async def test_a_failed_refresh_is_not_fatal_while_the_login_works(
    provider: BilibiliProvider, fake_bili: FakeBilibili
) -> None:
    stale_token = json.dumps({**asdict(account_credential()), "ac_time_value": "0" * 32})
    fake_bili.scenario(cookie_refresh_needed=True)
    session = await provider.open_session(stale_token)
    try:
        check = await provider.check_login(session, refresh=True)
    finally:
        await session.aclose()
    assert same_account(check.profile) and check.secret is None


async def test_an_expired_login_is_reported(provider: BilibiliProvider, anon_session: BiliClient) -> None:
    with pytest.raises(LoginExpiredError, match="log in first"):
        await provider.check_login(anon_session, refresh=False)
    for token in ("", "some-refresh-token"):  # with a token, one strict refresh is tried first
        expired = json.dumps({**asdict(account_credential()), "sessdata": "gone%2C1", "ac_time_value": token})
        session = await provider.open_session(expired)
        try:
            with pytest.raises(LoginExpiredError):
                await provider.check_login(session, refresh=False)
        finally:
            await session.aclose()


async def test_sessions_share_one_rate_limit_and_the_configured_hosts(
    provider: BilibiliProvider, fake_bili: FakeBilibili
) -> None:
    first, second = await provider.open_session(None), await provider.open_session(account_secret())
    try:
        assert first.limiter is second.limiter is provider.limiter
        assert (provider.limiter.count, provider.limiter.window) == (1000, 1.0)
        assert first.hosts.api == second.hosts.passport == fake_bili.base_url
        assert first.credential is None and second.credential == account_credential()
    finally:
        await first.aclose()
        await second.aclose()
