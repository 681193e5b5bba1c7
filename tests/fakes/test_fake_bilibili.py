"""The fake Bilibili keeps the quirks the client depends on, over real HTTP."""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import biliass
import httpx
import pytest

from core.net import BROWSER_UA
from tests.fakes.bilibili import FakeBilibili, world

BILI_HEADERS = {"User-Agent": BROWSER_UA, "Referer": "https://www.bilibili.com/"}
MIXIN_TABLE = [
    46, 47, 18, 2, 53, 8, 23, 32, 15, 50, 10, 31, 58, 3, 45, 35, 27, 43, 5, 49,
    33, 9, 42, 19, 29, 28, 14, 39, 12, 38, 41, 13, 37, 48, 7, 16, 24, 55, 40,
    61, 26, 17, 0, 1, 60, 51, 30, 4, 22, 25, 54, 21, 56, 59, 6, 63, 57, 62, 11,
    36, 20, 34, 44, 52,
]  # fmt: skip


def reference_sign(params: dict[str, object], img_url: str, sub_url: str) -> dict[str, str]:
    """WBI signing written straight from the reference, independent of the fake's code."""
    raw = Path(urllib.parse.urlsplit(img_url).path).stem + Path(urllib.parse.urlsplit(sub_url).path).stem
    mixin = "".join(raw[index] for index in MIXIN_TABLE)[:32]
    signed = {key: "".join(ch for ch in str(value) if ch not in "!'()*") for key, value in params.items()}
    signed["wts"] = str(int(time.time()))
    query = urllib.parse.urlencode(sorted(signed.items()), quote_via=urllib.parse.quote)
    signed["w_rid"] = hashlib.md5((query + mixin).encode()).hexdigest()
    return signed


@pytest.fixture
def client(fake_bili: FakeBilibili) -> Iterator[httpx.Client]:
    """A logged-in browser-like client, as the real app would be."""
    with httpx.Client(
        base_url=fake_bili.base_url, headers=BILI_HEADERS, cookies=FakeBilibili.COOKIES, trust_env=False
    ) as logged_in:
        yield logged_in


@pytest.fixture
def anonymous(fake_bili: FakeBilibili) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fake_bili.base_url, headers=BILI_HEADERS, trust_env=False) as logged_out:
        yield logged_out


