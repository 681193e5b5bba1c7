"""Where every file of the library goes (Emby/Jellyfin/Kodi "mixed content" layout).

Pure functions, no disk access: given a folder and names rendered by `core.library.naming`,
they return paths. A single-page video is a movie, a multi-page video is a show with one
season, a bangumi season is a season of its series, and an UP is a person.

```
{kind}/{source}/                 a source, e.g. 收藏夹/我的收藏
  [Movies/ | Shows/]             with library.split_movies_shows: movies and shows apart
{video}/                         single page (movie)
    {page}.mp4 .nfo -poster.jpg -fanart.jpg .zh-CN.default.ass .{lan}.srt
{video}/                         several pages (show)
    tvshow.nfo poster.jpg fanart.jpg
    Season 1/{page} - S01E{pid:02}.mp4 .nfo -thumb.jpg .zh-CN.default.ass .{lan}.srt
{series}/                        bangumi
    tvshow.nfo poster.jpg fanart.jpg
    Season {NN:02}/{name} S{NN:02}E{MM:02}.mp4 …
{people}/{first letter of the name}/{name}/folder.jpg person.nfo
```
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.library.naming import render, sanitize_name

MULTI_PAGE_SEASON_FOLDER = "Season 1"
DANMAKU_SUFFIX = ".zh-CN.default.ass"
# English on purpose: these are the folder names media centers' setup guides use, and a
# library folder is added once per content type whatever the app's language.
MOVIES_FOLDER, SHOWS_FOLDER = "Movies", "Shows"


def _with_suffix(stem: Path, suffix: str) -> Path:
    # Not Path.with_suffix: rendered names may contain dots ("v1.2 final") that are not suffixes.
    return stem.with_name(stem.name + suffix)


@dataclass(frozen=True)
class _PlayableFiles:
    """The files every playable item has; `stem` is the path without any suffix."""

    stem: Path

    @property
    def folder(self) -> Path:
        return self.stem.parent

    @property
    def video(self) -> Path:
        return _with_suffix(self.stem, ".mp4")

    @property
    def nfo(self) -> Path:
        return _with_suffix(self.stem, ".nfo")

    @property
    def danmaku(self) -> Path:
        return _with_suffix(self.stem, DANMAKU_SUFFIX)

    @property
    def video_stream(self) -> Path:
        """Download target of the DASH video stream, merged into `video` and then deleted."""
        return _with_suffix(self.stem, ".video.m4s")

    @property
    def audio_stream(self) -> Path:
        """Download target of the DASH audio stream, merged into `video` and then deleted."""
        return _with_suffix(self.stem, ".audio.m4s")

    def subtitle(self, lan: str) -> Path:
        """SRT file for a subtitle language code as the API gives it ("zh-CN", "en-US"…)."""
        return _with_suffix(self.stem, f".{sanitize_name(lan)}.srt")


@dataclass(frozen=True)
class MovieFiles(_PlayableFiles):
    @property
    def poster(self) -> Path:
        return _with_suffix(self.stem, "-poster.jpg")

    @property
    def fanart(self) -> Path:
        return _with_suffix(self.stem, "-fanart.jpg")


@dataclass(frozen=True)
class EpisodeFiles(_PlayableFiles):
    @property
    def thumb(self) -> Path:
        return _with_suffix(self.stem, "-thumb.jpg")


@dataclass(frozen=True)
class ShowFiles:
    folder: Path

    @property
    def nfo(self) -> Path:
        return self.folder / "tvshow.nfo"

    @property
    def poster(self) -> Path:
        return self.folder / "poster.jpg"

    @property
    def fanart(self) -> Path:
        return self.folder / "fanart.jpg"


@dataclass(frozen=True)
class PersonFiles:
    folder: Path

    @property
    def image(self) -> Path:
        return self.folder / "folder.jpg"

    @property
    def nfo(self) -> Path:
        return self.folder / "person.nfo"


def source_folder(kind_label: str, title: str, bangumi_name: str, *, show: bool) -> str:
    """Where a new source goes inside the library when no folder is given: <kind>/<name>, where
    the kind is what the provider calls it (e.g. 收藏夹); a show (bangumi) named by the
    `library.bangumi_name` template."""
    template = bangumi_name if show else "{{name}}"
    return f"{kind_label}/{render(template, {'name': title, 'series_title': title})}"


def item_folder_name(settings: Mapping[str, Any], values: Mapping[str, Any], *, show: bool = False) -> str:
    """An item's own folder (relative to its source's), from `library.video_name`; under
    Movies/ or Shows/ (a show: several parts) when `library.split_movies_shows` is on."""
    name = render(settings["library.video_name"], values, time_format=settings["library.time_format"])
    if not settings["library.split_movies_shows"]:
        return name
    return f"{SHOWS_FOLDER if show else MOVIES_FOLDER}/{name}"


def show_folder_of_movie(source_folder: Path, movie_folder: Path) -> Path | None:
    """Where the folder of a movie filed under `{source}/Movies/` goes once it has become a show
    (`{source}/Shows/`, the same relative path); None when it is not filed under Movies/."""
    try:
        relative = movie_folder.relative_to(source_folder / MOVIES_FOLDER)
    except ValueError:
        return None
    return source_folder / SHOWS_FOLDER / relative if relative.parts else None


def part_files(
    settings: Mapping[str, Any], folder: Path, values: Mapping[str, Any], *, part_count: int,
    episode: tuple[int, int] | None,
) -> MovieFiles | EpisodeFiles:  # fmt: skip
    """A part's files: an episode (season, number) of a show, a movie when its item has one
    part, else an episode of the item's one season. `values` are the name template variables."""
    time_format = settings["library.time_format"]
    if episode is not None:
        name = render(settings["library.episode_name"], values, time_format=time_format)
        return bangumi_episode_files(folder, name, *episode)
    name = render(settings["library.page_name"], values, time_format=time_format)
    if part_count <= 1:
        return movie_files(folder, name)
    return page_episode_files(folder, name, int(values["pid"]))


