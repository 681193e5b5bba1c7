"""PlaybackInfo → streams and subtitle tracks; the bodies of playback reports.

One PlaybackInfo call answers for an item: its media sources, which of them may be played as
they are (DirectPlay: the original file through `/Videos/{id}/stream?static=true`), remuxed
(DirectStream; Emby names the URL, Jellyfin serves it without `static`) or transcoded to HLS
(`TranscodingUrl`). The original comes first: the library downloads the first stream, a
player offers the rest as qualities.
"""

from __future__ import annotations

import urllib.parse
import uuid
from typing import Any

from core.errors import UnavailableError
from core.providers.emby.client import EmbySession, PlaySession
from core.providers.emby.server import TICKS_PER_SECOND
from core.providers.protocols import Stream, SubtitleTrack

MAX_BITRATE = 200_000_000
# Lower transcodes offered next to the server's own, as (height, video bitrate).
TRANSCODE_LADDER = ((1080, 8_000_000), (720, 4_000_000), (480, 1_500_000))
TEXT_SUBTITLES = {"subrip": "srt", "srt": "srt", "ass": "ass", "ssa": "ass", "webvtt": "vtt", "vtt": "vtt"}
CODECS = {"h264": "avc", "avc": "avc", "hevc": "hevc", "h265": "hevc", "av1": "av1", "vp9": "vp9"}

# What SyncDeck's players open as they are; anything else the server may transcode to HLS.
DEVICE_PROFILE: dict[str, Any] = {
    "MaxStreamingBitrate": MAX_BITRATE,
    "MaxStaticBitrate": MAX_BITRATE,
    "DirectPlayProfiles": [{"Type": "Video"}, {"Type": "Audio"}],
    "TranscodingProfiles": [
        {"Container": "ts", "Type": "Video", "VideoCodec": "h264", "AudioCodec": "aac", "Protocol": "hls",
         "Context": "Streaming"},
        {"Container": "mp3", "Type": "Audio", "AudioCodec": "mp3", "Protocol": "http", "Context": "Streaming"},
    ],
    "ContainerProfiles": [],
    "CodecProfiles": [],
    "SubtitleProfiles": [
        {"Format": "srt", "Method": "External"},
        {"Format": "ass", "Method": "External"},
        {"Format": "ssa", "Method": "External"},
        {"Format": "vtt", "Method": "External"},
    ],
}  # fmt: skip


def playback_request(user_id: str, media_source_id: str, start_s: float = 0) -> dict[str, Any]:
    return {
        "UserId": user_id, "MaxStreamingBitrate": MAX_BITRATE, "StartTimeTicks": int(start_s * TICKS_PER_SECOND),
        "MediaSourceId": media_source_id, "EnableDirectPlay": True, "EnableDirectStream": True,
        "EnableTranscoding": True, "AllowVideoStreamCopy": True, "AllowAudioStreamCopy": True,
        "AutoOpenLiveStream": True, "DeviceProfile": DEVICE_PROFILE,
    }  # fmt: skip


def pick_source(info: dict[str, Any], media_source_id: str, title: str) -> dict[str, Any]:
    error = info.get("ErrorCode")
    sources = info.get("MediaSources") or []
    if error or not sources:
        reason = {
            "NotAllowed": "this user may not play it",
            "NoCompatibleStream": "no stream SyncDeck can play",
            "RateLimitExceeded": "the server's stream limit is reached",
        }.get(str(error), str(error or "no media"))
        raise UnavailableError(f"{title}: the server offers no playback ({reason})")  # fmt: skip
    return next((s for s in sources if str(s.get("Id")) == media_source_id), sources[0])


def _video(source: dict[str, Any]) -> dict[str, Any]:
    return next((s for s in source.get("MediaStreams") or [] if s.get("Type") == "Video"), {})


def _absolute(session: EmbySession, url: str) -> str:
    login = session.require_login()
    if url.startswith(("http://", "https://")):
        return url
    # relative URLs are under the API base; Emby's sometimes start with /emby already
    base = login.server
    if base.endswith("/emby") and url.lower().startswith("/emby/"):
        base = base[: -len("/emby")]
    return base + ("" if url.startswith("/") else "/") + url


