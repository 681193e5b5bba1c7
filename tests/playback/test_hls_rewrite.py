"""HLS playlists rewritten: every http(s) URI (lines and URI="…" attributes) through the proxy."""

from __future__ import annotations

from core.playback.hls import is_playlist, playlist_facts, rewrite_playlist

MASTER = """#EXTM3U
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="zh",URI="audio/zh.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=800000,AUDIO="aac"
720/index.m3u8?token=abc
#EXT-X-STREAM-INF:BANDWIDTH=300000
https://other.example/360/index.m3u8
"""
MEDIA = """#EXTM3U
#EXT-X-TARGETDURATION:4
#EXT-X-MAP:URI="init.mp4"
#EXT-X-KEY:METHOD=AES-128,URI="/keys/k1",IV=0x1
#EXTINF:4.0,
seg0.m4s
#EXT-X-KEY:METHOD=SAMPLE-AES,URI="skd://fairplay-key"
#EXTINF:4.0,
../shared/seg1.m4s
#EXT-X-ENDLIST
"""


def rewrite(text: str, base: str) -> tuple[str, list[str]]:
    seen: list[str] = []

    def register(url: str) -> str:
        seen.append(url)
        return f"http://127.0.0.1:9/s/T/{len(seen)}/x"

    return rewrite_playlist(text, base, register), seen


def test_master_playlist_variants_and_renditions() -> None:
    out, seen = rewrite(MASTER, "https://cdn.example/live/master.m3u8")
    assert seen == ["https://cdn.example/live/audio/zh.m3u8", "https://cdn.example/live/720/index.m3u8?token=abc",
                    "https://other.example/360/index.m3u8"]  # fmt: skip
    assert 'URI="http://127.0.0.1:9/s/T/1/x"' in out and "\nhttp://127.0.0.1:9/s/T/2/x\n" in out
    assert "cdn.example" not in out and "other.example" not in out


def test_media_playlist_segments_keys_and_maps() -> None:
    out, seen = rewrite(MEDIA, "https://cdn.example/vod/a/index.m3u8")
    assert seen == ["https://cdn.example/vod/a/init.mp4", "https://cdn.example/keys/k1",
                    "https://cdn.example/vod/a/seg0.m4s", "https://cdn.example/vod/shared/seg1.m4s"]  # fmt: skip
    assert 'URI="skd://fairplay-key"' in out  # not http(s): left alone, never fetched
    assert out.count("127.0.0.1") == 4


def test_facts_and_detection() -> None:
    assert playlist_facts(MEDIA)[:3] == (False, False, 8.0)
    assert playlist_facts(MEDIA.replace("#EXT-X-ENDLIST\n", ""))[1] is True
    master, _, _, variants = playlist_facts(MASTER)
    assert master and variants == ["720/index.m3u8?token=abc", "https://other.example/360/index.m3u8"]
    assert is_playlist("application/vnd.apple.mpegURL; charset=utf-8", "https://x/y")
    assert is_playlist("application/octet-stream", "https://x/y", b"\xef\xbb\xbf#EXTM3U\n")
    assert not is_playlist("video/mp4", "https://x/y.mp4", b"\x00\x00\x00\x18ftyp")
