"""The HTTP side against the fake: login state, risk control, WBI keys, retries, limits, short links."""

from __future__ import annotations

import time

import pytest

from core.errors import (
    ApiError,
    InvalidResponseError,
    LinkError,
    LoginExpiredError,
    RiskControlError,
    TransientError,
)
from core.net import NetOptions, RateLimiter
from core.providers.bilibili import api, login
from core.providers.bilibili.client import BiliClient
from core.providers.bilibili.links import parse_link, resolve_link
from core.providers.bilibili.models import SourceKind, SourceRef
from tests.fakes.bilibili import FakeBilibili, world
from tests.providers.bilibili.conftest import ClientFactory, account_credential

SUBMISSIONS = "/x/space/wbi/arc/search"
FAVORITES = "/x/v3/fav/resource/list"
NAV = "/x/web-interface/nav"


async def first_item(client: BiliClient, key: str) -> str:
    async for item in api.scan_source(client, parse_link(key), None):
        return item.key
    raise AssertionError("empty source")


async def test_nav_logged_in_and_out(bili: BiliClient, anon: BiliClient) -> None:
    me = await api.nav(bili)
    assert me.is_login and me.mid == FakeBilibili.MID and me.uname == "同步测试员"
    assert me.vip_status == 1 and me.img_url.endswith(".png")
    nobody = await api.nav(anon)
    assert nobody.is_login is False and nobody.sub_url  # the WBI keys come even when logged out
    assert (await api.ensure_login(bili)).mid == FakeBilibili.MID
    with pytest.raises(LoginExpiredError):
        await api.ensure_login(anon)


async def test_wbi_endpoints_work_logged_out(anon: BiliClient, fake_bili: FakeBilibili) -> None:
    assert await first_item(anon, FakeBilibili.UP_B_KEY) == world.BVIDS_UP_B[-1]
    assert fake_bili.calls(NAV) == 1  # one nav for the keys


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("-352", "-352"),
        ("-412", "-412"),
        ("-799", "-799"),
        ("v_voucher", "v_voucher"),
        ("http412", "412"),
        ("http403", "403"),
    ],
)
async def test_risk_control_is_recognised(bili: BiliClient, fake_bili: FakeBilibili, kind: str, reason: str) -> None:
    fake_bili.scenario(risk={"endpoint": FAVORITES, "kind": kind})
    with pytest.raises(RiskControlError) as caught:
        await first_item(bili, FakeBilibili.FAV_KEY)
    assert reason in caught.value.reason
    assert fake_bili.calls(FAVORITES) == 1  # risk control is never retried blindly
    assert await first_item(bili, FakeBilibili.FAV_KEY) == world.BVID_SPRING  # the next round works


