"""Real media for the fake CDN, made once per media directory with the bundled ffmpeg.

Three seconds of colour bars (testsrc2, 320x180, 15 fps) and a 440 Hz tone, cut like
Bilibili's DASH files: video-only and audio-only fragmented MP4 with one global `sidx`
(`SegmentBase` ranges are read back from the files). Video in AVC, plus HEVC and AV1 when
the bundled ffmpeg has those encoders (a codec is left out rather than faked). Audio in AAC,
E-AC-3 (the Dolby stream) and FLAC (the Hi-Res stream). A progressive MP4 serves `durl`
answers, and two JPEGs serve covers and avatars.

Everything is encoded in parallel and cached: a `manifest.json` written last marks a
complete set, so a second server on the same directory starts instantly.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg

MANIFEST_VERSION = 1
DURATION_SECONDS = 3
_VIDEO_SOURCE = f"-f lavfi -i testsrc2=s=320x180:r=15:d={DURATION_SECONDS}"
_TONE_44K = f"-f lavfi -i sine=f=440:r=44100:d={DURATION_SECONDS} -ac 2"
_TONE_48K = f"-f lavfi -i sine=f=440:r=48000:d={DURATION_SECONDS} -ac 2"
# One global sidx like Bilibili's m4s; delay_moov lets E-AC-3 write its moov after parsing packets.
_DASH_FLAGS = "-f mp4 -movflags +dash+delay_moov+global_sidx -frag_duration 1000000"
_GOP = "-g 15 -keyint_min 15 -sc_threshold 0 -pix_fmt yuv420p"


@dataclass(frozen=True)
class MediaFile:
    name: str
    data: bytes
    mime_type: str
    codecs: str
    init_range: str  # "0-781": ftyp + moov
    index_range: str  # "782-857": the sidx box

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class MediaSet:
    video: dict[str, MediaFile]  # "avc", "hevc", "av1" (only the encodable ones)
    audio: dict[str, MediaFile]  # "aac", "eac3", "flac"
    progressive: MediaFile  # muxed AVC + AAC with moov up front, for durl
    cover_jpeg: bytes
    face_jpeg: bytes
    duration: int = DURATION_SECONDS


@dataclass(frozen=True)
class _Job:
    key: str  # "video:avc", "audio:aac", "progressive", "cover", "face"
    filename: str
    args: str  # ffmpeg arguments between the global options and the output path
    mime_type: str = ""


def _encoders(ffmpeg: str) -> set[str]:
    listing = subprocess.run([ffmpeg, "-hide_banner", "-encoders"], capture_output=True, text=True, check=True).stdout
    return {line.split()[1] for line in listing.splitlines() if line.startswith(" ") and len(line.split()) > 1}


def _jobs(encoders: set[str]) -> list[_Job]:
    jobs = [
        _Job(
            "video:avc",
            "video-avc.m4s",
            f"{_VIDEO_SOURCE} -c:v libx264 -profile:v high -level:v 3.0 -preset veryfast {_GOP} -an {_DASH_FLAGS}",
            "video/mp4",
        ),
        _Job("audio:aac", "audio-aac.m4s", f"{_TONE_44K} -c:a aac -b:a 128k {_DASH_FLAGS}", "audio/mp4"),
        _Job("audio:eac3", "audio-eac3.m4s", f"{_TONE_48K} -c:a eac3 -b:a 192k {_DASH_FLAGS}", "audio/mp4"),
        _Job("audio:flac", "audio-flac.m4s", f"{_TONE_48K} -c:a flac {_DASH_FLAGS}", "audio/mp4"),
        _Job(
            "progressive",
            "progressive.mp4",
            f"{_VIDEO_SOURCE} {_TONE_44K} -c:v libx264 -preset veryfast {_GOP} -c:a aac -b:a 128k -shortest "
            "-f mp4 -movflags +faststart",
            "video/mp4",
        ),
        _Job("cover", "cover.jpg", "-f lavfi -i testsrc2=s=640x360 -frames:v 1 -q:v 4"),
        _Job("face", "face.jpg", "-f lavfi -i testsrc=s=128x128 -frames:v 1 -q:v 4"),
    ]
    if "libx265" in encoders:
        x265 = "-c:v libx265 -preset ultrafast -x265-params keyint=15:min-keyint=15:log-level=error -tag:v hev1"
        jobs.append(
            _Job(
                "video:hevc",
                "video-hevc.m4s",
                f"{_VIDEO_SOURCE} {x265} {_GOP} -an {_DASH_FLAGS}",
                "video/mp4",
            )
        )
    if "libsvtav1" in encoders:
        av1 = "-c:v libsvtav1 -preset 12"
    elif "libaom-av1" in encoders:
        av1 = "-c:v libaom-av1 -cpu-used 8 -row-mt 1 -b:v 200k"
    else:
        return jobs
    jobs.append(_Job("video:av1", "video-av1.m4s", f"{_VIDEO_SOURCE} {av1} {_GOP} -an {_DASH_FLAGS}", "video/mp4"))
    return jobs


def _top_level_boxes(data: bytes) -> list[tuple[str, int, int]]:
    boxes = []
    offset = 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        if size < 8:
            raise ValueError(f"broken MP4 box at {offset}")
        boxes.append((kind.decode("latin-1"), offset, size))
        offset += size
    return boxes


def _segment_ranges(data: bytes) -> tuple[str, str]:
    boxes = _top_level_boxes(data)
    moov = next(box for box in boxes if box[0] == "moov")
    sidx = next(box for box in boxes if box[0] == "sidx")
    init_end = moov[1] + moov[2] - 1
    return f"0-{init_end}", f"{sidx[1]}-{sidx[1] + sidx[2] - 1}"


def _codec_string(key: str, data: bytes) -> str:
    """RFC 6381 codec strings read from the sample entry, as the real playurl gives them."""
    if key == "video:avc":
        at = data.index(b"avcC") + 4
        return f"avc1.{data[at + 1]:02x}{data[at + 2]:02x}{data[at + 3]:02x}"
    if key == "video:hevc":
        at = data.index(b"hvcC") + 4
        return f"hev1.1.6.L{data[at + 12]}.90"
    if key == "video:av1":
        at = data.index(b"av1C") + 4
        profile = data[at + 1] >> 5
        level = data[at + 1] & 0x1F
        tier = "H" if data[at + 2] & 0x80 else "M"
        bit_depth = 10 if data[at + 2] & 0x40 else 8
        return f"av01.{profile}.{level:02d}{tier}.{bit_depth:02d}"
    return {"audio:aac": "mp4a.40.2", "audio:eac3": "ec-3", "audio:flac": "fLaC", "progressive": "avc1,mp4a"}[key]


def _generate(media_dir: Path) -> dict[str, object]:
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    jobs = _jobs(_encoders(ffmpeg))
    with tempfile.TemporaryDirectory(dir=media_dir, prefix=".generating-") as scratch:
        quiet = {**os.environ, "SVT_LOG": "1"}  # SVT-AV1 prints its banner on stderr otherwise
        running = []
        for job in jobs:
            command = [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *job.args.split()]
            command.append(str(Path(scratch) / job.filename))
            running.append(
                (job, subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=quiet))
            )
        failures = []
        for job, process in running:
            _, stderr = process.communicate()
            if process.returncode != 0:
                failures.append(f"{job.key}: {stderr.decode(errors='replace').strip()}")
        if failures:
            raise RuntimeError("ffmpeg failed to make test media:\n" + "\n".join(failures))
        entries: dict[str, object] = {}
        for job in jobs:
            os.replace(Path(scratch) / job.filename, media_dir / job.filename)
            data = (media_dir / job.filename).read_bytes()
            entry: dict[str, str] = {"file": job.filename, "mime_type": job.mime_type}
            if job.key.startswith(("video:", "audio:")):
                entry["init_range"], entry["index_range"] = _segment_ranges(data)
            if job.mime_type:
                entry["codecs"] = _codec_string(job.key, data)
            entries[job.key] = entry
    return {"version": MANIFEST_VERSION, "files": entries}


def ensure_media(media_dir: Path) -> MediaSet:
    """Load the media set from `media_dir`, generating it first if it is missing."""
    media_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = media_dir / "manifest.json"
    manifest: dict[str, object] | None = None
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("version") != MANIFEST_VERSION:
            manifest = None
    if manifest is None:
        manifest = _generate(media_dir)
        partial = media_dir / f"manifest.json.{os.getpid()}"
        partial.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        os.replace(partial, manifest_path)

    files: dict[str, dict[str, str]] = manifest["files"]  # type: ignore[assignment]

    def load(key: str) -> MediaFile:
        entry = files[key]
        return MediaFile(
            name=entry["file"],
            data=(media_dir / entry["file"]).read_bytes(),
            mime_type=entry["mime_type"],
            codecs=entry.get("codecs", ""),
            init_range=entry.get("init_range", ""),
            index_range=entry.get("index_range", ""),
        )

    return MediaSet(
        video={key.split(":")[1]: load(key) for key in files if key.startswith("video:")},
        audio={key.split(":")[1]: load(key) for key in files if key.startswith("audio:")},
        progressive=load("progressive"),
        cover_jpeg=(media_dir / files["cover"]["file"]).read_bytes(),
        face_jpeg=(media_dir / files["face"]["file"]).read_bytes(),
    )
