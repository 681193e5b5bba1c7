"""NFO documents (movie, tvshow, episodedetails, person) as Kodi, Emby and Jellyfin read them.

UTF-8 with `standalone="yes"` and a 4-space indent, as bili-sync wrote them. What a media
center shows is taken literally:

- `<plot>` is plain text: Kodi, Emby and Jellyfin print it as it is (markup would show as
  `<a href=…>`), so the original's page is a URL on its own line after the intro.
- `<actor><name>` is the name people see (and the name a media server files the person's
  picture under), `<role>` what they did, `<thumb>` their avatar.
- `<uniqueid type="{provider}" default="true">` is the item's id at its provider: a video's,
  a show's (a bangumi's season), an episode's.

Each function returns the document as text; write it with `core.library.files.write_text_atomic`
(UTF-8, as the declaration says).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

_DECLARATION = '<?xml version="1.0" encoding="utf-8" standalone="yes"?>'
# Characters XML 1.0 cannot carry at all, not even escaped (control characters, lone
# surrogates, U+FFFE/U+FFFF). Titles and intros from the web may contain them.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class NfoActor:
    """A person credited on a video: `name` as people know them, `role` (e.g. "UP主", "剪辑"),
    `thumb` the avatar URL."""

    name: str
    role: str = ""
    thumb: str = ""


@dataclass(frozen=True)
class NfoVideo:
    """What a movie or tvshow NFO says about a video (or a bangumi series)."""

    uid: str  # the item's (or the show's) id at its provider, written as <uniqueid type="{uid_type}">
    uid_type: str  # the provider's name
    title: str
    intro: str
    date: datetime  # favourite time or publish time, as the nfo_time setting says
    actors: Sequence[NfoActor] = ()
    tags: Sequence[str] = ()
    link: str = ""  # the original's page on the service, the plot's last line when known


@dataclass(frozen=True)
class NfoEpisode:
    title: str
    season: int
    episode: int
    uid: str = ""  # the episode's (or page's) id at its provider
    uid_type: str = ""
    intro: str = ""
    link: str = ""  # the episode's own page
    aired: datetime | None = None


@dataclass(frozen=True)
class NfoPerson:
    """A person (an UP) in the media server's people folder, under the same name the videos'
    `<actor>` entries give; `id` is their id at the provider."""

    name: str
    id: str = ""
    id_type: str = ""
    added: datetime | None = None  # <dateadded>; now when not given


def plain_plot(intro: str, link: str) -> str:
    """The intro, then the original's URL on a line of its own (media centers show plots as
    plain text and many make URLs clickable)."""
    intro = intro.strip()
    if not link:
        return intro
    return f"{intro}\n\n{link}" if intro else link


def _clean(text: str) -> str:
    return _NOT_XML_CHAR.sub("", text)


def _child(parent: ET.Element, tag: str, text: str = "", **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text:
        element.text = _clean(text)
    return element


def _uniqueid(parent: ET.Element, uid: str, uid_type: str) -> None:
    # Kodi takes the id marked default as the item's own; a lone id is marked too.
    if uid:
        _child(parent, "uniqueid", uid, type=uid_type, default="true")


def _serialize(root: ET.Element) -> str:
    ET.indent(root, space="    ")
    return f"{_DECLARATION}\n{ET.tostring(root, encoding='unicode')}\n"


def _video_document(kind: str, info: NfoVideo) -> str:
    root = ET.Element(kind)
    _child(root, "plot", plain_plot(info.intro, info.link))
    ET.SubElement(root, "outline")
    _child(root, "title", info.title)
    for order, actor in enumerate(info.actors):
        element = ET.SubElement(root, "actor")
        _child(element, "name", actor.name)
        _child(element, "role", actor.role)
        _child(element, "thumb", actor.thumb)
        _child(element, "order", str(order))  # Kodi lists the cast in this order (Jellyfin: document order)
    _child(root, "year", str(info.date.year))
    for tag in info.tags:
        _child(root, "genre", tag)
    _uniqueid(root, info.uid, info.uid_type)
    _child(root, "premiered", info.date.strftime("%Y-%m-%d"))
    return _serialize(root)


def movie_nfo(info: NfoVideo) -> str:
    """`<movie>` for a single-page video."""
    return _video_document("movie", info)


def tvshow_nfo(info: NfoVideo) -> str:
    """`<tvshow>` for a multi-page video or a bangumi series."""
    return _video_document("tvshow", info)


def episode_nfo(info: NfoEpisode) -> str:
    """`<episodedetails>` for one page of a multi-page video or one bangumi episode."""
    root = ET.Element("episodedetails")
    _child(root, "plot", plain_plot(info.intro, info.link))
    ET.SubElement(root, "outline")
    _child(root, "title", info.title)
    _child(root, "season", str(info.season))
    _child(root, "episode", str(info.episode))
    _uniqueid(root, info.uid, info.uid_type)
    if info.aired is not None:
        _child(root, "aired", info.aired.strftime("%Y-%m-%d"))
    return _serialize(root)


def person_nfo(person: NfoPerson) -> str:
    """`<person>` for an UP in the media server's people folder."""
    added = person.added or datetime.now()
    root = ET.Element("person")
    ET.SubElement(root, "plot")
    ET.SubElement(root, "outline")
    _child(root, "lockdata", "false")
    _child(root, "dateadded", added.strftime("%Y-%m-%d %H:%M:%S"))
    _child(root, "title", person.name)
    _child(root, "sorttitle", person.name)
    _uniqueid(root, person.id, person.id_type)
    return _serialize(root)