async def test_wbi_rejection_is_retried_once_with_fresh_keys(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    await bili.wbi_keys.get()
    fake_bili.scenario(risk={"endpoint": SUBMISSIONS, "kind": "-352"})
    assert await first_item(bili, FakeBilibili.UP_B_KEY) == world.BVIDS_UP_B[-1]
    assert fake_bili.calls(SUBMISSIONS) == 2
    assert fake_bili.calls(NAV) == 2  # the keys were reloaded before the retry


async def test_repeated_wbi_rejection_is_risk_control(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    fake_bili.scenario(risk={"endpoint": SUBMISSIONS, "kind": "-352", "count": 2})
    with pytest.raises(RiskControlError, match="-352"):
        await first_item(bili, FakeBilibili.UP_B_KEY)
    assert fake_bili.calls(SUBMISSIONS) == 2


async def test_rotated_wbi_keys_are_picked_up(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    old_keys = await bili.wbi_keys.get()
    fake_bili.scenario(rotate_wbi_keys=True)
    detail = await api.fetch_detail(bili, world.BVID_SPRING)
    assert detail.bvid == world.BVID_SPRING
    assert await bili.wbi_keys.get() != old_keys
    assert fake_bili.calls("/x/web-interface/wbi/view") == 2
    # Later calls sign with the new keys straight away.
    await api.fetch_subtitle_tracks(bili, world.BVID_SPRING, world.AID_SPRING + 4_000_000)
    assert fake_bili.calls("/x/player/wbi/v2") == 1 and fake_bili.calls(NAV) == 2


async def test_server_errors_are_retried_then_transient(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    fake_bili.scenario(fail={"endpoint": FAVORITES, "status": 503, "count": 2})
    assert await first_item(bili, FakeBilibili.FAV_KEY) == world.BVID_SPRING
    assert fake_bili.calls(FAVORITES) == 3
    fake_bili.scenario(fail={"endpoint": FAVORITES, "status": 502, "count": 3})
    with pytest.raises(TransientError):
        await first_item(bili, FakeBilibili.FAV_KEY)


async def test_api_error_codes_are_not_retried(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    fake_bili.scenario(fail={"endpoint": FAVORITES, "code": -503})
    with pytest.raises(ApiError) as caught:
        await first_item(bili, FakeBilibili.FAV_KEY)
    assert caught.value.code == -503 and fake_bili.calls(FAVORITES) == 1


async def test_timeouts_are_retried_then_transient(make_client: ClientFactory, fake_bili: FakeBilibili) -> None:
    client = make_client(account_credential(), net=NetOptions(trust_env=False, timeout=0.3))
    fake_bili.scenario(delay={"endpoint": FAVORITES, "seconds": 1.0, "count": 1})
    assert await first_item(client, FakeBilibili.FAV_KEY) == world.BVID_SPRING
    fake_bili.scenario(delay={"endpoint": FAVORITES, "seconds": 1.0, "count": 3})
    started = time.monotonic()
    with pytest.raises(TransientError):
        await first_item(client, FakeBilibili.FAV_KEY)
    assert time.monotonic() - started < 3.0  # two quick retries, not a long hang


async def test_truncated_bodies_are_retried(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    fake_bili.scenario(truncate={"endpoint": FAVORITES, "fraction": 0.5, "count": 1})
    assert await first_item(bili, FakeBilibili.FAV_KEY) == world.BVID_SPRING
    assert fake_bili.calls(FAVORITES) == 2


async def test_non_json_answer_is_invalid(bili: BiliClient) -> None:
    with pytest.raises(InvalidResponseError):
        await bili.get_json(bili.hosts.api, "/x/no/such/endpoint")


async def test_every_api_call_goes_through_the_limiter(make_client: ClientFactory, fake_bili: FakeBilibili) -> None:
    client = make_client(limiter=RateLimiter(2, 0.3))
    started = time.monotonic()
    for _ in range(5):
        await api.nav(client)
    assert time.monotonic() - started >= 0.6  # 5 calls at 2 per 0.3 s need three windows
    assert client.api_calls == 5 == fake_bili.calls(NAV)


async def test_default_limiter_is_four_per_quarter_second(make_client: ClientFactory) -> None:
    client = BiliClient(hosts=make_client().hosts, net=NetOptions(trust_env=False))
    try:
        assert (client.limiter.count, client.limiter.window) == (4, 0.25)
    finally:
        await client.aclose()


async def test_api_calls_count_matches_the_server(bili: BiliClient, fake_bili: FakeBilibili) -> None:
    [item async for item in api.scan_source(bili, parse_link(FakeBilibili.UP_B_KEY), None)]
    await api.fetch_detail(bili, world.BVID_SPRING)
    assert bili.api_calls == fake_bili.calls() == 5  # nav + 2 pages + view + tags


async def test_cookies_set_by_the_server_are_not_kept(anon: BiliClient, fake_bili: FakeBilibili) -> None:
    ticket = await login.qr_generate(anon)
    fake_bili.qr_confirm(ticket.key)
    assert (await login.qr_poll(anon, ticket.key)).state == "confirmed"
    assert (await api.nav(anon)).is_login is False  # logging in is the caller's decision


async def test_short_links_are_followed(bili: BiliClient) -> None:
    assert await resolve_link(bili, "https://b23.tv/Fav101a") == SourceRef(SourceKind.FAVORITE, id=world.FAV_ID)
    assert await resolve_link(bili, "b23.tv/Ss401bX+all") == SourceRef(
        SourceKind.BANGUMI, id=world.BANGUMI_SEASON_1, all_seasons=True
    )
    assert await resolve_link(bili, "https://b23.tv/Col3001") == SourceRef(
        SourceKind.COLLECTION, mid=world.UP_A_MID, id=world.SEASON_ID
    )


async def test_short_link_to_the_configured_host(bili: BiliClient) -> None:
    ref = await resolve_link(bili, f"{bili.hosts.b23}/Up2002q")
    assert ref == SourceRef(SourceKind.SUBMISSION, mid=world.UP_B_MID)


async def test_short_link_to_a_single_video_or_nowhere(bili: BiliClient) -> None:
    with pytest.raises(LinkError, match="single video"):
        await resolve_link(bili, "https://b23.tv/Vid0101")
    with pytest.raises(LinkError, match="does not lead anywhere"):
        await resolve_link(bili, "https://b23.tv/Nope000")


async def test_ordinary_links_resolve_without_network(bili: BiliClient) -> None:
    assert await resolve_link(bili, "fav:5") == SourceRef(SourceKind.FAVORITE, id=5)
    assert bili.api_calls == 0
