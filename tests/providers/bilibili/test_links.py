from __future__ import annotations

import pytest

from core.errors import LinkError
from core.providers.bilibili.links import is_bilibili_text, is_short_link, parse_link
from core.providers.bilibili.models import SourceKind, SourceRef

PARSED = [
    # favorites
    ("https://space.bilibili.com/123/favlist?fid=456&ftype=create", SourceRef(SourceKind.FAVORITE, id=456)),
    ("space.bilibili.com/123/favlist?fid=456", SourceRef(SourceKind.FAVORITE, id=456)),
    ("https://www.bilibili.com/medialist/detail/ml789?type=1", SourceRef(SourceKind.FAVORITE, id=789)),
    ("https://www.bilibili.com/medialist/play/ml789", SourceRef(SourceKind.FAVORITE, id=789)),
    ("fav:789", SourceRef(SourceKind.FAVORITE, id=789)),
    # collections and series, old and new space layout
    (
        "https://space.bilibili.com/11/channel/collectiondetail?sid=22&ctype=0",
        SourceRef(SourceKind.COLLECTION, mid=11, id=22),
    ),
    (
        "https://space.bilibili.com/11/channel/seriesdetail?sid=33",
        SourceRef(SourceKind.SERIES, mid=11, id=33),
    ),
    ("https://space.bilibili.com/11/lists/22?type=season", SourceRef(SourceKind.COLLECTION, mid=11, id=22)),
    ("https://space.bilibili.com/11/lists/33?type=series", SourceRef(SourceKind.SERIES, mid=11, id=33)),
    ("season:11:22", SourceRef(SourceKind.COLLECTION, mid=11, id=22)),
    ("series:11:33", SourceRef(SourceKind.SERIES, mid=11, id=33)),
    # UP uploads
    ("https://space.bilibili.com/77", SourceRef(SourceKind.SUBMISSION, mid=77)),
    ("https://space.bilibili.com/77/", SourceRef(SourceKind.SUBMISSION, mid=77)),
    ("https://space.bilibili.com/77/upload/video", SourceRef(SourceKind.SUBMISSION, mid=77)),
    ("https://space.bilibili.com/77/video?tid=0", SourceRef(SourceKind.SUBMISSION, mid=77)),
    ("https://m.bilibili.com/space/77", SourceRef(SourceKind.SUBMISSION, mid=77)),
    ("up:77", SourceRef(SourceKind.SUBMISSION, mid=77)),
    # watch later
    ("https://www.bilibili.com/watchlater", SourceRef(SourceKind.WATCH_LATER)),
    ("https://www.bilibili.com/watchlater/#/list", SourceRef(SourceKind.WATCH_LATER)),
    ("https://www.bilibili.com/list/watchlater?bvid=BV1xx411c7mD", SourceRef(SourceKind.WATCH_LATER)),
    ("watchlater", SourceRef(SourceKind.WATCH_LATER)),
    # bangumi
    ("https://www.bilibili.com/bangumi/play/ss1234", SourceRef(SourceKind.BANGUMI, id=1234)),
    ("https://www.bilibili.com/bangumi/play/ep5678?from=search", SourceRef(SourceKind.BANGUMI, ep_id=5678)),
    ("https://www.bilibili.com/bangumi/media/md91011", SourceRef(SourceKind.BANGUMI, media_id=91011)),
    ("ss:1234", SourceRef(SourceKind.BANGUMI, id=1234)),
    ("ep:5678", SourceRef(SourceKind.BANGUMI, ep_id=5678)),
    ("md:91011", SourceRef(SourceKind.BANGUMI, media_id=91011)),
    ("ss:1234+all", SourceRef(SourceKind.BANGUMI, id=1234, all_seasons=True)),
    ("ep:5678+all", SourceRef(SourceKind.BANGUMI, ep_id=5678, all_seasons=True)),
    ("ss:1234+all_seasons", SourceRef(SourceKind.BANGUMI, id=1234, all_seasons=True)),
    (
        "https://www.bilibili.com/bangumi/play/ss1234+all",
        SourceRef(SourceKind.BANGUMI, id=1234, all_seasons=True),
    ),
]


@pytest.mark.parametrize(("text", "expected"), PARSED, ids=[text for text, _ in PARSED])
def test_every_accepted_form_parses(text: str, expected: SourceRef) -> None:
    assert parse_link(text) == expected


def test_surrounding_whitespace_is_ignored() -> None:
    assert parse_link("  fav:1 \n") == SourceRef(SourceKind.FAVORITE, id=1)


