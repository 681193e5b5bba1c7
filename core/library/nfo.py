"""NFO documents (movie, tvshow, episodedetails, person) as Emby, Jellyfin and Kodi read them.

The shape follows bili-sync, so an existing library keeps working: UTF-8 with
`standalone="yes"`, 4-space indent, the plot as HTML in CDATA starting with a link to the
original video, one actor per UP (name = their id, role = UP name, thumb = face URL).

Each function returns the document as text; write it with `core.library.files.write_text_atomic`
(UTF-8, as the declaration says).
"""

from __future__ import annotations

import html
import re
import uuid
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
    """A person credited on a video: `<name>` is their id at the provider (it names the person
    folder), `<role>` their name, `<thumb>` the avatar URL."""

    id: str
    name: str
    face: str = ""


@dataclass(frozen=True)
class NfoVideo:
    """What a movie or tvshow NFO says about a video (or a bangumi series)."""

    uid: str  # the item's id at its provider, written as <uniqueid type="{uid_type}">
    uid_type: str  # the provider's name
    title: str
    intro: str
    date: datetime  # favourite time or publish time, as the nfo_time setting says
    actors: Sequence[NfoActor] = ()
    tags: Sequence[str] = ()
    link: str = ""  # the original's page on the service, linked from the plot when known


@dataclass(frozen=True)
class NfoEpisode:
    title: str
    season: int
    episode: int


@dataclass(frozen=True)
class NfoPerson:
    """A person (an UP) in the media server's people folder. The document is keyed by their id,
    like the actor entries of the videos; `name` is their display name."""

    id: str
    name: str = ""
    added: datetime | None = None  # <dateadded>; now when not given


def _clean(text: str) -> str:
    return _NOT_XML_CHAR.sub("", text)


def _child(parent: ET.Element, tag: str, text: str = "", **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text:
        element.text = _clean(text)
    return element


def _cdata(text: str) -> str:
    # "]]>" would end the section early; split it across two sections.
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _serialize(root: ET.Element, plot_html: str | None = None) -> str:
    """Indent and serialise; the plot, if given, goes into <plot> as a CDATA section.

    ElementTree cannot write CDATA, so <plot> first holds a marker that no cleaned text can
    contain (a random id between control characters), replaced after serialisation.
    """
    marker = f"\x01{uuid.uuid4().hex}\x01"
    plot = root.find("plot")
    if plot_html is not None and plot is not None:
        plot.text = marker
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode")
    if plot_html is not None:
        body = body.replace(marker, _cdata(_clean(plot_html)))
    return f"{_DECLARATION}\n{body}\n"


def _video_document(kind: str, info: NfoVideo) -> str:
    root = ET.Element(kind)
    ET.SubElement(root, "plot")
    ET.SubElement(root, "outline")
    _child(root, "title", info.title)
    for actor in info.actors:
        element = ET.SubElement(root, "actor")
        _child(element, "name", actor.id)
        _child(element, "role", actor.name)
        _child(element, "thumb", actor.face)
    _child(root, "year", str(info.date.year))
    for tag in info.tags:
        _child(root, "genre", tag)
    _child(root, "uniqueid", info.uid, type=info.uid_type)
    _child(root, "premiered", info.date.strftime("%Y-%m-%d"))
    # The plot is HTML (it carries a link), so the intro's text is escaped as HTML text.
    plot = html.escape(info.intro, quote=False)
    if info.link:
        url, label = html.escape(info.link), html.escape(info.uid)
        plot = f'原始视频：<a href="{url}">{label}</a><br/><br/>{plot}'
    return _serialize(root, plot)


def movie_nfo(info: NfoVideo) -> str:
    """`<movie>` for a single-page video."""
    return _video_document("movie", info)


def tvshow_nfo(info: NfoVideo) -> str:
    """`<tvshow>` for a multi-page video or a bangumi series."""
    return _video_document("tvshow", info)


def episode_nfo(info: NfoEpisode) -> str:
    """`<episodedetails>` for one page of a multi-page video or one bangumi episode."""
    root = ET.Element("episodedetails")
    ET.SubElement(root, "plot")
    ET.SubElement(root, "outline")
    _child(root, "title", info.title)
    _child(root, "season", str(info.season))
    _child(root, "episode", str(info.episode))
    return _serialize(root)


def person_nfo(person: NfoPerson) -> str:
    """`<person>` for an UP in the media server's people folder."""
    added = person.added or datetime.now()
    root = ET.Element("person")
    ET.SubElement(root, "plot")
    ET.SubElement(root, "outline")
    _child(root, "lockdata", "false")
    _child(root, "dateadded", added.strftime("%Y-%m-%d %H:%M:%S"))
    _child(root, "title", person.id)
    _child(root, "sorttitle", person.id)
    return _serialize(root)