def movie_files(video_folder: Path, page_name: str) -> MovieFiles:
    """A single-page video, kept as a movie."""
    return MovieFiles(video_folder / page_name)


def show_files(folder: Path) -> ShowFiles:
    """Show-level files of a multi-page video or of a bangumi series."""
    return ShowFiles(folder)


def page_episode_files(video_folder: Path, page_name: str, pid: int) -> EpisodeFiles:
    """One page (pid, 1-based) of a multi-page video, as an episode of season 1."""
    return EpisodeFiles(video_folder / MULTI_PAGE_SEASON_FOLDER / f"{page_name} - S01E{pid:02}")


def bangumi_season_folder(series_folder: Path, season: int) -> Path:
    return series_folder / f"Season {season:02}"


def bangumi_episode_files(series_folder: Path, name: str, season: int, episode: int) -> EpisodeFiles:
    """One bangumi episode inside its series folder."""
    return EpisodeFiles(bangumi_season_folder(series_folder, season) / f"{name} S{season:02}E{episode:02}")


# Characters Jellyfin and Emby replace with a space when they make a person's folder name
# (.NET's invalid file name characters on Windows, a superset of those on Unix).
_NOT_IN_PERSON_FOLDER = frozenset('"<>|:*?\\/') | frozenset(map(chr, range(32)))
_LETTER_OR_DIGIT = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nd"})  # .NET char.IsLetterOrDigit


def person_folder_name(name: str) -> str:
    """The folder Jellyfin and Emby look in for a person called `name`: forbidden characters
    become spaces, then surrounding spaces and trailing dots go."""
    return "".join(" " if c in _NOT_IN_PERSON_FOLDER else c for c in name).strip().rstrip(".")


def _person_prefix(folder_name: str) -> str:
    # The first letter or digit, as .NET sees one: a UTF-16 unit, so a character beyond the
    # BMP (a surrogate pair) never counts.
    return next(
        (c for c in folder_name if ord(c) < 0x10000 and unicodedata.category(c) in _LETTER_OR_DIGIT), ""
    )  # fmt: skip


def person_files(people_root: Path, name: str) -> PersonFiles:
    """An UP's picture and NFO in the media server's people metadata folder, where Jellyfin and
    Emby look for the person an NFO's `<actor><name>` names: `{first letter or digit}/{name}`
    (no letter folder when the name has none)."""
    folder = person_folder_name(name)
    if not folder or folder in (".", ".."):
        raise ValueError(f"no people folder for the name {name!r}")
    prefix = _person_prefix(folder)
    return PersonFiles(people_root / prefix / folder if prefix else people_root / folder)
