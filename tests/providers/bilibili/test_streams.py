from __future__ import annotations

import pytest

from core.errors import ConfigError, DownloadError
from core.providers.bilibili.models import MediaStream, PlayInfo
from core.providers.bilibili.streams import StreamPrefs, is_hevc, select_streams

AVC, HEVC, AV1 = 7, 12, 13


def video(qn: int, codecid: int, bandwidth: int = 1000) -> MediaStream:
    codecs = {AVC: "avc1.640032", HEVC: "hev1.1.6.L153.90", AV1: "av01.0.13M.08"}[codecid]
    return MediaStream(
        id=qn, urls=[f"https://cdn/{qn}-{codecid}.m4s"], codecid=codecid, codecs=codecs, bandwidth=bandwidth
    )


def audio(audio_id: int) -> MediaStream:
    return MediaStream(id=audio_id, urls=[f"https://cdn/{audio_id}.m4s"], codecs="mp4a.40.2")


FULL = PlayInfo(
    video=[
        video(80, AVC),
        video(80, HEVC),
        video(80, AV1),
        video(116, HEVC),
        video(116, AV1),
        video(125, HEVC),
        video(126, HEVC),
        video(64, AVC),
        video(32, AVC),
    ],
    audio=[audio(30216), audio(30232), audio(30280)],
    dolby=[audio(30250)],
    flac=audio(30251),
)


def test_defaults_take_the_best_of_everything() -> None:
    choice = select_streams(FULL, StreamPrefs())
    assert (choice.video.id, choice.video.codecid) == (126, HEVC)
    assert choice.audio is not None and choice.audio.id == 30251


def test_codec_preference_breaks_ties_at_the_same_quality() -> None:
    prefs = StreamPrefs(video_max_qn=80)
    assert select_streams(FULL, prefs).video.codecid == AVC
    prefs = StreamPrefs(video_max_qn=80, codecs=("av1", "hevc", "avc"))
    assert select_streams(FULL, prefs).video.codecid == AV1
    prefs = StreamPrefs(video_max_qn=116, codecs=("avc", "av1", "hevc"))
    # 116 has no AVC, so quality wins over codec order and AV1 is next in line.
    assert (select_streams(FULL, prefs).video.id, select_streams(FULL, prefs).video.codecid) == (116, AV1)


def test_codec_not_allowed_is_never_chosen() -> None:
    choice = select_streams(FULL, StreamPrefs(codecs=("avc",)))
    assert (choice.video.id, choice.video.codecid) == (80, AVC)


def test_hdr_and_dolby_vision_filters() -> None:
    assert select_streams(FULL, StreamPrefs(no_dolby_video=True)).video.id == 125
    assert select_streams(FULL, StreamPrefs(no_dolby_video=True, no_hdr=True)).video.id == 116


def test_audio_ranks_hires_over_dolby_over_192k_not_numerically() -> None:
    assert select_streams(FULL, StreamPrefs(no_hires=True)).audio.id == 30250  # type: ignore[union-attr]
    assert select_streams(FULL, StreamPrefs(no_hires=True, no_dolby_audio=True)).audio.id == 30280  # type: ignore[union-attr]
    # A numeric cap at 30250 would drop 192K (30280) and keep Hi-Res (30251); ranking does neither.
    assert select_streams(FULL, StreamPrefs(audio_max=30250)).audio.id == 30250  # type: ignore[union-attr]
    assert select_streams(FULL, StreamPrefs(audio_max=30232)).audio.id == 30232  # type: ignore[union-attr]


def test_audio_minimum_above_everything_offered_fails_clearly() -> None:
    plain = PlayInfo(video=[video(80, AVC)], audio=[audio(30216), audio(30280)])
    with pytest.raises(DownloadError, match="no stream matches the audio") as caught:
        select_streams(plain, StreamPrefs(audio_min=30250))
    assert "64K" in str(caught.value) and "192K" in str(caught.value)


def test_silent_video_has_no_audio() -> None:
    silent = PlayInfo(video=[video(80, AVC)], audio=[])
    assert select_streams(silent, StreamPrefs()).audio is None


def test_quality_range_excluding_everything_names_what_is_offered() -> None:
    with pytest.raises(DownloadError, match="no stream matches") as caught:
        select_streams(FULL, StreamPrefs(video_min_qn=127))
    assert "126 hevc" in str(caught.value) and "80 avc" in str(caught.value)


def test_minimum_quality_is_respected() -> None:
    low = PlayInfo(video=[video(32, AVC), video(64, AVC)], audio=[audio(30216)])
    assert select_streams(low, StreamPrefs(video_max_qn=32)).video.id == 32
    with pytest.raises(DownloadError):
        select_streams(low, StreamPrefs(video_min_qn=80))


def test_codec_is_read_from_codecs_string_when_codecid_is_missing() -> None:
    unlabeled = PlayInfo(
        video=[
            MediaStream(id=80, urls=["u1"], codecs="hev1.1.6"),
            MediaStream(id=80, urls=["u2"], codecs="avc1.64"),
        ],
        audio=[],
    )
    assert select_streams(unlabeled, StreamPrefs(codecs=("hevc", "avc"))).video.urls == ["u1"]
    assert is_hevc(unlabeled.video[0]) and not is_hevc(unlabeled.video[1])


def test_progressive_fallback_when_there_is_no_dash() -> None:
    mp4 = MediaStream(id=64, urls=["https://cdn/v.mp4"], size=1234, kind="durl")
    choice = select_streams(PlayInfo(video=[], audio=[], durl=[mp4]), StreamPrefs())
    assert choice.video == mp4 and choice.audio is None
    with pytest.raises(DownloadError, match="progressive"):
        select_streams(PlayInfo(video=[], audio=[], durl=[mp4]), StreamPrefs(video_min_qn=80))


def test_nothing_offered_at_all() -> None:
    with pytest.raises(DownloadError, match="no stream"):
        select_streams(PlayInfo(video=[], audio=[]), StreamPrefs())


def test_unknown_codec_name_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="vp9"):
        select_streams(FULL, StreamPrefs(codecs=("vp9",)))


def test_is_hevc_by_codecid() -> None:
    assert is_hevc(video(80, HEVC))
    assert not is_hevc(video(80, AVC))
    assert not is_hevc(video(80, AV1))
