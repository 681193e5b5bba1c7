"""Links to one video or one bangumi episode (things to play, not sources to follow).

`BV…`/`av…` ids, `/video/BV…` pages (with `?p=N`), `ep…` ids and episode pages, and b23.tv
short links that lead to any of them.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from core.errors import LinkError
from core.providers.bilibili import api, links
from core.providers.bilibili.client import BiliClient
from core.providers.bilibili.models import RemoteItem

ACCEPTED_FORMS = """\
Bilibili videos to play:
  a video       https://www.bilibili.com/video/BV…(?p=N), BV…, av…
  an episode    https://www.bilibili.com/bangumi/play/ep…, ep…
  short links   https://b23.tv/CODE"""

_BV = re.compile(r"BV[0-9A-Za-z]{10}", re.A)
_AV = re.compile(r"av(\d{1,19})", re.A | re.I)
_EP = re.compile(r"ep:?(\d{1,19})", re.A | re.I)
_VIDEO_PATH = re.compile(r"/(?:s/)?video/(BV[0-9A-Za-z]{10}|av\d{1,19})/?", re.A | re.I)
_EPISODE_PATH = re.compile(r"/bangumi/play/ep(\d{1,19})/?", re.A | re.I)

_BV_TABLE = "FcwAPNKTMug3GV5Lj7EJnHpWsx4tb8haYeviqBz6rkCy12mUSDQX9RdoZf"
_BV_XOR = 23442827791579
_BV_MAX_AID = 1 << 51


@dataclass(frozen=True)
class VideoLink:
    bvid: str = ""
    ep_id: int | None = None
    page: int = 1  # 1-based, for ?p=N


def aid_to_bvid(aid: int) -> str:
    """Bilibili's av → BV conversion (the 2024 algorithm)."""
    chars = list("BV1000000000")
    index = len(chars) - 1
    value = (_BV_MAX_AID | aid) ^ _BV_XOR
    while value > 0:
        chars[index] = _BV_TABLE[value % 58]
        value //= 58
        index -= 1
    chars[3], chars[9] = chars[9], chars[3]
    chars[4], chars[7] = chars[7], chars[4]
    return "".join(chars)


def _video_id(text: str) -> str:
    if _BV.fullmatch(text):
        return text
    match = _AV.fullmatch(text)
    if match is None or not 0 < int(match.group(1)) < _BV_MAX_AID:
        raise LinkError(f"{text!r} is not a Bilibili video id.\n{ACCEPTED_FORMS}")
    return aid_to_bvid(int(match.group(1)))


def parse_video_link(text: str) -> VideoLink | None:
    """The video or episode a text names, offline; None when it names neither."""
    text = text.strip()
    if _BV.fullmatch(text) or _AV.fullmatch(text):
        return VideoLink(bvid=_video_id(text))
    if match := _EP.fullmatch(text):
        return VideoLink(ep_id=int(match.group(1)))
    if "://" not in text:
        text = "https://" + text
    parts = urllib.parse.urlsplit(text)
    if match := _VIDEO_PATH.fullmatch(parts.path):
        page = (urllib.parse.parse_qs(parts.query).get("p") or ["1"])[0]
        return VideoLink(bvid=_video_id(match.group(1)), page=int(page) if page.isdigit() and int(page) > 0 else 1)
    if match := _EPISODE_PATH.fullmatch(parts.path):
        return VideoLink(ep_id=int(match.group(1)))
    return None


def claims(text: str, own_hosts: tuple[str, ...]) -> bool:
    text = text.strip()
    if not links.is_bilibili_text(text, own_hosts):
        return False
    return links.is_short_link(text) or parse_video_link(text) is not None


async def resolve_video_link(client: BiliClient, text: str) -> VideoLink:
    """Like parse_video_link, after following a short link; LinkError when it names no video."""
    text = text.strip()
    if links.is_short_link(text):
        path = urllib.parse.urlsplit(text if "://" in text else "https://" + text).path
        target = await client.redirect_target(client.hosts.b23 + path)
        if target is None:
            raise LinkError(f"the short link {text!r} does not lead anywhere (expired or mistyped?)")
        text = target
    found = parse_video_link(text)
    if found is None:
        raise LinkError(f"{text[:200]!r} is not a link to a Bilibili video or episode.\n{ACCEPTED_FORMS}")
    return found


async def episode_of(client: BiliClient, ep_id: int) -> RemoteItem:
    """The episode as the season lists it (its cid, bvid, title, duration)."""
    season = await api._season_result(client, ep_id=ep_id)
    series_title = str(season.get("title") or "")
    for item in api._bangumi_items(season, 1, series_title, int(season["season_id"])):
        if item.ep_id == ep_id:
            return item
    for episode in season.get("episodes") or []:  # a preview or extra, not among the numbered ones
        if int(episode.get("id") or 0) == ep_id:
            raise LinkError(f"episode {ep_id} is a preview or an extra without a video to play")
    raise LinkError(f"episode {ep_id} is not in its season's list")
