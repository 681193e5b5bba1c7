"""Choosing one video and one audio stream from a playurl answer.

Video: the highest quality inside the wanted range, ties (the same qn in several codecs)
broken by the user's codec order. Audio: Bilibili's audio ids are not ordered by quality
(Dolby 30250 and Hi-Res 30251 sit below 192K's 30280), so they are ranked explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.config.settings import AUDIO_NAMES, QUALITY_NAMES
from core.errors import ConfigError, DownloadError
from core.providers.bilibili.models import MediaStream, PlayInfo

if TYPE_CHECKING:
    from core.config import Config

CODEC_AVC = 7
CODEC_HEVC = 12
CODEC_AV1 = 13

CODEC_NAMES = {
    "avc": CODEC_AVC,
    "avc1": CODEC_AVC,
    "h264": CODEC_AVC,
    "hevc": CODEC_HEVC,
    "hev": CODEC_HEVC,
    "hev1": CODEC_HEVC,
    "h265": CODEC_HEVC,
    "av1": CODEC_AV1,
    "av01": CODEC_AV1,
}
CODEC_LABELS = {CODEC_AVC: "avc", CODEC_HEVC: "hevc", CODEC_AV1: "av1"}

QN_HDR10 = 125
QN_DOLBY_VISION = 126
QN_HDR_VIVID = 129
HDR_QNS = frozenset({QN_HDR10, QN_HDR_VIVID})

AUDIO_64K = 30216
AUDIO_132K = 30232
AUDIO_192K = 30280
AUDIO_DOLBY = 30250
AUDIO_DOLBY_LEGACY = 30255
AUDIO_HIRES = 30251

# Quality rank of each audio id; ids not listed (encrypted 100008–100010…) are never chosen.
AUDIO_RANK = {
    AUDIO_64K: 0,
    AUDIO_132K: 1,
    AUDIO_192K: 2,
    AUDIO_DOLBY: 3,
    AUDIO_DOLBY_LEGACY: 3,
    AUDIO_HIRES: 4,
}
AUDIO_LABELS = {
    AUDIO_64K: "64K",
    AUDIO_132K: "132K",
    AUDIO_192K: "192K",
    AUDIO_DOLBY: "Dolby",
    AUDIO_DOLBY_LEGACY: "Dolby",
    AUDIO_HIRES: "Hi-Res",
}


# Stable names of a stream's quality, as the settings spell them ("1080p", "192k"): a stream
# found again in a fresh play-URL answer is the one with the same kind, quality and codec.
VIDEO_QUALITY_LABELS = {qn: name for name, qn in QUALITY_NAMES.items()}
AUDIO_QUALITY_LABELS = {**{audio: name for name, audio in AUDIO_NAMES.items()}, AUDIO_DOLBY_LEGACY: "dolby-legacy"}
AUDIO_CODECS = {AUDIO_DOLBY: "eac3", AUDIO_DOLBY_LEGACY: "eac3", AUDIO_HIRES: "flac"}


def video_quality_label(stream: MediaStream) -> str:
    return VIDEO_QUALITY_LABELS.get(stream.id, f"qn{stream.id}")


def video_codec_label(stream: MediaStream) -> str:
    return CODEC_LABELS.get(codec_of(stream), "")


def audio_quality_label(stream: MediaStream) -> str:
    return AUDIO_QUALITY_LABELS.get(stream.id, f"audio{stream.id}")


def audio_codec_label(stream: MediaStream) -> str:
    return AUDIO_CODECS.get(stream.id, "aac")


@dataclass
class StreamPrefs:
    video_max_qn: int = 127
    video_min_qn: int = 16
    audio_max: int = AUDIO_HIRES
    audio_min: int = AUDIO_64K
    codecs: tuple[str, ...] = ("avc", "hevc", "av1")  # preferred first
    no_dolby_video: bool = False
    no_dolby_audio: bool = False
    no_hdr: bool = False
    no_hires: bool = False


def prefs_from_config(config: Config) -> StreamPrefs:
    """The `quality.*` settings as stream preferences."""
    return StreamPrefs(
        video_max_qn=QUALITY_NAMES[config["quality.video_max"]],
        video_min_qn=QUALITY_NAMES[config["quality.video_min"]],
        audio_max=AUDIO_NAMES[config["quality.audio_max"]],
        audio_min=AUDIO_NAMES[config["quality.audio_min"]],
        codecs=tuple(config["quality.codecs"]),
        no_dolby_video=config["quality.no_dolby_video"],
        no_dolby_audio=config["quality.no_dolby_audio"],
        no_hdr=config["quality.no_hdr"],
        no_hires=config["quality.no_hires"],
    )


@dataclass(frozen=True)
class StreamChoice:
    video: MediaStream
    audio: MediaStream | None  # None: the video has no sound, or the stream is progressive (durl)


def codec_of(stream: MediaStream) -> int:
    """The codec id, read from the `codecs` string when `codecid` is missing."""
    if stream.codecid:
        return stream.codecid
    prefix = stream.codecs.split(".", 1)[0].lower()
    return {"avc1": CODEC_AVC, "hev1": CODEC_HEVC, "hvc1": CODEC_HEVC, "av01": CODEC_AV1}.get(prefix, 0)


def is_hevc(stream: MediaStream) -> bool:
    return codec_of(stream) == CODEC_HEVC


def _codec_order(prefs: StreamPrefs) -> list[int]:
    order: list[int] = []
    for name in prefs.codecs:
        codec = CODEC_NAMES.get(name.strip().lower())
        if codec is None:
            raise ConfigError(f"unknown video codec {name!r}; use avc, hevc or av1")
        if codec not in order:
            order.append(codec)
    if not order:
        raise ConfigError("the codec list is empty; allow at least one of avc, hevc, av1")
    return order


def _audio_rank(audio_id: int, setting: str) -> int:
    if audio_id not in AUDIO_RANK:
        raise ConfigError(f"unknown audio quality {audio_id} for {setting}")
    return AUDIO_RANK[audio_id]


def _describe_video(streams: Iterable[MediaStream]) -> str:
    labels = sorted({(s.id, CODEC_LABELS.get(codec_of(s), s.codecs or "?")) for s in streams}, reverse=True)
    return ", ".join(f"{qn} {codec}" for qn, codec in labels) or "none"


def _describe_audio(streams: Iterable[MediaStream]) -> str:
    return ", ".join(AUDIO_LABELS.get(s.id, str(s.id)) for s in streams) or "none"


def _video_allowed(stream: MediaStream, prefs: StreamPrefs) -> bool:
    if not prefs.video_min_qn <= stream.id <= prefs.video_max_qn:
        return False
    if prefs.no_hdr and stream.id in HDR_QNS:
        return False
    return not (prefs.no_dolby_video and stream.id == QN_DOLBY_VISION)


def _select_video(play: PlayInfo, prefs: StreamPrefs) -> MediaStream:
    order = _codec_order(prefs)
    candidates = [s for s in play.video if _video_allowed(s, prefs) and codec_of(s) in order]
    if not candidates:
        wanted = "/".join(CODEC_LABELS[c] for c in order)
        raise DownloadError(
            f"no stream matches the video preferences (quality {prefs.video_min_qn}–{prefs.video_max_qn}, "
            f"codecs {wanted}{', no HDR' if prefs.no_hdr else ''}"
            f"{', no Dolby Vision' if prefs.no_dolby_video else ''}); "
            f"available: {_describe_video(play.video)}"
        )
    return max(candidates, key=lambda s: (s.id, -order.index(codec_of(s)), s.bandwidth))


def _select_audio(play: PlayInfo, prefs: StreamPrefs) -> MediaStream | None:
    offered = list(play.audio)
    if not prefs.no_dolby_audio:
        offered += play.dolby
    if play.flac is not None and not prefs.no_hires:
        offered.append(play.flac)
    everything = [*play.audio, *play.dolby, *([play.flac] if play.flac else [])]
    if not everything:
        return None  # a silent video
    low = _audio_rank(prefs.audio_min, "the lowest audio quality")
    high = _audio_rank(prefs.audio_max, "the highest audio quality")
    candidates = [s for s in offered if s.id in AUDIO_RANK and low <= AUDIO_RANK[s.id] <= high]
    if not candidates:
        raise DownloadError(
            f"no stream matches the audio preferences ({AUDIO_LABELS[prefs.audio_min]} to "
            f"{AUDIO_LABELS[prefs.audio_max]}{', no Dolby' if prefs.no_dolby_audio else ''}"
            f"{', no Hi-Res' if prefs.no_hires else ''}); available: {_describe_audio(everything)}"
        )
    return max(candidates, key=lambda s: (AUDIO_RANK[s.id], s.bandwidth))


def _select_progressive(play: PlayInfo, prefs: StreamPrefs) -> StreamChoice:
    if len(play.durl) > 1:
        raise DownloadError(
            f"no stream matches: only a progressive stream split into {len(play.durl)} parts is offered"
        )
    stream = play.durl[0]
    if not prefs.video_min_qn <= stream.id <= prefs.video_max_qn:
        raise DownloadError(
            f"no stream matches the video preferences (quality {prefs.video_min_qn}–{prefs.video_max_qn}); "
            f"only a progressive stream of quality {stream.id} is offered"
        )
    return StreamChoice(video=stream, audio=None)


def select_streams(play: PlayInfo, prefs: StreamPrefs) -> StreamChoice:
    """The best streams within `prefs`; DownloadError saying what was offered when none fits."""
    if not play.video:
        if play.durl:
            return _select_progressive(play, prefs)
        raise DownloadError("no stream matches: the play info offers no streams at all")
    return StreamChoice(video=_select_video(play, prefs), audio=_select_audio(play, prefs))
