"""Each Bilibili source kind synced into a temp library, checked file by file."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pysubs2
import pytest

from tests.e2e.conftest import Deck, ffprobe
from tests.fakes.bilibili import world

pytestmark = pytest.mark.timeout(240)


def only_dir(parent: Path) -> Path:
    dirs = [p for p in parent.iterdir() if p.is_dir()]
    assert len(dirs) == 1, dirs
    return dirs[0]


def video_folder(root: Path, title: str) -> Path:
    matches = [p for p in root.iterdir() if p.is_dir() and p.name.startswith(title[:8])]
    assert len(matches) == 1, f"{title!r} not in {sorted(p.name for p in root.iterdir())}"
    return matches[0]


def check_mp4(path: Path, *, video_codec: str | None = "h264") -> None:
    probe = ffprobe(path)
    kinds = {s["codec_type"]: s for s in probe["streams"]}
    assert "video" in kinds and "audio" in kinds, probe["streams"]
    if video_codec:
        assert kinds["video"]["codec_name"] == video_codec
    assert abs(float(probe["format"]["duration"]) - world.MEDIA_DURATION) < 0.5


def parse_nfo(path: Path) -> ET.Element:
    return ET.fromstring(path.read_bytes())


def check_ass(path: Path) -> None:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), "ASS is UTF-8 with BOM"
    subs = pysubs2.load(str(path))
    assert len(subs.events) > 0


def check_srt(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    assert text.lstrip("\ufeff").startswith("1\n"), "SRT cues are numbered from 1"
    return [e.text for e in pysubs2.SSAFile.from_string(text, format_="srt").events]


def test_favorite_folder(deck: Deck) -> None:
    sid = deck.add(world.FAV_KEY)
    result = deck.sync()
    assert result["outcome"] == "done", result
    assert result["new_items"] == 6
    root = Path(deck.json("source", "list")[0]["path"])
    assert root == deck.library / "收藏夹" / "同步测试收藏夹"

    # single-part video = movie
    spring = video_folder(root, "春日散步")
    stem = spring / world.BVID_SPRING
    check_mp4(stem.with_suffix(".mp4"))
    movie = parse_nfo(stem.with_suffix(".nfo"))
    assert movie.tag == "movie"
    assert movie.findtext("title") == "春日散步 Vlog"
    assert movie.find("uniqueid[@type='bilibili']").text == world.BVID_SPRING
    assert world.BVID_SPRING in movie.findtext("plot")
    for suffix in ("-poster.jpg", "-fanart.jpg"):
        assert Path(f"{stem}{suffix}").read_bytes()[:3] == b"\xff\xd8\xff"
    check_ass(Path(f"{stem}.zh-CN.default.ass"))
    assert check_srt(Path(f"{stem}.zh-CN.srt"))
    assert check_srt(Path(f"{stem}.en.srt"))

    # multi-part video = show with Season 1
    multi = video_folder(root, "【三集连播】")
    show = parse_nfo(multi / "tvshow.nfo")
    assert show.tag == "tvshow"
    assert {a.findtext("name") for a in show.findall("actor")} == {"甲UP主", "丙UP主"}
    assert (multi / "poster.jpg").exists() and (multi / "fanart.jpg").exists()
    season = multi / "Season 1"
    for n in (1, 2, 3):
        ep = season / f"{world.BVID_MULTIPAGE} - S01E{n:02d}"
        check_mp4(Path(f"{ep}.mp4"))
        nfo = parse_nfo(Path(f"{ep}.nfo"))
        assert nfo.tag == "episodedetails" and nfo.findtext("episode") == str(n) and nfo.findtext("season") == "1"
        assert Path(f"{ep}-thumb.jpg").exists()
        check_ass(Path(f"{ep}.zh-CN.default.ass"))
    assert not list(season.glob("*ai-zh*")), "AI subtitles are skipped unless enabled"
    assert list(season.glob("*S01E01.zh-CN.srt"))

    # hostile title: one safe folder inside the source root, every file written
    hostile = [p for p in root.iterdir() if p.is_dir() and "超长标题" in p.name]
    assert len(hostile) == 1
    assert len(hostile[0].name.encode()) <= 255
    assert all(c not in hostile[0].name for c in '<>:"|?*\\')
    check_mp4(hostile[0] / f"{world.BVID_HOSTILE}.mp4")
    assert parse_nfo(hostile[0] / f"{world.BVID_HOSTILE}.nfo").findtext("title") == world.HOSTILE_TITLE

    # unavailable items are marked, not failed, and leave no folder behind
    tasks = {t["key"]: t for t in deck.tasks("--source", str(sid))}
    for bvid in (world.BVID_DELETED, world.BVID_CHARGE_ONLY, world.BVID_PRIVATE):
        assert tasks[bvid]["state"] == "unavailable" and tasks[bvid]["last_error"], tasks[bvid]
    assert sum(1 for p in root.iterdir() if p.is_dir()) == 3

    # UP avatars with person.nfo, filed by the name the NFOs give them
    people = deck.library / "people"
    for name in ("甲UP主", "丙UP主"):
        folder = people / name[0] / name
        assert (folder / "folder.jpg").exists()
        assert parse_nfo(folder / "person.nfo").findtext("title") == name

    # a second round finds nothing new and costs one list call (+ the login check)
    again = deck.sync()
    assert again["new_items"] == 0 and again["downloaded"] == 0
    assert again["api_calls"] <= 2, again


def test_collection_and_series(deck: Deck) -> None:
    deck.add(world.SEASON_KEY)
    deck.add(f"https://space.bilibili.com/{world.UP_A_MID}/lists/{world.SERIES_ID}?type=series")
    result = deck.sync()
    assert result["outcome"] == "done" and result["new_items"] == 5
    season_root = deck.library / "合集" / "城市漫游"
    assert len([p for p in season_root.iterdir() if p.is_dir()]) == 3
    for folder in season_root.iterdir():
        check_mp4(next(folder.glob("*.mp4")))
    series_root = deck.library / "列表" / "料理笔记"
    assert {p.name for p in series_root.iterdir()} == {"料理笔记：番茄炒蛋", "料理笔记：红烧肉"}


def test_up_submissions_with_paging_and_a_filter(deck: Deck) -> None:
    deck.add(f"https://space.bilibili.com/{world.UP_B_MID}/upload/video", "--filter", "title contains 第3")
    result = deck.sync()
    assert result["new_items"] == 35, "both pages of the upload list were read"
    done = [t for t in deck.tasks("--state", "done")]
    assert sorted(t["title"] for t in done) == [f"乙的投稿 第{n:02d}期" for n in range(30, 36)]
    assert len(deck.tasks("--state", "skipped")) == 29
    assert len(list((deck.library / "投稿").rglob("*.mp4"))) == 6


def test_watch_later_takes_the_best_audio(deck: Deck) -> None:
    deck.add("https://www.bilibili.com/watchlater/#/list")
    result = deck.sync()
    assert result["outcome"] == "done" and result["new_items"] == 2
    dolby = video_folder(deck.library / "稍后再看" / only_dir(deck.library / "稍后再看").name, "稍后再看")
    probe = ffprobe(dolby / f"{world.BVID_DOLBY}.mp4")
    audio = [s for s in probe["streams"] if s["codec_type"] == "audio"]
    assert audio and audio[0]["codec_name"] == "flac", "Hi-Res ranks above Dolby and 192K"


def test_bangumi_all_seasons(deck: Deck) -> None:
    deck.add("https://www.bilibili.com/bangumi/media/md28220001/", "--name", "测试番剧")
    deck.run("source", "remove", "1")
    deck.add("ss:401+all", "--name", "测试番剧")
    result = deck.sync()
    assert result["outcome"] == "done", result
    show = deck.library / "番剧" / "测试番剧"
    episodes = sorted(p.relative_to(show).as_posix() for p in show.rglob("*.mp4"))
    assert len(episodes) == 4, episodes  # the preview (预告) and the PV section are skipped
    assert [e.split("/")[0] for e in episodes] == ["Season 01", "Season 01", "Season 02", "Season 02"]
    assert episodes[0].endswith("S01E01.mp4") and episodes[3].endswith("S02E02.mp4")
    nfo = parse_nfo(next((show / "Season 02").glob("*S02E01.nfo")))
    assert nfo.findtext("season") == "2" and nfo.findtext("episode") == "1"
    assert parse_nfo(show / "tvshow.nfo").tag == "tvshow"
