"""The stream proxy over real HTTP on 127.0.0.1: Range byte for byte, HEAD, upstream headers,
HLS rewriting that ffmpeg plays, renewal of expired URLs, shared fetches, refusals."""

from __future__ import annotations

import asyncio
import subprocess
import time
import urllib.parse

import httpx
import pytest

from core.playback.proxy import KEEP_PLAYLISTS, StreamProxy, UpstreamTarget
from tests.playback.upstream import FILE_SIZE, REFERER, Origin


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(trust_env=False, timeout=10)


async def test_range_requests_are_passed_through_byte_for_byte(origin: Origin, proxy: StreamProxy) -> None:
    url = proxy.add_upstream(UpstreamTarget(f"{origin.base_url}/files/a.mp4", {"Referer": REFERER}))
    assert url.startswith(f"http://127.0.0.1:{proxy.port}/s/") and url.endswith("/a.mp4")
    async with client() as http:
        whole = await http.get(url)
        assert whole.status_code == 200 and whole.content == origin.blob
        assert whole.headers["content-length"] == str(FILE_SIZE)
        for start, end in ((0, 0), (1000, 200_000), (FILE_SIZE - 10, FILE_SIZE - 1), (2_000_000, FILE_SIZE + 50)):
            part = await http.get(url, headers={"Range": f"bytes={start}-{end}"})
            last = min(end, FILE_SIZE - 1)
            assert part.status_code == 206
            assert part.headers["content-range"] == f"bytes {start}-{last}/{FILE_SIZE}"
            assert part.content == origin.blob[start : last + 1]
        tail = await http.get(url, headers={"Range": "bytes=-100"})
        assert tail.status_code == 206 and tail.content == origin.blob[-100:]
        beyond = await http.get(url, headers={"Range": f"bytes={FILE_SIZE + 5}-"})
        assert beyond.status_code == 416 and beyond.headers["content-range"] == f"bytes */{FILE_SIZE}"
        head = await http.head(url)
        assert head.status_code == 200 and head.headers["content-length"] == str(FILE_SIZE)
        assert head.content == b""


async def test_upstream_sees_the_stream_headers_not_the_players(origin: Origin, proxy: StreamProxy) -> None:
    headers = {"Referer": REFERER, "User-Agent": "SyncDeckTest/1", "Cookie": "SESSDATA=abc", "X-Token": "t0k"}
    url = proxy.add_upstream(UpstreamTarget(f"{origin.base_url}/files/headers.mp4", headers))
    async with client() as http:
        answer = await http.get(url, headers={"Range": "bytes=0-9", "Cookie": "player=1"})
    assert answer.status_code == 206
    seen = origin.seen_headers("/files/headers.mp4")[-1]
    assert seen["referer"] == REFERER and seen["user-agent"] == "SyncDeckTest/1"
    assert seen["cookie"] == "SESSDATA=abc" and seen["x-token"] == "t0k" and seen["range"] == "bytes=0-9"


async def test_without_the_proxy_the_origin_refuses(origin: Origin) -> None:
    async with client() as http:
        assert (await http.get(f"{origin.base_url}/files/a.mp4")).status_code == 403


