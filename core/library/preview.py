"""Where files would go: three sample items named by the given settings, through the same
naming and layout functions the downloads use, so a preview never disagrees with the library.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from core.library import layout

SAMPLE_SOURCE = "我的收藏"
SAMPLE_LIST_KIND, SAMPLE_SHOW_KIND = "收藏夹", "番剧"  # what Bilibili's favourites and bangumi are filed under
SAMPLE_VIDEO: dict[str, Any] = {
    "bvid": "BV1GJ411x7h7",
    "title": "【4K】雨夜的城市 延时摄影",
    "upper_name": "摄影师小林",
    "upper_mid": 3493088,
    "pubtime": datetime(2024, 5, 1, 20, 30, tzinfo=UTC),
    "fav_time": datetime(2024, 6, 2, 9, 15, tzinfo=UTC),
    "source_name": SAMPLE_SOURCE,
}
SAMPLE_PAGE = {"ptitle": "第二段 花絮", "pid": 2, "pid_pad": "02"}
SAMPLE_SERIES = "葬送的芙莉莲"
SAMPLE_EPISODE: dict[str, Any] = {
    **SAMPLE_VIDEO,
    "bvid": "BV1Ww411B7Ld",
    "title": "魔法的尽头",
    "upper_name": "",
    "upper_mid": 0,
    "source_name": SAMPLE_SERIES,
    "series_title": SAMPLE_SERIES,
    "season": 1,
    "season_pad": "01",
    "episode": 3,
    "episode_pad": "03",
    "ep_id": 733316,
}

# English captions; the window translates them (Qt catalog context "Setting").
SINGLE, MULTI, BANGUMI = "A single video", "Page 2 of a multi-page video", "Episode 3 of a bangumi"
CAPTIONS = (SINGLE, MULTI, BANGUMI)
# The settings the paths depend on (besides library.root, which they are relative to).
PREVIEW_SETTINGS = (
    "library.video_name", "library.page_name", "library.bangumi_name", "library.episode_name", "library.time_format",
    "library.split_movies_shows",
)  # fmt: skip


def example_paths(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(caption, path) for a one-page video (a movie), page 2 of a multi-page video (an episode
    of season 1) and episode 3 of a bangumi, with `/` between folders, relative to the library
    folder. `values` holds at least PREVIEW_SETTINGS.
    Raises ConfigError for a template that does not render.
    """
    # A video fills the template variables as the download pipeline does for a non-bangumi item.
    video = {
        **SAMPLE_VIDEO, "series_title": SAMPLE_VIDEO["title"], "season": 1, "season_pad": "01",
        "episode": 1, "episode_pad": "01", "ep_id": "",
    }  # fmt: skip
    bangumi_name = values["library.bangumi_name"]
    source = Path(layout.source_folder(SAMPLE_LIST_KIND, SAMPLE_SOURCE, bangumi_name, show=False))
    first = {**video, "ptitle": video["title"], "pid": 1, "pid_pad": "01"}
    movie_folder = source / layout.item_folder_name(values, video, show=False)
    single = layout.part_files(values, movie_folder, first, part_count=1, episode=None)
    show_folder = source / layout.item_folder_name(values, video, show=True)
    multi = layout.part_files(values, show_folder, {**video, **SAMPLE_PAGE}, part_count=3, episode=None)
    series = Path(layout.source_folder(SAMPLE_SHOW_KIND, SAMPLE_SERIES, bangumi_name, show=True))
    where = (SAMPLE_EPISODE["season"], SAMPLE_EPISODE["episode"])
    episode = layout.part_files(values, series, SAMPLE_EPISODE, part_count=1, episode=where)
    return [
        (caption, PurePosixPath(*files.video.parts).as_posix())
        for caption, files in ((SINGLE, single), (MULTI, multi), (BANGUMI, episode))
    ]
