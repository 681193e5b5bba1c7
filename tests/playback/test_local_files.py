"""Local files and folders: parsed into items, played with the subtitles beside them, browsed."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import Config, load_config
from core.errors import LinkError
from core.providers.local.provider import LocalProvider


@pytest.fixture
def local(tmp_path: Path) -> LocalProvider:
    config: Config = load_config(tmp_path / "c.toml", data_dir=tmp_path / "data", environ={},
                                 overrides={"library.root": str(tmp_path / "lib")})  # fmt: skip
    return LocalProvider(config)


def touch(path: Path, data: bytes = b"x" * 100) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


async def test_a_folder_is_one_item_whose_parts_are_its_videos(local: LocalProvider, tmp_path: Path) -> None:
    show = tmp_path / "lib" / "Show"
    for name in ("E02.mkv", "e01.mp4", "notes.txt", "E03.webm"):
        touch(show / name)
    session = await local.open_session(None)
    assert local.claims_item(str(show)) and local.claims_item(show.as_uri()) and not local.claims_item("Show")
    item = await local.parse_item(session, show.as_uri())
    assert item.title == "Show" and [p.key for p in item.parts] == ["e01.mp4", "E02.mkv", "E03.webm"]
    playable = await local.resolve_playable(session, item, item.parts[1])
    assert playable.playback.streams[0].urls == (str(show / "E02.mkv"),) and playable.format == "file"
    with pytest.raises(LinkError, match="not a video"):
        await local.parse_item(session, str(show / "notes.txt"))
    with pytest.raises(LinkError, match="does not exist"):
        await local.parse_item(session, str(show / "missing.mp4"))


async def test_subtitles_next_to_a_video_are_found(local: LocalProvider, tmp_path: Path) -> None:
    video = touch(tmp_path / "lib" / "Film" / "film.mp4")
    touch(video.with_name("film.zh-CN.default.ass"), b"[Script Info]\n")
    touch(video.with_name("film.en.srt"), b"1\n")
    touch(video.with_name("other.srt"), b"1\n")
    session = await local.open_session(None)
    item = await local.parse_item(session, str(video))
    playable = await local.resolve_playable(session, item, item.parts[0])
    assert sorted((t.lang, t.label) for t in playable.playback.subtitles) == [("en", "en"),
                                                                            ("zh-CN", "zh-CN.default")]  # fmt: skip


async def test_browsing_pages_through_a_folder(local: LocalProvider, tmp_path: Path) -> None:
    for index in range(5):
        touch(tmp_path / "lib" / f"v{index}.mp4")
    (tmp_path / "lib" / "Sub").mkdir()
    session = await local.open_session(None)
    first = await local.browse(session, "", 1, 4)
    assert first.total == 6 and [e.title for e in first.entries] == ["Sub", "v0.mp4", "v1.mp4", "v2.mp4"]
    assert first.entries[0].is_folder and first.entries[1].item is not None
    second = await local.browse(session, str(tmp_path / "lib"), 2, 4)
    assert [e.title for e in second.entries] == ["v3.mp4", "v4.mp4"]
