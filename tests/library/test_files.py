from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from core.errors import SyncDeckError
from core.library.files import remove_tree_inside, write_bytes_atomic, write_text_atomic


def test_atomic_write_creates_folders_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "movie.nfo"
    write_bytes_atomic(target, b"first")
    write_text_atomic(target, "第二\r\n", encoding="utf-8")
    assert target.read_bytes() == "第二\r\n".encode()
    assert sorted(p.name for p in target.parent.iterdir()) == ["movie.nfo"]  # no temporary left


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_written_files_are_readable_by_a_media_server_user(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        write_bytes_atomic(tmp_path / "poster.jpg", b"\xff\xd8")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "poster.jpg").stat().st_mode) == 0o644


def test_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "tvshow.nfo"
    write_bytes_atomic(target, b"old")
    with pytest.raises(TypeError):
        write_bytes_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["tvshow.nfo"]


def test_remove_tree_inside_deletes_a_video_folder(tmp_path: Path) -> None:
    video = tmp_path / "source" / "Some video"
    (video / "Season 1").mkdir(parents=True)
    (video / "Season 1" / "a - S01E01.mp4").write_bytes(b"x")
    (tmp_path / "source" / "keep.mp4").write_bytes(b"x")
    assert remove_tree_inside(tmp_path / "source", "Some video") is True
    assert sorted(p.name for p in (tmp_path / "source").iterdir()) == ["keep.mp4"]
    assert remove_tree_inside(str(tmp_path / "source"), "keep.mp4") is True
    assert remove_tree_inside(tmp_path / "source", "already gone") is False


@pytest.mark.parametrize("rel", [".", "", "a/..", "..", "../other", "/etc"])
def test_remove_tree_inside_refuses_the_root_and_anything_outside(tmp_path: Path, rel: str) -> None:
    root = tmp_path / "source"
    (root / "a").mkdir(parents=True)
    (tmp_path / "other").mkdir()
    with pytest.raises(SyncDeckError, match="Refusing"):
        remove_tree_inside(root, rel)
    assert (root / "a").is_dir() and (tmp_path / "other").is_dir()


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_remove_tree_inside_removes_a_symlink_not_its_target(tmp_path: Path) -> None:
    root = tmp_path / "source"
    (root / "real").mkdir(parents=True)
    (root / "real" / "video.mp4").write_bytes(b"x")
    os.symlink(root / "real", root / "link")
    assert remove_tree_inside(root, "link") is True
    assert (root / "real" / "video.mp4").exists() and not (root / "link").exists()
