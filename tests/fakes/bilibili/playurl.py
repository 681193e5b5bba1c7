"""Play URL answers (UGC `data` and PGC `result`): DASH streams for every quality and codec.

Every stream points at the fake CDN with a signed, expiring URL; all qualities serve the same
generated 320x180 bytes of their codec (width/height in the answer are the nominal ones).
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from tests.fakes.bilibili.routing import Call
from tests.fakes.bilibili.state import FakeState
from tests.fakes.bilibili.world import Page, Video

QUALITY_NAMES = {
    127: "超高清 8K",
    126: "杜比视界",
    125: "HDR 真彩色",
    120: "超清 4K",
    116: "高清 1080P60",
    112: "高清 1080P+",
    80: "高清 1080P",
    64: "高清 720P",
    32: "清晰 480P",
    16: "流畅 360P",
}
# Nominal frame size per quality (every stream serves the same 320x180 bytes).
QUALITY_SIZES = {
    127: (7680, 4320),
    126: (3840, 2160),
    125: (3840, 2160),
    120: (3840, 2160),
    116: (1920, 1080),
    112: (1920, 1080),
    80: (1920, 1080),
    64: (1280, 720),
    32: (852, 480),
    16: (640, 360),
}
QUALITY_BANDWIDTH = {
    127: 16_000_000,
    126: 9_000_000,
    125: 9_000_000,
    120: 8_000_000,
    116: 3_500_000,
    112: 3_000_000,
    80: 1_500_000,
    64: 700_000,
    32: 350_000,
    16: 150_000,
}
CODEC_IDS = {"avc": 7, "hevc": 12, "av1": 13}
CODEC_FILE_BASE = {"avc": 30000, "hevc": 100000, "av1": 200000}  # file number = base + qn
CODEC_BANDWIDTH_FACTOR = {"avc": 1.0, "hevc": 0.6, "av1": 0.5}
AUDIO_FILES = {30280: "aac", 30232: "aac", 30216: "aac", 30250: "eac3", 30251: "flac"}
AUDIO_BANDWIDTH = {30280: 192_000, 30232: 132_000, 30216: 64_000, 30250: 448_000, 30251: 1_000_000}
PROGRESSIVE_FILE = 192
DURL_MAX_QUALITY = 64


def allowed_qualities(video: Video, login_level: int, fnval: int, fourk: bool) -> list[int]:
    ceiling = {0: 32, 1: 80, 2: 127}[login_level]
    feature_bits = {120: 128, 125: 64, 126: 512, 127: 1024}
    allowed = []
    for qn in video.qualities:
        if qn > ceiling:
            continue
        if qn in feature_bits and not fnval & feature_bits[qn]:
            continue
        if qn == 120 and not fourk:
            continue
        allowed.append(qn)
    return sorted(allowed, reverse=True)


def codecs_for(qn: int, fnval: int, available: set[str]) -> list[str]:
    codecs = []
    if qn not in (125, 126, 127):
        codecs.append("avc")
    if "hevc" in available:
        codecs.append("hevc")
    if "av1" in available and fnval & 2048 and qn != 126:
        codecs.append("av1")
    return codecs


class PlayUrlBuilder:
    """The URLs of one playurl answer: one issue serial, one deadline, signed per file."""

    def __init__(self, state: FakeState, mid: int) -> None:
        self.state = state
        self.mid = mid
        self.serial = state.next_media_serial()
        self.deadline = int(time.time()) + state.knobs.media_url_ttl

    def urls(self, cid: int, file_number: int, extension: str, bandwidth: int) -> tuple[str, list[str]]:
        path = f"/upgcxcode/{cid % 100:02d}/{cid // 100 % 100:02d}/{cid}/{cid}-1-{file_number}.{extension}"
        trid = f"{self.serial:016x}{secrets.token_hex(8)}u"
        signature = self.state.media_signature(path, str(self.deadline), trid)

        def url(prefix: str, order: int) -> str:
            return (
                f"{self.state.base_url}{prefix}{path}?e=ig8euxZM2rNcNbdlhoNvNC8BqJIzNbfqXBvEuENvNC8aNEVEtEvE9IMvXBvE2ENvNCImNEVEIj0Y2J_aug859r1qXg8xNEVE5XREto8GuFGv2U7SuxI72X6fTr859r1qXg8gNEVE5XREto8z5JZC2X2gkX5L5F1eTX1jkXlsTXHeux_f2o859IB_"
                f"&uipk=5&nbs=1&deadline={self.deadline}&gen=playurlv2&os=upos&oi=2130706433&trid={trid}"
                f"&mid={self.mid}&platform=pc&og=hw&upsig={signature}"
                "&uparams=e,uipk,nbs,deadline,gen,os,oi,trid,mid,platform,og"
                f"&bvc=vod&nettype=0&orderid={order},3&buvid=&build=0&f=u_0_0&agrr=1&bw={bandwidth}&logo=80000000"
            )

        return url("", 0), [url("/backup", 1)]


def stream_json(
    stream_id: int,
    urls: tuple[str, list[str]],
    *,
    bandwidth: int,
    mime_type: str,
    codecs: str,
    codecid: int,
    init_range: str,
    index_range: str,
    width: int = 0,
    height: int = 0,
    frame_rate: str = "",
    sar: str = "",
) -> dict[str, Any]:
    base_url, backup_urls = urls
    return {
        "id": stream_id,
        "baseUrl": base_url,
        "base_url": base_url,
        "backupUrl": backup_urls,
        "backup_url": backup_urls,
        "bandwidth": bandwidth,
        "mimeType": mime_type,
        "mime_type": mime_type,
        "codecs": codecs,
        "width": width,
        "height": height,
        "frameRate": frame_rate,
        "frame_rate": frame_rate,
        "sar": sar,
        "startWithSap": 1,
        "start_with_sap": 1,
        "SegmentBase": {"Initialization": init_range, "indexRange": index_range},
        "segment_base": {"initialization": init_range, "index_range": index_range},
        "codecid": codecid,
    }


def audio_stream(builder: PlayUrlBuilder, cid: int, audio_id: int) -> dict[str, Any]:
    media = builder.state.media.audio[AUDIO_FILES[audio_id]]
    bandwidth = AUDIO_BANDWIDTH[audio_id]
    return stream_json(
        audio_id,
        builder.urls(cid, audio_id, "m4s", bandwidth),
        bandwidth=bandwidth,
        mime_type="audio/mp4",
        codecs=media.codecs,
        codecid=0,
        init_range=media.init_range,
        index_range=media.index_range,
    )


def play_data(call: Call, video: Video, page: Page, *, duration_ms: int, login_level: int, mid: int) -> dict[str, Any]:
    """The `data` (UGC) or `result` (PGC) body of a playurl answer."""
    state = call.state
    fnval = call.int_param("fnval", 0) or 0
    requested = call.int_param("qn", 0) or 0
    qualities = allowed_qualities(video, login_level, fnval, call.param("fourk") == "1")
    builder = PlayUrlBuilder(state, mid)
    chosen = next((qn for qn in qualities if qn <= requested), qualities[-1]) if qualities else 16
    common: dict[str, Any] = {
        "from": "local",
        "result": "suee",
        "message": "",
        "timelength": duration_ms,
        "accept_description": [QUALITY_NAMES[qn] for qn in qualities],
        "accept_quality": qualities,
        "video_codecid": 7,
        "seek_param": "start",
        "seek_type": "offset",
        "support_formats": [
            {
                "quality": qn,
                "format": "mp4" if video.durl_only else "dash",
                "new_description": QUALITY_NAMES[qn],
                "display_desc": QUALITY_NAMES[qn].split()[-1],
                "superscript": "",
                "codecs": [state.media.video[codec].codecs for codec in codecs_for(qn, fnval, set(state.media.video))],
            }
            for qn in qualities
        ],
        "high_format": None,
        "last_play_time": 0,
        "last_play_cid": 0,
    }
    if video.durl_only or not fnval & 16:
        durl_quality = min(chosen, DURL_MAX_QUALITY)
        progressive = state.media.progressive
        urls = builder.urls(page.cid, PROGRESSIVE_FILE, "mp4", QUALITY_BANDWIDTH[durl_quality])
        return {
            **common,
            "quality": durl_quality,
            "format": "mp4",
            "accept_format": "mp4",
            "durl": [
                {
                    "order": 1,
                    "length": duration_ms,
                    "size": progressive.size,
                    "ahead": "",
                    "vhead": "",
                    "url": urls[0],
                    "backup_url": urls[1],
                }
            ],
        }
    videos: list[dict[str, Any]] = []
    if not call.empty_dash:
        for qn in qualities:
            for codec in codecs_for(qn, fnval, set(state.media.video)):
                media = state.media.video[codec]
                bandwidth = int(QUALITY_BANDWIDTH[qn] * CODEC_BANDWIDTH_FACTOR[codec])
                width, height = QUALITY_SIZES[qn]
                videos.append(
                    stream_json(
                        qn,
                        builder.urls(page.cid, CODEC_FILE_BASE[codec] + qn, "m4s", bandwidth),
                        bandwidth=bandwidth,
                        mime_type="video/mp4",
                        codecs=media.codecs,
                        codecid=CODEC_IDS[codec],
                        init_range=media.init_range,
                        index_range=media.index_range,
                        width=width,
                        height=height,
                        frame_rate="15.000",
                        sar="1:1",
                    )
                )
    audio = None if video.silent else [audio_stream(builder, page.cid, audio_id) for audio_id in (30280, 30232, 30216)]
    dolby_audio = [audio_stream(builder, page.cid, 30250)] if video.dolby and fnval & 256 else None
    flac = (
        {"display": True, "audio": audio_stream(builder, page.cid, 30251)} if video.hires and login_level == 2 else None
    )
    return {
        **common,
        "quality": chosen,
        "format": f"flv{QUALITY_SIZES[chosen][1]}" if chosen < 80 else "flv",
        "accept_format": ",".join("flv" if qn >= 80 else f"flv{QUALITY_SIZES[qn][1]}" for qn in qualities),
        "dash": {
            "duration": page.duration,
            "minBufferTime": 1.5,
            "min_buffer_time": 1.5,
            "video": videos,
            "audio": audio,
            "dolby": {"type": 1 if dolby_audio else 0, "audio": dolby_audio},
            "flac": flac,
        },
    }