async def test_unknown_tokens_and_resources_are_404_and_never_reach_upstream(
    origin: Origin, proxy: StreamProxy
) -> None:
    url = proxy.add_upstream(UpstreamTarget(f"{origin.base_url}/files/a.mp4", {"Referer": REFERER}))
    token = urllib.parse.urlsplit(url).path.split("/")[2]
    before = len(origin.requests)
    async with client() as http:
        for path in (f"/s/{token}x/0/a.mp4", f"/s/{token}/1/a.mp4", f"/s/{token}/0/../../evil", "/",
                     "/files/a.mp4", f"/s/{token}"):  # fmt: skip
            answer = await http.get(proxy.base_url + path)
            if path == f"/s/{token}/0/../../evil":  # httpx normalises the dots away: /evil
                assert answer.status_code == 404
            else:
                assert answer.status_code == 404, path
        post = await http.post(url, content=b"")
        assert post.status_code in (400, 405)
    # a raw request naming another host in its target
    reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
    writer.write(f"GET {origin.base_url}/anything HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    await writer.drain()
    status = await reader.readline()
    writer.close()
    assert b" 404 " in status
    assert len(origin.requests) == before
    await proxy.forget(url)
    async with client() as http:
        assert (await http.get(url)).status_code == 404


async def test_hls_is_rewritten_and_plays_through_the_proxy(origin: Origin, proxy: StreamProxy) -> None:
    url = proxy.add_upstream(UpstreamTarget(f"{origin.base_url}/hls/master.m3u8", {"Referer": REFERER}))
    async with client() as http:
        master = (await http.get(url)).text
        variant_url = next(line for line in master.splitlines() if line and not line.startswith("#"))
        variant = (await http.get(variant_url)).text
    for playlist in (master, variant):
        uris = [line for line in playlist.splitlines() if line and not line.startswith("#")]
        uris += [part.split('"')[0] for part in playlist.split('URI="')[1:]]
        assert uris and all(uri.startswith(proxy.base_url + "/s/") for uri in uris), playlist
    assert "#EXT-X-KEY:METHOD=AES-128" in variant
    # ffmpeg reads the proxied master playlist, the key and every segment, and decodes them
    done = await asyncio.to_thread(
        subprocess.run, ["ffmpeg", "-v", "error", "-i", url, "-f", "null", "-"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert origin.count("/hls/v/key.bin") >= 1 and origin.count("/hls/v/seg1.ts") >= 1
    assert all(h.get("referer") == REFERER for path, h in origin.requests if path.startswith("/hls/"))


async def test_an_expired_url_is_renewed_and_the_request_retried(origin: Origin, proxy: StreamProxy) -> None:
    renewals = 0

    async def renew() -> UpstreamTarget:
        nonlocal renewals
        renewals += 1
        return UpstreamTarget(f"{origin.base_url}/signed/v.mp4?exp={int(time.time()) + 3600}&sig=n{renewals}")

    # revoked upstream (403 before its time): renewed on the 403
    origin.revoked.add("old")
    url = proxy.add_upstream(UpstreamTarget(f"{origin.base_url}/signed/v.mp4?exp={int(time.time()) + 3600}&sig=old"),
                             renew=renew)  # fmt: skip
    async with client() as http:
        answer = await http.get(url, headers={"Range": "bytes=10-19"})
        assert answer.status_code == 206 and answer.content == origin.blob[10:20]
        assert renewals == 1
        again = await http.get(url, headers={"Range": "bytes=0-3"})
        assert again.content == origin.blob[:4] and renewals == 1
        # past its expires_at: renewed before asking upstream at all
        before = origin.count("/signed/v.mp4")
        stale = proxy.add_upstream(UpstreamTarget(f"{origin.base_url}/signed/v.mp4?exp=1&sig=x", expires_at=1.0),
                                   renew=renew)  # fmt: skip
        fresh = await http.get(stale, headers={"Range": "bytes=5-9"})
        assert fresh.status_code == 206 and fresh.content == origin.blob[5:10]
        assert renewals == 2 and origin.count("/signed/v.mp4") == before + 1


async def test_identical_requests_in_flight_share_one_upstream_fetch(origin: Origin, proxy: StreamProxy) -> None:
    url = proxy.add_upstream(UpstreamTarget(f"{origin.base_url}/slow/s.mp4"))
    async with client() as http:
        answers = await asyncio.gather(*(http.get(url, headers={"Range": "bytes=100-300099"}) for _ in range(4)))
        other = await http.get(url, headers={"Range": "bytes=0-99"})
    assert all(a.status_code == 206 and a.content == origin.blob[100:300100] for a in answers)
    assert other.content == origin.blob[:100]
    assert origin.count("/slow/s.mp4") == 2  # one for the four identical requests, one for the other range


async def test_a_byte_source_is_served_with_ranges(proxy: StreamProxy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from core.playback.local_source import LocalFileSource

    path = tmp_path / "clip.mp4"
    data = bytes(range(256)) * 5000
    path.write_bytes(data)
    url = proxy.add_source(LocalFileSource(path), name="clip.mp4")
    async with client() as http:
        assert (await http.get(url)).content == data
        part = await http.get(url, headers={"Range": "bytes=1000-1999"})
        assert part.status_code == 206 and part.content == data[1000:2000]
        assert part.headers["content-range"] == f"bytes 1000-1999/{len(data)}"
        assert (await http.get(url, headers={"Range": f"bytes={len(data)}-"})).status_code == 416


@pytest.mark.parametrize("keep", [True])
async def test_keep_alive_connections_serve_many_requests(origin: Origin, proxy: StreamProxy, keep: bool) -> None:
    url = proxy.add_upstream(UpstreamTarget(f"{origin.base_url}/files/k.mp4", {"Referer": REFERER}))
    async with client() as http:
        for start in range(0, 50_000, 5_000):
            part = await http.get(url, headers={"Range": f"bytes={start}-{start + 4999}"})
            assert part.content == origin.blob[start : start + 5000]


async def test_a_player_that_goes_away_mid_stream_leaves_the_proxy_serving(origin: Origin, proxy: StreamProxy) -> None:
    url = proxy.add_upstream(UpstreamTarget(f"{origin.base_url}/files/gone.mp4", {"Referer": REFERER}))
    split = urllib.parse.urlsplit(url)
    for _ in range(3):
        reader, writer = await asyncio.open_connection(split.hostname, split.port)
        writer.write(f"GET {split.path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        await writer.drain()
        await reader.readexactly(4096)
        writer.close()  # mid-body
    await asyncio.sleep(0.1)
    async with client() as http:
        answer = await http.get(url, headers={"Range": "bytes=0-9"})
    assert answer.content == origin.blob[:10]
    assert not proxy._inflight  # noqa: SLF001 — every abandoned fetch was dropped


def _uris(playlist: str) -> list[str]:
    return [line for line in playlist.splitlines() if line and not line.startswith("#")]


async def test_a_live_playlist_fetched_for_hours_keeps_a_bounded_list(origin: Origin, proxy: StreamProxy) -> None:
    url = proxy.add_upstream(UpstreamTarget(f"{origin.base_url}/rolling/index.m3u8"))
    token = url.split("/s/")[1].split("/")[0]
    async with client() as http:
        first = _uris((await http.get(url)).text)
        for _ in range(40):
            latest = _uris((await http.get(url)).text)
        assert (await http.get(latest[-1])).content == b"you should never see this"  # the origin's catch-all
        assert (await http.get(first[0])).status_code == 404, "a segment long gone from the playlist is forgotten"
    served = proxy._streams[token].resources
    assert len(served) <= 1 + 3 + KEEP_PLAYLISTS, served  # the playlist and the segments of its last fetches


async def test_an_expired_segment_signature_is_renewed_from_a_fresh_master(origin: Origin, proxy: StreamProxy) -> None:
    renewals: list[str] = []

    async def renew() -> UpstreamTarget:
        renewals.append(f"fresh{len(renewals)}")
        return UpstreamTarget(f"{origin.base_url}/signed-hls/master.m3u8?sig={renewals[-1]}")

    url = proxy.add_upstream(UpstreamTarget(f"{origin.base_url}/signed-hls/master.m3u8?sig=hls-old"), renew=renew)
    async with client() as http:
        variant_url = _uris((await http.get(url)).text)[0]
        segments = _uris((await http.get(variant_url)).text)
        assert (await http.get(segments[0])).content == b"segment seg0.ts"
        origin.revoked.add("hls-old")  # every URL signed before now answers 403
        answer = await http.get(segments[1])
        assert answer.status_code == 200 and answer.content == b"segment seg1.ts", "renewed and retried once"
        assert renewals == ["fresh0"]
        assert (await http.get(variant_url)).status_code == 200  # the variant playlist works again too
        assert origin.count("/signed-hls/seg1.ts") == 2  # the refused try and the retry
        origin.revoked.add("fresh0")

        async def refuse() -> UpstreamTarget:
            return UpstreamTarget(f"{origin.base_url}/signed-hls/master.m3u8?sig=fresh0")

        proxy._streams[url.split("/s/")[1].split("/")[0]].renew = refuse
        assert (await http.get(segments[0])).status_code == 403, "retried once, then the refusal is passed on"


async def test_a_whole_file_and_open_ranges_relay_byte_for_byte_and_still_renew(
    origin: Origin, proxy: StreamProxy
) -> None:
    url = proxy.add_upstream(UpstreamTarget(f"{origin.base_url}/files/big.mp4", {"Referer": REFERER}))
    renewals = 0

    async def renew() -> UpstreamTarget:
        nonlocal renewals
        renewals += 1
        return UpstreamTarget(f"{origin.base_url}/signed/v.mp4?exp={int(time.time()) + 3600}&sig=relay{renewals}")

    signed = proxy.add_upstream(
        UpstreamTarget(f"{origin.base_url}/signed/v.mp4?exp={int(time.time()) + 3600}&sig=relay-old"), renew=renew
    )
    origin.revoked.add("relay-old")
    async with client() as http:
        whole = await http.get(url)
        assert whole.status_code == 200 and whole.content == origin.blob  # larger than a relay chunk: spliced
        tail = await http.get(url, headers={"Range": f"bytes={FILE_SIZE - 1000}-"})
        assert tail.status_code == 206 and tail.content == origin.blob[-1000:]
        assert tail.headers["content-range"] == f"bytes {FILE_SIZE - 1000}-{FILE_SIZE - 1}/{FILE_SIZE}"
        renewed = await http.get(signed, headers={"Range": "bytes=5-"})
        assert renewed.status_code == 206 and renewed.content == origin.blob[5:] and renewals == 1
