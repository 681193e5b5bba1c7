"""Pasted links and short ids → SourceRef.

Links are matched on the shape of their path and query, never on the host name, so links
to mirrors or to hosts overridden in config parse the same way.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable
from typing import TYPE_CHECKING

from core.errors import LinkError
from core.providers.bilibili.models import SourceKind, SourceRef

if TYPE_CHECKING:
    from core.providers.bilibili.client import BiliClient

ACCEPTED_FORMS = """\
Accepted Bilibili sources:
  favorites     https://space.bilibili.com/MID/favlist?fid=ID,
                https://www.bilibili.com/medialist/detail/mlID, fav:ID
  collection    https://space.bilibili.com/MID/channel/collectiondetail?sid=SID,
                https://space.bilibili.com/MID/lists/SID?type=season, season:MID:SID
  series        https://space.bilibili.com/MID/channel/seriesdetail?sid=SID,
                https://space.bilibili.com/MID/lists/SID?type=series, series:MID:SID
  UP uploads    https://space.bilibili.com/MID (or …/upload/video, …/video), up:MID
  watch later   https://www.bilibili.com/watchlater, watchlater
  bangumi       https://www.bilibili.com/bangumi/play/ssID (or epID), …/bangumi/media/mdID,
                ss:ID, ep:ID, md:ID;
                add "+all" (e.g. ss:ID+all) to follow every season of the show
  short links   https://b23.tv/CODE"""

SHORT_LINK_HOSTS = ("b23.tv", "bili2233.cn")
ALL_SEASONS_SUFFIXES = ("+all_seasons", "+all")
# Ids are stored as SQLite integers (signed 64 bit); anything larger is not a real id.
MAX_ID = 2**63 - 1

# ASCII digits only: "²" or "٣" are digits to Python but never part of a Bilibili id.
_FLAGS = re.I | re.A
_SHORT_FORMS: list[tuple[re.Pattern[str], SourceKind]] = [
    (re.compile(r"fav:(\d+)", _FLAGS), SourceKind.FAVORITE),
    (re.compile(r"season:(\d+):(\d+)", _FLAGS), SourceKind.COLLECTION),
    (re.compile(r"series:(\d+):(\d+)", _FLAGS), SourceKind.SERIES),
    (re.compile(r"up:(\d+)", _FLAGS), SourceKind.SUBMISSION),
]
_BANGUMI_ID = re.compile(r"(ss|ep|md):?(\d+)", _FLAGS)
_FAVORITE_PATH_ID = re.compile(r"ml(\d+)", _FLAGS)
_SINGLE_VIDEO = re.compile(r"(?:^|/)(BV[0-9A-Za-z]{10}|av\d+)(?:/|$)", _FLAGS)
_BARE_VIDEO = re.compile(r"BV[0-9A-Za-z]{10}|av\d+", _FLAGS)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
BILIBILI_DOMAINS = ("bilibili.com", *SHORT_LINK_HOSTS)
MAX_LINK_LENGTH = 8192
_SHORT_CODE_PATH = re.compile(r"/[0-9A-Za-z]{4,12}/?")


class _Unusable(Exception):
    """A recognised link shape that lacks what the source needs; the text says what."""


def _refuse(text: str, why: str) -> LinkError:
    shown = text if len(text) <= 200 else text[:200] + "…"
    return LinkError(f"Cannot use {shown!r}: {why}.\n{ACCEPTED_FORMS}")


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _number(text: str) -> int:
    """An id from ASCII digits; _Unusable when it is outside 1…2^63−1."""
    # Checked on the text first: int() of thousands of digits is slow, then refused by Python.
    if len(text.lstrip("0")) > len(str(MAX_ID)) or int(text) > MAX_ID:
        raise _Unusable(f"the id {text[:24]}{'…' if len(text) > 24 else ''} is too large to be a Bilibili id")
    if int(text) == 0:
        raise _Unusable("0 is not a Bilibili id; ids start at 1")
    return int(text)


def _int_query(query: dict[str, list[str]], name: str) -> int | None:
    values = query.get(name)
    if values and _is_number(values[0]):
        return _number(values[0])
    return None


def _bangumi(prefix: str, number: str, all_seasons: bool) -> SourceRef:
    value = _number(number)
    match prefix.lower():
        case "ss":
            return SourceRef(SourceKind.BANGUMI, id=value, all_seasons=all_seasons)
        case "ep":
            return SourceRef(SourceKind.BANGUMI, ep_id=value, all_seasons=all_seasons)
        case _:
            return SourceRef(SourceKind.BANGUMI, media_id=value, all_seasons=all_seasons)