def with_cookies(cookies: dict[str, str]) -> dict[str, str]:
    """An explicit Cookie header: it wins over whatever Set-Cookie put in the client's jar."""
    return {"Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items())}


def signed_get(client: httpx.Client, path: str, **params: object) -> dict:
    wbi_img = client.get("/x/web-interface/nav").json()["data"]["wbi_img"]
    return client.get(path, params=reference_sign(params, wbi_img["img_url"], wbi_img["sub_url"])).json()


def first_stream_url(client: httpx.Client, bvid: str = world.BVID_SPRING) -> str:
    video = client.get("/x/player/pagelist", params={"bvid": bvid}).json()["data"][0]
    play = signed_get(client, "/x/player/wbi/playurl", bvid=bvid, cid=video["cid"], qn=127, fnval=4048, fourk=1)
    return play["data"]["dash"]["video"][0]["baseUrl"]


def test_wbi_accepts_the_reference_vector_and_refuses_bad_signatures(client: httpx.Client) -> None:
    vector = {
        "mid": "11997177",
        "token": "",
        "platform": "web",
        "web_location": "1550101",
        "wts": "1703513649",
    }
    accepted = client.get("/x/space/wbi/arc/search", params={**vector, "w_rid": "7d4428b3f2f9ee2811e116ec6fd41a4f"})
    assert accepted.json()["code"] == -404  # signature fine, the UP just does not exist here

    tampered = client.get("/x/space/wbi/arc/search", params={**vector, "w_rid": "0" * 32}).json()
    unsigned = client.get("/x/space/wbi/arc/search", params={"mid": world.UP_B_MID}).json()
    for refused in (tampered, unsigned):
        assert refused["code"] == -352
        assert refused["data"]["v_voucher"].startswith("voucher_")

    listing = signed_get(client, "/x/space/wbi/arc/search", mid=world.UP_B_MID, pn=2, ps=30, order="pubdate")
    assert listing["code"] == 0
    assert listing["data"]["page"]["count"] == 35
    assert len(listing["data"]["list"]["vlist"]) == 5


def test_rotated_wbi_keys_invalidate_old_signatures(fake_bili: FakeBilibili, client: httpx.Client) -> None:
    old_img = client.get("/x/web-interface/nav").json()["data"]["wbi_img"]
    fake_bili.scenario(rotate_wbi_keys=True)
    stale = reference_sign({"bvid": world.BVID_SPRING}, old_img["img_url"], old_img["sub_url"])
    assert client.get("/x/web-interface/wbi/view", params=stale).json()["code"] == -352
    assert signed_get(client, "/x/web-interface/wbi/view", bvid=world.BVID_SPRING)["code"] == 0


def test_cdn_refuses_downloads_without_bilibili_referer_or_user_agent(client: httpx.Client) -> None:
    url = first_stream_url(client)
    with httpx.Client(trust_env=False) as bare:
        assert bare.get(url, headers={"User-Agent": BROWSER_UA}).status_code == 403
        assert bare.get(url, headers={**BILI_HEADERS, "Referer": "https://example.com/"}).status_code == 403
        assert bare.get(url, headers={"Referer": "https://www.bilibili.com", "User-Agent": ""}).status_code == 403
        assert bare.get(url, headers=BILI_HEADERS).status_code == 200


def test_cdn_serves_ranges_but_not_head(client: httpx.Client) -> None:
    url = first_stream_url(client)
    assert client.head(url).status_code == 404

    probe = client.get(url, headers={"Range": "bytes=0-0"})
    assert probe.status_code == 206
    total = int(probe.headers["content-range"].rsplit("/", 1)[1])
    assert probe.headers["content-range"] == f"bytes 0-0/{total}" and len(probe.content) == 1

    whole = client.get(url).content
    assert len(whole) == total and whole[4:8] == b"ftyp"
    middle = client.get(url, headers={"Range": "bytes=100-1099"})
    assert middle.status_code == 206 and middle.content == whole[100:1100]
    tail = client.get(url, headers={"Range": f"bytes={total - 10}-"})
    assert tail.content == whole[-10:]
    assert client.get(url, headers={"Range": f"bytes={total}-"}).status_code == 416


def test_dash_streams_are_real_media_with_both_key_styles(client: httpx.Client, tmp_path: Path) -> None:
    cid = client.get("/x/player/pagelist", params={"bvid": world.BVID_SPRING}).json()["data"][0]["cid"]
    dash = signed_get(client, "/x/player/wbi/playurl", bvid=world.BVID_SPRING, cid=cid, qn=80, fnval=4048)["data"][
        "dash"
    ]
    by_codec = {stream["codecid"]: stream for stream in dash["video"]}
    assert 7 in by_codec
    for stream in [*dash["video"], *dash["audio"]]:
        assert stream["baseUrl"] == stream["base_url"] and stream["backupUrl"] == stream["backup_url"]
        assert stream["SegmentBase"]["indexRange"] == stream["segment_base"]["index_range"]
    expected = {7: "h264", 12: "hevc", 13: "av1"}
    for codecid, stream in by_codec.items():
        body = client.get(stream["backup_url"][0]).content
        start, end = (int(edge) for edge in stream["segment_base"]["index_range"].split("-"))
        assert body[start + 4 : start + 8] == b"sidx"
        path = tmp_path / f"{codecid}.m4s"
        path.write_bytes(body)
        probe = subprocess.run(
            [
                "/usr/bin/ffprobe",
                "-v",
                "error",
                "-show_entries",
                "stream=codec_name",
                "-of",
                "json",
                str(path),
            ],
            capture_output=True,
            check=True,
        )
        assert json.loads(probe.stdout)["streams"][0]["codec_name"] == expected[codecid]


def test_pgc_answers_in_result_and_trial_clips_when_logged_out(client: httpx.Client, anonymous: httpx.Client) -> None:
    season = client.get("/pgc/view/web/season", params={"ep_id": world.EP_VIP}).json()
    assert "data" not in season and season["result"]["season_id"] == world.BANGUMI_SEASON_1
    assert [ep["section_type"] for ep in season["result"]["episodes"]] == [0, 0, 1]
    media = client.get("/pgc/review/user", params={"media_id": world.BANGUMI_MEDIA_1}).json()
    assert media["result"]["media"]["season_id"] == world.BANGUMI_SEASON_1

    episode = season["result"]["episodes"][1]
    params = {"ep_id": episode["id"], "cid": episode["cid"], "qn": 80, "fnval": 4048, "fourk": 1}
    assert anonymous.get("/pgc/player/web/playurl", params=params).json()["result"]["is_preview"] == 1
    assert client.get("/pgc/player/web/playurl", params=params).json()["result"]["is_preview"] == 0


def test_qr_login_walks_through_its_states(fake_bili: FakeBilibili, anonymous: httpx.Client) -> None:
    key = anonymous.get("/x/passport-login/web/qrcode/generate").json()["data"]["qrcode_key"]
    assert len(key) == 32 and fake_bili.latest_qr_key() == key

    def poll() -> httpx.Response:
        return anonymous.get("/x/passport-login/web/qrcode/poll", params={"qrcode_key": key})

    assert poll().json()["data"]["code"] == 86101
    fake_bili.qr_scan(key)
    assert poll().json()["data"]["code"] == 86090
    fake_bili.qr_confirm(key)
    done = poll()
    assert done.json()["code"] == 0 and done.json()["data"]["code"] == 0
    assert done.json()["data"]["refresh_token"]
    cookies = {name: done.cookies[name] for name in ("SESSDATA", "bili_jct", "DedeUserID", "DedeUserID__ckMd5", "sid")}
    assert cookies["DedeUserID"] == str(world.ACCOUNT_MID)
    nav = anonymous.get("/x/web-interface/nav", headers=with_cookies({"SESSDATA": cookies["SESSDATA"]})).json()
    assert nav["data"]["isLogin"] is True
    assert poll().json()["data"]["code"] == 86038  # a key logs in once

    expired = anonymous.get("/x/passport-login/web/qrcode/generate").json()["data"]["qrcode_key"]
    fake_bili.qr_expire(expired)
    polled = anonymous.get("/x/passport-login/web/qrcode/poll", params={"qrcode_key": expired})
    assert polled.json()["data"]["code"] == 86038


def test_cookie_refresh_replaces_the_session(fake_bili: FakeBilibili, anonymous: httpx.Client) -> None:
    old = dict(FakeBilibili.COOKIES)
    fake_bili.scenario(cookie_refresh_needed=True)
    info = anonymous.get("/x/passport-login/web/cookie/info", headers=with_cookies(old)).json()
    assert info["data"]["refresh"] is True

    page = anonymous.get(f"/correspond/1/{'ab' * 128}", headers=with_cookies(old)).text
    refresh_csrf = page.split('<div id="1-name">')[1].split("</div>")[0]
    assert anonymous.get(f"/correspond/1/{'ab' * 10}", headers=with_cookies(old)).status_code == 404

    form = {"csrf": old["bili_jct"], "refresh_csrf": refresh_csrf, "source": "main_web"}
    wrong = anonymous.post(
        "/x/passport-login/web/cookie/refresh",
        data={**form, "refresh_token": "0" * 32},
        headers=with_cookies(old),
    )
    assert wrong.json()["code"] == 86095
    refreshed = anonymous.post(
        "/x/passport-login/web/cookie/refresh",
        data={**form, "refresh_token": FakeBilibili.REFRESH_TOKEN},
        headers=with_cookies(old),
    )
    assert refreshed.json()["code"] == 0
    new = {name: refreshed.cookies[name] for name in ("SESSDATA", "bili_jct", "DedeUserID")}
    assert (
        new["SESSDATA"] != old["SESSDATA"] and refreshed.json()["data"]["refresh_token"] != FakeBilibili.REFRESH_TOKEN
    )

    assert anonymous.get("/x/web-interface/nav", headers=with_cookies(old)).json()["code"] == 0  # alive until confirmed
    confirm = anonymous.post(
        "/x/passport-login/web/confirm/refresh",
        data={"csrf": new["bili_jct"], "refresh_token": FakeBilibili.REFRESH_TOKEN},
        headers=with_cookies(new),
    )
    assert confirm.json()["code"] == 0
    assert anonymous.get("/x/web-interface/nav", headers=with_cookies(old)).json()["code"] == -101
    assert anonymous.get("/x/web-interface/nav", headers=with_cookies(new)).json()["code"] == 0
    assert (
        anonymous.get("/x/passport-login/web/cookie/info", headers=with_cookies(new)).json()["data"]["refresh"] is False
    )


def test_risk_control_fires_on_the_nth_call_only(fake_bili: FakeBilibili, client: httpx.Client) -> None:
    fake_bili.scenario(risk={"endpoint": "/x/v3/fav/folder/info", "kind": "-412", "nth": 2})
    codes = [client.get("/x/v3/fav/folder/info", params={"media_id": world.FAV_ID}).json()["code"] for _ in range(3)]
    assert codes == [0, -412, 0]

    fake_bili.scenario(risk={"endpoint": "*", "kind": "http412", "nth": 1})
    assert client.get("/x/series/series", params={"series_id": world.SERIES_ID}).status_code == 412

    fake_bili.scenario(risk={"endpoint": "/x/player/wbi/playurl", "kind": "empty_dash"})
    cid = client.get("/x/player/pagelist", params={"bvid": world.BVID_SPRING}).json()["data"][0]["cid"]
    play = signed_get(client, "/x/player/wbi/playurl", bvid=world.BVID_SPRING, cid=cid, qn=80, fnval=4048)
    assert play["code"] == 0 and play["data"]["dash"]["video"] == []

    fake_bili.scenario(risk={"endpoint": "/x/v2/history/toview", "kind": "v_voucher"})
    voucher = client.get("/x/v2/history/toview")
    assert voucher.json()["code"] == 0 and voucher.json()["data"]["v_voucher"]
    assert voucher.headers["x-bili-gaia-vvoucher"] == voucher.json()["data"]["v_voucher"]
    assert fake_bili.calls("/x/v3/fav/folder/info") == 3


def test_server_errors_truncation_and_expired_urls(fake_bili: FakeBilibili, client: httpx.Client) -> None:
    fake_bili.scenario(fail={"endpoint": "/x/web-interface/card", "count": 2, "status": 502})
    statuses = [client.get("/x/web-interface/card", params={"mid": world.UP_A_MID}).status_code for _ in range(3)]
    assert statuses == [502, 502, 200]
    fake_bili.scenario(fail={"endpoint": "/x/web-interface/card", "code": -503})
    assert client.get("/x/web-interface/card", params={"mid": world.UP_A_MID}).json()["code"] == -503

    url = first_stream_url(client)
    fake_bili.scenario(truncate={"endpoint": "cdn", "count": 1})
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(url)
    assert len(client.get(url).content) == int(
        client.get(url, headers={"Range": "bytes=0-0"}).headers["content-range"].rsplit("/", 1)[1]
    )

    fake_bili.scenario(expire_media_urls=True)
    assert client.get(url).status_code == 403
    assert client.get(first_stream_url(client)).status_code == 200
    assert fake_bili.state()["media"]["statuses"]["403"] == 1


def test_delay_and_throttle_slow_things_down(fake_bili: FakeBilibili, client: httpx.Client) -> None:
    fake_bili.scenario(delay={"endpoint": "/x/v3/fav/resource/ids", "seconds": 0.4})
    started = time.monotonic()
    client.get("/x/v3/fav/resource/ids", params={"media_id": world.FAV_ID})
    assert time.monotonic() - started >= 0.4
    url = first_stream_url(client)
    fake_bili.scenario(delay={"endpoint": "media", "seconds": 2})
    with pytest.raises(httpx.ReadTimeout):
        client.get(url, timeout=0.3)

    fake_bili.scenario(media_throttle=100_000)
    started = time.monotonic()
    size = len(client.get(url).content)
    assert time.monotonic() - started >= size / 100_000 * 0.8


def test_world_mutators_and_reset(fake_bili: FakeBilibili, client: httpx.Client) -> None:
    def favorites() -> list[dict]:
        params = {"media_id": world.FAV_ID, "pn": 1, "ps": 20, "order": "mtime", "type": 0, "tid": 0}
        return client.get("/x/v3/fav/resource/list", params={**params, "platform": "web"}).json()["data"]["medias"]

    default = [(media["bvid"], media["attr"]) for media in favorites()]
    assert default[3] == (world.BVID_DELETED, 1)

    added = fake_bili.add_video(world.FAV_KEY, {"title": "新收藏的视频", "pages": 2})
    fake_bili.delete_video(world.BVID_SPRING)
    fake_bili.remove_item(world.FAV_KEY, world.BVID_MULTIPAGE)
    cid = fake_bili.add_page(added["bvid"], "第三P", duration=5)
    fake_bili.set_charge_only(added["bvid"])

    changed = favorites()
    assert [media["bvid"] for media in changed[:2]] == [added["bvid"], world.BVID_SPRING]
    assert changed[1]["attr"] == 1 and changed[1]["title"] == "已失效视频"
    assert world.BVID_MULTIPAGE not in [media["bvid"] for media in changed]
    assert signed_get(client, "/x/web-interface/wbi/view", bvid=world.BVID_SPRING)["code"] == -404
    pages = client.get("/x/player/pagelist", params={"bvid": added["bvid"]}).json()["data"]
    assert [page["cid"] for page in pages][-1] == cid and len(pages) == 3
    play = signed_get(client, "/x/player/wbi/playurl", bvid=added["bvid"], cid=cid, qn=80, fnval=4048)
    assert play["code"] == 87008

    fake_bili.scenario(risk={"endpoint": "*", "kind": "-799", "nth": 100})
    fake_bili.reset()
    assert [(media["bvid"], media["attr"]) for media in favorites()] == default
    state = fake_bili.state()
    assert state["knobs"]["rules"] == [] and state["calls"] == {"/x/v3/fav/resource/list": 1}


def test_added_favorite_folders_list_like_the_default_one(
    fake_bili: FakeBilibili, client: httpx.Client, anonymous: httpx.Client
) -> None:
    first = fake_bili.add_favorite_folder("新建收藏夹")
    second = fake_bili.add_favorite_folder("私密新建", private=True)
    assert (first, second) == (301, 401)  # fid 3 and 4 after the default folders, mid 1001 → "01"
    added = fake_bili.add_video(f"fav:{first}", {"title": "新收藏夹里的视频"})

    info = client.get("/x/v3/fav/folder/info", params={"media_id": first}).json()["data"]
    assert (info["fid"], info["title"], info["attr"], info["media_count"]) == (3, "新建收藏夹", 2, 1)
    params = {"media_id": first, "pn": 1, "ps": 20, "order": "mtime", "type": 0, "tid": 0, "platform": "web"}
    medias = client.get("/x/v3/fav/resource/list", params=params).json()["data"]["medias"]
    assert [media["bvid"] for media in medias] == [added["bvid"]]
    created = client.get("/x/v3/fav/folder/created/list-all", params={"up_mid": world.ACCOUNT_MID}).json()["data"]
    assert [folder["id"] for folder in created["list"]] == [world.FAV_ID, world.PRIVATE_FAV_ID, first, second]
    assert client.get("/x/v3/fav/folder/info", params={"media_id": second}).json()["data"]["attr"] == 3
    assert anonymous.get("/x/v3/fav/folder/info", params={"media_id": second}).json()["code"] == -403

    fake_bili.reset()
    assert client.get("/x/v3/fav/folder/info", params={"media_id": first}).json()["code"] == -404


def test_danmaku_decodes_with_an_independent_parser(client: httpx.Client) -> None:
    long_page = client.get("/x/player/pagelist", params={"bvid": world.BVID_MULTIPAGE}).json()["data"][2]
    assert long_page["duration"] == 725  # three 6-minute segments
    segment = client.get(
        "/x/v2/dm/wbi/web/seg.so",
        params=reference_sign({"type": 1, "oid": long_page["cid"], "segment_index": 3}, *wbi_urls(client)),
    )
    assert segment.headers["content-type"] == "application/octet-stream"
    ass = biliass.convert_to_ass(segment.content, 1920, 1080, input_format="protobuf", reduce_comments=False)
    assert "前方高能" in ass and ass.count("Dialogue:") == 8

    xml = client.get("/x/v1/dm/list.so", params={"oid": long_page["cid"]})
    assert xml.headers["content-encoding"] == "deflate"
    ass = biliass.convert_to_ass(xml.text, 1920, 1080, input_format="xml", reduce_comments=False)
    assert ass.count("Dialogue:") == 24


def wbi_urls(client: httpx.Client) -> tuple[str, str]:
    wbi_img = client.get("/x/web-interface/nav").json()["data"]["wbi_img"]
    return wbi_img["img_url"], wbi_img["sub_url"]


def test_subtitles_need_login_and_short_links_redirect(client: httpx.Client, anonymous: httpx.Client) -> None:
    page = client.get("/x/player/pagelist", params={"bvid": world.BVID_MULTIPAGE}).json()["data"][0]
    params = {"bvid": world.BVID_MULTIPAGE, "cid": page["cid"]}
    tracks = signed_get(client, "/x/player/wbi/v2", **params)["data"]["subtitle"]["subtitles"]
    assert [(track["lan"], "ai_subtitle" in track["subtitle_url"]) for track in tracks] == [
        ("zh-CN", False),
        ("ai-zh", True),
    ]
    assert tracks[0]["subtitle_url"].startswith("//127.0.0.1:")
    body = anonymous.get("http:" + tracks[0]["subtitle_url"]).json()["body"]
    assert body[0]["content"] == "大家好。" and body[0]["to"] == 1.2
    assert signed_get(anonymous, "/x/player/wbi/v2", **params)["data"]["subtitle"]["subtitles"] == []

    redirect = anonymous.get("/Ss401bX", follow_redirects=False)
    assert redirect.status_code == 302
    assert redirect.headers["location"] == "https://www.bilibili.com/bangumi/play/ss401"
    assert anonymous.get("/NoSuch1", follow_redirects=False).status_code == 404
