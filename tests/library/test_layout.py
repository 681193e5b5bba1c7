from __future__ import annotations

from pathlib import Path

import pytest

from core.download import part_path, sidecar_path
from core.library.layout import (
    bangumi_episode_files,
    item_folder_name,
    movie_files,
    page_episode_files,
    person_files,
    person_folder_name,
    show_files,
    show_folder_of_movie,
)
from core.library.naming import render

ROOT = Path("/library/收藏夹")


def test_single_page_video_is_a_movie() -> None:
    files = movie_files(ROOT / "Title", "BV1xx")
    folder = ROOT / "Title"
    assert files.video == folder / "BV1xx.mp4"
    assert files.nfo == folder / "BV1xx.nfo"
    assert files.poster == folder / "BV1xx-poster.jpg"
    assert files.fanart == folder / "BV1xx-fanart.jpg"
    assert files.danmaku == folder / "BV1xx.zh-CN.default.ass"
    assert files.subtitle("en-US") == folder / "BV1xx.en-US.srt"
    assert files.video_stream == folder / "BV1xx.video.m4s"
    assert files.audio_stream == folder / "BV1xx.audio.m4s"
    assert files.folder == folder


def test_multi_page_video_is_a_show_with_one_season() -> None:
    folder = ROOT / "Course"
    show = show_files(folder)
    assert (show.nfo, show.poster, show.fanart) == (
        folder / "tvshow.nfo",
        folder / "poster.jpg",
        folder / "fanart.jpg",
    )
    page = page_episode_files(folder, "Intro", 3)
    season = folder / "Season 1"
    assert page.video == season / "Intro - S01E03.mp4"
    assert page.nfo == season / "Intro - S01E03.nfo"
    assert page.thumb == season / "Intro - S01E03-thumb.jpg"
    assert page.danmaku == season / "Intro - S01E03.zh-CN.default.ass"
    assert page.subtitle("zh-Hans") == season / "Intro - S01E03.zh-Hans.srt"
    assert page_episode_files(folder, "Finale", 123).video.name == "Finale - S01E123.mp4"


def test_rendered_names_with_dots_keep_them() -> None:
    assert movie_files(ROOT, "v1.2 final").video.name == "v1.2 final.mp4"


def test_bangumi_episode_sits_in_its_numbered_season() -> None:
    series = ROOT / "葬送的芙莉莲"
    episode = bangumi_episode_files(series, "葬送的芙莉莲", 2, 5)
    assert episode.video == series / "Season 02" / "葬送的芙莉莲 S02E05.mp4"
    assert episode.nfo == series / "Season 02" / "葬送的芙莉莲 S02E05.nfo"
    assert show_files(series).nfo == series / "tvshow.nfo"


def test_a_person_is_filed_by_the_name_media_servers_look_up() -> None:
    # Jellyfin and Emby look for a person's pictures in People/{first letter or digit}/{name}
    person = person_files(Path("/meta/People"), "收藏区UP主")
    assert person.folder == Path("/meta/People/收/收藏区UP主")
    assert person.image == Path("/meta/People/收/收藏区UP主/folder.jpg")
    assert person.nfo == Path("/meta/People/收/收藏区UP主/person.nfo")
    assert person_files(Path("/p"), "3D打印小王").folder == Path("/p/3/3D打印小王")


def test_a_person_folder_follows_the_servers_rules_for_odd_names() -> None:
    # forbidden characters become spaces, edges are trimmed, the letter folder skips symbols
    assert person_files(Path("/p"), ' _"小明": v2.0.. ').folder == Path("/p/小/_ 小明   v2.0")
    assert person_folder_name("a/b\\c") == "a b c"
    assert person_files(Path("/p"), "★~").folder == Path("/p/★~"), "no letter or digit: no letter folder"
    # a character beyond the BMP is two UTF-16 units to .NET, neither of them a letter
    assert person_files(Path("/p"), "𠮷野家").folder == Path("/p/野/𠮷野家")
    with pytest.raises(ValueError):
        person_files(Path("/p"), " ?* ")


def test_movies_and_shows_apart_only_when_asked() -> None:
    settings = {"library.video_name": "{{title}}", "library.time_format": "%Y", "library.split_movies_shows": False}
    values = {"title": "春日散步"}
    assert item_folder_name(settings, values, show=False) == item_folder_name(settings, values, show=True) == "春日散步"
    split = {**settings, "library.split_movies_shows": True}
    assert item_folder_name(split, values, show=False) == "Movies/春日散步"
    assert item_folder_name(split, values, show=True) == "Shows/春日散步"


def test_a_movie_that_became_a_show_moves_from_movies_to_shows() -> None:
    source = ROOT / "我的收藏"
    assert show_folder_of_movie(source, source / "Movies" / "UP" / "春日散步") == source / "Shows" / "UP" / "春日散步"
    assert show_folder_of_movie(source, source / "春日散步") is None, "not filed under Movies/: it stays"
    assert show_folder_of_movie(source, source / "Movies") is None
    assert show_folder_of_movie(source, ROOT / "other" / "Movies" / "x") is None


def test_subtitle_language_codes_are_sanitised() -> None:
    assert movie_files(ROOT, "x").subtitle("../zh").name == "x.___zh.srt"


def test_every_file_of_a_longest_name_can_be_created(tmp_path: Path) -> None:
    name = render("{{title}}", {"title": "很长的分P标题" * 60})
    episode = page_episode_files(tmp_path, name, 999)
    movie = movie_files(tmp_path, name)
    paths = [
        episode.video,
        episode.nfo,
        episode.thumb,
        episode.danmaku,
        episode.subtitle("zh-Hans-CN"),
        movie.poster,
        movie.fanart,
        movie.subtitle("zh-Hans-CN"),
    ]
    for stream in (episode.video_stream, episode.audio_stream, movie.video_stream, movie.audio_stream):
        paths += [part_path(stream), sidecar_path(stream)]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
        # The atomic writer's temporary name must fit as well.
        path.with_name(f".{path.name}.0123abcd.tmp").write_bytes(b"")