def test_links_to_other_hosts_parse_by_path_shape() -> None:
    assert parse_link("http://127.0.0.1:8765/42/favlist?fid=7") == SourceRef(SourceKind.FAVORITE, id=7)
    assert parse_link("http://mirror.example/bangumi/play/ep9") == SourceRef(SourceKind.BANGUMI, ep_id=9)


def test_links_and_short_forms_of_one_source_share_a_key() -> None:
    assert parse_link("https://space.bilibili.com/11/lists/22?type=season").key == "season:11:22"
    assert parse_link("https://space.bilibili.com/11/channel/collectiondetail?sid=22").key == "season:11:22"
    assert parse_link("https://www.bilibili.com/medialist/detail/ml5").key == parse_link("fav:5").key
    assert parse_link("https://www.bilibili.com/bangumi/play/ss3+all").key == "ss:3+all"


def test_single_video_link_is_named_as_such() -> None:
    with pytest.raises(LinkError) as caught:
        parse_link("https://www.bilibili.com/video/BV1xx411c7mD/?spm_id_from=333")
    message = str(caught.value)
    assert "single video" in message and "BV1xx411c7mD" in message
    assert "fav:ID" in message  # the accepted forms are listed


def test_bare_bvid_is_a_single_video() -> None:
    with pytest.raises(LinkError, match="single video"):
        parse_link("BV1xx411c7mD")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("https://space.bilibili.com/1/favlist", "fid="),
        ("https://space.bilibili.com/1/channel/collectiondetail", "sid="),
        ("https://space.bilibili.com/1/lists/5?type=other", "type=season"),
        ("up:1+all", "+all"),
        ("https://www.bilibili.com/read/cv123", "not a link"),
        ("hello", "not a link"),
        ("", "empty"),
        ("https://b23.tv/AbCd12", "short link"),
    ],
)
def test_unusable_links_say_why_and_list_accepted_forms(text: str, fragment: str) -> None:
    with pytest.raises(LinkError) as caught:
        parse_link(text)
    message = str(caught.value)
    assert fragment in message
    assert "Accepted Bilibili sources" in message and "season:MID:SID" in message


def test_short_link_detection() -> None:
    assert is_short_link("https://b23.tv/AbCd12")
    assert is_short_link("b23.tv/AbCd12")
    assert is_short_link("https://bili2233.cn/AbCd12")
    assert not is_short_link("https://space.bilibili.com/77")
    assert not is_short_link("season:1:2")
    assert not is_short_link("https://notb23.tv/x")


@pytest.mark.parametrize(
    "text",
    [
        "https://space.bilibili.com/²",
        "https://space.bilibili.com/1/favlist?fid=²",
        "https://space.bilibili.com/٣/favlist?fid=1",
        "https://space.bilibili.com/1/lists/²?type=season",
        "fav:٣",
    ],
)
def test_only_ascii_digits_make_an_id(text: str) -> None:
    with pytest.raises(LinkError):
        parse_link(text)


@pytest.mark.parametrize(
    "text",
    ["fav:9223372036854775808", "season:1:" + "9" * 5000, "https://space.bilibili.com/1/favlist?fid=" + "9" * 30],
)
def test_ids_beyond_64_bits_are_refused(text: str) -> None:
    with pytest.raises(LinkError, match="too large") as caught:
        parse_link(text)
    assert len(str(caught.value)) < 1500  # a pasted monster is not echoed whole
    assert parse_link("fav:9223372036854775807").id == 2**63 - 1


@pytest.mark.parametrize(
    ("text", "claimed"),
    [
        ("fav:1", True),
        ("ss:401+all", True),
        ("BV1xx411c7mD", True),
        ("space.bilibili.com/1/favlist?fid=2", True),
        ("https://m.bilibili.com/space/77", True),
        ("https://b23.tv/AbCd12", True),
        ("http://127.0.0.1:8765/42/favlist?fid=7", True),  # the configured host below
        ("http://127.0.0.1:8766/42/favlist?fid=7", False),
        ("https://space.bilibili.com:8443/1", False),
        ("https://space.bilibili.com.evil.com/1/favlist?fid=2", False),
        ("javascript://space.bilibili.com/1", False),
        ("fav:1 fav:2", False),
        ("", False),
    ],
)
def test_is_bilibili_text(text: str, claimed: bool) -> None:
    assert is_bilibili_text(text, ["http://127.0.0.1:8765"]) is claimed