def _with_query(url: str, **changes: Any) -> str:
    """`url` with query parameters replaced, whatever their case (the servers ignore case)."""
    parts = urllib.parse.urlsplit(url)
    lowered = {key.lower() for key in changes}
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in lowered]
    query += [(k, str(v)) for k, v in changes.items()]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def streams_of(session: EmbySession, item_id: str, source: dict[str, Any], play_session_id: str) -> list[Stream]:
    login = session.require_login()
    headers = session.media_headers()
    video = _video(source)
    height = int(video.get("Height") or 0)
    label = f"{height}p" if height else "original"
    codec = CODECS.get(str(video.get("Codec") or "").lower(), str(video.get("Codec") or ""))
    container = str(source.get("Container") or "").split(",")[0]
    msid = str(source.get("Id") or item_id)
    common = {"MediaSourceId": msid, "PlaySessionId": play_session_id, "DeviceId": login.device_id}
    found: list[Stream] = []
    if source.get("SupportsDirectPlay") or source.get("SupportsDirectStream"):
        if source.get("Protocol") == "Http" and str(source.get("Path", "")).startswith("http"):
            # a remote file (.strm): the server only points at it
            remote_headers = {str(k): str(v) for k, v in (source.get("RequiredHttpHeaders") or {}).items()}
            found.append(Stream(kind="muxed", urls=(str(source["Path"]),), quality=f"{label} original", codec=codec,
                                size=int(source.get("Size") or 0), headers=remote_headers))  # fmt: skip
        else:
            path = f"/Videos/{item_id}/stream" + (f".{container}" if container else "")
            url = session.url(path, {"static": "true", **common}, token=True)
            found.append(Stream(kind="muxed", urls=(url,), quality=f"{label} original", codec=codec,
                                size=int(source.get("Size") or 0), headers=headers))  # fmt: skip
    if source.get("SupportsDirectStream"):
        if source.get("DirectStreamUrl"):
            url = _with_query(_absolute(session, str(source["DirectStreamUrl"])), **{"PlaySessionId": play_session_id})
        else:
            url = session.url(f"/Videos/{item_id}/stream.mkv", {"static": "false", "Container": "mkv", **common},
                              token=True)  # fmt: skip
        found.append(Stream(kind="muxed", urls=(url,), quality=f"{label} remux", codec=codec, headers=headers))
    if source.get("SupportsTranscoding") and source.get("TranscodingUrl"):
        url = _absolute(session, str(source["TranscodingUrl"]))
        found.append(Stream(kind="muxed", urls=(url,), quality=f"{label} transcode" if height else "transcode",
                            codec="avc", headers=headers))  # fmt: skip
        for rung, bitrate in TRANSCODE_LADDER:
            if height and rung < height:
                lower = _with_query(url, MaxHeight=rung, VideoBitrate=bitrate, MaxStreamingBitrate=bitrate + 192_000)
                found.append(Stream(kind="muxed", urls=(lower,), quality=f"{rung}p transcode", codec="avc",
                                    headers=headers))  # fmt: skip
    if not found:
        raise UnavailableError("the server offers neither the file nor a transcode of it")
    return found


def remember(session: EmbySession, item_id: str, info: dict[str, Any], source: dict[str, Any]) -> None:
    direct = bool(source.get("SupportsDirectPlay") or source.get("SupportsDirectStream"))
    session.play_sessions[item_id] = PlaySession(
        play_session_id=str(info.get("PlaySessionId") or uuid.uuid4().hex),
        media_source_id=str(source.get("Id") or item_id),
        play_method="DirectPlay" if direct else "Transcode",
    )


def subtitle_tracks(session: EmbySession, item_id: str, source: dict[str, Any]) -> list[SubtitleTrack]:
    """Text subtitles the server hands out as files (external ones, and embedded text ones it
    extracts); image subtitles (PGS, VobSub) cannot become text and are left out."""
    msid = str(source.get("Id") or item_id)
    tracks = []
    for stream in source.get("MediaStreams") or []:
        if stream.get("Type") != "Subtitle":
            continue
        fmt = TEXT_SUBTITLES.get(str(stream.get("Codec") or "").lower())
        text = stream.get("IsTextSubtitleStream", fmt is not None)
        if fmt is None or not text or not (stream.get("IsExternal") or stream.get("SupportsExternalStream")):
            continue
        index = int(stream.get("Index") or 0)
        url = session.url(f"/Videos/{item_id}/{msid}/Subtitles/{index}/Stream.{fmt}", token=True)
        lang = str(stream.get("Language") or "und")
        label = str(stream.get("DisplayTitle") or stream.get("Title") or lang)
        tracks.append(SubtitleTrack(lang=lang, label=label, url=url))
    return tracks


def report_body(play: PlaySession, item_id: str, position: float, *, paused: bool, event: str) -> dict[str, Any]:
    """One superset body for start, progress and stopped: each server ignores what it does not know."""
    return {
        "ItemId": item_id, "MediaSourceId": play.media_source_id, "PlaySessionId": play.play_session_id,
        "PositionTicks": int(max(position, 0) * TICKS_PER_SECOND), "CanSeek": True, "IsPaused": paused,
        "IsMuted": False, "PlayMethod": play.play_method, "EventName": event, "PlaybackRate": 1,
        "QueueableMediaTypes": ["Video"],
    }  # fmt: skip
