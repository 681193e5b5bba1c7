from __future__ import annotations

import asyncio
import json
import os
import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest

from core.errors import ConfigError, DownloadError
from core.library.media import find_ffmpeg, merge_av, probe_duration

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
FFPROBE = "/usr/bin/ffprobe"
DASH = ["-f", "mp4", "-movflags", "frag_keyframe+empty_moov+default_base_moof"]  # like Bilibili's m4s


def _ffmpeg(*args: str) -> None:
    subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def _encoders() -> str:
    return subprocess.run([FFMPEG, "-hide_banner", "-encoders"], capture_output=True, text=True).stdout


@pytest.fixture(scope="session")
def dash(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two seconds of colour bars and a tone, split into video-only and audio-only DASH files."""
    folder = tmp_path_factory.mktemp("dash")
    files = {"avc": folder / "video-avc.m4s", "aac": folder / "audio.m4s"}
    bars = ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=2"]
    _ffmpeg(*bars, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", *DASH, str(files["avc"]))
    tone = ["-f", "lavfi", "-i", "sine=frequency=440:duration=2"]
    _ffmpeg(*tone, "-c:a", "aac", "-b:a", "64k", *DASH, str(files["aac"]))
    if " libx265 " in _encoders():
        files["hevc"] = folder / "video-hevc.m4s"
        _ffmpeg(
            *bars, "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error",
            "-pix_fmt", "yuv420p", *DASH, str(files["hevc"]),
        )  # fmt: skip
    return files


def ffprobe(path: Path) -> dict:
    done = subprocess.run(
        [FFPROBE, "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_find_ffmpeg_prefers_the_configured_binary() -> None:
    assert find_ffmpeg(FFMPEG) == FFMPEG
    assert find_ffmpeg() == FFMPEG


def test_find_ffmpeg_falls_back_to_the_bundled_binary(tmp_path: Path) -> None:
    assert find_ffmpeg(str(tmp_path / "no-such-ffmpeg")) == FFMPEG


def test_find_ffmpeg_without_any_working_binary_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "ffmpeg"
    broken.write_text("not a program")
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", str(broken))  # imageio-ffmpeg's documented override
    with pytest.raises(ConfigError, match="'/nope/ffmpeg'.*cannot run"):
        find_ffmpeg("/nope/ffmpeg")


async def test_merge_gives_one_mp4_with_both_streams(dash: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "Season 1" / "-starts with a dash - S01E01.mp4"
    target.parent.mkdir()
    await merge_av(dash["avc"], dash["aac"], target, hevc=False, ffmpeg=FFMPEG)
    info = ffprobe(target)
    assert sorted(stream["codec_type"] for stream in info["streams"]) == ["audio", "video"]
    video = next(stream for stream in info["streams"] if stream["codec_type"] == "video")
    assert video["codec_name"] == "h264" and video["width"] == 320
    assert float(info["format"]["duration"]) == pytest.approx(2.0, abs=0.1)
    assert "mp4" in info["format"]["format_name"]
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temporary left


async def test_hevc_is_tagged_hvc1(dash: dict[str, Path], tmp_path: Path) -> None:
    if "hevc" not in dash:
        pytest.skip("the bundled ffmpeg has no HEVC encoder to make a test file")
    target = tmp_path / "hevc.mp4"
    await merge_av(dash["hevc"], dash["aac"], target, hevc=True, ffmpeg=FFMPEG)
    video = next(stream for stream in ffprobe(target)["streams"] if stream["codec_type"] == "video")
    assert video["codec_name"] == "hevc"
    assert video["codec_tag_string"] == "hvc1"


async def test_video_without_audio_is_remuxed_alone(dash: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "silent.mp4"
    await merge_av(dash["avc"], None, target, hevc=False, ffmpeg=FFMPEG)
    assert [stream["codec_type"] for stream in ffprobe(target)["streams"]] == ["video"]


async def test_failed_merge_reports_ffmpeg_and_leaves_nothing(dash: dict[str, Path], tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.m4s"
    garbage.write_bytes(b"this is not a video" * 100)
    target = tmp_path / "out.mp4"
    with pytest.raises(DownloadError, match="ffmpeg could not merge garbage.m4s.*Invalid data"):
        await merge_av(garbage, dash["aac"], target, hevc=False, ffmpeg=FFMPEG)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["garbage.m4s"]


async def test_probe_duration_reads_ffmpeg_output(dash: dict[str, Path], tmp_path: Path) -> None:
    assert await probe_duration(dash["aac"], FFMPEG) == pytest.approx(2.0, abs=0.1)
    with pytest.raises(DownloadError, match="duration"):
        await probe_duration(tmp_path / "missing.mp4", FFMPEG)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe")
async def test_cancelled_merge_stops_ffmpeg(dash: dict[str, Path], tmp_path: Path) -> None:
    stuck = tmp_path / "never-written.m4s"
    os.mkfifo(stuck)  # ffmpeg blocks opening it until a writer appears, which never happens
    target = tmp_path / "out.mp4"
    task = asyncio.create_task(merge_av(stuck, dash["aac"], target, hevc=False, ffmpeg=FFMPEG))
    await asyncio.sleep(0.5)
    assert not task.done()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, timeout=10)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["never-written.m4s"]