def _parse_short_form(text: str, all_seasons: bool) -> SourceRef | None:
    if text.lower() == "watchlater":
        return SourceRef(SourceKind.WATCH_LATER)
    for pattern, kind in _SHORT_FORMS:
        if match := pattern.fullmatch(text):
            numbers = [_number(group) for group in match.groups()]
            if kind is SourceKind.FAVORITE:
                return SourceRef(kind, id=numbers[0])
            if kind is SourceKind.SUBMISSION:
                return SourceRef(kind, mid=numbers[0])
            return SourceRef(kind, mid=numbers[0], id=numbers[1])
    if match := _BANGUMI_ID.fullmatch(text):
        return _bangumi(match.group(1), match.group(2), all_seasons)
    return None


def _parse_path(path: str, query: dict[str, list[str]], all_seasons: bool) -> SourceRef | None:
    segments = [segment for segment in path.split("/") if segment]
    lowered = [segment.lower() for segment in segments]

    if lowered in (["watchlater"], ["list", "watchlater"], ["watchlater", "list"]):
        return SourceRef(SourceKind.WATCH_LATER)
    if lowered[:2] in (["bangumi", "play"], ["bangumi", "media"]):
        allowed = ("ss", "ep") if lowered[1] == "play" else ("md",)
        match = _BANGUMI_ID.fullmatch(segments[2]) if len(segments) == 3 else None
        if match and match.group(1).lower() in allowed:
            return _bangumi(match.group(1), match.group(2), all_seasons)
        return None
    if len(segments) == 3 and lowered[:2] in (["medialist", "detail"], ["medialist", "play"]):
        if match := _FAVORITE_PATH_ID.fullmatch(segments[2]):
            return SourceRef(SourceKind.FAVORITE, id=_number(match.group(1)))
        return None
    if len(segments) == 2 and lowered[0] == "list" and (match := _FAVORITE_PATH_ID.fullmatch(segments[1])):
        return SourceRef(SourceKind.FAVORITE, id=_number(match.group(1)))
    # Mobile space pages: m.bilibili.com/space/MID
    if len(segments) == 2 and lowered[0] == "space" and _is_number(segments[1]):
        return SourceRef(SourceKind.SUBMISSION, mid=_number(segments[1]))
    if not segments or not _is_number(segments[0]):
        return None

    # Space pages: /MID/…
    mid = _number(segments[0])
    rest = lowered[1:]
    if rest in ([], ["upload"], ["upload", "video"], ["video"]):
        return SourceRef(SourceKind.SUBMISSION, mid=mid)
    if rest == ["favlist"]:
        if (fid := _int_query(query, "fid")) is not None:
            return SourceRef(SourceKind.FAVORITE, id=fid)
        raise _Unusable("the favorites link names no folder (fid=…); open the folder and copy its link")
    if rest in (["channel", "collectiondetail"], ["channel", "seriesdetail"]):
        if (sid := _int_query(query, "sid")) is None:
            raise _Unusable("the collection link has no sid=…; open the collection and copy its link")
        kind = SourceKind.COLLECTION if rest[1] == "collectiondetail" else SourceKind.SERIES
        return SourceRef(kind, mid=mid, id=sid)
    if len(rest) == 2 and rest[0] == "lists" and _is_number(rest[1]):
        list_type = (query.get("type") or ["season"])[0].lower()
        if list_type not in ("season", "series"):
            raise _Unusable(f"unknown list type {list_type!r} (expected type=season or type=series)")
        kind = SourceKind.SERIES if list_type == "series" else SourceKind.COLLECTION
        return SourceRef(kind, mid=mid, id=_number(rest[1]))
    return None


def _split_all_seasons(text: str) -> tuple[str, bool]:
    for suffix in ALL_SEASONS_SUFFIXES:
        if text.lower().endswith(suffix):
            return text[: -len(suffix)], True
    return text, False


def _as_url(text: str) -> urllib.parse.SplitResult:
    if "://" not in text:
        text = "https://" + text.lstrip("/")
    try:
        return urllib.parse.urlsplit(text)
    except ValueError:  # e.g. an unbalanced "[" in what was meant as a host
        return urllib.parse.urlsplit("")


def parse_link(text: str) -> SourceRef:
    """Parse a pasted Bilibili link or short form; raise LinkError naming what is accepted."""
    original = text.strip()
    if not original:
        raise _refuse(original, "the link is empty")
    text, all_seasons = _split_all_seasons(original)
    try:
        ref = _parse(text, original, all_seasons)
    except _Unusable as exc:
        raise _refuse(original, str(exc)) from None
    if ref is None:
        raise _refuse(original, "this is not a link to a Bilibili source SyncDeck can follow")
    if all_seasons and ref.kind is not SourceKind.BANGUMI:
        raise _refuse(original, '"+all" only applies to bangumi links')
    return ref


