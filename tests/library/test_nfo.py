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
        "actors": [NfoActor("12345", "索尼音乐", "https://i0.hdslb.com/face.jpg"), NfoActor("678", "剪辑师")],
        "tags": ["音乐", "经典"],
    }
    values.update(changes)
    return NfoVideo(**values)  # type: ignore[arg-type]


def test_movie_nfo_has_the_bili_sync_shape() -> None:
    text = movie_nfo(video())
    document = text.encode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n<movie>\n    <plot>')
    root = ET.fromstring(document)
    assert root.tag == "movie"
    assert [child.tag for child in root][:3] == ["plot", "outline", "title"]
    assert root.findtext("title") == "【4K】Never Gonna Give You Up"
    assert root.findtext("plot") == (
        '原始视频：<a href="https://www.bilibili.com/video/BV1GJ411x7h7/">BV1GJ411x7h7</a><br/><br/>第一行\n第二行'
    )
    assert "<![CDATA[" in text
    actors = [(a.findtext("name"), a.findtext("role"), a.findtext("thumb")) for a in root.iter("actor")]
    assert actors == [("12345", "索尼音乐", "https://i0.hdslb.com/face.jpg"), ("678", "剪辑师", "")]
    assert root.findtext("year") == "2024"
    assert [g.text for g in root.iter("genre")] == ["音乐", "经典"]
    uniqueid = root.find("uniqueid")
    assert uniqueid is not None and uniqueid.get("type") == "bilibili" and uniqueid.text == "BV1GJ411x7h7"
    assert root.findtext("premiered") == "2024-03-09"
    assert "\n        <name>12345</name>" in text  # 4-space indent


def test_hostile_text_still_gives_valid_xml() -> None:
    document = movie_nfo(video(title=HOSTILE, intro=HOSTILE, tags=[HOSTILE], actors=[NfoActor("1", HOSTILE, HOSTILE)]))
    root = ET.fromstring(document.encode())
    minidom.parseString(document.encode())  # a second, independent parse
    assert root.findtext("title") == HOSTILE_CLEAN
    assert root.findtext("genre") == HOSTILE_CLEAN
    assert root.findtext("actor/role") == HOSTILE_CLEAN
    plot = root.findtext("plot") or ""
    # The plot is HTML: the intro's markup arrives as text, never as tags.
    assert plot.endswith("a &lt;b&gt;&amp;amp; \"quoted\" 'single' ]]&gt;  end")


def test_cdata_terminator_in_the_link_is_split_safely() -> None:
    document = tvshow_nfo(video(uid="ss]]>1", link="https://www.bilibili.com/bangumi/play/ss1?a=]]>"))
    root = ET.fromstring(document.encode())
    assert root.tag == "tvshow"
    assert 'href="https://www.bilibili.com/bangumi/play/ss1?a=]]&gt;"' in (root.findtext("plot") or "")
    assert root.findtext("uniqueid") == "ss]]>1"


def test_without_a_link_the_plot_is_the_intro_alone() -> None:
    root = ET.fromstring(movie_nfo(video(link="", intro="只有简介")).encode())
    assert root.findtext("plot") == "只有简介"


def test_episode_nfo() -> None:
    root = ET.fromstring(episode_nfo(NfoEpisode("P3 <练习> & 答案", 1, 3)).encode())
    assert root.tag == "episodedetails"
    assert root.findtext("title") == "P3 <练习> & 答案"
    assert (root.findtext("season"), root.findtext("episode")) == ("1", "3")
    assert root.find("plot") is not None and root.find("outline") is not None


def test_person_nfo() -> None:
    root = ET.fromstring(person_nfo(NfoPerson("12345", "索尼音乐", datetime(2024, 1, 2, 3, 4, 5))).encode())
    assert root.tag == "person"
    assert root.findtext("lockdata") == "false"
    assert root.findtext("dateadded") == "2024-01-02 03:04:05"
    assert root.findtext("title") == root.findtext("sorttitle") == "12345"


def test_person_nfo_is_dated_now_by_default() -> None:
    before = datetime.now().replace(microsecond=0)
    root = ET.fromstring(person_nfo(NfoPerson("12345")).encode())
    added = datetime.strptime(root.findtext("dateadded") or "", "%Y-%m-%d %H:%M:%S")
    assert before <= added <= datetime.now()


def test_written_nfo_is_utf8_as_declared(tmp_path: Path) -> None:
    target = tmp_path / "movie.nfo"
    write_text_atomic(target, movie_nfo(video()))
    assert ET.parse(target).getroot().findtext("title") == "【4K】Never Gonna Give You Up"
