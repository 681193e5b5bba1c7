"""NFO documents as Kodi's, Emby's and Jellyfin's NFO readers take them: parsed as XML, field by field."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from xml.dom import minidom

from core.library.files import write_text_atomic
from core.library.nfo import (
    NfoActor,
    NfoEpisode,
    NfoPerson,
    NfoVideo,
    episode_nfo,
    movie_nfo,
    person_nfo,
    tvshow_nfo,
)

HOSTILE = "a <b>&amp; \"quoted\" 'single' ]]> \x00\x08\x1b\ufffe end"
HOSTILE_CLEAN = "a <b>&amp; \"quoted\" 'single' ]]>  end"


def video(**changes: object) -> NfoVideo:
    values: dict[str, object] = {
        "uid": "BV1GJ411x7h7",
        "uid_type": "bilibili",
        "link": "https://www.bilibili.com/video/BV1GJ411x7h7/",
        "title": "【4K】Never Gonna Give You Up",
        "intro": "第一行\n第二行",
        "date": datetime(2024, 3, 9, 21, 30),
        "actors": [NfoActor("索尼音乐", "UP主", "https://i0.hdslb.com/face.jpg"), NfoActor("剪辑师小王", "剪辑")],
        "tags": ["音乐", "经典"],
    }
    values.update(changes)
    return NfoVideo(**values)  # type: ignore[arg-type]


def cast(root: ET.Element) -> list[tuple[str | None, str | None, str | None]]:
    """The cast as Kodi's NFO reader takes it: name, role, thumb of each <actor>."""
    return [(a.findtext("name"), a.findtext("role"), a.findtext("thumb")) for a in root.iter("actor")]


def test_movie_nfo_names_the_uploader_and_writes_a_plain_text_plot() -> None:
    text = movie_nfo(video())
    assert text.startswith('<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n<movie>\n    <plot>')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "movie"
    assert [child.tag for child in root][:3] == ["plot", "outline", "title"]
    assert root.findtext("title") == "【4K】Never Gonna Give You Up"
    # what a media center shows: the intro, then the original's address on a line of its own
    assert root.findtext("plot") == "第一行\n第二行\n\nhttps://www.bilibili.com/video/BV1GJ411x7h7/"
    assert "CDATA" not in text
    # "索尼音乐 as UP主", not "12345 as 索尼音乐"
    assert cast(root) == [("索尼音乐", "UP主", "https://i0.hdslb.com/face.jpg"), ("剪辑师小王", "剪辑", "")]
    assert [a.findtext("order") for a in root.iter("actor")] == ["0", "1"]
    assert root.findtext("year") == "2024"
    assert [g.text for g in root.iter("genre")] == ["音乐", "经典"]
    uniqueid = root.find("uniqueid")
    assert uniqueid is not None and uniqueid.text == "BV1GJ411x7h7"
    assert uniqueid.attrib == {"type": "bilibili", "default": "true"}
    assert root.findtext("premiered") == "2024-03-09"
    assert "\n        <name>索尼音乐</name>" in text  # 4-space indent


def test_hostile_text_arrives_as_the_same_text() -> None:
    document = movie_nfo(
        video(title=HOSTILE, intro=HOSTILE, tags=[HOSTILE], actors=[NfoActor(HOSTILE, HOSTILE, HOSTILE)])
    )
    root = ET.fromstring(document.encode())
    minidom.parseString(document.encode())  # a second, independent parse
    assert root.findtext("title") == HOSTILE_CLEAN
    assert root.findtext("genre") == HOSTILE_CLEAN
    assert cast(root) == [(HOSTILE_CLEAN, HOSTILE_CLEAN, HOSTILE_CLEAN)]
    # plain text: markup and entities in an intro are shown as typed, never escaped twice
    assert root.findtext("plot") == HOSTILE_CLEAN + "\n\nhttps://www.bilibili.com/video/BV1GJ411x7h7/"


def test_cdata_terminators_and_markup_in_a_link_stay_text() -> None:
    document = tvshow_nfo(video(uid="ss]]>1", link="https://www.bilibili.com/bangumi/play/ss1?a=]]><b>", intro=""))
    root = ET.fromstring(document.encode())
    assert root.tag == "tvshow"
    assert root.findtext("plot") == "https://www.bilibili.com/bangumi/play/ss1?a=]]><b>"
    assert root.findtext("uniqueid") == "ss]]>1"


def test_without_a_link_the_plot_is_the_intro_alone() -> None:
    root = ET.fromstring(movie_nfo(video(link="", intro="  只有简介\n")).encode())
    assert root.findtext("plot") == "只有简介"


def test_episode_nfo_has_its_own_id_plot_and_air_date() -> None:
    info = NfoEpisode(
        "P3 <练习> & 答案", 1, 3, uid="4000123", uid_type="bilibili", intro="这一集讲 <b> 标签",
        link="https://www.bilibili.com/video/BV1xx/?p=3", aired=datetime(2024, 5, 6, 7, 8),
    )  # fmt: skip
    root = ET.fromstring(episode_nfo(info).encode())
    assert root.tag == "episodedetails"
    assert root.findtext("title") == "P3 <练习> & 答案"
    assert (root.findtext("season"), root.findtext("episode")) == ("1", "3")
    assert root.findtext("plot") == "这一集讲 <b> 标签\n\nhttps://www.bilibili.com/video/BV1xx/?p=3"
    uniqueid = root.find("uniqueid")
    assert uniqueid is not None and uniqueid.text == "4000123"
    assert uniqueid.attrib == {"type": "bilibili", "default": "true"}
    assert root.findtext("aired") == "2024-05-06"


def test_episode_nfo_without_an_id_writes_no_empty_uniqueid() -> None:
    root = ET.fromstring(episode_nfo(NfoEpisode("第1话", 2, 1)).encode())
    assert root.find("uniqueid") is None and root.find("aired") is None
    assert root.find("plot") is not None and root.find("outline") is not None


def test_person_nfo_is_titled_by_name_with_the_id_kept() -> None:
    root = ET.fromstring(person_nfo(NfoPerson("索尼音乐", "12345", "bilibili", datetime(2024, 1, 2, 3, 4, 5))).encode())
    assert root.tag == "person"
    assert root.findtext("lockdata") == "false"
    assert root.findtext("dateadded") == "2024-01-02 03:04:05"
    assert root.findtext("title") == root.findtext("sorttitle") == "索尼音乐"
    uniqueid = root.find("uniqueid")
    assert uniqueid is not None and (uniqueid.get("type"), uniqueid.text) == ("bilibili", "12345")


def test_person_nfo_is_dated_now_by_default() -> None:
    before = datetime.now().replace(microsecond=0)
    root = ET.fromstring(person_nfo(NfoPerson("索尼音乐")).encode())
    added = datetime.strptime(root.findtext("dateadded") or "", "%Y-%m-%d %H:%M:%S")
    assert before <= added <= datetime.now()


def test_written_nfo_is_utf8_as_declared(tmp_path: Path) -> None:
    target = tmp_path / "movie.nfo"
    write_text_atomic(target, movie_nfo(video()))
    assert ET.parse(target).getroot().findtext("title") == "【4K】Never Gonna Give You Up"
