"""RSS 2.0 and Atom feeds of torrents: each entry's GUID, title, date, size and its torrent
(a magnet link or the URL of a .torrent, from the enclosure, the link or a magnetURI element)."""

from __future__ import annotations

import email.utils
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime

from core.errors import LinkError

ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True)
class FoundTorrent:
    guid: str  # what makes it the same entry next time
    title: str
    link: str = ""  # a magnet link or an http(s) URL of a .torrent
    data: bytes = b""  # the .torrent itself (a watched folder's file)
    file: str = ""  # the watched file, moved or deleted once added
    size: int = 0
    published: datetime | None = None
    category: str = ""


def _is_torrent_link(url: str, kind: str = "") -> bool:
    url = url.strip()
    return url.lower().startswith("magnet:") or kind == "application/x-bittorrent" or url.lower().endswith(".torrent")


def _date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError):
        pass
    try:
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def parse_feed(data: bytes) -> tuple[str, list[FoundTorrent]]:
    """(feed title, entries with a torrent) of an RSS or Atom document."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise LinkError(f"the feed is not valid RSS or Atom XML ({exc})") from None
    if root.tag == f"{ATOM}feed":
        return _atom(root)
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise LinkError(f"the document is not an RSS or Atom feed (its root is <{root.tag}>)")
    out = []
    for item in channel.findall("item"):
        title = (item.findtext("title") or "").strip()
        link, size = "", 0
        enclosure = item.find("enclosure")
        if enclosure is not None and _is_torrent_link(enclosure.get("url", ""), enclosure.get("type", "")):
            link = enclosure.get("url", "")
            size = int(enclosure.get("length", "0") or 0) if enclosure.get("length", "").isdigit() else 0
        for child in item:  # nyaa:magnetURI, torrent:magnetURI, …: any element holding a magnet
            if not link and (child.text or "").strip().lower().startswith("magnet:"):
                link = child.text.strip()  # type: ignore[union-attr]
            if child.tag.endswith("size") and not size and (child.text or "").strip().isdigit():
                size = int(child.text.strip())  # type: ignore[union-attr]
        if not link and _is_torrent_link(item.findtext("link") or ""):
            link = (item.findtext("link") or "").strip()
        if not link:
            continue
        guid = (item.findtext("guid") or "").strip() or link
        out.append(FoundTorrent(guid, title, link, size=size, published=_date(item.findtext("pubDate")),
                                category=(item.findtext("category") or "").strip()))  # fmt: skip
    return (channel.findtext("title") or "").strip(), out


def _atom(root: ET.Element) -> tuple[str, list[FoundTorrent]]:
    out = []
    for entry in root.findall(f"{ATOM}entry"):
        link, size = "", 0
        for el in entry.findall(f"{ATOM}link"):
            href = el.get("href", "")
            if _is_torrent_link(href, el.get("type", "")) and (el.get("rel") in (None, "enclosure", "alternate")):
                link = href
                size = int(el.get("length", "0")) if el.get("length", "").isdigit() else 0
                if el.get("rel") == "enclosure":
                    break
        if not link:
            continue
        guid = (entry.findtext(f"{ATOM}id") or "").strip() or link
        title = (entry.findtext(f"{ATOM}title") or "").strip()
        published = _date(entry.findtext(f"{ATOM}published") or entry.findtext(f"{ATOM}updated"))
        out.append(FoundTorrent(guid, title, link, size=size, published=published))
    return (root.findtext(f"{ATOM}title") or "").strip(), out
