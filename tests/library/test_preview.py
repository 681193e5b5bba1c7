"""The path preview renders sample items with the library's own naming and layout."""

from __future__ import annotations

import pytest

from core.config.settings import SETTINGS
from core.errors import ConfigError
from core.library import layout
from core.library.preview import CAPTIONS, example_paths

DEFAULTS = {s.key: s.default for s in SETTINGS}


def test_the_defaults_put_each_kind_of_item_where_the_library_does() -> None:
    assert example_paths(DEFAULTS) == list(zip(CAPTIONS, [
        "收藏夹/我的收藏/【4K】雨夜的城市 延时摄影/BV1GJ411x7h7.mp4",
        "收藏夹/我的收藏/【4K】雨夜的城市 延时摄影/Season 1/BV1GJ411x7h7 - S01E02.mp4",
        "番剧/葬送的芙莉莲/Season 01/葬送的芙莉莲 S01E03.mp4",
    ], strict=True))  # fmt: skip


def test_templates_make_subfolders_and_safe_names() -> None:
    values = {
        **DEFAULTS,
        "library.video_name": "{{upper_name}}/{{fav_time}}: {{truncate title 4}}",
        "library.bangumi_name": "动画/{{series_title}}",
        "library.time_format": "%Y年%m月",
    }
    single, _multi, bangumi = (path for _caption, path in example_paths(values))
    assert single == "收藏夹/我的收藏/摄影师小林/2024年06月_ 【4K】/BV1GJ411x7h7.mp4"
    assert bangumi == "番剧/动画/葬送的芙莉莲/Season 01/葬送的芙莉莲 S01E03.mp4"


def test_a_template_that_cannot_render_raises_a_config_error() -> None:
    with pytest.raises(ConfigError, match="not available here"):
        example_paths({**DEFAULTS, "library.bangumi_name": "{{bvid}}"})


def test_a_new_source_folder_is_named_as_the_engine_names_it() -> None:
    assert layout.source_folder("收藏夹", "默认/收藏夹", "{{series_title}}", show=False) == "收藏夹/默认_收藏夹"
    assert layout.source_folder("番剧", "芙莉莲", "{{series_title}} (TV)", show=True) == "番剧/芙莉莲 (TV)"


def test_movies_and_shows_apart_show_in_the_preview() -> None:
    single, multi, bangumi = (
        path for _caption, path in example_paths({**DEFAULTS, "library.split_movies_shows": True})
    )
    assert single == "收藏夹/我的收藏/Movies/【4K】雨夜的城市 延时摄影/BV1GJ411x7h7.mp4"
    assert multi == "收藏夹/我的收藏/Shows/【4K】雨夜的城市 延时摄影/Season 1/BV1GJ411x7h7 - S01E02.mp4"
    assert bangumi == "番剧/葬送的芙莉莲/Season 01/葬送的芙莉莲 S01E03.mp4", "a bangumi's folder is a show already"
