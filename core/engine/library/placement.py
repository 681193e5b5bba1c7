"""Where every file of the library goes, decided here and nowhere else.

A source writes into its folder; each item gets a folder rendered from `library.video_name`
(fixed once rendered and stored with the item, so renaming a video upstream never moves
it), except an episode of a show, which lives in the show's folder (the source's). A part
is a movie file when its item has one part, an episode under "Season 1" when it has several.
With `library.split_movies_shows` items go under Movies/ or Shows/ of their source's folder,
and a movie that gains parts moves to Shows/ (`regrouped_folder`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from core.config import Config
from core.download import part_path, sidecar_path
from core.library import layout, naming
from core.library.media import merge_temp_path
from core.library.naming import resolve_inside
from core.providers.protocols import MediaItem, MediaPart


def template_values(
    item: MediaItem, part: MediaPart | None, source_name: str, extra: Mapping[str, Any]
) -> dict[str, Any]:
    """The variables name templates see: the item's generic fields plus the provider's own."""
    season = item.episode.season if item.episode else 1
    episode = item.episode.number if item.episode else 1
    values: dict[str, Any] = {
        "title": item.title, "upper_name": item.owner.name if item.owner else "",
        "upper_mid": item.owner.id if item.owner else "", "pubtime": item.published_at,
        "fav_time": item.added_at or item.published_at, "source_name": source_name,
        "series_title": item.episode.series_title if item.episode else item.title,
        "season": season, "season_pad": f"{season:02d}", "episode": episode, "episode_pad": f"{episode:02d}",
        **extra,
    }  # fmt: skip
    if part is not None:
        values |= {"ptitle": part.title, "pid": part.number, "pid_pad": f"{part.number:02d}"}
    # a variable another provider offers (the default names use Bilibili's BV id) stands for
    # this item's own id, so every provider's items get names from the same settings
    return {**dict.fromkeys(naming.ALL_VARIABLES, item.key), **values}


def default_source_folder(config: Config, kind_label: str, title: str, *, show: bool) -> Path:
    """Where a new source goes when no folder is given: <library>/<kind>/<name>."""
    folder = layout.source_folder(kind_label, title, config["library.bangumi_name"], show=show)
    return resolve_inside(config.library_root, folder)


def item_folder(config: Config, source_path: str, source_name: str, item: MediaItem, extra: Mapping[str, Any]) -> Path:
    """The folder a new item's files go into (the show's folder for an episode)."""
    root = Path(source_path)
    if item.episode is not None:
        return root
    values = template_values(item, None, source_name, extra)
    return resolve_inside(root, layout.item_folder_name(config, values, show=item.part_count > 1))


def regrouped_folder(config: Config, source_path: str, item: MediaItem, folder: Path) -> Path | None:
    """Where an item's folder belongs now if it has to move: a movie under Movies/ that
    gained parts goes to Shows/ when movies and shows are kept apart. None: it stays."""
    if not config["library.split_movies_shows"] or item.episode is not None or item.part_count <= 1:
        return None
    return layout.show_folder_of_movie(Path(source_path), folder)


def part_files(
    config: Config, folder: Path, source_name: str, item: MediaItem, part: MediaPart, extra: Mapping[str, Any]
) -> layout.MovieFiles | layout.EpisodeFiles:
    episode = (item.episode.season, item.episode.number) if item.episode else None
    values = template_values(item, part, source_name, extra)
    return layout.part_files(config, folder, values, part_count=item.part_count, episode=episode)


def unfinished_files(
    config: Config, folder: Path, source_name: str, item: MediaItem, extra: Callable[[MediaPart], Mapping[str, Any]]
) -> list[Path]:
    """What an unfinished download of the item's parts leaves: the streams, their .part and
    sidecar files and ffmpeg's temporary output. In a show's folder only these parts' own
    names, so cancelling one episode never touches another episode's download."""
    found: list[Path] = []
    for part in item.parts:
        files = part_files(config, folder, source_name, item, part, extra(part))
        for stream in (files.video_stream, files.audio_stream):
            found += [stream, part_path(stream), sidecar_path(stream)]
        found.append(merge_temp_path(files.video))
    if item.episode is None and folder.is_dir():  # the item's own folder: sweep it (names may have changed)
        found += [path for pattern in ("*.part", "*.part.json", "*.m4s") for path in folder.rglob(pattern)]
    return found


def person_files(config: Config, name: str) -> layout.PersonFiles:
    """A person's folder, found by the name the NFOs' `<actor><name>` give them."""
    return layout.person_files(config.people_dir, name)
