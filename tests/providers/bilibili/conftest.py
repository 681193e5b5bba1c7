from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from core.config import Config, load_config
from core.net import NetOptions, RateLimiter
from core.providers.bilibili.client import BiliClient, BiliHosts
from core.providers.bilibili.credential import credential_to_secret
from core.providers.bilibili.models import Credential
from core.providers.bilibili.provider import BilibiliProvider
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


@pytest.fixture
def bili_config(fake_bili: FakeBilibili, tmp_path: Path) -> Config:
    """Settings that point every Bilibili host at the fake, with a roomy rate limit."""
    hosts = {f"bilibili.{name}_host": url for name, url in fake_bili.hosts().items()}
    overrides = {**hosts, "limits.api_calls": "1000", "limits.api_window_ms": "1000", "net.timeout_s": "5"}
    return load_config(tmp_path / "config.toml", data_dir=tmp_path / "data", environ={}, overrides=overrides)


@pytest.fixture
def provider(bili_config: Config) -> BilibiliProvider:
    return BilibiliProvider(bili_config)


def account_secret() -> str:
    """The fake's default login as the keyring holds it."""
    return credential_to_secret(account_credential())


@pytest.fixture
async def session(provider: BilibiliProvider) -> AsyncIterator[BiliClient]:
    """Logged in as the fake's default account."""
    client = await provider.open_session(account_secret())
    yield client
    await client.aclose()


@pytest.fixture
async def anon_session(provider: BilibiliProvider) -> AsyncIterator[BiliClient]:
    client = await provider.open_session(None)
    yield client
    await client.aclose()
