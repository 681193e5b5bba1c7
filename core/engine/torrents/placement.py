"""Finished video files of a torrent in the library layout.

A name that parses as an episode ("Show.Name.S01E02.1080p.mkv") goes to
<library>/Shows/Show Name/Season 01/Show Name S01E02.mkv with a tvshow.nfo and an episode NFO;
one that parses as a movie ("Some.Film.2019.1080p.mkv") to <library>/Movies/Some Film (2019)/
with a movie NFO. The torrent keeps seeding from its own folder (by default <library>/Torrents/,
already under the library root), so the library gets a hard link where the file system allows
one, else a copy. Names that parse as neither stay where the torrent wrote them.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.library import nfo
from core.library.files import write_text_atomic
from core.library.layout import MOVIES_FOLDER, SHOWS_FOLDER

VIDEO_EXTENSIONS = frozenset({".mkv", ".mp4", ".m4v", ".avi", ".webm", ".mov", ".ts", ".wmv", ".flv"})
_EPISODE = re.compile(r"^(?P<show>.+?)[ ._\-\[\(]+[sS](?P<season>\d{1,2})[ ._]?[eE](?P<episode>\d{1,3})\b")
_MOVIE = re.compile(r"^(?P<title>.+?)[ ._\-\(\[]+(?P<year>(19|20)\d{2})(?=[ ._\-\)\]]|$)")


@dataclass(frozen=True)
class Parsed:
    kind: str  # "episode" or "movie"
    title: str
    year: int = 0
    season: int = 0
    episode: int = 0


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[._]+", " ", text)).strip(" -[]()")


def parse_name(filename: str) -> Parsed | None:
    stem = Path(filename).stem
    if m := _EPISODE.match(stem):
        return Parsed("episode", _clean(m["show"]), season=int(m["season"]), episode=int(m["episode"]))
    if m := _MOVIE.match(stem):
        title = _clean(m["title"])
        if title:
            return Parsed("movie", title, year=int(m["year"]))
    return None


def _safe(name: str) -> str:
    return re.sub(r'[<>:"/\\|?*\x00-\x1f]', " ", name).strip() or "Untitled"


def _link_or_copy(source: Path, target: Path) -> None:
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def place_finished(config: Any, files: list[tuple[Path, int]]) -> list[Path]:
    """Place each finished video file whose name parses; returns the library paths written."""
    root: Path = config.library_root
    placed: list[Path] = []
    now = datetime.now(UTC)
    for path, _size in files:
        if path.suffix.lower() not in VIDEO_EXTENSIONS or not path.is_file():
            continue
        parsed = parse_name(path.name)
        if parsed is None:
            continue
        if parsed.kind == "episode":
            show = root / SHOWS_FOLDER / _safe(parsed.title)
            stem = f"{_safe(parsed.title)} S{parsed.season:02}E{parsed.episode:02}"
            target = show / f"Season {parsed.season:02}" / (stem + path.suffix.lower())
            _link_or_copy(path, target)
            if not (show / "tvshow.nfo").exists():
                info = nfo.NfoVideo(uid="", uid_type="torrent", title=parsed.title, intro="", date=now)
                write_text_atomic(show / "tvshow.nfo", nfo.tvshow_nfo(info))
            episode = nfo.NfoEpisode(title=stem, season=parsed.season, episode=parsed.episode)
            write_text_atomic(target.with_suffix(".nfo"), nfo.episode_nfo(episode))
        else:
            name = f"{_safe(parsed.title)} ({parsed.year})"
            target = root / MOVIES_FOLDER / name / (name + path.suffix.lower())
            _link_or_copy(path, target)
            info = nfo.NfoVideo(uid="", uid_type="torrent", title=parsed.title, intro="",
                                date=datetime(parsed.year, 1, 1, tzinfo=UTC))  # fmt: skip
            write_text_atomic(target.with_suffix(".nfo"), nfo.movie_nfo(info))
        placed.append(target)
    return placed
