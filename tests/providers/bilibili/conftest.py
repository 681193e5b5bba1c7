from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from core.net import NetOptions, RateLimiter
from core.providers.bilibili.client import BiliClient, BiliHosts
from core.providers.bilibili.models import Credential
from tests.fakes.bilibili import FakeBilibili

ClientFactory = Callable[..., BiliClient]


def account_credential() -> Credential:
    """The fake's default logged-in account, as a user would have pasted it."""
    return Credential(
        sessdata=FakeBilibili.SESSDATA,
        bili_jct=FakeBilibili.BILI_JCT,
        dedeuserid=FakeBilibili.DEDEUSERID,
        buvid3=FakeBilibili.BUVID3,
        ac_time_value=FakeBilibili.REFRESH_TOKEN,
    )


@pytest.fixture
async def make_client(fake_bili: FakeBilibili) -> AsyncIterator[ClientFactory]:
    """Clients pointed at the fake; closed after the test. A roomy limiter keeps tests fast."""
    made: list[BiliClient] = []

    def factory(
        credential: Credential | None = None,
        *,
        limiter: RateLimiter | None = None,
        net: NetOptions | None = None,
    ) -> BiliClient:
        client = BiliClient(
            hosts=BiliHosts(**fake_bili.hosts()),
            net=net or NetOptions(trust_env=False, timeout=5.0),
            credential=credential,
            limiter=limiter or RateLimiter(1000, 1.0),
        )
        made.append(client)
        return client

    yield factory
    for client in made:
        await client.aclose()


@pytest.fixture
def bili(make_client: ClientFactory) -> BiliClient:
    """Logged in as the fake's default account."""
    return make_client(account_credential())


@pytest.fixture
def anon(make_client: ClientFactory) -> BiliClient:
    return make_client()