def _parse(text: str, original: str, all_seasons: bool) -> SourceRef | None:
    ref = _parse_short_form(text, all_seasons)
    if ref is None and ("/" in text or "." in text):
        url = _as_url(text)
        # Old share links put the route after "#", e.g. …/watchlater/#/list
        path = url.path + (url.fragment if url.fragment.startswith("/") else "")
        ref = _parse_path(path, urllib.parse.parse_qs(url.query), all_seasons)
        if ref is None and (video := _SINGLE_VIDEO.search(url.path)):
            raise _refuse(
                original,
                f"this is a link to a single video ({video.group(1)}), not a source; add the "
                "favorites, collection or UP that contains it instead",
            )
        if ref is None and is_short_link(original):
            raise _refuse(original, "this is a b23.tv short link; it has to be resolved first")
    elif ref is None and _SINGLE_VIDEO.search("/" + text + "/"):
        raise _refuse(original, f"{text} is a single video, not a source")
    return ref


def is_short_link(text: str) -> bool:
    """True for b23.tv (and bili2233.cn) share links, which must be resolved over HTTP."""
    host = (_as_url(text.strip()).hostname or "").lower()
    return any(host == name or host.endswith("." + name) for name in SHORT_LINK_HOSTS)


def _host_and_port(url: urllib.parse.SplitResult) -> tuple[str, int] | None:
    """The URL's (host, port) with the scheme's default port filled in; None when the host
    is missing, not ASCII, has user info or the port is not a number."""
    try:
        host, port = url.hostname, url.port
    except ValueError:
        return None
    if not host or not host.isascii() or url.username is not None or url.password is not None:
        return None
    return host, port or (80 if url.scheme.lower() == "http" else 443)


def _is_short_form(text: str) -> bool:
    return (
        text.lower() == "watchlater"
        or any(pattern.fullmatch(text) for pattern, _ in _SHORT_FORMS)
        or bool(_BANGUMI_ID.fullmatch(text) or _BARE_VIDEO.fullmatch(text))
    )


def is_bilibili_text(text: str, own_hosts: Iterable[str] = ()) -> bool:
    """Offline and strict: a short form (`fav:ID`, `ss:ID+all`, a BV id…) or an http(s) link
    to Bilibili's own hosts, b23.tv, or one of `own_hosts` (base URLs from the settings).

    Whether the link names a usable source is `parse_link`'s question; this one only says
    the text is meant for Bilibili, so that its refusal can explain what is wrong.
    """
    text = text.strip()
    if not text or len(text) > MAX_LINK_LENGTH or not text.isprintable() or any(c.isspace() for c in text):
        return False
    body, _ = _split_all_seasons(text)
    if _is_short_form(body):
        return True
    if "://" in body:
        scheme = _SCHEME.match(body)
        if scheme is None or scheme.group(1).lower() not in ("http", "https"):
            return False
    place = _host_and_port(_as_url(body))
    if place is None:
        return False
    host, port = place
    if port in (80, 443) and any(host == name or host.endswith("." + name) for name in BILIBILI_DOMAINS):
        return True
    return place in {_host_and_port(urllib.parse.urlsplit(base)) for base in own_hosts}


async def resolve_link(client: BiliClient, text: str) -> SourceRef:
    """Like parse_link, but first follows a short link to where it points."""
    text = text.strip()
    body, all_seasons = _split_all_seasons(text)
    url = _as_url(body)
    if not is_short_link(body):
        try:
            return parse_link(text)
        except LinkError:
            # A configured short-link host may be any host; only its code-shaped paths count.
            own_short_host = urllib.parse.urlsplit(client.hosts.b23).netloc.lower()
            if url.netloc.lower() != own_short_host or not _SHORT_CODE_PATH.fullmatch(url.path):
                raise
    # Ask the configured short-link host, whatever host the pasted link names.
    target = await client.redirect_target(client.hosts.b23 + url.path)
    if target is None:
        raise _refuse(text, "the short link does not lead anywhere (expired or mistyped?)")
    if is_short_link(target):
        raise _refuse(text, "the short link leads to another short link")
    # Where it leads must itself be a Bilibili link: paths are matched by shape, hosts here.
    own = (client.hosts.api, client.hosts.passport, client.hosts.www, client.hosts.comment, client.hosts.b23)
    if not is_bilibili_text(target, own):
        raise _refuse(text, f"the short link leads outside Bilibili ({target[:120]})")
    return parse_link(target + ("+all" if all_seasons else ""))
