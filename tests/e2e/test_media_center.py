"""The synced library as a media center scanning it with its local-NFO reader sees it: who is
credited, what the plots say, which ids items carry, where people's pictures are found, and
which folders hold movies and which hold shows."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.e2e.conftest import Deck
from tests.fakes.bilibili import world

pytestmark = pytest.mark.timeout(240)


def nfo(path: Path) -> ET.Element:
    return ET.fromstring(path.read_bytes())


def cast(root: ET.Element) -> list[tuple[str | None, str | None, str | None]]:
    return [(a.findtext("name"), a.findtext("role"), a.findtext("thumb")) for a in root.iter("actor")]


def uniqueid(root: ET.Element) -> tuple[str | None, str | None]:
    element = root.find("uniqueid[@default='true']")
    assert element is not None, ET.tostring(root, encoding="unicode")
    return element.get("type"), element.text


def one_folder(parent: Path, start: str) -> Path:
    found = [p for p in parent.iterdir() if p.is_dir() and p.name.startswith(start)]
    assert len(found) == 1, sorted(p.name for p in parent.iterdir())
    return found[0]


def page_keys(deck: Deck, key: str) -> list[str]:
    task = next(t for t in deck.tasks() if t["key"] == key)
    return [page["key"] for page in sorted(task["pages"], key=lambda page: page["number"])]


def test_a_favorites_folder_with_movies_and_shows_apart(deck: Deck) -> None:
    deck.run("config", "set", "library.split_movies_shows=true")
    deck.add(world.FAV_KEY)
    assert deck.sync()["outcome"] == "done"
    root = deck.library / "收藏夹" / "同步测试收藏夹"
    assert sorted(p.name for p in root.iterdir()) == ["Movies", "Shows"]
    movies, shows = root / "Movies", root / "Shows"
    face = f"{deck.fake.base_url}/bfs/face/{{}}.jpg"

    # a single-part video is a movie in Movies/: its uploader by name, a plain-text plot
    spring = one_folder(movies, "春日散步")
    movie = nfo(spring / f"{world.BVID_SPRING}.nfo")
    assert movie.tag == "movie"
    assert cast(movie) == [("甲UP主", "", face.format(world.UP_A_MID))]
    assert movie.findtext("plot") == (
        f"春天的公园里走一走。\n第二行简介。\n\nhttps://www.bilibili.com/video/{world.BVID_SPRING}/"
    )
    assert uniqueid(movie) == ("bilibili", world.BVID_SPRING)
    hostile = one_folder(movies, "CON")  # hostile titles stay movies with readable NFOs
    assert nfo(hostile / f"{world.BVID_HOSTILE}.nfo").findtext("title") == world.HOSTILE_TITLE
    assert cast(nfo(hostile / f"{world.BVID_HOSTILE}.nfo"))[0][0] == "丙UP主"

    # a multi-part video is a show in Shows/, its episodes with their own ids and plots
    multi = one_folder(shows, "【三集连播】")
    assert not list(movies.glob("【三集连播】*")), "no show among the movies"
    show = nfo(multi / "tvshow.nfo")
    assert cast(show) == [
        ("甲UP主", "UP主", face.format(world.UP_A_MID)),
        ("丙UP主", "剪辑", face.format(world.UP_C_MID)),
    ]
    assert "<" not in (show.findtext("plot") or ""), "no markup in what the media center prints"
    assert uniqueid(show) == ("bilibili", world.BVID_MULTIPAGE)
    for number, key in enumerate(page_keys(deck, world.BVID_MULTIPAGE), start=1):
        episode = nfo(multi / "Season 1" / f"{world.BVID_MULTIPAGE} - S01E{number:02}.nfo")
        assert uniqueid(episode) == ("bilibili", key)
        assert episode.findtext("plot") == (
            f"三个分P，用来测试剧集目录。\n\nhttps://www.bilibili.com/video/{world.BVID_MULTIPAGE}/?p={number}"
        )
        assert len(episode.findtext("aired") or "") == len("2024-01-01"), "episodes say when they aired"

    # the people folder is found by the actor's name: People/{first letter}/{name}
    for name in ("甲UP主", "丙UP主"):
        person = deck.library / "people" / name[0] / name
        assert (person / "folder.jpg").read_bytes()[:3] == b"\xff\xd8\xff"
        assert nfo(person / "person.nfo").findtext("title") == name
    assert not [p for p in (deck.library / "people").iterdir() if p.name.isdigit()], "no folders named by id"

    # the movie gains a part: it moves to Shows/, as a show, leaving no movie NFO behind
    deck.fake.add_page(world.BVID_SPRING, "花絮")
    deck.run("config", "set", "risk.removal_check_h=0")  # look for new parts this round
    assert deck.sync()["outcome"] == "done"
    assert not list(movies.glob("春日散步*")), "the movie's folder left Movies/"
    spring = one_folder(shows, "春日散步")
    season = spring / "Season 1"
    assert sorted(p.name for p in season.glob("*.mp4")) == [
        f"{world.BVID_SPRING} - S01E01.mp4", f"{world.BVID_SPRING} - S01E02.mp4",
    ]  # fmt: skip
    assert nfo(spring / "tvshow.nfo").tag == "tvshow"
    assert sorted(p.name for p in spring.iterdir() if p.is_file()) == ["fanart.jpg", "poster.jpg", "tvshow.nfo"], (
        "the old movie's NFO, pictures, danmaku and subtitles are gone"
    )
    first = nfo(season / f"{world.BVID_SPRING} - S01E01.nfo")
    assert first.tag == "episodedetails" and uniqueid(first) == ("bilibili", page_keys(deck, world.BVID_SPRING)[0])
    task = next(t for t in deck.tasks() if t["key"] == world.BVID_SPRING)
    assert Path(task["path"]) == spring
    assert {Path(page["path"]).parent for page in task["pages"]} == {season}


def test_a_bangumi_show_carries_its_season_id_and_episodes_their_own(deck: Deck) -> None:
    deck.add(f"ss:{world.BANGUMI_SEASON_1}", "--name", "测试番剧")
    assert deck.sync()["outcome"] == "done"
    show_folder = deck.library / "番剧" / "测试番剧"
    show = nfo(show_folder / "tvshow.nfo")
    assert uniqueid(show) == ("bilibili", f"ss{world.BANGUMI_SEASON_1}")
    assert show.findtext("plot") == (
        f"一部用来测试同步的番剧。\n\nhttps://www.bilibili.com/bangumi/play/ss{world.BANGUMI_SEASON_1}"
    )
    first = nfo(next((show_folder / "Season 01").glob("*S01E01.nfo")))
    assert uniqueid(first) == ("bilibili", f"ep{world.EP_FIRST}")
    assert first.findtext("plot", "").endswith(f"\n\nhttps://www.bilibili.com/bangumi/play/ep{world.EP_FIRST}")
    assert first.findtext("aired"), "episodes say when they aired"
