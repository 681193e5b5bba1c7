"""QR login and the cookie refresh against the fake passport."""

from __future__ import annotations

import dataclasses

import pytest

from core.errors import LoginExpiredError
from core.providers.bilibili import api, login
from core.providers.bilibili.client import BiliClient
from core.providers.bilibili.models import Credential
from tests.fakes.bilibili import FakeBilibili
from tests.providers.bilibili.conftest import ClientFactory

POLL = "/x/passport-login/web/qrcode/poll"


async def test_qr_login_walks_through_every_state(
    anon: BiliClient, make_client: ClientFactory, fake_bili: FakeBilibili
) -> None:
    ticket = await login.qr_generate(anon)
    assert ticket.key == fake_bili.latest_qr_key() and ticket.key in ticket.url
    assert (await login.qr_poll(anon, ticket.key)) == login.QrPoll("waiting")
    fake_bili.qr_scan(ticket.key)
    assert (await login.qr_poll(anon, ticket.key)).state == "scanned"
    fake_bili.qr_confirm(ticket.key)
    confirmed = await login.qr_poll(anon, ticket.key)
    assert confirmed.state == "confirmed"
    credential = confirmed.credential
    assert credential is not None
    assert credential.dedeuserid == str(FakeBilibili.MID)
    assert credential.sessdata and credential.bili_jct and credential.buvid3 and credential.ac_time_value
    assert credential.sessdata != FakeBilibili.SESSDATA  # a new login, not the default one
    me = await api.nav(make_client(credential))
    assert me.is_login and me.mid == FakeBilibili.MID


async def test_qr_code_expiry(anon: BiliClient, fake_bili: FakeBilibili) -> None:
    ticket = await login.qr_generate(anon)
    fake_bili.qr_expire(ticket.key)
    assert await login.qr_poll(anon, ticket.key) == login.QrPoll("expired")


async def test_qr_auto_confirm_sequence(anon: BiliClient, fake_bili: FakeBilibili) -> None:
    fake_bili.scenario(qr_auto_confirm=3)
    ticket = await login.qr_generate(anon)
    states = [(await login.qr_poll(anon, ticket.key)).state for _ in range(3)]
    assert states == ["waiting", "scanned", "confirmed"]
    assert fake_bili.calls(POLL) == 3


async def test_no_refresh_when_not_asked(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    before = dataclasses.replace(bili.credential)  # type: ignore[type-var]
    assert await login.refresh_if_needed(bili) is False
    assert bili.credential == before
    assert fake_bili.calls() == 1  # cookie/info only


async def test_cookie_refresh_replaces_the_login_in_place(
    bili: BiliClient, make_client: ClientFactory, fake_bili: FakeBilibili
) -> None:
    credential = bili.credential
    assert credential is not None
    old = dataclasses.replace(credential)
    fake_bili.scenario(cookie_refresh_needed=True)

    assert await login.refresh_if_needed(bili) is True
    assert bili.credential is credential  # same object, new values
    assert credential.sessdata != old.sessdata and credential.bili_jct != old.bili_jct
    assert credential.ac_time_value and credential.ac_time_value != old.ac_time_value
    assert credential.dedeuserid == old.dedeuserid and credential.buvid3 == old.buvid3
    assert fake_bili.calls("/correspond/1") == 1
    assert fake_bili.calls("/x/passport-login/web/confirm/refresh") == 1

    assert (await api.nav(bili)).is_login  # the client uses the new cookies
    assert (await api.nav(make_client(old))).is_login is False  # confirming retired the old ones
    assert await login.refresh_if_needed(bili) is False  # the new login needs no refresh


async def test_refresh_with_a_stale_token_means_log_in_again(
    make_client: ClientFactory, fake_bili: FakeBilibili
) -> None:
    stale = Credential(
        sessdata=FakeBilibili.SESSDATA,
        bili_jct=FakeBilibili.BILI_JCT,
        dedeuserid=FakeBilibili.DEDEUSERID,
        ac_time_value="0" * 32,
    )
    fake_bili.scenario(cookie_refresh_needed=True)
    with pytest.raises(LoginExpiredError, match="refresh token"):
        await login.refresh_if_needed(make_client(stale))


async def test_refresh_without_token_or_login(make_client: ClientFactory, fake_bili: FakeBilibili) -> None:
    fake_bili.scenario(cookie_refresh_needed=True)
    tokenless = Credential(FakeBilibili.SESSDATA, FakeBilibili.BILI_JCT, FakeBilibili.DEDEUSERID)
    with pytest.raises(LoginExpiredError, match="no refresh token"):
        await login.refresh_if_needed(make_client(tokenless))
    with pytest.raises(LoginExpiredError):
        await login.refresh_if_needed(make_client(Credential("expired%2C1", "x", "1", ac_time_value="t")))
    with pytest.raises(LoginExpiredError):
        await login.refresh_if_needed(make_client())
